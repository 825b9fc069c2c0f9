// When an imported photo was taken, and what of its sidecar goes back into it. Order: the sidecar's
// photoTakenTime (UTC, Takeout's word for what Google Photos shows), the file's own EXIF date, a date
// in its name; with none the file is stored under photos/undated/ and said so in the report.
import { dateFromFileName, parseExifDate } from '../../metadata/captureDate';
import { ExifWriteError, isJpegFile, writeJpegExif, type ExifEdits } from '../../metadata/exifWrite';
import { instantFromLocal } from '../../metadata/localTime';
import type { MediaSidecar } from '../../takeout/sidecarJson';
import type { WriteMetadata } from './settings';

export type CaptureSource = 'takeout' | 'exif' | 'filename' | 'none';

export interface Capture {
  source: CaptureSource;
  /** RFC 3339 time for the layout: UTC for Takeout, the camera's wall clock (as `…Z`) for EXIF and names. */
  layoutTime?: string;
  /** The instant set as mtime. */
  instant?: Date;
}

/** The capture time of a staged file (its bytes in `tempPath`, its name `fileName`). */
export async function captureOf(sidecar: MediaSidecar | undefined, tempPath: string, fileName: string, now = new Date()): Promise<Capture> {
  if (sidecar?.photoTakenTime) return { source: 'takeout', layoutTime: sidecar.photoTakenTime.toISOString(), instant: sidecar.photoTakenTime };
  try {
    const { default: exifr } = await import('exifr'); // loaded on first use, not at activation
    const tags = (await exifr.parse(tempPath, { pick: ['DateTimeOriginal', 'CreateDate', 'OffsetTimeOriginal'], reviveValues: false, translateValues: false })) as Record<string, unknown> | undefined;
    const date = parseExifDate(tags?.DateTimeOriginal, 'exif-original', now) ?? parseExifDate(tags?.CreateDate, 'exif-create', now);
    if (date) {
      const offset = typeof tags?.OffsetTimeOriginal === 'string' && /^[+-]\d{2}:\d{2}$/.test(tags.OffsetTimeOriginal) ? tags.OffsetTimeOriginal : undefined;
      return { source: 'exif', layoutTime: `${date.local}Z`, instant: instantFromLocal({ local: date.local, offset }) };
    }
  } catch {
    // not an EXIF-bearing format, or damaged EXIF: the name may still tell
  }
  const named = dateFromFileName(fileName, now);
  if (named) return { source: 'filename', layoutTime: `${named.local}Z`, instant: instantFromLocal({ local: named.local }) };
  return { source: 'none' };
}

/** The EXIF edits the sidecar asks for, under the setting; undefined when there is nothing to write. */
export function sidecarEdits(sidecar: MediaSidecar | undefined, mode: WriteMetadata): ExifEdits | undefined {
  if (!sidecar || mode === 'off') return undefined;
  const edits: ExifEdits = { overwrite: mode === 'overwrite' };
  // Takeout's time is an instant with no zone: written as UTC with its offset, which is exact.
  if (sidecar.photoTakenTime) edits.dateTimeOriginal = { local: sidecar.photoTakenTime.toISOString().slice(0, 19), offset: '+00:00' };
  if (sidecar.location) edits.gps = sidecar.location;
  if (sidecar.description?.trim()) edits.description = sidecar.description.trim();
  return edits.dateTimeOriginal || edits.gps || edits.description ? edits : undefined;
}

/** Writes the edits into a staged JPEG; a photo that cannot take them safely keeps its bytes (a warning). */
export async function writeExifInto(tempPath: string, edits: ExifEdits, name: string): Promise<{ written: string[]; warning?: string }> {
  if (!(await isJpegFile(tempPath))) return { written: [] };
  try {
    const result = await writeJpegExif(tempPath, edits);
    return { written: result.written };
  } catch (err) {
    if (err instanceof ExifWriteError) return { written: [], warning: `${name}: EXIF left as in the archive (${err.message.replace(/^[^:]*: /, '')}).` };
    throw err;
  }
}
