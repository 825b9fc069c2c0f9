// The thumbnail a camera embedded in the EXIF block (IFD1), read with exifr — which reads only the
// start of the file. Embedded thumbnails are stored unrotated: when the photo carries an EXIF
// orientation, the webview decodes and turns it instead of the host caching it as is.
import exifr from 'exifr';
import type { ExifOrientation, ThumbnailInput } from './gridSource';

/** The embedded thumbnail, or undefined when there is none (or the file is no format exifr reads). */
export async function readExifThumbnail(file: string): Promise<ThumbnailInput | undefined> {
  const raw = await exifr.thumbnail(file).catch(() => undefined);
  if (!raw || raw.length < 4 || raw[0] !== 0xff || raw[1] !== 0xd8) return undefined;
  const bytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  const orientation = await exifr.orientation(file).catch(() => undefined);
  if (typeof orientation === 'number' && orientation >= 2 && orientation <= 8) {
    return { kind: 'decode', bytes, mimeType: 'image/jpeg', orientation: orientation as ExifOrientation };
  }
  return { kind: 'jpeg', bytes };
}
