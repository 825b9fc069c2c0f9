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
