// What a downloaded file carries besides its bytes (seed 003): the capture time as its modification
// time; for JPEGs, when the settings ask, Artist and Copyright, no Software and DateTimeOriginal where
// missing — written into the temp file before it gets its final name, with the EXIF writer that checks
// its own work; for other formats (and on request for JPEGs too) an XMP or JSON sidecar with what the
// service knows. The service's capture time is an instant (UTC): DateTimeOriginal is written as that
// UTC time with OffsetTimeOriginal +00:00, which is exact, rather than guessed into a local time.
import { ExifWriteError, isJpegFile, writeJpegExif, type ExifEdits } from '../../metadata/exifWrite';
import { hashFrom } from '../../metadata/safeRewrite';
import { SidecarExistsError, writeJsonSidecar, writeXmpSidecar } from '../../metadata/sidecar';
import type { RemoteItem } from '../provider';
import { editsExif, type DownloadSettings } from './settings';
import type { SourceKind } from './source';

/** The capture time as a Date, when the service gave a valid one. */
export function captureDate(item: RemoteItem): Date | undefined {
  const ms = item.creationTime ? Date.parse(item.creationTime) : NaN;
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

export interface ExifOutcome {
  /** Tags written, e.g. ["Artist", "DateTimeOriginal"]; empty when nothing changed. */
  written: string[];
  /** sha256 of the file after the edit, when it changed. */
  sha256?: string;
  warning?: string;
}

/** The EXIF edits the settings ask for, for this item; undefined when none apply. */
export function exifEditsFor(item: RemoteItem, settings: DownloadSettings): ExifEdits | undefined {
  if (item.mimeType !== 'image/jpeg' || !editsExif(settings.exif)) return undefined;
  const edits: ExifEdits = { artist: settings.exif.artist, copyright: settings.exif.copyright, removeSoftware: settings.exif.removeSoftware };
  const taken = captureDate(item);
  if (settings.exif.addDateTimeOriginal && taken) edits.dateTimeOriginal = { local: taken.toISOString().slice(0, 19), offset: '+00:00' };
  return edits;
}

/**
 * Applies `edits` to the complete temp file (placeStream's beforeFinalName). A photo whose EXIF cannot
 * be rewritten safely keeps the bytes the service sent; the reason becomes a warning, not a failure.
 */
export async function applyExif(tempPath: string, edits: ExifEdits, name: string): Promise<ExifOutcome> {
  if (!(await isJpegFile(tempPath))) return { written: [], warning: `${name} is not really a JPEG, so no EXIF was written into it.` };
  try {
    const result = await writeJpegExif(tempPath, edits);
    if (!result.changed) return { written: [] };
    return { written: result.written, sha256: (await hashFrom(tempPath, 0)).sha256 };
  } catch (err) {
    if (err instanceof ExifWriteError) return { written: [], warning: `${name}: EXIF left as downloaded (${err.message.replace(/^[^:]*: /, '')}).` };
    throw err;
  }
}

/** Whether this file gets a sidecar under the settings. */
export function wantsSidecar(item: RemoteItem, settings: DownloadSettings): boolean {
  return settings.sidecar !== 'none' && (item.mimeType !== 'image/jpeg' || settings.sidecarForJpeg);
}

/**
 * Writes the sidecar beside `file`; returns its path, or a warning when another program's XMP is
 * there already (never replaced).
 */
export async function writeSidecar(file: string, item: RemoteItem, settings: DownloadSettings, from: { provider: string; kind: SourceKind }): Promise<{ path?: string; warning?: string }> {
  const taken = captureDate(item);
  if (settings.sidecar === 'json') {
    const path = await writeJsonSidecar(file, {
      source: `${from.provider}-${from.kind === 'picker' ? 'picker' : 'library'}`,
      id: item.id,
      filename: item.filename,
      description: item.description,
      creationTime: item.creationTime,
      mimeType: item.mimeType,
      camera: item.cameraMake || item.cameraModel ? { make: item.cameraMake, model: item.cameraModel } : undefined,
      width: item.width,
      height: item.height,
      productUrl: item.webUrl,
    });
    return { path };
  }
  try {
    const path = await writeXmpSidecar(file, {
      identifier: item.id,
      description: item.description,
      dateTimeOriginal: taken ? { local: taken.toISOString().slice(0, 19), offset: '+00:00' } : undefined,
      make: item.cameraMake,
      model: item.cameraModel,
      width: item.width,
      height: item.height,
    });
    return { path };
  } catch (err) {
    if (err instanceof SidecarExistsError) return { warning: err.message };
    throw err;
  }
}
