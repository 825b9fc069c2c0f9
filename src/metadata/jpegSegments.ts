// The JPEG header — every marker segment before the first scan (SOS) — read on its own, so the EXIF
// writer never holds a whole photo in memory: the header is kilobytes, the scan data after it can be
// hundreds of megabytes (and a Pixel motion photo appends a video after that) and is only streamed.
import type { FileHandle } from 'node:fs/promises';

export interface JpegSegment {
  /** Marker byte after 0xFF (0xE1 = APP1, 0xDB = DQT…). */
  marker: number;
  /** The whole segment: marker, length and payload. */
  bytes: Buffer;
}

export interface JpegHeader {
  /** SOI first, then every segment up to (not including) the first SOS. */
  segments: JpegSegment[];
  /** File offset of the first SOS marker: from here to the end is copied unchanged. */
  scanStart: number;
}

export class NotAJpegError extends Error {}

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP0 = 0xe0;
const APP1 = 0xe1;
const EXIF_ID = Buffer.from('Exif\0\0', 'latin1');
/** Headers hold EXIF, ICC and XMP segments; past this a file is damaged or not a photo. */
const MAX_HEADER_BYTES = 16 * 1024 * 1024;
const READ_STEP = 64 * 1024;

/** Reads segments from the start of the file until the first SOS; throws NotAJpegError for anything else. */
export async function readJpegHeader(handle: FileHandle): Promise<JpegHeader> {
  let buf = Buffer.alloc(0);
  let eof = false;
  const ensure = async (end: number): Promise<boolean> => {
    while (buf.length < end && !eof) {
      if (buf.length >= MAX_HEADER_BYTES) throw new NotAJpegError('the JPEG header is larger than 16 MB; the file looks damaged');
      const chunk = Buffer.alloc(READ_STEP);
      const { bytesRead } = await handle.read(chunk, 0, READ_STEP, buf.length);
      if (bytesRead === 0) eof = true;
      buf = Buffer.concat([buf, chunk.subarray(0, bytesRead)]);
    }
    return buf.length >= end;
  };

  if (!(await ensure(2)) || buf[0] !== 0xff || buf[1] !== SOI) throw new NotAJpegError('not a JPEG file (no start-of-image marker)');
  const segments: JpegSegment[] = [{ marker: SOI, bytes: buf.subarray(0, 2) }];
  let pos = 2;
  for (;;) {
    if (!(await ensure(pos + 2))) throw new NotAJpegError('the JPEG ends before its image data');
    if (buf[pos] !== 0xff) throw new NotAJpegError(`damaged JPEG: no marker at byte ${pos}`);
    if (buf[pos + 1] === 0xff) {
      pos++; // fill byte before a marker
      continue;
    }
    const marker = buf[pos + 1];
    if (marker === SOS) break;
    if (marker === EOI) throw new NotAJpegError('the JPEG has no image data');
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      segments.push({ marker, bytes: buf.subarray(pos, pos + 2) });
      pos += 2;
      continue;
    }
    if (!(await ensure(pos + 4))) throw new NotAJpegError('the JPEG ends inside a segment');
    const length = buf.readUInt16BE(pos + 2);
    if (length < 2 || !(await ensure(pos + 2 + length))) throw new NotAJpegError(`damaged JPEG segment at byte ${pos}`);
    segments.push({ marker, bytes: buf.subarray(pos, pos + 2 + length) });
    pos += 2 + length;
  }
  // Copy out so the segments do not keep the read buffer's spare capacity alive.
  return { segments: segments.map((s) => ({ marker: s.marker, bytes: Buffer.from(s.bytes) })), scanStart: pos };
}

export function isExifSegment(segment: JpegSegment): boolean {
  return segment.marker === APP1 && segment.bytes.length >= 10 && segment.bytes.subarray(4, 10).equals(EXIF_ID);
}

/** The "Exif\0\0" + TIFF payload of the first EXIF segment, or undefined when the photo has none. */
export function exifPayload(header: JpegHeader): Buffer | undefined {
  return header.segments.find(isExifSegment)?.bytes.subarray(4);
}

/** An APP1 segment around an "Exif\0\0" + TIFF payload; throws when it exceeds a segment's 64 KB. */
export function exifSegment(payload: Buffer): Buffer {
  if (!payload.subarray(0, 6).equals(EXIF_ID)) throw new Error('EXIF payload must start with "Exif\\0\\0"');
  if (payload.length + 2 > 0xffff) throw new Error(`the new EXIF block is ${payload.length} bytes; a JPEG segment holds at most 65,533`);
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0xff00 | APP1, 0);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/**
 * The header bytes with the first EXIF segment replaced by `newExif` (other EXIF segments, ICC, XMP
 * and the rest are kept byte for byte). Without one, EXIF goes right after SOI — or after a leading
 * JFIF APP0, which JFIF readers expect first.
 */
export function headerWithExif(header: JpegHeader, newExif: Buffer): Buffer {
  const parts = header.segments.map((s) => s.bytes);
  const at = header.segments.findIndex(isExifSegment);
  if (at >= 0) parts[at] = newExif;
  else parts.splice(header.segments[1]?.marker === APP0 ? 2 : 1, 0, newExif);
  return Buffer.concat(parts);
}

/**
 * True when a Multi-Picture (MPF, APP2) segment comes before the EXIF one. MPF points at the extra
 * images after the main one (gain maps, depth, previews) relative to its own position, so resizing
 * an EXIF segment in front of it would shift those images but not MPF: their offsets would break.
 */
export function mpfBeforeExif(header: JpegHeader): boolean {
  const exifAt = header.segments.findIndex(isExifSegment);
  const mpfAt = header.segments.findIndex((s) => s.marker === 0xe2 && s.bytes.subarray(4, 8).toString('latin1') === 'MPF\0');
  return exifAt >= 0 && mpfAt >= 0 && mpfAt < exifAt;
}

/** Every segment except the first EXIF one, to check a rewrite kept them byte for byte. */
export function segmentsOtherThanExif(header: JpegHeader): Buffer[] {
  const at = header.segments.findIndex(isExifSegment);
  return header.segments.filter((_, i) => i !== at).map((s) => s.bytes);
}
