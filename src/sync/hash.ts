import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { HashPool } from './hashPool';

/** sha256 of a file on this thread, streamed (bounded memory whatever the size), and the bytes read. */
export async function hashInThread(filePath: string, signal?: AbortSignal): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  const stream = createReadStream(filePath, { highWaterMark: 1024 * 1024, signal });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

let pool: HashPool | undefined;

/** The process's pool of hashing threads, made on first use (its workers start on the first big file). */
export function hashPool(): HashPool {
  return (pool ??= new HashPool({ inThread: hashInThread }));
}

/**
 * sha256 of a file, streamed (bounded memory whatever the size). Also returns the bytes actually read.
 * Give `size` (what a stat said) when known: a file of 1 MB or more then goes to a worker thread when
 * there is more than one core, so that several files hashed at once use several cores. Same result,
 * same errors (a missing file: ENOENT with its path), same AbortError when `signal` fires.
 */
export async function hashFile(filePath: string, signal?: AbortSignal, size?: number): Promise<{ sha256: string; bytes: number }> {
  const p = hashPool();
  if (!p.worth(size)) return hashInThread(filePath, signal);
  const { sha256, bytes } = await p.hash(filePath, signal);
  return { sha256, bytes };
}
