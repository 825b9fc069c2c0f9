// Builds real Google Takeout archives for tests and benchmarks: zip parts (yazl), tgz parts
// (tar-stream + gzip) or an extracted folder, from a list of files. Media bytes are deterministic
// pseudo-random (AES-CTR keystream), so they are as incompressible as JPEG and their sha256 is known
// without keeping them in memory.
import { createCipheriv, createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readFile, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import yazl from 'yazl';

export interface TakeoutFile {
  /** Path inside the archive, e.g. `Takeout/Google Photos/Photos from 2019/IMG_1.jpg`. */
  name: string;
  /** Literal content (sidecars, album JSON); otherwise `size` pseudo-random bytes seeded by `seed ?? name`. */
  data?: string | Buffer;
  size?: number;
  seed?: string;
  /** Which part (0-based) the file goes to when the export is split. */
  part?: number;
  /** Deflate it in a zip (default: JSON yes, media no — like Takeout, which stores media as is). */
  compress?: boolean;
  /** Write it through a stream (zip data descriptor) instead of a buffer (sizes in the local header). */
  streamed?: boolean;
}

const DEFAULT_MEDIA_SIZE = 20_000;

/** Deterministic incompressible bytes, streamed in 64 KiB chunks. */
export function pseudoRandomStream(seed: string, size: number): Readable {
  const key = createHash('sha256').update(seed).digest().subarray(0, 16);
  const cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
  const zeros = Buffer.alloc(64 * 1024);
  let left = size;
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const n = Math.min(left, zeros.length);
      left -= n;
      this.push(cipher.update(zeros.subarray(0, n)));
    },
  });
}

export async function pseudoRandomBytes(seed: string, size: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of pseudoRandomStream(seed, size)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The sha256 of what a TakeoutFile holds. */
export async function expectedSha256(file: TakeoutFile): Promise<string> {
  if (file.data !== undefined) return sha256(file.data);
  const hash = createHash('sha256');
  for await (const chunk of pseudoRandomStream(file.seed ?? file.name, file.size ?? DEFAULT_MEDIA_SIZE)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function contentStream(file: TakeoutFile): Readable {
  if (file.data !== undefined) return Readable.from([Buffer.from(file.data)]);
  return pseudoRandomStream(file.seed ?? file.name, file.size ?? DEFAULT_MEDIA_SIZE);
}

function isJsonLike(file: TakeoutFile): boolean {
  return file.data !== undefined;
}

const EXPORT_TIME = new Date('2024-07-12T13:38:00Z');

export async function writeZip(target: string, files: readonly TakeoutFile[]): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const file of files) {
    const compress = file.compress ?? isJsonLike(file);
    const options = { compress, mtime: EXPORT_TIME, forceDosTimestamp: true };
    if (file.streamed || file.data === undefined) zip.addReadStream(contentStream(file), file.name, options);
    else zip.addBuffer(Buffer.from(file.data), file.name, options);
  }
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(target));
}

export async function writeTgz(target: string, files: readonly TakeoutFile[], options: { gzip?: boolean } = {}): Promise<void> {
  const pack = tar.pack();
  const source = pack as unknown as Readable;
  const done = options.gzip === false ? pipeline(source, createWriteStream(target)) : pipeline(source, zlib.createGzip({ level: 1 }), createWriteStream(target));
  for (const file of files) {
    const size = file.data !== undefined ? Buffer.byteLength(file.data) : (file.size ?? DEFAULT_MEDIA_SIZE);
    const sink = pack.entry({ name: file.name, size, mtime: EXPORT_TIME, type: 'file' });
    await pipeline(contentStream(file), sink as unknown as NodeJS.WritableStream);
  }
  pack.finalize();
  await done;
}

export async function writeFolder(root: string, files: readonly TakeoutFile[]): Promise<void> {
  for (const file of files) {
    const target = path.join(root, ...file.name.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    await pipeline(contentStream(file), createWriteStream(target));
  }
}

/** Writes the files split into parts by `file.part`; returns the part paths in order. */
export async function writeParts(dir: string, files: readonly TakeoutFile[], format: 'zip' | 'tgz'): Promise<string[]> {
  const count = Math.max(0, ...files.map((f) => f.part ?? 0)) + 1;
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    const target = path.join(dir, `takeout-20240712T112341Z-${String(i + 1).padStart(3, '0')}.${format}`);
    const inPart = files.filter((f) => (f.part ?? 0) === i);
    await (format === 'zip' ? writeZip(target, inPart) : writeTgz(target, inPart));
    parts.push(target);
  }
  return parts;
}

/**
 * Replaces every occurrence of `from` by `to` (same byte length) in a file — how a test gives a zip
 * entry a hostile name that yazl itself would refuse to write (local header and directory both).
 */
export async function patchName(file: string, from: string, to: string): Promise<number> {
  const a = Buffer.from(from);
  const b = Buffer.from(to);
  if (a.length !== b.length) throw new Error('patchName needs names of equal byte length');
  const data = await readFile(file);
  let count = 0;
  for (let at = data.indexOf(a); at >= 0; at = data.indexOf(a, at + 1)) {
    b.copy(data, at);
    count++;
  }
  await writeFile(file, data);
  return count;
}

/** Overwrites `length` bytes at `offset` with their bitwise complement (real damage, not zeros). */
export async function corruptBytes(file: string, offset: number, length: number): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, offset);
    for (let i = 0; i < length; i++) buffer[i] = ~buffer[i] & 0xff;
    await handle.write(buffer, 0, length, offset);
  } finally {
    await handle.close();
  }
}

/** Byte offset of a name's first occurrence in a file (to aim damage at one entry). */
export async function offsetOf(file: string, text: string): Promise<number> {
  return (await readFile(file)).indexOf(Buffer.from(text));
}

export async function truncateTo(file: string, size: number): Promise<void> {
  await truncate(file, size);
}
