// Downloads (seed 004's "save"): files.get with alt=media, streamed. A transfer that drops goes on
// with `Range: bytes=<received>-` (206 + Content-Range from that byte); a caller with a part on disk
// starts there too. An answer that ignores the range (200) is skipped up to where we are, never
// written twice; any other answer to a range is an error, so nothing is appended out of place.
import type { Readable } from 'node:stream';
import { isAbortError, isNetworkError } from '../../tasks/outcome';
import type { DriveApi } from './client';

/** A failure of the caller's `write` (its disk): never retried here. */
class WriteFailed extends Error {
  override readonly name = 'WriteFailed';
}

export interface DriveDownloadOptions {
  /** First byte wanted (bytes already on disk). */
  from?: number;
  /** Range requests after dropped transfers, in a row without progress (default 3). */
  maxResumes?: number;
}

export async function downloadFile(api: DriveApi, fileId: string, write: (chunk: Uint8Array) => Promise<void>, signal?: AbortSignal, options: DriveDownloadOptions = {}): Promise<number> {
  const start = options.from ?? 0;
  let position = start;
  let resumes = 0;
  for (;;) {
    const progressAt = position;
    try {
      const headers: Record<string, string> = position > 0 ? { Range: `bytes=${position}-` } : {};
      const res = await api.respond((o) => api.drive.files.get({ fileId, alt: 'media' }, o), signal, { responseType: 'stream', headers });
      let skip = 0;
      if (position > 0) {
        const range = header(res.headers, 'content-range');
        if (res.status === 200) skip = position;
        else if (res.status !== 206 || !range || Number(/^bytes (\d+)-/.exec(range)?.[1]) !== position) {
          throw new Error(`Google Drive answered a download from byte ${position} with ${res.status} ${range ?? ''}; the file is downloaded again from the start.`);
        }
      }
      for await (const chunk of res.data as unknown as Readable) {
        let bytes = chunk as Uint8Array;
        if (skip > 0) {
          const drop = Math.min(skip, bytes.byteLength);
          skip -= drop;
          bytes = bytes.subarray(drop);
          if (bytes.byteLength === 0) continue;
        }
        try {
          await write(bytes);
        } catch (err) {
          throw new WriteFailed((err as Error).message, { cause: err });
        }
        position += bytes.byteLength;
      }
      return position - start;
    } catch (err) {
      if (err instanceof WriteFailed) throw err.cause;
      if (isAbortError(err) || signal?.aborted) throw err;
      // 416: the range starts at the end — everything had arrived.
      if ((err as { httpStatus?: number }).httpStatus === 416 && position > start) return position - start;
      if (!dropped(err)) throw err;
      if (position === progressAt && ++resumes > (options.maxResumes ?? 3)) throw err;
      if (position > progressAt) resumes = 0;
    }
  }
}

/** A transfer cut mid-body or a connection that failed: worth a range request. */
function dropped(err: unknown): boolean {
  if (isNetworkError(err)) return true;
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    if (/aborted|terminated|premature close|socket hang up|other side closed/i.test(e.message) || (e as { code?: unknown }).code === 'ERR_STREAM_PREMATURE_CLOSE') return true;
  }
  return false;
}

function header(headers: unknown, name: string): string | undefined {
  const h = headers as { get?: (k: string) => string | null } & Record<string, string | undefined>;
  return (typeof h?.get === 'function' ? h.get(name) : h?.[name]) ?? undefined;
}
