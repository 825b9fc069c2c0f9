// The "metadata doctor" for capture dates: what is wrong with a file's date (missing, zero, in the
// future, or more than a day away from the date its name or folder gives) and what to write instead,
// with every piece of evidence, its source and confidence for the UI. Fixes must happen before
// upload: Google's API cannot change a date afterwards.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseDateInFolders, parseDateInName, parseExifDate, type DatePrecision } from './captureDate';
import { isJpegFile, writeJpegExif, type LocalDateTime } from './exifWrite';
import { instantFromLocal, localFromInstant, wallClockOf } from './localTime';
import { readXmpSidecar, writeXmpSidecar } from './sidecar';

export type EvidenceSource = 'exif-original' | 'exif-create' | 'xmp-sidecar' | 'takeout' | 'filename' | 'folder' | 'mtime';
export type Confidence = 'high' | 'medium' | 'low';

export interface DateEvidence extends LocalDateTime {
  source: EvidenceSource;
  /** For day, month and year precision, `local` is the start of that period. */
  precision: DatePrecision;
  confidence: Confidence;
  /** Where it was read, in words for the UI: "file name PXL_20230415_102233123.jpg". */
  detail: string;
}

export type DateProblemKind = 'missing' | 'zero' | 'unreadable' | 'future' | 'disagrees-with-takeout' | 'disagrees-with-file-name' | 'disagrees-with-folder';

export interface DateProblem {
  kind: DateProblemKind;
  message: string;
}

export interface DateDiagnosis {
  file: string;
  /** The date the file carries (EXIF DateTimeOriginal, else CreateDate, else its XMP sidecar's). */
  current?: DateEvidence;
  problems: DateProblem[];
  /** Other evidence, strongest first: Takeout, EXIF CreateDate, file name, folder, mtime. */
  evidence: DateEvidence[];
  /** The date to write; only when there is a problem. */
  proposal?: DateEvidence;
}

export interface DiagnoseOptions {
  /** photoTakenTime of the file's Google Takeout sidecar. */
  takeoutTakenAt?: Date;
  /** Time zone for instants (Takeout, mtime) and "now"; default this machine's. */
  timeZone?: string;
  /** The sync folder: folder names above it say nothing about the photo. */
  stopAt?: string;
  now?: Date;
}

const DAY_MS = 86_400_000;
/** parseExifDate refuses future dates; the doctor wants to see them to report them. */
const NO_FUTURE_LIMIT = new Date(8.64e15);

/** Length of the period a date of this precision covers, starting at `local`. */
function periodMs(local: string, precision: DatePrecision): number {
  const start = new Date(wallClockOf(local));
  switch (precision) {
    case 'second':
      return 1000;
    case 'minute':
      return 60_000;
    case 'day':
      return DAY_MS;
    case 'month':
      return Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1) - start.getTime();
    default:
      return Date.UTC(start.getUTCFullYear() + 1, 0, 1) - start.getTime();
  }
}

/** How far the wall-clock time `local` lies outside the evidence's period (0 inside it). */
export function distanceMs(local: string, evidence: Pick<DateEvidence, 'local' | 'precision'>): number {
  const t = wallClockOf(local);
  const start = wallClockOf(evidence.local);
  const end = start + periodMs(evidence.local, evidence.precision);
  return t < start ? start - t : t >= end ? t - end + 1 : 0;
}

function exifEvidence(value: string, source: 'exif-original' | 'exif-create', offset: unknown): DateEvidence | undefined {
  const date = parseExifDate(value, source, NO_FUTURE_LIMIT);
  if (!date) return undefined;
  const name = source === 'exif-original' ? 'DateTimeOriginal' : 'CreateDate';
  const withOffset = source === 'exif-original' && typeof offset === 'string' && /^[+-]\d{2}:\d{2}$/.test(offset) ? { offset } : {};
  return { local: date.local, ...withOffset, source, precision: 'second', confidence: source === 'exif-original' ? 'high' : 'medium', detail: `EXIF ${name} ${value.trim()}` };
}

/** "0000:00:00 00:00:00" and blanks ("    :  :     :  :  ") are what cameras write for "no clock". */
const isZeroDate = (value: string): boolean => /^[\s:0-]*$/.test(value);

async function readExifDates(file: string): Promise<{ original?: string; create?: string; offset?: unknown }> {
  try {
    const { default: exifr } = await import('exifr'); // loaded on first use, not at activation
    const tags = (await exifr.parse(file, { pick: ['DateTimeOriginal', 'CreateDate', 'OffsetTimeOriginal'], reviveValues: false, translateValues: false })) as Record<string, unknown> | undefined;
    const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
    return { original: text(tags?.DateTimeOriginal), create: text(tags?.CreateDate), offset: tags?.OffsetTimeOriginal };
  } catch {
    return {}; // not an EXIF-bearing format, or damaged: the date counts as missing
  }
}

const fmt = (e: DateEvidence): string => `${e.local.replace('T', ' ')}${e.offset ? ` ${e.offset}` : ''}`;

/** Looks at a file's capture date and everything that says when it was taken. */
export async function diagnoseCaptureDate(file: string, options: DiagnoseOptions = {}): Promise<DateDiagnosis> {
  const now = options.now ?? new Date();
  const problems: DateProblem[] = [];
  const evidence: DateEvidence[] = [];
  const exif = await readExifDates(file);

  let current: DateEvidence | undefined;
  const original = exif.original?.trim();
  if (original) {
    current = exifEvidence(original, 'exif-original', exif.offset);
    if (!current && isZeroDate(original)) problems.push({ kind: 'zero', message: `EXIF DateTimeOriginal is "${original}": the camera's clock was not set` });
    else if (!current) problems.push({ kind: 'unreadable', message: `EXIF DateTimeOriginal "${original}" is not a date` });
  }
  // CreateDate stands in for a missing DateTimeOriginal (as readCaptureDate does) and is evidence
  // when DateTimeOriginal is damaged; next to a good DateTimeOriginal it adds nothing.
  const create = exif.create?.trim() ? exifEvidence(exif.create, 'exif-create', undefined) : undefined;
  if (!current && !original && create) current = create;
  else if (!current && create) evidence.push(create);
  if (!current && !original) {
    const xmpDate = (await readXmpSidecar(file).catch(() => undefined))?.dateTimeOriginal;
    if (xmpDate && parseExifDate(xmpDate.local.replace(/-/g, ':').replace('T', ' '), 'exif-original', NO_FUTURE_LIMIT)) {
      current = { ...xmpDate, source: 'xmp-sidecar', precision: 'second', confidence: 'high', detail: `XMP sidecar ${path.basename(file)}.xmp` };
    } else problems.push({ kind: 'missing', message: 'the file has no capture date of its own (no EXIF DateTimeOriginal or CreateDate)' });
  }

  if (options.takeoutTakenAt) {
    const at = localFromInstant(options.takeoutTakenAt, options.timeZone);
    evidence.unshift({ ...at, source: 'takeout', precision: 'second', confidence: 'high', detail: `Google Takeout photoTakenTime ${options.takeoutTakenAt.toISOString()}` });
  }
  // Names with a date after tomorrow are counters that only look like dates: no evidence.
  const fromName = parseDateInName(path.basename(file), now);
  if (fromName) {
    evidence.push({ local: fromName.local, source: 'filename', precision: fromName.precision, confidence: fromName.precision === 'day' ? 'medium' : 'high', detail: `file name ${path.basename(file)}` });
  }
  const fromFolder = parseDateInFolders(path.dirname(file), { now, stopAt: options.stopAt });
  if (fromFolder) {
    evidence.push({ local: fromFolder.local, source: 'folder', precision: fromFolder.precision, confidence: fromFolder.precision === 'day' ? 'medium' : 'low', detail: `folder ${path.basename(fromFolder.folder)}` });
  }
  const mtime = (await fs.stat(file)).mtime;
  evidence.push({ ...localFromInstant(mtime, options.timeZone), source: 'mtime', precision: 'second', confidence: 'low', detail: `file modification time ${mtime.toISOString()}` });

  if (current) {
    const nowLocal = localFromInstant(now, options.timeZone).local;
    if (wallClockOf(current.local) > wallClockOf(nowLocal) + DAY_MS) problems.push({ kind: 'future', message: `the capture date ${fmt(current)} is in the future` });
    const kinds = { takeout: 'disagrees-with-takeout', filename: 'disagrees-with-file-name', folder: 'disagrees-with-folder' } as const;
    for (const e of evidence) {
      if (e.source !== 'takeout' && e.source !== 'filename' && e.source !== 'folder') continue;
      const days = distanceMs(current.local, e) / DAY_MS;
      if (days > 1) problems.push({ kind: kinds[e.source], message: `the capture date ${fmt(current)} is ${Math.round(days)} days away from ${e.detail} (${fmt(e)}, ${e.precision} precision)` });
    }
  }
  return { file, current, problems, evidence, proposal: problems.length ? propose(evidence, now, options.timeZone) : undefined };
}

/** The first usable evidence in order; a folder that names only a month or year defers to an mtime inside it. */
function propose(evidence: DateEvidence[], now: Date, timeZone: string | undefined): DateEvidence | undefined {
  const limit = wallClockOf(localFromInstant(now, timeZone).local) + DAY_MS;
  const usable = evidence.filter((e) => wallClockOf(e.local) <= limit);
  const best = usable[0];
  if (best?.source === 'folder' && (best.precision === 'month' || best.precision === 'year')) {
    const mtime = usable.find((e) => e.source === 'mtime');
    if (mtime && distanceMs(mtime.local, best) === 0) return { ...mtime, confidence: 'medium', detail: `${mtime.detail}, inside ${best.detail}` };
  }
  return best;
}

export interface FixResult {
  /** How the date was stored: in the JPEG's EXIF, or as the file's modification time. */
  method: 'exif' | 'mtime';
  written: string[];
  /** The XMP sidecar written, when asked for. */
  sidecar?: string;
}

export interface FixOptions {
  /** Also write (or update) `name.ext.xmp` with the date; for non-JPEGs the only place that keeps it. */
  xmpSidecar?: boolean;
  /** Replace an XMP sidecar another program wrote. */
  overwriteSidecar?: boolean;
  /** Time zone to read `date` in when it has no offset (for the mtime); default this machine's. */
  timeZone?: string;
}

/**
 * Writes a capture date: into EXIF DateTimeOriginal for a JPEG (verified by reading it back), as the
 * modification time for other files (checked with stat), plus an XMP sidecar when asked.
 */
export async function fixCaptureDate(file: string, date: LocalDateTime, options: FixOptions = {}): Promise<FixResult> {
  let result: FixResult;
  if (await isJpegFile(file)) {
    const written = await writeJpegExif(file, { dateTimeOriginal: date, overwrite: true });
    result = { method: 'exif', written: written.written };
  } else {
    const instant = instantFromLocal(date, options.timeZone);
    const { atime } = await fs.stat(file);
    await fs.utimes(file, atime, instant);
    // Some file systems keep 2 s steps (FAT); more than that means the time did not stick.
    if (Math.abs((await fs.stat(file)).mtimeMs - instant.getTime()) > 2000) throw new Error(`${file}: the file system did not keep the new modification time`);
    result = { method: 'mtime', written: ['mtime'] };
  }
  if (options.xmpSidecar) {
    result.sidecar = await writeXmpSidecar(file, { dateTimeOriginal: date }, { overwrite: options.overwriteSidecar });
    const back = (await readXmpSidecar(file))?.dateTimeOriginal;
    if (back?.local !== date.local || back.offset !== date.offset) throw new Error(`${result.sidecar}: the date did not read back (${JSON.stringify(back)})`);
  }
  return result;
}
