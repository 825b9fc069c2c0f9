// Copies of the camera photos in test/fixtures/photos and variants of them (EXIF removed, EXIF
// replaced with a zero or future date), for the metadata tests. Everything works on real JPEG bytes.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { deflateSync, crc32 } from 'node:zlib';
import { buildExifSegment, insertExif, type ExifFields } from '../fixtures/exif-writer';
import { tempDir } from './sync-fixtures';

export const PHOTOS_DIR = path.resolve('test/fixtures/photos');

export async function photoNames(): Promise<string[]> {
  return (await fs.readdir(PHOTOS_DIR)).filter((n) => /\.jpe?g$/i.test(n)).sort();
}

/** Copies a fixture photo into `dir` (a fresh temp folder by default) under `as` or its own name. */
export async function copyPhoto(name: string, opts: { dir?: string; as?: string } = {}): Promise<string> {
  const dir = opts.dir ?? (await tempDir('photosync-meta-'));
  await fs.mkdir(dir, { recursive: true });
  const target = path.join(dir, opts.as ?? name);
  await fs.copyFile(path.join(PHOTOS_DIR, name), target);
  return target;
}

/** Offset of the first SOS marker, found by walking the segments (independent of src/metadata). */
export function scanStart(jpeg: Buffer): number {
  let pos = 2;
  while (jpeg[pos + 1] !== 0xda) pos += 2 + jpeg.readUInt16BE(pos + 2);
  return pos;
}

/** The entropy-coded image data and anything after it: must never change when metadata is written. */
export function imageData(jpeg: Buffer): Buffer {
  return jpeg.subarray(scanStart(jpeg));
}

/** The same JPEG without any EXIF APP1 segment, as a screenshot or a messenger image comes. */
export function stripExif(jpeg: Buffer): Buffer {
  const parts: Buffer[] = [jpeg.subarray(0, 2)];
  let pos = 2;
  while (jpeg[pos + 1] !== 0xda) {
    const end = pos + 2 + jpeg.readUInt16BE(pos + 2);
    const isExif = jpeg[pos + 1] === 0xe1 && jpeg.subarray(pos + 4, pos + 10).toString('latin1') === 'Exif\0\0';
    if (!isExif) parts.push(jpeg.subarray(pos, end));
    pos = end;
  }
  parts.push(jpeg.subarray(pos));
  return Buffer.concat(parts);
}

const CAMERA: Omit<ExifFields, 'dateTimeOriginal'> = { make: 'FUJIFILM', model: 'X-T30', width: 480, height: 360, exposure: [1, 250], fNumber: [56, 10], iso: 200, focalLength: [230, 10] };

/** A fixture photo whose EXIF is replaced by the fixture writer's, with the given date and extras. */
export async function photoWithExif(name: string, fields: Partial<ExifFields> & { dateTimeOriginal: string }, opts: { dir?: string; as?: string } = {}): Promise<string> {
  const file = await copyPhoto(name, opts);
  const bytes = await fs.readFile(file);
  await fs.writeFile(file, insertExif(stripExif(bytes), buildExifSegment({ ...CAMERA, ...fields })));
  return file;
}

/** A fixture photo with its EXIF removed. */
export async function photoWithoutExif(name: string, opts: { dir?: string; as?: string } = {}): Promise<string> {
  const file = await copyPhoto(name, opts);
  await fs.writeFile(file, stripExif(await fs.readFile(file)));
  return file;
}

/** A small real PNG (8-bit grey gradient), for formats the EXIF writer does not handle. */
export async function writePng(file: string, size = 8): Promise<string> {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const rows = Buffer.concat(Array.from({ length: size }, (_, y) => Buffer.from([0, ...Array.from({ length: size }, (_, x) => (x + y) * 8)])));
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, png);
  return file;
}

/** Names in a folder that look like our temp files: none may be left behind. */
export async function leftoverTemps(dir: string): Promise<string[]> {
  return (await fs.readdir(dir)).filter((n) => n.includes('.photo-sync-') && n.endsWith('.tmp'));
}
