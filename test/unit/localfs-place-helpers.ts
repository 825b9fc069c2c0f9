// Byte sources for the placeStream tests: one that pauses at a chosen chunk so a test can act while
// a download is half-written, one that never ends, one that breaks.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { isPartName } from '../../src/localfs/parts';

export function bytes(size: number): Buffer {
  return randomBytes(size);
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function chunksOf(data: Buffer, size = 64 * 1024): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) out.push(data.subarray(i, i + size));
  return out;
}

/**
 * Yields `chunks`, stopping before chunk `pauseBefore` until `resume()`. `paused` resolves once the
 * consumer asked for that chunk.
 */
export function pausingSource(chunks: Buffer[], pauseBefore: number): { source: AsyncIterable<Buffer>; paused: Promise<void>; resume: () => void } {
  let resume!: () => void;
  const gate = new Promise<void>((r) => (resume = r));
  let reached!: () => void;
  const paused = new Promise<void>((r) => (reached = r));
  async function* generate() {
    for (let i = 0; i < chunks.length; i++) {
      if (i === pauseBefore) {
        reached();
        await gate;
      }
      yield chunks[i];
    }
  }
  return { source: generate(), paused, resume };
}

/** Sends `first`, then nothing, ever: a stalled connection. */
export function stalledSource(first: Buffer): Readable {
  const stream = new Readable({ read() {} });
  stream.push(first);
  return stream;
}

/** Sends `first`, then fails like a reset connection. */
export function brokenSource(first: Buffer, message = 'socket hang up'): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push(first);
      } else {
        setImmediate(() => this.destroy(Object.assign(new Error(message), { code: 'ECONNRESET' })));
      }
    },
  });
}

/** Temp files of downloads in `folder`. */
export function partsIn(folder: string): string[] {
  return fs.readdirSync(folder).filter(isPartName);
}

export async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** An errno-style error as node:fs throws it. */
export function errnoError(code: string, syscall: string, file: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected, ${syscall} '${file}'`), { code, syscall, path: file });
}
