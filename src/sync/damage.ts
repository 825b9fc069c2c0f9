// Files that look damaged, found before any request is spent on them: a JPEG without its
// end-of-image marker (cut off), a PNG or GIF whose structure does not parse, an MP4/MOV without
// its `moov` box (a recording that was never finished). Only the formats named here are judged;
// bytes of another known kind under a wrong extension (a PNG named .jpg, a HEIC named .jpg) are
// not damage. A damaged file is skipped with the reason, so it costs no quota.
import { promises as fs } from 'node:fs';
import { crc32 } from 'node:zlib';
import type { ScanResult } from './scan';
import { damagedReason, DAMAGE_GIF_BREAKS, DAMAGE_GIF_CUT, DAMAGE_GIF_HEADER, DAMAGE_GIF_NO_IMAGE, DAMAGE_JPEG_BREAKS, DAMAGE_JPEG_CUT, DAMAGE_JPEG_NO_FRAME, DAMAGE_JPEG_NO_SOI, DAMAGE_NOT_FORMAT, DAMAGE_PNG_BREAKS, DAMAGE_PNG_CHECKSUM, DAMAGE_PNG_CUT, DAMAGE_PNG_CUT_IN_CHUNK, DAMAGE_PNG_NO_DATA, DAMAGE_PNG_NO_HEADER, DAMAGE_PNG_SIGNATURE, DAMAGE_VIDEO_BREAKS, DAMAGE_VIDEO_CUT_IN_BOX, DAMAGE_VIDEO_CUT_MISSING, DAMAGE_VIDEO_NO_MOOV, DAMAGE_VIDEO_NO_MOOV_CUT, DAMAGE_VIDEO_STRAY } from './reasonText';

/** Images are read whole to walk their structure; above this they are not judged (never read into memory). */
const MAX_IMAGE_BYTES = 256 * 1024 * 1024;

type Format = 'jpeg' | 'png' | 'gif' | 'bmff' | 'other';

function sniff(head: Uint8Array): Format {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xd8 && (head.length === 2 || head[2] === 0xff)) return 'jpeg';
  if (head.length >= 8 && Buffer.from(head.subarray(0, 8)).equals(PNG_SIGNATURE)) return 'png';
  if (head.length >= 6 && /^GIF8[79]a$/.test(Buffer.from(head.subarray(0, 6)).toString('latin1'))) return 'gif';
  if (head.length >= 8 && /^(ftyp|moov|mdat|free|wide|skip|pnot)$/.test(Buffer.from(head.subarray(4, 8)).toString('latin1'))) return 'bmff';
  return 'other';
}

/** What the extension claims, for the formats judged here. */
function claimed(mimeType: string | undefined): Format | undefined {
  switch (mimeType) {
    case 'image/jpeg':
      return 'jpeg';
    case 'image/png':
      return 'png';
    case 'image/gif':
      return 'gif';
    case 'video/mp4':
    case 'video/quicktime':
    case 'video/x-m4v':
    case 'video/3gpp':
    case 'video/3gpp2':
      return 'bmff';
    default:
      return undefined;
  }
}

const NAMES: Record<Format, string> = { jpeg: 'JPEG', png: 'PNG', gif: 'GIF', bmff: 'MP4/MOV video', other: '' };

/**
 * Why the file looks damaged, or undefined when it looks whole (or is of a kind not judged here).
 * `mimeType` is what its extension says.
 */
export async function damageReason(file: string, mimeType: string | undefined, signal?: AbortSignal): Promise<string | undefined> {
  const expected = claimed(mimeType);
  if (!expected) return undefined;
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(Math.min(size, 16));
    await handle.read(head, 0, head.length, 0);
    const actual = sniff(head);
    if (actual === 'other') return damagedReason(DAMAGE_NOT_FORMAT, NAMES[expected]);
    if (actual === 'bmff') return expected === 'bmff' ? await bmffProblem(handle, size, signal) : undefined;
    if (actual !== expected && expected === 'bmff') return undefined; // an image under a video name: not ours to judge
    if (size > MAX_IMAGE_BYTES) return undefined;
    signal?.throwIfAborted();
    const bytes = await handle.readFile();
    return imageProblem(actual, bytes);
  } finally {
    await handle.close();
  }
}

/** The structural problem of an image's bytes, or undefined. Exported for tests. */
export function imageProblem(format: Format, bytes: Uint8Array): string | undefined {
  switch (format) {
    case 'jpeg':
      return jpegProblem(bytes);
    case 'png':
      return pngProblem(bytes);
    case 'gif':
      return gifProblem(bytes);
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// JPEG: walk the marker segments up to the image data, then find EOI after it. Data after EOI (a
// Samsung trailer, a motion photo's video) is allowed.

export function jpegProblem(b: Uint8Array): string | undefined {
  if (b.length < 2 || b[0] !== 0xff || b[1] !== 0xd8) return damagedReason(DAMAGE_JPEG_NO_SOI);
  let i = 2;
  let sawFrame = false;
  while (i < b.length) {
    if (b[i] !== 0xff) return damagedReason(DAMAGE_JPEG_BREAKS, i.toLocaleString('en-US'));
    let marker = b[i + 1];
    while (marker === 0xff && i + 2 < b.length) marker = b[++i + 1]; // fill bytes
    if (marker === undefined) break;
    i += 2;
    if (marker === 0xd9) return sawFrame ? undefined : damagedReason(DAMAGE_JPEG_NO_FRAME);
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // no length
    if (i + 2 > b.length) break;
    const length = (b[i] << 8) | b[i + 1];
    if (length < 2) return damagedReason(DAMAGE_JPEG_BREAKS, i.toLocaleString('en-US'));
    if ((marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)) sawFrame = true;
    i += length;
    if (marker === 0xda) {
      // Image data follows. Encoders stuff every 0xFF in it, but files from the wild (and edited ones)
      // do not always: judging its inner structure would flag photos that every viewer opens. A file
      // cut off is what matters, and it has no end-of-image marker after its image data.
      for (let j = i; j + 1 < b.length; j++) if (b[j] === 0xff && b[j + 1] === 0xd9) return sawFrame ? undefined : damagedReason(DAMAGE_JPEG_NO_FRAME);
      break;
    }
  }
  return damagedReason(DAMAGE_JPEG_CUT);
}

// ---------------------------------------------------------------------------------------------
// PNG: the signature, IHDR first, every chunk inside the file with a correct CRC, IEND last.

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function pngProblem(bytes: Uint8Array): string | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 8 || !b.subarray(0, 8).equals(PNG_SIGNATURE)) return damagedReason(DAMAGE_PNG_SIGNATURE);
  let i = 8;
  let first = true;
  let sawData = false;
  while (i + 8 <= b.length) {
    const length = b.readUInt32BE(i);
    const type = b.toString('latin1', i + 4, i + 8);
    if (!/^[A-Za-z]{4}$/.test(type)) return damagedReason(DAMAGE_PNG_BREAKS, i.toLocaleString('en-US'));
    if (first && (type !== 'IHDR' || length !== 13)) return damagedReason(DAMAGE_PNG_NO_HEADER);
    first = false;
    const end = i + 12 + length;
    if (end > b.length) return damagedReason(DAMAGE_PNG_CUT_IN_CHUNK, type);
    if (crc32(b.subarray(i + 4, i + 8 + length)) !== b.readUInt32BE(i + 8 + length)) return damagedReason(DAMAGE_PNG_CHECKSUM, type);
    if (type === 'IDAT') sawData = true;
    if (type === 'IEND') return sawData ? undefined : damagedReason(DAMAGE_PNG_NO_DATA);
    i = end;
  }
  return damagedReason(DAMAGE_PNG_CUT);
}

// ---------------------------------------------------------------------------------------------
// GIF: header, screen descriptor, colour table, then extension and image blocks (each a chain of
// sub-blocks) up to the trailer.

export function gifProblem(b: Uint8Array): string | undefined {
  const cut = damagedReason(DAMAGE_GIF_CUT);
  if (b.length < 13 || !/^GIF8[79]a$/.test(Buffer.from(b.subarray(0, 6)).toString('latin1'))) return damagedReason(DAMAGE_GIF_HEADER);
  let i = 13;
  if (b[10] & 0x80) i += 3 * (1 << ((b[10] & 0x07) + 1));
  let images = 0;
  const skipSubBlocks = (): boolean => {
    while (i < b.length) {
      const n = b[i++];
      if (n === 0) return true;
      i += n;
    }
    return false;
  };
  while (i < b.length) {
    const block = b[i++];
    if (block === 0x3b) return images > 0 ? undefined : damagedReason(DAMAGE_GIF_NO_IMAGE);
    if (block === 0x21) {
      i++; // label
      if (!skipSubBlocks()) return cut;
    } else if (block === 0x2c) {
      if (i + 9 > b.length) return cut;
      const flags = b[i + 8];
      i += 9;
      if (flags & 0x80) i += 3 * (1 << ((flags & 0x07) + 1));
      i++; // LZW minimum code size
      if (!skipSubBlocks()) return cut;
      images++;
    } else {
      return damagedReason(DAMAGE_GIF_BREAKS, (i - 1).toLocaleString('en-US'));
    }
  }
  return cut;
}

// ---------------------------------------------------------------------------------------------
// MP4 / MOV: the top-level boxes must lie inside the file and one of them must be `moov` (the
// index of the media; a recording stopped by a crash or a full card has none).

async function bmffProblem(handle: fs.FileHandle, size: number, signal?: AbortSignal): Promise<string | undefined> {
  const header = Buffer.alloc(16);
  let at = 0;
  let moov = false;
  for (let boxes = 0; at < size; boxes++) {
    if (boxes % 256 === 255) signal?.throwIfAborted();
    if (size - at < 8) return damagedReason(DAMAGE_VIDEO_STRAY, size - at);
    const { bytesRead } = await handle.read(header, 0, 16, at);
    let length = header.readUInt32BE(0);
    const type = header.toString('latin1', 4, 8);
    if (!/^[\x20-\x7e]{4}$/.test(type)) return damagedReason(DAMAGE_VIDEO_BREAKS, at.toLocaleString('en-US'));
    if (length === 1) {
      if (bytesRead < 16) return damagedReason(DAMAGE_VIDEO_CUT_IN_BOX, type);
      length = Number(header.readBigUInt64BE(8));
    } else if (length === 0) {
      length = size - at; // to the end of the file
    }
    if (length < 8) return damagedReason(DAMAGE_VIDEO_BREAKS, at.toLocaleString('en-US'));
    if (type === 'moov') moov = true;
    if (at + length > size) {
      return moov
        ? damagedReason(DAMAGE_VIDEO_CUT_MISSING, type, (at + length - size).toLocaleString('en-US'))
        : damagedReason(DAMAGE_VIDEO_NO_MOOV_CUT, type);
    }
    at += length;
  }
  return moov ? undefined : damagedReason(DAMAGE_VIDEO_NO_MOOV);
}

// ---------------------------------------------------------------------------------------------

/**
 * Marks the scan's damaged candidates (status "damaged" with the reason). Only files hashed in this
 * scan (new or changed) are read: a file the index already knows whole is not read again, and a
 * damaged one is never recorded with its hash, so it is looked at on every scan until it is fixed.
 */
export async function flagDamaged(scan: ScanResult, signal?: AbortSignal): Promise<number> {
  let flagged = 0;
  for (const file of scan.files) {
    if (file.status !== 'candidate' || !file.changed) continue;
    signal?.throwIfAborted();
    let reason: string | undefined;
    try {
      reason = await damageReason(file.path, file.mimeType, signal);
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      continue; // unreadable now: the upload step reports it with its own words
    }
    if (!reason) continue;
    file.status = 'damaged';
    file.reason = reason;
    flagged++;
  }
  return flagged;
}
