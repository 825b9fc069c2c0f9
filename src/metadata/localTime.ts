// Conversions between instants (Takeout's UTC seconds, file mtimes) and the wall-clock times with
// offsets that EXIF stores, in a given IANA time zone (the machine's by default), through Intl.
import type { LocalDateTime } from './exifWrite';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? '';
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(key, f);
  }
  return f;
}

/** Wall-clock fields of `instant` in `timeZone`, as if they were UTC (for arithmetic). */
function wallClockMs(instant: Date, timeZone: string | undefined): number {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(instant).map((p) => [p.type, p.value]));
  return Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The wall-clock time and UTC offset of an instant in a time zone (default: this machine's). */
export function localFromInstant(instant: Date, timeZone?: string): Required<LocalDateTime> {
  const seconds = Math.floor(instant.getTime() / 1000) * 1000;
  const wall = wallClockMs(new Date(seconds), timeZone);
  return { local: new Date(wall).toISOString().slice(0, 19), offset: formatOffset(Math.round((wall - seconds) / 60_000)) };
}

/** Milliseconds of a "YYYY-MM-DDTHH:mm:ss" wall-clock time read as if it were UTC. */
export function wallClockOf(local: string): number {
  return Date.parse(`${local}Z`);
}

/**
 * The instant a wall-clock time stands for: exact with an offset; otherwise read in `timeZone`
 * (see below for times a DST change skips).
 */
export function instantFromLocal(date: LocalDateTime, timeZone?: string): Date {
  const wall = wallClockOf(date.local);
  if (date.offset) {
    const [h, m] = date.offset.slice(1).split(':').map(Number);
    return new Date(wall - (date.offset[0] === '-' ? -1 : 1) * (h * 60 + m) * 60_000);
  }
  // Two rounds find the offset in force at that instant; a time skipped by a DST change moves
  // forward by the gap, as JavaScript's Date does.
  let guess = wall;
  for (let i = 0; i < 2; i++) guess = wall - (wallClockMs(new Date(guess), timeZone) - guess);
  return new Date(guess);
}
