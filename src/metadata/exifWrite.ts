// Writes EXIF into a JPEG without touching its image data: Artist, Copyright, no Software (seed 003's
// Picker downloader), DateTimeOriginal (+ OffsetTimeOriginal), GPS and ImageDescription.
//
// Only the header (segments before the first scan, kilobytes) is read into memory; the IFDs are
// rebuilt with piexif-ts (loaded on first use, ~34 KB minified) and the scan data is streamed into a
// temp copy, verified (image bytes hashed back from disk, every tag re-read with exifr and compared)
// and renamed over the original.
//
// Text: EXIF ASCII fields (Artist, Copyright, ImageDescription) are written as UTF-8, as the Metadata
// Working Group guidelines recommend and exiftool does by default; exifr reads them back as UTF-8
// (tested). UserComment (UCS-2 of unstated byte order behind a charset prefix) and the Windows-only
// XPComment are not written: readers disagree on them. Non-Latin text is also safe in the XMP
// sidecar (sidecar.ts), which is UTF-8 by definition.
import { promises as fs } from 'node:fs';
import type * as Piexif from 'piexif-ts';
import { parseExifDate } from './captureDate';
import { compareRewrite, readTiffTags, type Expectation, type ExpectedTags } from './exifVerify';
import { exifPayload, exifSegment, headerWithExif, isExifSegment, mpfBeforeExif, readJpegHeader, segmentsOtherThanExif } from './jpegSegments';
import { RewriteVerificationError, rewriteFile } from './safeRewrite';

/** A capture time as the camera's clock showed it, with its UTC offset when known. */
export interface LocalDateTime {
  /** "YYYY-MM-DDTHH:mm:ss" (CaptureDate.local has this form). */
  local: string;
  /** "+02:00" / "-07:00"; omitted when unknown. */
  offset?: string;
}

export interface GpsPosition {
  /** Decimal degrees, north positive. */
  latitude: number;
  /** Decimal degrees, east positive. */
  longitude: number;
  /** Metres above sea level (negative below). */
  altitude?: number;
}

export interface ExifEdits {
  artist?: string;
  copyright?: string;
  /** Drop the Software tag (the app that last saved the file), as seed 003 does. */
  removeSoftware?: boolean;
  dateTimeOriginal?: LocalDateTime;
  gps?: GpsPosition;
  description?: string;
  /**
   * Date, GPS and description are written only where the photo has none (a zero or unreadable date
   * counts as none) unless this is set. Artist and Copyright are always written when given.
   */
  overwrite?: boolean;
}

export interface ExifWriteResult {
  /** False when every requested value was already there: the file was not rewritten. */
  changed: boolean;
  /** Tag names written or removed. */
  written: string[];
  /** Tag names left as they were because the photo already had them (and `overwrite` was not set). */
  kept: string[];
}

export class ExifWriteError extends Error {}

type IExif = Piexif.IExif;

const TAG = {
  ImageDescription: 270,
  Software: 305,
  Artist: 315,
  Copyright: 33432,
  DateTimeOriginal: 36867,
  OffsetTimeOriginal: 36881,
  GPSVersionID: 0,
  GPSLatitudeRef: 1,
  GPSLatitude: 2,
  GPSLongitudeRef: 3,
  GPSLongitude: 4,
  GPSAltitudeRef: 5,
  GPSAltitude: 6,
} as const;

const OFFSET = /^[+-](0\d|1[0-4]):[0-5]\d$/;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;
/** Far enough ahead that parseExifDate's "not in the future" rule never rejects a date here. */
const NO_FUTURE_LIMIT = new Date(8.64e15);
/** Seconds of arc are stored in 1/10000 s: about 3 mm on the ground. */
const ARC_SECOND_DENOMINATOR = 10_000;

let piexifLoading: Promise<typeof Piexif> | undefined;
/** piexif-ts is loaded on first use so extension activation does not pay for it. */
const loadPiexif = (): Promise<typeof Piexif> => (piexifLoading ??= import('piexif-ts'));

/** Decimal degrees → EXIF degrees, minutes, seconds rationals, with carries so seconds never reach 60. */
export function toDmsRationals(decimal: number): [[number, number], [number, number], [number, number]] {
  const abs = Math.abs(decimal);
  let degrees = Math.floor(abs);
  const units = Math.round((abs - degrees) * 3600 * ARC_SECOND_DENOMINATOR);
  let minutes = Math.floor(units / (60 * ARC_SECOND_DENOMINATOR));
  const seconds = units - minutes * 60 * ARC_SECOND_DENOMINATOR;
  if (minutes === 60) {
    degrees += 1;
    minutes = 0;
  }
  return [
    [degrees, 1],
    [minutes, 1],
    [seconds, ARC_SECOND_DENOMINATOR],
  ];
}

/** UTF-8 bytes as the binary string piexif expects; NULs would end an EXIF string early. */
const exifText = (text: string): string => Buffer.from(text.replace(/\0/g, '').trim(), 'utf8').toString('latin1');
const fromExifText = (binary: unknown): string | undefined => (typeof binary === 'string' ? Buffer.from(binary, 'latin1').toString('utf8') : undefined);

export function toExifDateString(date: LocalDateTime): string {
  const m = LOCAL.exec(date.local);
  const exif = m ? `${m[1]}:${m[2]}:${m[3]} ${m[4]}:${m[5]}:${m[6]}` : '';
  if (!m || !parseExifDate(exif, 'exif-original', NO_FUTURE_LIMIT)) throw new ExifWriteError(`"${date.local}" is not a valid date and time (expected YYYY-MM-DDTHH:mm:ss)`);
  if (date.offset !== undefined && !OFFSET.test(date.offset)) throw new ExifWriteError(`"${date.offset}" is not a UTC offset (expected +HH:MM or -HH:MM)`);
  return exif;
}

function checkGps(gps: GpsPosition): void {
  const ok = Number.isFinite(gps.latitude) && Math.abs(gps.latitude) <= 90 && Number.isFinite(gps.longitude) && Math.abs(gps.longitude) <= 180;
  if (!ok || (gps.altitude !== undefined && !Number.isFinite(gps.altitude))) {
    throw new ExifWriteError(`GPS position ${gps.latitude}, ${gps.longitude} is out of range (latitude ±90, longitude ±180)`);
  }
}

interface Plan {
  exif: IExif;
  expected: ExpectedTags;
  written: string[];
  kept: string[];
}

/** Applies the edits to a loaded EXIF object; pure apart from mutating `exif`. */
function planEdits(exif: IExif, edits: ExifEdits): Plan {
  const ifd0 = (exif['0th'] ??= {});
  const exifIfd = (exif.Exif ??= {});
  const expected: ExpectedTags = { ifd0: {}, exif: {}, gps: {} };
  const written: string[] = [];
  const kept: string[] = [];
  const set = (ifd: Record<number, unknown>, block: 'ifd0' | 'exif', name: keyof typeof TAG, text: string) => {
    if (fromExifText(ifd[TAG[name]]) === text) return;
    ifd[TAG[name]] = exifText(text);
    written.push(name);
    expected[block]![TAG[name]] = { equals: text };
  };

  if (edits.artist?.trim()) set(ifd0, 'ifd0', 'Artist', edits.artist.trim());
  if (edits.copyright?.trim()) set(ifd0, 'ifd0', 'Copyright', edits.copyright.trim());
  if (edits.removeSoftware && ifd0[TAG.Software] !== undefined) {
    delete ifd0[TAG.Software];
    written.push('Software (removed)');
    expected.ifd0![TAG.Software] = { absent: true };
  }
  if (edits.description?.trim()) {
    if (fromExifText(ifd0[TAG.ImageDescription])?.trim() && !edits.overwrite) kept.push('ImageDescription');
    else set(ifd0, 'ifd0', 'ImageDescription', edits.description.trim());
  }
  if (edits.dateTimeOriginal) {
    const value = toExifDateString(edits.dateTimeOriginal);
    const current = parseExifDate(exifIfd[TAG.DateTimeOriginal], 'exif-original', NO_FUTURE_LIMIT);
    if (current && !edits.overwrite) kept.push('DateTimeOriginal');
    else {
      set(exifIfd, 'exif', 'DateTimeOriginal', value);
      const offset = edits.dateTimeOriginal.offset;
      if (offset) set(exifIfd, 'exif', 'OffsetTimeOriginal', offset);
      else if (exifIfd[TAG.OffsetTimeOriginal] !== undefined) {
        // The old offset belonged to the old date; a new date of unknown offset must not inherit it.
        delete exifIfd[TAG.OffsetTimeOriginal];
        written.push('OffsetTimeOriginal (removed)');
        expected.exif![TAG.OffsetTimeOriginal] = { absent: true };
      }
    }
  }
  if (edits.gps) {
    checkGps(edits.gps);
    const hasGps = exif.GPS?.[TAG.GPSLatitude] !== undefined && exif.GPS?.[TAG.GPSLongitude] !== undefined;
    if (hasGps && !edits.overwrite) kept.push('GPS');
    else planGps(exif, edits.gps, expected, written);
  }
  return { exif, expected, written, kept };
}

/** New coordinates replace the whole GPS IFD: old speed, direction or time stamps would not match them. */
function planGps(exif: IExif, gps: GpsPosition, expected: ExpectedTags, written: string[]): void {
  const ifd: Record<number, unknown> = {
    [TAG.GPSVersionID]: [2, 3, 0, 0],
    [TAG.GPSLatitudeRef]: gps.latitude >= 0 ? 'N' : 'S',
    [TAG.GPSLatitude]: toDmsRationals(gps.latitude),
    [TAG.GPSLongitudeRef]: gps.longitude >= 0 ? 'E' : 'W',
    [TAG.GPSLongitude]: toDmsRationals(gps.longitude),
  };
  const near = (want: number, tolerance: number) => ({ check: (v: unknown) => typeof v === 'number' && Math.abs(v - want) <= tolerance, describe: `≈ ${want}` });
  const rules: Record<string, Expectation> = {
    [TAG.GPSLatitudeRef]: { equals: ifd[TAG.GPSLatitudeRef] },
    [TAG.GPSLongitudeRef]: { equals: ifd[TAG.GPSLongitudeRef] },
    latitude: near(gps.latitude, 1e-7),
    longitude: near(gps.longitude, 1e-7),
  };
  if (gps.altitude !== undefined) {
    ifd[TAG.GPSAltitudeRef] = gps.altitude < 0 ? 1 : 0;
    ifd[TAG.GPSAltitude] = [Math.round(Math.abs(gps.altitude) * 100), 100];
    rules[TAG.GPSAltitude] = near(Math.abs(gps.altitude), 0.005);
  }
  exif.GPS = ifd;
  expected.gps = rules;
  expected.replaced = [...(expected.replaced ?? []), 'gps'];
  written.push('GPS');
}

/** True for a file that starts like a JPEG (the extension alone can lie). */
export async function isJpegFile(file: string): Promise<boolean> {
  const handle = await fs.open(file, 'r');
  try {
    const head = Buffer.alloc(3);
    const { bytesRead } = await handle.read(head, 0, 3, 0);
    return bytesRead === 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff;
  } finally {
    await handle.close();
  }
}

/**
 * Writes the edits into a JPEG in place, safely: the original is replaced only after the new file was
 * fsynced and proved right. Throws ExifWriteError (file untouched) when the photo is not a JPEG, its
 * EXIF cannot be parsed, or the rewrite would lose or change anything it should not.
 */
export async function writeJpegExif(file: string, edits: ExifEdits): Promise<ExifWriteResult> {
  const handle = await fs.open(file, 'r');
  let header;
  try {
    header = await readJpegHeader(handle);
  } catch (err) {
    throw new ExifWriteError(`${file}: ${(err as Error).message}`);
  } finally {
    await handle.close();
  }
  const piexif = await loadPiexif();
  const payload = exifPayload(header);
  let loaded: IExif;
  try {
    loaded = payload ? piexif.load(payload.toString('latin1')) : {};
  } catch (err) {
    throw new ExifWriteError(`${file}: its EXIF block is damaged and cannot be rewritten (${(err as Error).message}); write an XMP sidecar instead`);
  }
  const plan = planEdits(loaded, edits);
  if (plan.written.length === 0) return { changed: false, written: [], kept: plan.kept };

  let newSegment: Buffer;
  try {
    newSegment = exifSegment(Buffer.from(piexif.dump(plan.exif), 'latin1'));
  } catch (err) {
    throw new ExifWriteError(`${file}: cannot rebuild its EXIF (${(err as Error).message}); nothing was changed`);
  }
  if (mpfBeforeExif(header) && newSegment.length !== header.segments.find(isExifSegment)?.bytes.length) {
    throw new ExifWriteError(`${file}: its multi-picture (MPF) index precedes the EXIF block, and resizing that block would break the links to its extra images; nothing was changed, write an XMP sidecar instead`);
  }
  let before;
  try {
    before = await readTiffTags(file);
  } catch (err) {
    throw new ExifWriteError(`${file}: its EXIF cannot be read for the check after writing (${(err as Error).message}); nothing was changed`);
  }
  try {
    await rewriteFile(file, {
      head: headerWithExif(header, newSegment),
      tailStart: header.scanStart,
      verify: async (temp) => {
        const after = await readTiffTags(temp).catch((err: Error) => {
          throw new RewriteVerificationError(`the new EXIF does not parse (${err.message})`);
        });
        const problems = compareRewrite(before, after, plan.expected);
        const tempHandle = await fs.open(temp, 'r');
        try {
          const rewritten = await readJpegHeader(tempHandle);
          const same = segmentsOtherThanExif(rewritten);
          const want = segmentsOtherThanExif(header);
          if (same.length !== want.length || same.some((s, i) => !s.equals(want[i]))) problems.push('a non-EXIF header segment (ICC, XMP, quantisation or Huffman tables) changed');
        } finally {
          await tempHandle.close();
        }
        if (problems.length) throw new RewriteVerificationError(`the rewritten EXIF did not read back right: ${problems.join('; ')}`);
      },
    });
  } catch (err) {
    if (err instanceof RewriteVerificationError) throw new ExifWriteError(`${file}: ${err.message}; the photo was left unchanged`);
    throw err;
  }
  return { changed: true, written: plan.written, kept: plan.kept };
}
