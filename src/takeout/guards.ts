// Zip-bomb and size limits. Real Takeout media barely compresses (JPEG, HEIC, MP4 are compressed
// already), so a large entry that inflates hundreds of times is a bomb, not a photo. Small entries are
// exempt: a 10 kB JSON of repeated keys compresses 50:1 legitimately.
import { Transform, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';
import { EntryDamagedError, type ReadLimits, type ProblemReason } from './types';
import { takeoutProblem, TAKEOUT_ENTRY_CRC, TAKEOUT_ENTRY_ENDS_EARLY, TAKEOUT_ENTRY_HOLDS_MORE, TAKEOUT_ARCHIVE_INFLATES, TAKEOUT_ARCHIVE_TOO_LARGE, TAKEOUT_ENTRY_INFLATES, TAKEOUT_ENTRY_TOO_LARGE } from './problemText';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

export const DEFAULT_LIMITS: Readonly<ReadLimits> = {
  maxEntryBytes: 32 * GiB, // Google's own upload limit for videos is 20 GB
  maxTotalBytes: 256 * GiB, // Takeout parts are at most 50 GB and media hardly compresses
  maxCompressionRatio: 200, // deflate tops out near 1032:1; real photos/videos stay near 1:1
  ratioCheckMinBytes: 32 * MiB,
  maxJsonBytes: 4 * MiB, // a sidecar is ~1 kB; an album JSON a few kB
};

export function resolveLimits(limits: Partial<ReadLimits> | undefined): ReadLimits {
  return { ...DEFAULT_LIMITS, ...limits };
}

export interface LimitVerdict {
  reason: ProblemReason;
  message: string;
}

/** Checks an entry's declared sizes before any of its bytes are read. */
export function checkDeclaredEntry(size: number, compressedSize: number | undefined, limits: ReadLimits): LimitVerdict | undefined {
  if (size > limits.maxEntryBytes) {
    return { reason: 'too-large', message: takeoutProblem(TAKEOUT_ENTRY_TOO_LARGE, formatBytes(size), formatBytes(limits.maxEntryBytes)) };
  }
  if (compressedSize !== undefined && size >= limits.ratioCheckMinBytes) {
    const ratio = size / Math.max(compressedSize, 1);
    if (ratio > limits.maxCompressionRatio) {
      return {
        reason: 'zip-bomb',
        message: takeoutProblem(TAKEOUT_ENTRY_INFLATES, Math.round(ratio), formatBytes(compressedSize), formatBytes(size), limits.maxCompressionRatio),
      };
    }
  }
  return undefined;
}

/** Checks a running total of uncompressed bytes against the archive's size on disk. */
export function checkArchiveTotal(totalBytes: number, archiveBytes: number, limits: ReadLimits): LimitVerdict | undefined {
  if (totalBytes > limits.maxTotalBytes) {
    return { reason: 'too-large', message: takeoutProblem(TAKEOUT_ARCHIVE_TOO_LARGE, formatBytes(limits.maxTotalBytes)) };
  }
  if (totalBytes >= limits.ratioCheckMinBytes && totalBytes / Math.max(archiveBytes, 1) > limits.maxCompressionRatio) {
    return {
      reason: 'zip-bomb',
      message: takeoutProblem(TAKEOUT_ARCHIVE_INFLATES, formatBytes(archiveBytes), formatBytes(totalBytes), limits.maxCompressionRatio),
    };
  }
  return undefined;
}

export function formatBytes(n: number): string {
  if (n >= GiB) return `${(n / GiB).toFixed(1)} GiB`;
  if (n >= MiB) return `${(n / MiB).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}

/**
 * Passes an entry's bytes through and fails the stream if they are more or fewer than declared or
 * their CRC-32 differs — the archive's word is checked, never trusted (a lying size is how bombs
 * and overlapping entries get past the declared-size checks).
 */
export class EntryCheck extends Transform {
  private bytes = 0;
  private crc = 0;

  constructor(
    private readonly expect: { size: number; crc32?: number; archive: string; entryName: string; truncatedHint?: boolean },
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.expect.size) {
      callback(this.damaged('corrupt', takeoutProblem(TAKEOUT_ENTRY_HOLDS_MORE, formatBytes(this.expect.size))));
      return;
    }
    if (this.expect.crc32 !== undefined) this.crc = zlib.crc32(chunk, this.crc);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.bytes < this.expect.size) {
      const reason = this.expect.truncatedHint ? 'truncated' : 'corrupt';
      callback(this.damaged(reason, takeoutProblem(TAKEOUT_ENTRY_ENDS_EARLY, this.bytes, this.expect.size)));
      return;
    }
    if (this.expect.crc32 !== undefined && this.crc >>> 0 !== this.expect.crc32 >>> 0) {
      callback(this.damaged('corrupt', TAKEOUT_ENTRY_CRC));
      return;
    }
    callback();
  }

  damaged(reason: ProblemReason, message: string): EntryDamagedError {
    return new EntryDamagedError(reason, this.expect.archive, this.expect.entryName, message);
  }
}
