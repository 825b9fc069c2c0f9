// When a photo was taken: EXIF DateTimeOriginal → EXIF CreateDate → a date in the file name →
// the file's mtime. The source is kept so the UI can say where a date came from (gphotos-uploader-cli
// uses mtime only, which puts scanned or copied photos in the wrong month).
import path from 'node:path';

export type CaptureDateSource = 'exif-original' | 'exif-create' | 'filename' | 'mtime';

export interface CaptureDate {
  year: number;
  month: number;
  day: number;
  /** Local wall-clock time as written by the camera, "YYYY-MM-DDTHH:mm:ss". */
  local: string;
  source: CaptureDateSource;
}

const EXIF_DATE = /^(\d{4})[:-](\d{2})[:-](\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?/;

function build(y: number, mo: number, d: number, h: number, mi: number, s: number, source: CaptureDateSource, now: Date): CaptureDate | undefined {
  if (y < 1826 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCMonth() !== mo - 1) return undefined; // 31 February and the like
  // A date after tomorrow is a camera with a wrong clock or a number that only looks like a date.
  if (check.getTime() > now.getTime() + 86_400_000) return undefined;
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return { year: y, month: mo, day: d, local: `${p(y, 4)}-${p(mo)}-${p(d)}T${p(h)}:${p(mi)}:${p(s)}`, source };
}

export function parseExifDate(value: unknown, source: CaptureDateSource, now = new Date()): CaptureDate | undefined {
  if (value instanceof Date && !Number.isNaN(value.getTime())) {
    return build(value.getFullYear(), value.getMonth() + 1, value.getDate(), value.getHours(), value.getMinutes(), value.getSeconds(), source, now);
  }
  if (typeof value !== 'string') return undefined;
  const m = EXIF_DATE.exec(value.trim());
  if (!m) return undefined;
  return build(+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), source, now);
}

// Dates in file names: IMG_20210503_101500.jpg, VID_…, 20210503_101500.jpg, 2021-05-03 10.15.00.jpg,
// PXL_20210503_101500123.jpg (milliseconds), Screenshot_2021-05-03-10-15-00.png, macOS
// "Screenshot 2021-05-03 at 10.15.00.png", WhatsApp IMG-20210503-WA0001.jpg (date only).
const NAME_DATE =
  /(?:^|\D)((?:19[89]\d|20\d\d))[-_.]?(0[1-9]|1[0-2])[-_.]?([0-2]\d|3[01])(?:(?:[-_ T.]|\sat\s)?([01]\d|2[0-3])[-_.:h]?([0-5]\d)(?:[-_.:m]?([0-5]\d)(?:[._]?\d{3})?)?)?(?!\d{3})/;
const YEAR = '(19[89]\\d|20\\d\\d)';
/** "2018-01 Paris", "2018_01", "201801" as a whole folder name prefix. */
const FOLDER_MONTH = new RegExp(`^${YEAR}[-_. ]?(0[1-9]|1[0-2])(?!\\d)`);
/** "01", "01 January", "01-Jan" (two digits) below a year folder. */
const FOLDER_MONTH_ONLY = /^(0[1-9]|1[0-2])(?:$|[-_. ]\D*$)/;
/** "2018", "Photos from 2018" (Google Takeout), "Summer 2018": a year standing as a word of its own. */
const FOLDER_YEAR = new RegExp(`(?:^|[\\s_.(-])${YEAR}(?=$|[\\s_.)-])`);

/** How much of a date a name gave: a name "2018" says nothing about the month. */
export type DatePrecision = 'second' | 'minute' | 'day' | 'month' | 'year';

export interface NamedDate {
  year: number;
  month: number;
  /** 1 when the precision is month or year. */
  day: number;
  /** "YYYY-MM-DDTHH:mm:ss", the start of the period for day, month and year precision. */
  local: string;
  precision: DatePrecision;
}

function named(y: number, mo: number, d: number, h: number, mi: number, s: number, precision: DatePrecision, now: Date): NamedDate | undefined {
  const date = build(y, mo, d, h, mi, s, 'filename', now);
  return date && { year: date.year, month: date.month, day: date.day, local: date.local, precision };
}

/** The date (and time, when present) in a file or folder name. */
export function parseDateInName(name: string, now = new Date()): NamedDate | undefined {
  const m = NAME_DATE.exec(path.basename(name));
  if (!m) return undefined;
  const precision: DatePrecision = m[4] === undefined ? 'day' : m[6] === undefined ? 'minute' : 'second';
  return named(+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), precision, now);
}

export function dateFromFileName(fileName: string, now = new Date()): CaptureDate | undefined {
  const d = parseDateInName(fileName, now);
  return d && { year: d.year, month: d.month, day: d.day, local: d.local, source: 'filename' };
}

/** A date in one folder's name, with its parent's name for "2018/01" layouts. */
function dateInFolderName(name: string, parent: string, now: Date): NamedDate | undefined {
  const day = parseDateInName(name, now);
  if (day) return { ...day, local: `${day.local.slice(0, 10)}T00:00:00`, precision: 'day' };
  const month = FOLDER_MONTH.exec(name);
  if (month) return named(+month[1], +month[2], 1, 0, 0, 0, 'month', now);
  const parentYear = FOLDER_YEAR.exec(parent);
  const monthOnly = FOLDER_MONTH_ONLY.exec(name);
  if (monthOnly && parentYear) return named(+parentYear[1], +monthOnly[1], 1, 0, 0, 0, 'month', now);
  const year = FOLDER_YEAR.exec(name);
  if (year) return named(+year[1], 1, 1, 0, 0, 0, 'year', now);
  return undefined;
}

/**
 * The date the nearest dated folder gives ("2018-01-02 Trip", "2018/01", "Photos from 2018"), looking
 * at `levels` folders upwards from `dir` and never above `stopAt` (the sync folder, whose own name
 * says nothing about each photo).
 */
export function parseDateInFolders(dir: string, options: { now?: Date; levels?: number; stopAt?: string } = {}): (NamedDate & { folder: string }) | undefined {
  const now = options.now ?? new Date();
  let current = path.resolve(dir);
  const stop = options.stopAt ? path.resolve(options.stopAt) : undefined;
  for (let i = 0; i < (options.levels ?? 3); i++) {
    const name = path.basename(current);
    const parent = path.dirname(current);
    if (!name || current === stop) return undefined;
    const found = dateInFolderName(name, path.basename(parent), now);
    if (found) return { ...found, folder: current };
    if (parent === current) return undefined;
    current = parent;
  }
  return undefined;
}

export function dateFromMtime(mtimeMs: number, now = new Date()): CaptureDate {
  const d = new Date(mtimeMs);
  return (
    build(d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), 'mtime', new Date(Math.max(now.getTime(), mtimeMs))) ?? {
      year: d.getFullYear(),
      month: d.getMonth() + 1,
      day: d.getDate(),
      local: d.toISOString().slice(0, 19),
      source: 'mtime',
    }
  );
}

/** Reads EXIF when the file has it (JPEG, HEIC, TIFF, PNG, WEBP, AVIF, TIFF-based RAW); never throws on corrupt files. */
export async function readCaptureDate(filePath: string, mtimeMs: number, now = new Date()): Promise<CaptureDate> {
  try {
    // exifr is loaded on first use, not at activation.
    const { default: exifr } = await import('exifr');
    const tags = (await exifr.parse(filePath, { pick: ['DateTimeOriginal', 'CreateDate'], reviveValues: false, translateValues: false })) as
      | Record<string, unknown>
      | undefined;
    if (tags) {
      const original = parseExifDate(tags.DateTimeOriginal, 'exif-original', now);
      if (original) return original;
      const created = parseExifDate(tags.CreateDate, 'exif-create', now);
      if (created) return created;
    }
  } catch {
    // Not an EXIF-bearing format, or a corrupt file: fall through to the name and mtime.
  }
  return dateFromFileName(filePath, now) ?? dateFromMtime(mtimeMs, now);
}

export function describeSource(source: CaptureDateSource): string {
  switch (source) {
    case 'exif-original':
      return 'EXIF DateTimeOriginal';
    case 'exif-create':
      return 'EXIF CreateDate';
    case 'filename':
      return 'file name';
    default:
      return 'file modification time (no date in the file)';
  }
}
