// Continuing a download that a crash interrupted, with an HTTP Range request. Node cannot save a
// SHA-256 state, so the part on disk is hashed again first; the rest then streams through placeStream
// with `resume`, which appends and keeps hashing. Only worth it for large files (videos), and only
// when the server answers 206 with exactly the range asked for — anything else starts from zero.
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isPartName } from './parts';

export interface ResumePoint {
  partPath: string;
  /** Bytes already in the part; the Range request starts here. */
  bytes: number;
  /** SHA-256 state after those bytes. Usable once: placeStream finishes it. */
  hash: Hash;
}

export interface ResumeCheck {
  /** Total size the server announced for the item, when known. */
  expectedSize?: number;
  /** Parts smaller than this are not worth a second request: start over. Default 1 MiB. */
  minBytes?: number;
}

/**
 * Reads a part left by an interrupted download. Undefined (start over) when it is not one of our
 * parts, not a plain file, too small to bother, or already as large as the whole item.
 */
export async function prepareResume(partPath: string, check: ResumeCheck = {}): Promise<ResumePoint | undefined> {
  if (!isPartName(path.basename(partPath))) return undefined;
  let stat: fs.Stats;
  try {
    stat = await fs.promises.lstat(partPath);
  } catch {
    return undefined;
  }
  if (!stat.isFile() || stat.size < (check.minBytes ?? 1024 * 1024)) return undefined;
  if (check.expectedSize !== undefined && stat.size >= check.expectedSize) return undefined;
  const hash = createHash('sha256');
  let bytes = 0;
  // Hash exactly the size we saw, so a part still growing cannot slip extra bytes in.
  for await (const chunk of fs.createReadStream(partPath, { start: 0, end: stat.size - 1 })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return bytes === stat.size ? { partPath: path.resolve(partPath), bytes, hash } : undefined;
}

/** The request header for the rest: `bytes=<size so far>-`. */
export function rangeHeader(point: ResumePoint): string {
  return `bytes=${point.bytes}-`;
}

/**
 * Whether the server's answer continues the part: 206 with `Content-Range: bytes <start>-<end>/<total>`
 * starting exactly at the part's end (and ending at the announced total). Anything else — 200 (Range
 * ignored), 416, another start, an unknown or different total — means: start over without the part.
 */
export function continuesPart(point: ResumePoint, status: number, contentRange: string | null | undefined, expectedSize?: number): boolean {
  if (status !== 206 || !contentRange) return false;
  const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(contentRange.trim());
  if (!match) return false;
  const [start, end, total] = match.slice(1).map(Number);
  if (start !== point.bytes || end !== total - 1) return false;
  return expectedSize === undefined || total === expectedSize;
}

/** Removes a part that will not be resumed. */
export async function discardPart(point: ResumePoint): Promise<void> {
  await fs.promises.rm(point.partPath, { force: true });
}
