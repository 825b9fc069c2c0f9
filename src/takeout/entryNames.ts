// Turns a name stored in an archive into a safe relative path, and tells what kind of file it is.
// A Takeout never needs `..`, absolute paths or drive letters, so those entries are refused rather
// than "repaired": a repaired name could land on top of another entry.

import type { EntryKind } from './types';
import { TAKEOUT_NAME_ABSOLUTE, TAKEOUT_NAME_CLIMBS, TAKEOUT_NAME_CONTROL, TAKEOUT_NAME_DRIVE, TAKEOUT_NAME_EMPTY } from './problemText';

export type SafeName = { ok: true; name: string } | { ok: false; message: string };

/**
 * `Takeout\Google Photos\x.jpg` and `./Takeout//x.jpg` become `Takeout/Google Photos/x.jpg`;
 * `../x`, `/etc/x`, `C:x`, `//server/x` and names with NUL or other control characters are refused.
 */
export function safeEntryName(raw: string): SafeName {
  // Windows tools write `\`; in a zip it is never a legitimate file-name character.
  const slashed = raw.replace(/\\/g, '/');
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(slashed)) return { ok: false, message: TAKEOUT_NAME_CONTROL };
  if (slashed.startsWith('/')) return { ok: false, message: TAKEOUT_NAME_ABSOLUTE };
  const parts: string[] = [];
  for (const part of slashed.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') return { ok: false, message: TAKEOUT_NAME_CLIMBS };
    // A drive letter in any segment is what makes path.win32.join leave the target.
    if (/^[a-zA-Z]:/.test(part)) return { ok: false, message: TAKEOUT_NAME_DRIVE };
    parts.push(part.normalize('NFC'));
  }
  if (parts.length === 0) return { ok: false, message: TAKEOUT_NAME_EMPTY };
  return { ok: true, name: parts.join('/') };
}

/** Photo and video extensions Google Photos stores (and so exports), lower case, no dot. */
const MEDIA_EXTENSIONS = new Set([
  // photos
  'jpg', 'jpeg', 'jpe', 'png', 'gif', 'heic', 'heif', 'webp', 'tif', 'tiff', 'avif', 'bmp', 'ico', 'jxl',
  // RAW kinds Google accepts
  'dng', 'cr2', 'cr3', 'crw', 'nef', 'nrw', 'arw', 'srf', 'sr2', 'orf', 'rw2', 'raf', 'pef', 'srw', 'raw',
  // videos (MP / MV: Pixel motion photo halves exported without their .jpg / .mp4)
  'mp4', 'm4v', 'mov', 'qt', '3gp', '3g2', 'avi', 'divx', 'mkv', 'webm', 'wmv', 'asf', 'mpg', 'mpeg', 'm2t',
  'm2ts', 'mts', 'mmv', 'mod', 'tod', 'vob', 'flv', 'mp', 'mv',
]);

const VIDEO_EXTENSIONS = new Set([
  'mp4', 'm4v', 'mov', 'qt', '3gp', '3g2', 'avi', 'divx', 'mkv', 'webm', 'wmv', 'asf', 'mpg', 'mpeg', 'm2t',
  'm2ts', 'mts', 'mmv', 'mod', 'tod', 'vob', 'flv', 'mp', 'mv',
]);

/** Album JSON names by export language (immich-go docs table; `metadatos`/`metadades` from its notes). */
const ALBUM_METADATA_NAMES = new Set(
  ['metadata', 'métadonnées', 'metadati', 'metadaten', 'metadáta', 'метаданные', 'метаданни', 'metadatos', 'metadades', 'metadane', 'metadados'].map(
    (n) => `${n}.json`.normalize('NFC'),
  ),
);

/** Lower-case extension without the dot; '' when there is none. */
export function extensionOf(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

export function isMediaName(name: string): boolean {
  return MEDIA_EXTENSIONS.has(extensionOf(name));
}

export function isVideoName(name: string): boolean {
  return VIDEO_EXTENSIONS.has(extensionOf(name));
}

export function isAlbumMetadataName(baseName: string): boolean {
  return ALBUM_METADATA_NAMES.has(baseName.normalize('NFC').toLowerCase());
}

/** Kind from the name alone; `entryName` must already be safe (see {@link safeEntryName}). */
export function entryKindOf(entryName: string): EntryKind {
  const base = entryName.slice(entryName.lastIndexOf('/') + 1);
  if (isMediaName(base)) return 'media';
  if (extensionOf(base) === 'json') return isAlbumMetadataName(base) ? 'album-metadata' : 'sidecar';
  return 'other';
}

export function dirnameOf(entryName: string): string {
  const slash = entryName.lastIndexOf('/');
  return slash < 0 ? '' : entryName.slice(0, slash);
}

export function basenameOf(entryName: string): string {
  return entryName.slice(entryName.lastIndexOf('/') + 1);
}
