// The thumbnail a camera embedded in the EXIF block (IFD1), read with exifr. We read the head of
// the file ourselves and hand exifr a buffer: exifr leaks its file handle when a file is no format
// it knows (MikeKovarik/exifr#111), and a JPEG's EXIF block sits in its first 64 KB anyway.
// Embedded thumbnails are stored unrotated: when the photo carries an EXIF orientation, the
// webview decodes and turns it instead of the host caching it as is.
import { promises as fs } from 'node:fs';
import type { ExifOrientation, ThumbnailInput } from './gridSource';

/** APP1 (EXIF) is at most 64 KB and comes first; some cameras put an APP0 or two before it. */
const HEAD_BYTES = 192 * 1024;

/** The embedded thumbnail, or undefined when there is none (or the file is no format exifr reads). */
export async function readExifThumbnail(file: string): Promise<ThumbnailInput | undefined> {
  const head = await readHead(file);
  const { default: exifr } = await import('exifr'); // loaded on first use, not at activation
  const raw = await exifr.thumbnail(head).catch(() => undefined);
  if (!raw || raw.length < 4 || raw[0] !== 0xff || raw[1] !== 0xd8) return undefined;
  const bytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  const orientation = await exifr.orientation(head).catch(() => undefined);
  if (typeof orientation === 'number' && orientation >= 2 && orientation <= 8) {
    return { kind: 'decode', bytes, mimeType: 'image/jpeg', orientation: orientation as ExifOrientation };
  }
  return { kind: 'jpeg', bytes };
}

async function readHead(file: string): Promise<Buffer> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
