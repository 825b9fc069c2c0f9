// Real image bytes for the sync tests: small JPEGs (jpeg-js) with an optional EXIF block carrying
// DateTimeOriginal / CreateDate, unique per seed so every file has its own sha256.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jpeg from 'jpeg-js';
import type { PhotoIndex } from '../../src/index/api';
import { openIndex } from '../../src/index/openIndex';
import { googlePhotosRules } from '../../src/destinations/googlePhotos/rules';
import { loadMediaTypes } from '../../src/metadata/mediaTypes';
import type { ProviderRules } from '../../src/sync/provider';

/** An EXIF APP1 segment with DateTimeOriginal and/or CreateDate ("YYYY:MM:DD HH:MM:SS"). */
export function exifSegment(tags: { original?: string; create?: string }): Buffer {
  const entries: { tag: number; value: string }[] = [];
  if (tags.original) entries.push({ tag: 0x9003, value: tags.original });
  if (tags.create) entries.push({ tag: 0x9004, value: tags.create });
  // TIFF little endian: header (8) + IFD0 with one entry (2 + 12 + 4) + Exif IFD + strings.
  const ifd0Offset = 8;
  const exifIfdOffset = ifd0Offset + 2 + 12 + 4;
  const exifIfdSize = 2 + entries.length * 12 + 4;
  let dataOffset = exifIfdOffset + exifIfdSize;
  const tiff = Buffer.alloc(dataOffset + entries.length * 20);
  tiff.write('II', 0, 'latin1');
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(ifd0Offset, 4);
  tiff.writeUInt16LE(1, ifd0Offset);
  tiff.writeUInt16LE(0x8769, ifd0Offset + 2);
  tiff.writeUInt16LE(4, ifd0Offset + 4);
  tiff.writeUInt32LE(1, ifd0Offset + 6);
  tiff.writeUInt32LE(exifIfdOffset, ifd0Offset + 10);
  tiff.writeUInt32LE(0, ifd0Offset + 14);
  tiff.writeUInt16LE(entries.length, exifIfdOffset);
  entries.forEach((e, i) => {
    const at = exifIfdOffset + 2 + i * 12;
    tiff.writeUInt16LE(e.tag, at);
    tiff.writeUInt16LE(2, at + 2);
    tiff.writeUInt32LE(20, at + 4);
    tiff.writeUInt32LE(dataOffset, at + 8);
    tiff.write(`${e.value}\0`, dataOffset, 'latin1');
    dataOffset += 20;
  });
  tiff.writeUInt32LE(0, exifIfdOffset + 2 + entries.length * 12);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const header = Buffer.alloc(4);
  header.writeUInt16BE(0xffe1, 0);
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([header, payload]);
}

/** A real JPEG, distinct per `seed`; with EXIF dates when given. */
export function makeJpeg(seed: number, exif?: { original?: string; create?: string }, size = 16): Buffer {
  const data = Buffer.alloc(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    data[i * 4] = (seed * 37 + i) & 255;
    data[i * 4 + 1] = (seed * 11) & 255;
    data[i * 4 + 2] = (seed >> 8) & 255;
    data[i * 4 + 3] = 255;
  }
  const encoded = Buffer.from(jpeg.encode({ data, width: size, height: size }, 80).data);
  if (!exif) return encoded;
  // Insert APP1 right after SOI.
  return Buffer.concat([encoded.subarray(0, 2), exifSegment(exif), encoded.subarray(2)]);
}

export async function tempDir(prefix = 'photosync-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

/** Writes files under `root` from a map of relative path → bytes. */
export async function writeTree(root: string, files: Record<string, Buffer | string>): Promise<void> {
  for (const [rel, bytes] of Object.entries(files)) {
    const full = path.join(root, rel);
    await fs.mkdir(path.dirname(full), { recursive: true });
    await fs.writeFile(full, bytes);
  }
}

/** Opens a real index (sql.js) in a fresh temp folder. */
export async function openTestIndex(): Promise<PhotoIndex> {
  const storageDir = await tempDir('photosync-index-');
  return openIndex({ storageDir, wasmDir: path.join(process.cwd(), 'node_modules/sql.js/dist'), watch: false, saveDebounceMs: 20, maxSaveDelayMs: 200 });
}

/** Google Photos' rules, as the destination factory builds them (types, limits, quota). */
export async function photosRules(): Promise<ProviderRules> {
  return googlePhotosRules(await loadMediaTypes());
}
