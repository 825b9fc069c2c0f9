// Byte uploads to Drive: one multipart files.create for small files (the body built in multipartBody.ts), Drive's
// resumable protocol for large ones (googleapis has none: start with the metadata, PUT chunks of
// 256 KiB multiples, 308 + Range, `Content-Range: bytes */size` to ask where to go on). Each create
// names an id from files.generateIds, journaled before the first byte: a create whose answer was lost
// (or a window closed mid-request) is found again by that id (409 fileIdInUse, or files.get) instead
// of becoming a second file. The journal also keeps a resumable session, so a restart continues it.
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { setTimeout as sleep } from 'node:timers/promises';
import { GoogleApiError, isAbortError } from '../../google/errors';
import { fileRangeStream } from '../../localfs/fileRangeStream';
import { assertUnchanged, FileChangedError, snapshotFile, type FileSnapshot } from '../../localfs/fileSnapshot';
import { isNetworkError } from '../../tasks/outcome';
import type { DriveApi } from './client';
import { isNotFound } from './folders';
import { FILE_FIELDS, KEYS, sha256Of, type DriveFile } from './items';
import { multipartBody } from './multipartBody';
import { DRIVE_CHUNK_GRANULARITY, type DriveTransferSizes } from './rules';

export interface DriveUploadFile {
  path: string;
  fileName: string;
  mimeType: string;
  size: number;
  mtimeMs?: number;
  sha256: string;
  description?: string;
}

/** What is journaled per file: the id its create claims, and a resumable session once one started. */
export interface DriveTransferState {
  id: string;
  session?: string;
  offset?: number;
}

export interface DriveUploadCallbacks {
  onProgress?: (bytesDone: number) => void;
  signal?: AbortSignal;
  load?: () => Promise<DriveTransferState | undefined>;
  save?: (state: DriveTransferState) => Promise<void>;
}

export interface DriveUploadOptions extends DriveTransferSizes {
  /** Query-and-continue recoveries in a row before giving up (default 3). */
  maxRecoveries?: number;
  /** First pause before asking a session where to go on; doubles per recovery (default 250 ms). */
  recoveryDelayMs?: number;
}

/** The session URI answers 404/410: it expired (Drive's lifetime is unpublished) or was cancelled. */
export class SessionGoneError extends Error {
  override readonly name = 'SessionGoneError';
}

const RESUMABLE_STATUS = (s: number) => (s >= 200 && s < 300) || s === 308;

/** Ids from files.generateIds, fetched a hundred at a time. */
export class IdPool {
  private readonly ids: string[] = [];
  private filling: Promise<void> | undefined;

  /**
   * `refillBelow`: when fewer ids are left, the next hundred are asked for while these are used, so
   * the uploads in flight do not all stop for that request's round trip when the pool runs dry.
   */
  constructor(
    private readonly api: DriveApi,
    private readonly refillBelow = 20,
  ) {}

  async next(signal?: AbortSignal): Promise<string> {
    while (this.ids.length === 0) {
      // Not tied to one caller's signal: every waiter shares the fill.
      await this.startFill();
      signal?.throwIfAborted();
    }
    const id = this.ids.shift() as string;
    // Its failure is met again by the next caller that finds the pool empty.
    if (this.ids.length < this.refillBelow) this.startFill().catch(() => undefined);
    return id;
  }

  private startFill(): Promise<void> {
    this.filling ??= this.fill().finally(() => (this.filling = undefined));
    return this.filling;
  }

  private async fill(): Promise<void> {
    const answer = await this.api.call((o) => this.api.drive.files.generateIds({ count: 100, space: 'drive', type: 'files', fields: 'ids' }, o));
    this.ids.push(...(answer.ids ?? []));
    if (this.ids.length === 0) throw new Error('Google Drive generated no file ids.');
  }
}

export class DriveUploads {
  constructor(
    private readonly api: DriveApi,
    private readonly ids: IdPool,
    private readonly options: DriveUploadOptions,
  ) {}

  /** Creates the file in `parentId` with the local file's bytes; the same journaled id is never two files. */
  async upload(file: DriveUploadFile, parentId: string, cb: DriveUploadCallbacks = {}): Promise<DriveFile> {
    const before = await snapshotFile(file.path, file);
    let state = await cb.load?.();
    if (state) {
      // An earlier attempt may have made the file before its answer was lost.
      const made = await this.madeBefore(state.id, file, cb.signal);
      if (made) return made;
    } else {
      state = { id: await this.ids.next(cb.signal) };
      await cb.save?.(state);
    }
    for (let attempt = 1; ; attempt++) {
      const metadata: DriveFile = {
        id: state.id,
        name: file.fileName,
        parents: [parentId],
        mimeType: file.mimeType,
        description: file.description || undefined,
        appProperties: { [KEYS.sha256]: file.sha256 },
      };
      try {
        const made = file.size > this.options.resumableThreshold ? await this.resumable(file, before, metadata, state, cb) : await this.multipart(file, before, metadata, cb);
        return await this.verified(made, file, before, cb.signal);
      } catch (err) {
        if (err instanceof GoogleApiError && err.httpStatus === 409 && err.reason === 'fileIdInUse') {
          // Our own id: the create went through though its answer did not reach us.
          const made = await this.madeBefore(state.id, file, cb.signal);
          if (made) return made;
        }
        const unusable = err instanceof GoogleApiError && err.reason === 'fileIdNotUsable';
        if (attempt < 2 && (unusable || err instanceof SessionGoneError)) {
          // An id Drive no longer honours, or a session that expired: start once more from scratch.
          state = { id: unusable ? await this.ids.next(cb.signal) : state.id };
          await cb.save?.(state);
          continue;
        }
        throw err;
      }
    }
  }

  /** The file an earlier attempt made under `id`, if it exists and holds these bytes. */
  private async madeBefore(id: string, file: DriveUploadFile, signal?: AbortSignal): Promise<DriveFile | undefined> {
    let made: DriveFile;
    try {
      made = await this.api.call((o) => this.api.drive.files.get({ fileId: id, fields: FILE_FIELDS }, o), signal);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
    const sha = sha256Of(made);
    if (made.trashed || (sha && sha !== file.sha256)) return undefined;
    return made;
  }

  /** Drive's checksum of what it stored must be the hash the index records for these bytes. */
  private async verified(made: DriveFile, file: DriveUploadFile, before: FileSnapshot, signal?: AbortSignal): Promise<DriveFile> {
    if (made.sha256Checksum && made.sha256Checksum !== file.sha256) {
      // Other bytes than hashed (edited during the upload): never keep them under this content key.
      await this.api.call((o) => this.api.drive.files.delete({ fileId: made.id ?? '' }, o), signal).catch(() => undefined);
      await assertUnchanged(file.path, before);
      throw new FileChangedError(file.path, 'size', `${file.fileName} reached Google Drive with other bytes than were hashed; it is uploaded again.`);
    }
    await assertUnchanged(file.path, before);
    return made;
  }

  /** Drive's one-request upload: metadata and bytes in one multipart/related body (files ≤ resumableThreshold). */
  private async multipart(file: DriveUploadFile, before: FileSnapshot, metadata: DriveFile, cb: DriveUploadCallbacks): Promise<DriveFile> {
    const url = new URL('upload/drive/v3/files', this.api.rootUrl);
    url.searchParams.set('uploadType', 'multipart');
    url.searchParams.set('fields', FILE_FIELDS);
    return this.guardFile(file.path, before, async () => {
      const res = await this.api.send<DriveFile>(async () => {
        let sent = 0;
        const { contentType, body } = await multipartBody(file, metadata, (n) => cb.onProgress?.((sent += n)));
        return { url: url.toString(), method: 'POST', headers: { 'Content-Type': contentType }, data: body, responseType: 'json', signal: cb.signal };
      });
      return res.data;
    });
  }

  private async resumable(file: DriveUploadFile, before: FileSnapshot, metadata: DriveFile, state: DriveTransferState, cb: DriveUploadCallbacks): Promise<DriveFile> {
    let session = state.session;
    let offset = 0;
    if (session) {
      const status = await this.query(session, file.size, cb.signal).catch((err: unknown) => {
        if (err instanceof SessionGoneError) return undefined;
        throw err;
      });
      if (status && 'file' in status) return status.file;
      if (status) offset = status.received;
      else session = undefined;
    }
    if (!session) {
      session = await this.start(file, metadata, cb.signal);
      offset = 0;
      await cb.save?.({ id: state.id, session, offset });
    }
    return this.send(file, before, { id: state.id, session, offset }, cb);
  }

  /** Step 1: the metadata; Drive answers with the session URI in Location. */
  private async start(file: DriveUploadFile, metadata: DriveFile, signal?: AbortSignal): Promise<string> {
    const url = new URL('upload/drive/v3/files', this.api.rootUrl);
    url.searchParams.set('uploadType', 'resumable');
    url.searchParams.set('fields', FILE_FIELDS);
    const res = await this.api.request({
      url: url.toString(),
      method: 'POST',
      data: metadata,
      headers: { 'X-Upload-Content-Type': file.mimeType, 'X-Upload-Content-Length': String(file.size) },
      signal,
    });
    const location = res.headers.get('location');
    if (!location) throw new Error('Google Drive started an upload session without a Location header.');
    return new URL(location, this.api.rootUrl).toString();
  }

  /** Steps 2–4: chunks from `offset`, asking where to go on after a dropped connection or a 5xx. */
  private async send(file: DriveUploadFile, before: FileSnapshot, state: Required<DriveTransferState>, cb: DriveUploadCallbacks): Promise<DriveFile> {
    const chunkSize = Math.max(DRIVE_CHUNK_GRANULARITY, Math.floor(this.options.chunkSize / DRIVE_CHUNK_GRANULARITY) * DRIVE_CHUNK_GRANULARITY);
    const maxRecoveries = this.options.maxRecoveries ?? 3;
    let { offset } = state;
    let recoveries = 0;
    cb.onProgress?.(offset);
    for (;;) {
      const end = Math.min(file.size, offset + chunkSize);
      let sent = offset;
      try {
        const res = await this.guardFile(file.path, before, () =>
          this.api.request<DriveFile>({
            url: state.session,
            method: 'PUT',
            headers: { 'Content-Range': file.size === 0 ? 'bytes */0' : `bytes ${offset}-${end - 1}/${file.size}`, 'Content-Length': String(end - offset) },
            data: end > offset ? Readable.fromWeb(fileRangeStream(file.path, offset, end - offset, (n) => cb.onProgress?.((sent += n))) as NodeReadableStream) : undefined,
            validateStatus: RESUMABLE_STATUS,
            responseType: 'json',
            signal: cb.signal,
          }),
        );
        if (res.status !== 308) return res.data;
        offset = received(res.headers.get('range'));
        recoveries = 0;
      } catch (err) {
        if (err instanceof GoogleApiError && (err.httpStatus === 404 || err.httpStatus === 410)) throw new SessionGoneError(`The upload session for ${file.fileName} expired; it starts again.`, { cause: err });
        if (err instanceof FileChangedError || isAbortError(err) || !recoverable(err) || ++recoveries > maxRecoveries) throw err;
        await sleep((this.options.recoveryDelayMs ?? 250) * 2 ** (recoveries - 1), undefined, { signal: cb.signal });
        const status = await this.query(state.session, file.size, cb.signal);
        if ('file' in status) return status.file;
        offset = status.received;
      }
      cb.onProgress?.(offset);
      await cb.save?.({ ...state, offset });
    }
  }

  /** `PUT <session>` with `Content-Range: bytes *\/size`: how much Drive holds, or the file once complete. */
  private async query(session: string, size: number, signal?: AbortSignal): Promise<{ received: number } | { file: DriveFile }> {
    try {
      const res = await this.api.request<DriveFile>({ url: session, method: 'PUT', headers: { 'Content-Range': `bytes */${size}`, 'Content-Length': '0' }, validateStatus: RESUMABLE_STATUS, responseType: 'json', signal });
      return res.status === 308 ? { received: received(res.headers.get('range')) } : { file: res.data };
    } catch (err) {
      if (err instanceof GoogleApiError && (err.httpStatus === 404 || err.httpStatus === 410)) throw new SessionGoneError('The upload session expired.', { cause: err });
      throw err;
    }
  }

  /** Runs a transfer; when it fails and the file changed under it, says that instead. */
  private async guardFile<T>(path: string, before: FileSnapshot, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (!isAbortError(err)) await assertUnchanged(path, before, err);
      for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) if (e instanceof FileChangedError) throw e;
      throw err;
    }
  }
}

/** `Range: bytes=0-N` → N + 1 bytes held; no header = nothing stored yet. */
function received(range: string | null): number {
  const m = range ? /bytes=0-(\d+)/.exec(range) : null;
  return m ? Number(m[1]) + 1 : 0;
}

function recoverable(err: unknown): boolean {
  if (err instanceof GoogleApiError) return [408, 429, 500, 502, 503, 504].includes(err.httpStatus);
  return isNetworkError(err);
}

export type { FileSnapshot };
