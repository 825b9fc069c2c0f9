import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { FileChangedError } from './fileSnapshot';

/** One request of a resumable upload. */
export interface Chunk {
  offset: number;
  length: number;
  /** Sent with `upload, finalize`. */
  final: boolean;
}

/**
 * The length of every chunk but the last: the preferred size rounded to the nearest multiple of the
 * server's granularity (at least one granule), because Google rejects other sizes.
 */
export function chunkLength(granularity: number, preferred: number): number {
  if (!(granularity > 0)) throw new RangeError(`Chunk granularity must be positive, got ${granularity}.`);
  return Math.max(1, Math.round(preferred / granularity)) * granularity;
}

/** The chunk that starts at `offset`; the rest of the file when it fits, which finalizes. */
export function nextChunk(offset: number, size: number, length: number): Chunk {
  const remaining = size - offset;
  if (remaining < 0) throw new RangeError(`Offset ${offset} is past the end of a ${size}-byte file.`);
  return remaining <= length ? { offset, length: remaining, final: true } : { offset, length, final: false };
}

/** Every chunk from `from` to the end (for planning, tests and request estimates). */
export function planChunks(size: number, granularity: number, preferred: number, from = 0): Chunk[] {
  const length = chunkLength(granularity, preferred);
  const chunks: Chunk[] = [];
  for (let offset = from; ; ) {
    const chunk = nextChunk(offset, size, length);
    chunks.push(chunk);
    if (chunk.final) return chunks;
    offset += chunk.length;
  }
}

/**
 * `X-Goog-Upload-File-Name` value: header values must be ASCII, so the UTF-8 name is
 * percent-encoded; only the base name goes, never the local folder path.
 */
export function encodeUploadFileName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return encodeURIComponent(base.normalize('NFC'));
}

const READ_SIZE = 256 * 1024;

/**
 * Bytes `[start, start + length)` of a file as a web stream, read on demand 256 KiB at a time so
 * memory stays bounded whatever the file size. A file that shrinks mid-read errors the stream.
 */
export function fileRangeStream(path: string, start: number, length: number, onBytes?: (n: number) => void): ReadableStream<Uint8Array> {
  let handle: FileHandle | undefined;
  let position = start;
  const end = start + length;
  const close = async () => {
    const h = handle;
    handle = undefined;
    await h?.close();
  };
  return new ReadableStream<Uint8Array>(
    {
      async start() {
        handle = await open(path, 'r');
      },
      async pull(controller) {
        const wanted = Math.min(READ_SIZE, end - position);
        if (wanted <= 0 || !handle) {
          await close();
          controller.close();
          return;
        }
        const buffer = Buffer.allocUnsafe(wanted);
        const { bytesRead } = await handle.read(buffer, 0, wanted, position);
        if (bytesRead === 0) {
          await close();
          controller.error(new FileChangedError(path, 'size', `${path} got shorter while it was being uploaded; it will be uploaded again.`));
          return;
        }
        position += bytesRead;
        onBytes?.(bytesRead);
        controller.enqueue(new Uint8Array(buffer.buffer, buffer.byteOffset, bytesRead));
      },
      async cancel() {
        await close();
      },
    },
    // One chunk read ahead: fetch pulls the next only when the socket took the previous one.
    { highWaterMark: 1 },
  );
}
