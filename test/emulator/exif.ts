import exifr from 'exifr';
import type { PhotoMetadata } from './state';

const TYPE_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8 };

interface Tiff {
  buf: Buffer;
  /** Start of the TIFF header inside buf. */
  base: number;
  le: boolean;
}

function u16(t: Tiff, at: number): number {
  return t.le ? t.buf.readUInt16LE(t.base + at) : t.buf.readUInt16BE(t.base + at);
}
function u32(t: Tiff, at: number): number {
  return t.le ? t.buf.readUInt32LE(t.base + at) : t.buf.readUInt32BE(t.base + at);
}
function w16(t: Tiff, at: number, v: number): void {
  if (t.le) t.buf.writeUInt16LE(v, t.base + at);
  else t.buf.writeUInt16BE(v, t.base + at);
}

/** Finds the Exif APP1 segment of a JPEG: returns the TIFF view and the segment end, or undefined. */
function findExif(buf: Buffer): { tiff: Tiff; end: number } | undefined {
  if (buf.length < 4 || buf[0] !== 0xff || buf[1] !== 0xd8) return undefined;
  let p = 2;
  while (p + 4 <= buf.length && buf[p] === 0xff) {
    const marker = buf[p + 1];
    if (marker === 0xda || marker === 0xd9) return undefined;
    const len = buf.readUInt16BE(p + 2);
    if (marker === 0xe1 && buf.toString('latin1', p + 4, p + 10) === 'Exif\0\0') {
      const base = p + 10;
      const order = buf.toString('latin1', base, base + 2);
      if (order !== 'II' && order !== 'MM') return undefined;
      return { tiff: { buf, base, le: order === 'II' }, end: p + 2 + len };
    }
    p += 2 + len;
  }
  return undefined;
}

/**
 * The `=d` copy: every EXIF field except location, as Google serves it. Removes the GPS pointer from
 * IFD0 and blanks the GPS IFD; nothing else moves, so every other offset stays valid.
 */
export function stripGps(original: Buffer): Buffer {
  const buf = Buffer.from(original);
  const found = findExif(buf);
  if (!found) return buf;
  const t = found.tiff;
  const limit = found.end - t.base;
  try {
    const ifd0 = u32(t, 4);
    const count = u16(t, ifd0);
    for (let i = 0; i < count; i++) {
      const entry = ifd0 + 2 + i * 12;
      if (u16(t, entry) !== 0x8825) continue;
      const gps = u32(t, entry + 8);
      if (gps + 2 <= limit) {
        const gpsCount = u16(t, gps);
        let gpsEnd = gps + 2 + gpsCount * 12 + 4;
        for (let j = 0; j < gpsCount; j++) {
          const e = gps + 2 + j * 12;
          const size = (TYPE_SIZE[u16(t, e + 2)] ?? 1) * u32(t, e + 4);
          if (size > 4) {
            const at = u32(t, e + 8);
            if (at + size <= limit) buf.fill(0, t.base + at, t.base + at + size);
          }
          gpsEnd = Math.max(gpsEnd, gps + 2 + gpsCount * 12 + 4);
        }
        if (gpsEnd <= limit) buf.fill(0, t.base + gps, t.base + gpsEnd);
      }
      // Drop the entry: shift later entries and the next-IFD pointer up by 12 bytes.
      const tailStart = t.base + entry + 12;
      const tailEnd = t.base + ifd0 + 2 + count * 12 + 4;
      buf.copy(buf, t.base + entry, tailStart, tailEnd);
      buf.fill(0, tailEnd - 12, tailEnd);
      w16(t, ifd0, count - 1);
      break;
    }
  } catch {
    return Buffer.from(original);
  }
  return buf;
}

export interface ImageFacts {
  /** Milliseconds since epoch from DateTimeOriginal (+ OffsetTimeOriginal; UTC when absent). */
  takenAt?: number;
  photo: PhotoMetadata;
  gps?: { latitude: number; longitude: number };
}

function parseExifDate(value: unknown, offset: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(value);
  if (!m) return undefined;
  const tz = typeof offset === 'string' && /^[+-]\d{2}:\d{2}$/.test(offset) ? offset : 'Z';
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${tz}`);
  return Number.isNaN(ms) ? undefined : ms;
}

function exposureText(seconds: unknown): string | undefined {
  if (typeof seconds !== 'number' || !(seconds > 0)) return undefined;
  return `${Number(seconds.toFixed(6))}s`;
}

/** What Google reads from an uploaded photo's EXIF: capture time and camera fields (the size comes from media-probe). */
export async function readImageFacts(bytes: Buffer): Promise<ImageFacts> {
  const facts: ImageFacts = { photo: {} };
  let tags: Record<string, unknown> | undefined;
  try {
    tags = (await exifr.parse(bytes, { gps: true, reviveValues: false, translateValues: false })) as Record<string, unknown> | undefined;
  } catch {
    tags = undefined;
  }
  if (!tags) return facts;
  facts.takenAt = parseExifDate(tags.DateTimeOriginal ?? tags.CreateDate, tags.OffsetTimeOriginal);
  const photo: PhotoMetadata = {};
  if (typeof tags.Make === 'string') photo.cameraMake = tags.Make;
  if (typeof tags.Model === 'string') photo.cameraModel = tags.Model;
  if (typeof tags.FocalLength === 'number') photo.focalLength = tags.FocalLength;
  if (typeof tags.FNumber === 'number') photo.apertureFNumber = tags.FNumber;
  if (typeof tags.ISO === 'number') photo.isoEquivalent = tags.ISO;
  const exposure = exposureText(tags.ExposureTime);
  if (exposure) photo.exposureTime = exposure;
  facts.photo = photo;
  if (typeof tags.latitude === 'number' && typeof tags.longitude === 'number') facts.gps = { latitude: tags.latitude, longitude: tags.longitude };
  return facts;
}
