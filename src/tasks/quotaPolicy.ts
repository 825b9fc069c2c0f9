/**
 * A service's request allowance: so many requests per day (Google: 10,000 per project, reset at
 * midnight Pacific) or per hour (Flickr: 3,600 per API key). Counted in the index per bucket and
 * period; the queue pauses a bucket's tasks until `resetsAt` when the service says it is spent.
 */
import { QUOTA_LABEL_DAILY, QUOTA_LABEL_HOURLY, QUOTA_RESET_TOP_OF_HOUR } from './quotaWords';

export interface QuotaPolicy {
  /** What the requests count against, e.g. "google-photos" (all accounts of the project together). */
  readonly bucket: string;
  readonly limit: number;
  readonly period: 'day' | 'hour';
  /** Key of the period containing `at`, e.g. "2026-11-29" or "2026-11-29T17". */
  periodOf(at: number): string;
  /** First instant of the next period after `at`. */
  resetsAt(at: number): number;
  /** For messages: "daily quota", "hourly limit". */
  readonly label: string;
  /** For messages: "midnight Pacific time", "the top of the hour". */
  readonly resetText: string;
}

export function dailyQuota(bucket: string, limit: number, timeZone: string, resetText: string): QuotaPolicy {
  return {
    bucket,
    limit,
    period: 'day',
    periodOf: (at) => calendarDay(at, timeZone),
    resetsAt: (at) => nextMidnight(at, timeZone),
    label: QUOTA_LABEL_DAILY,
    resetText,
  };
}

export function hourlyQuota(bucket: string, limit: number): QuotaPolicy {
  const HOUR = 3_600_000;
  return {
    bucket,
    limit,
    period: 'hour',
    periodOf: (at) => new Date(Math.floor(at / HOUR) * HOUR).toISOString().slice(0, 13),
    resetsAt: (at) => (Math.floor(at / HOUR) + 1) * HOUR,
    label: QUOTA_LABEL_HOURLY,
    resetText: QUOTA_RESET_TOP_OF_HOUR,
  };
}

/** Days a number of requests needs under a daily policy, counting what is left of today. */
export function periodsNeeded(requests: number, usedNow: number, limit: number): number {
  if (requests <= 0) return 0;
  const left = Math.max(0, limit - usedNow);
  if (requests <= left) return 1;
  return (left > 0 ? 1 : 0) + Math.ceil((requests - left) / limit);
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();
const partFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day of an instant in a time zone, "YYYY-MM-DD". */
export function calendarDay(at: number, timeZone: string): string {
  let f = dayFormats.get(timeZone);
  if (!f) dayFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return f.format(new Date(at));
}

/** Offset of the zone's wall time from UTC at an instant, in ms. */
function zoneOffset(at: number, timeZone: string): number {
  let f = partFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    partFormats.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(at)).map((x) => [x.type, x.value]));
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return wall - Math.floor(at / 1000) * 1000;
}

/** The first instant of the zone's next calendar day after `at` (epoch ms). */
export function nextMidnight(at: number, timeZone: string): number {
  const [y, m, d] = calendarDay(at, timeZone).split('-').map(Number);
  const wallMidnight = Date.UTC(y, m - 1, d + 1);
  // The offset at the target may differ from now's (DST changes at 02:00); two passes settle it.
  let guess = wallMidnight - zoneOffset(at, timeZone);
  guess = wallMidnight - zoneOffset(guess, timeZone);
  return guess;
}
