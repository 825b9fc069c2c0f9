import { setTimeout as sleep } from 'node:timers/promises';
import { GoogleApiError, isAbortError } from '../../google/errors';
import type { GoogleHttp, GoogleRequest } from '../../google/http';
import { Scopes } from '../../google/scopes';
import { assertUnchanged, FileChangedError, snapshotFile } from '../../localfs/fileSnapshot';
import type { FileSnapshot } from '../../localfs/fileSnapshot';
import { fileRangeStream } from '../../localfs/fileRangeStream';
import { isNetworkError } from '../../tasks/outcome';
import { chunkLength, encodeUploadFileName, nextChunk } from './uploadParts';

export { FileChangedError } from '../../localfs/fileSnapshot';

/** A chunk failure worth a query-and-continue: a dropped connection, a 5xx, a 408/429. */
function recoverable(err: unknown): boolean {
  if (err instanceof GoogleApiError) return [408, 429, 500, 502, 503, 504].includes(err.httpStatus) && !err.isDailyQuota;
  return isNetworkError(err);
}

const MiB = 1024 * 1024;

export interface UploadFile {
  /** Absolute path of the local file. */
  path: string;
  /** Size seen when the file was scanned; a different size on disk throws FileChangedError. */
  size: number;
  /** Modification time seen at scan (optional): a different one throws FileChangedError. */
  mtimeMs?: number;
  mimeType: string;
  fileName: string;
}

/** What a caller journals to resume a resumable upload after a crash. */
export interface ResumableSession {
  sessionUrl: string;
  /** X-Goog-Upload-Chunk-Granularity; 0 when the server named none (the rest goes in one request). */
  granularity: number;
  /** Bytes the server confirmed. */
  offset: number;
}

export interface UploadCallbacks {
  /** Bytes of the file sent so far (may step back after a resume from the server's offset). */
  onProgress?: (bytesDone: number) => void;
  /** Called, and awaited, when a session starts and after each confirmed chunk: journal it. */
  onSession?: (session: ResumableSession) => void | Promise<void>;
  signal?: AbortSignal;
}

export interface UploadOptions {
  /** Files larger than this go resumable (default 8 MiB). */
  resumableThreshold?: number;
  /** Preferred chunk size, rounded to the server's granularity (default 8 MiB). */
  chunkSize?: number;
  /** Query-and-continue recoveries in a row without progress before giving up (default 3). */
  maxRecoveries?: number;
  /** First pause before a query after a failed chunk; doubles per recovery (default 250 ms). */
  recoveryDelayMs?: number;
}

/** The server cancelled or forgot the upload session: start a new upload. */
export class UploadSessionLostError extends Error {
  override readonly name = 'UploadSessionLostError';
}

/** Answers of a session URL that no longer exists (404 unknown, 410 expired). */
const SESSION_GONE: readonly number[] = [404, 410];

type UploadStatus = { state: 'active'; received: number } | { state: 'final'; token: string } | { state: 'lost'; detail: string };

/** Byte uploads to `POST {library}/v1/uploads`: raw for small files, resumable for large ones. */
export class PhotosUploads {
  private readonly url: string;
  private readonly threshold: number;
  private readonly chunkSize: number;
  private readonly maxRecoveries: number;
  private readonly recoveryDelayMs: number;

  constructor(
    private readonly http: GoogleHttp,
    libraryRoot: string,
    options: UploadOptions = {},
  ) {
    this.url = `${libraryRoot.replace(/\/+$/, '')}/v1/uploads`;
    this.threshold = options.resumableThreshold ?? 8 * MiB;
    this.chunkSize = options.chunkSize ?? 8 * MiB;
    this.maxRecoveries = options.maxRecoveries ?? 3;
    this.recoveryDelayMs = options.recoveryDelayMs ?? 250;
  }

  /** Sends the file's bytes and returns Google's upload token (valid one day). */
  upload(file: UploadFile, callbacks: UploadCallbacks = {}): Promise<string> {
    return file.size > this.threshold ? this.uploadResumable(file, callbacks) : this.uploadRaw(file, callbacks);
  }

  async uploadRaw(file: UploadFile, callbacks: UploadCallbacks = {}): Promise<string> {
    const before = await snapshotFile(file.path, file);
    let sent = 0;
    const token = await this.guardFile(file.path, before, async () => {
      const response = await this.http.send(
        this.request(callbacks.signal, {
          'Content-Type': 'application/octet-stream',
          'Content-Length': String(file.size),
          'X-Goog-Upload-Protocol': 'raw',
          'X-Goog-Upload-Content-Type': file.mimeType,
          'X-Goog-Upload-File-Name': encodeUploadFileName(file.fileName),
        }, () => {
          sent = 0;
          return file.size === 0 ? new Uint8Array(0) : fileRangeStream(file.path, 0, file.size, (n) => callbacks.onProgress?.((sent += n)));
        }),
      );
      return readToken(response);
    });
    await assertUnchanged(file.path, before);
    return token;
  }

  async uploadResumable(file: UploadFile, callbacks: UploadCallbacks = {}): Promise<string> {
    const before = await snapshotFile(file.path, file);
    const response = await this.http.send(
      this.request(callbacks.signal, {
        'Content-Length': '0',
        'X-Goog-Upload-Protocol': 'resumable',
        'X-Goog-Upload-Command': 'start',
        'X-Goog-Upload-Content-Type': file.mimeType,
        'X-Goog-Upload-File-Name': encodeUploadFileName(file.fileName),
        'X-Goog-Upload-Raw-Size': String(file.size),
      }),
    );
    await response.text();
    const location = response.headers.get('x-goog-upload-url');
    if (!location) throw new Error('Google started an upload session without an X-Goog-Upload-URL header.');
    const session: ResumableSession = {
      sessionUrl: new URL(location, this.url).toString(),
      granularity: Number(response.headers.get('x-goog-upload-chunk-granularity')) || 0,
      offset: 0,
    };
    await callbacks.onSession?.(session);
    return this.continueSession(file, before, session, callbacks);
  }

  /** Continues a journaled session (e.g. after VS Code restarted) from the offset the server holds. */
  async resumeUpload(session: ResumableSession, file: UploadFile, callbacks: UploadCallbacks = {}): Promise<string> {
    const before = await snapshotFile(file.path, file);
    const status = await this.query(session.sessionUrl, callbacks.signal, true);
    if (status.state === 'lost') throw new UploadSessionLostError(`The upload session for ${file.fileName} is gone (${status.detail}); upload it again.`);
    if (status.state === 'final') {
      await assertUnchanged(file.path, before);
      return status.token;
    }
    const resumed = { ...session, offset: status.received };
    await callbacks.onSession?.(resumed);
    return this.continueSession(file, before, resumed, callbacks);
  }

  private async continueSession(file: UploadFile, before: FileSnapshot, session: ResumableSession, callbacks: UploadCallbacks): Promise<string> {
    const { sessionUrl, granularity } = session;
    const length = granularity > 0 ? chunkLength(granularity, this.chunkSize) : Number.MAX_SAFE_INTEGER;
    let offset = session.offset;
    let recoveries = 0;
    callbacks.onProgress?.(offset);
    for (;;) {
      const chunk = nextChunk(offset, file.size, length);
      try {
        const token = await this.guardFile(file.path, before, async () => {
          const response = await this.http.send(
            this.request(callbacks.signal, {
              'Content-Length': String(chunk.length),
              'X-Goog-Upload-Command': chunk.final ? 'upload, finalize' : 'upload',
              'X-Goog-Upload-Offset': String(chunk.offset),
            }, () => {
              let sent = chunk.offset;
              return chunk.length === 0 ? new Uint8Array(0) : fileRangeStream(file.path, chunk.offset, chunk.length, (n) => callbacks.onProgress?.((sent += n)));
            }, sessionUrl),
          );
          return chunk.final ? readToken(response) : (await response.text(), undefined);
        });
        if (token !== undefined) {
          await assertUnchanged(file.path, before);
          return token;
        }
        offset += chunk.length;
        recoveries = 0;
        await callbacks.onSession?.({ sessionUrl, granularity, offset });
      } catch (err) {
        // The session expired (they live a day) or was cancelled: no offset can be continued.
        if (err instanceof GoogleApiError && SESSION_GONE.includes(err.httpStatus)) {
          throw new UploadSessionLostError(`The upload session for ${file.fileName} expired or was cancelled (${err.message}); upload it again.`, { cause: err });
        }
        if (err instanceof FileChangedError || isAbortError(err) || !recoverable(err) || ++recoveries > this.maxRecoveries) throw err;
        // A dropped connection or a 5xx: ask the server how much it kept and go on from there.
        await sleep(Math.max(this.recoveryDelayMs * 2 ** (recoveries - 1), err instanceof GoogleApiError ? (err.retryAfterMs ?? 0) : 0), undefined, { signal: callbacks.signal });
        const status = await this.query(sessionUrl, callbacks.signal, false);
        if (status.state === 'lost') throw new UploadSessionLostError(`The upload session for ${file.fileName} was cancelled (${status.detail}); upload it again.`, { cause: err });
        if (status.state === 'final') {
          await assertUnchanged(file.path, before);
          return status.token;
        }
        offset = status.received;
        callbacks.onProgress?.(offset);
        await callbacks.onSession?.({ sessionUrl, granularity, offset });
      }
    }
  }

  /** `X-Goog-Upload-Command: query`: how many bytes the server holds, or the token once final. */
  private async query(sessionUrl: string, signal: AbortSignal | undefined, expiredMeansLost: boolean): Promise<UploadStatus> {
    let response: Response;
    try {
      response = await this.http.send(this.request(signal, { 'Content-Length': '0', 'X-Goog-Upload-Command': 'query' }, undefined, sessionUrl));
    } catch (err) {
      // An expired or unknown session URL answers 4xx: nothing to resume.
      if (err instanceof GoogleApiError && (SESSION_GONE.includes(err.httpStatus) || (expiredMeansLost && err.httpStatus === 400))) return { state: 'lost', detail: err.message };
      throw err;
    }
    const state = response.headers.get('x-goog-upload-status');
    const body = (await response.text()).trim();
    if (state === 'final') {
      if (!body) return { state: 'lost', detail: 'finalized, but the server gave no upload token' };
      return { state: 'final', token: body };
    }
    if (state === 'active') {
      const received = Number(response.headers.get('x-goog-upload-size-received'));
      if (!Number.isSafeInteger(received) || received < 0) throw new Error('Google answered an upload query without a valid X-Goog-Upload-Size-Received.');
      return { state: 'active', received };
    }
    return { state: 'lost', detail: `status ${state ?? 'missing'}` };
  }

  private request(signal: AbortSignal | undefined, headers: Record<string, string>, body?: () => BodyInit, url = this.url): GoogleRequest {
    return { method: 'POST', url, endpoint: 'uploads', scopes: [Scopes.appendOnly], headers, body, signal };
  }

  /** Runs a transfer; when it fails and the file changed under it, reports that instead. */
  private async guardFile<T>(path: string, before: FileSnapshot, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (!isAbortError(err)) await assertUnchanged(path, before, err);
      throw unwrapFileChange(err);
    }
  }
}

async function readToken(response: Response): Promise<string> {
  const token = (await response.text()).trim();
  if (!token) throw new Error('Google accepted the upload but returned no upload token.');
  return token;
}

/** fetch wraps a body stream's error as `TypeError: fetch failed` with it as the cause. */
function unwrapFileChange(err: unknown): unknown {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) if (e instanceof FileChangedError) return e;
  return err;
}
