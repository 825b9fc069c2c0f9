import { ContainerGoneError } from '../../sync/provider';
import type { CommitResult, DateRange, DownloadOptions, DownloadStream, LocalUpload, PhotoProvider, ProviderRules, Receipt, RemoteContainer, RemoteItem, TransferJournal, TransferProgress } from '../../sync/provider';
import type { Logger } from '../../util/logger';
import { fetchThumbnail } from './thumbnail';
import { GoogleApiError } from '../../google/errors';
import { GoogleHttp } from '../../google/http';
import type { TokenSource } from '../../google/tokenSource';
import { FileChangedError } from '../../localfs/fileSnapshot';
import { MAX_BATCH, PhotosLibrary } from './library';
import { assertReady, BASE_URL_LIFETIME_MS, isVideoItem, openBaseUrl } from './mediaBytes';
import { PROVIDER_ID } from './rules';
import type { Album, MediaItem, NewMediaItem } from './types';
import { rpcCodeName } from './types';
import type { ResumableSession, UploadFile, UploadOptions } from './uploads';
import { PhotosUploads, UploadSessionLostError } from './uploads';

/** Google's documented limits, checked before a request so one bad item cannot fail a whole batch. */
export const MAX_FILE_NAME_LENGTH = 255;
export const MAX_DESCRIPTION_LENGTH = 999;

/** Per-item batchCreate statuses worth another try. */
const RETRYABLE_ITEM_STATUS = new Set(['UNAVAILABLE', 'INTERNAL', 'DEADLINE_EXCEEDED', 'ABORTED', 'UNKNOWN', 'RESOURCE_EXHAUSTED']);
/** Statuses saying the upload token cannot be used: expired, unknown, or bytes Google would not take. */
const TOKEN_STATUS = new Set(['INVALID_ARGUMENT', 'NOT_FOUND', 'FAILED_PRECONDITION']);

export interface GooglePhotosProviderOptions {
  tokenSource: TokenSource;
  /** The `library` endpoint (Google's or the emulator's). */
  libraryRoot: string;
  rules: ProviderRules;
  logger?: Logger;
  /** Called once per HTTP request sent (endpoint names as in LibraryEndpoint), for quota counting. */
  onRequest?: (endpoint: string) => void;
  uploads?: UploadOptions;
  /** Where resumable upload sessions are kept, so a restart continues them instead of re-sending. */
  transferJournal?: TransferJournal;
  now?: () => number;
}

/** Google Photos behind the pipelines' PhotoProvider interface. */
export class GooglePhotosProvider implements PhotoProvider {
  readonly id = PROVIDER_ID;
  readonly displayName = 'Google Photos';
  readonly rules: ProviderRules;

  readonly http: GoogleHttp;
  readonly library: PhotosLibrary;
  readonly uploads: PhotosUploads;
  private readonly journal: TransferJournal | undefined;
  private readonly now: () => number;

  constructor(options: GooglePhotosProviderOptions) {
    this.rules = options.rules;
    this.http = new GoogleHttp({ tokenSource: options.tokenSource, logger: options.logger, onRequest: options.onRequest });
    this.library = new PhotosLibrary(this.http, options.libraryRoot);
    this.uploads = new PhotosUploads(this.http, options.libraryRoot, options.uploads);
    this.journal = options.transferJournal;
    this.now = options.now ?? Date.now;
  }

  async *listContainers(signal?: AbortSignal): AsyncIterable<RemoteContainer> {
    for await (const album of this.library.listAlbums({ signal })) yield toContainer(album);
  }

  async createContainer(title: string, options: { signal?: AbortSignal } = {}): Promise<RemoteContainer> {
    return toContainer(await this.library.createAlbum(title, options.signal));
  }

  async *listItems(containerId: string | undefined, signal?: AbortSignal): AsyncIterable<RemoteItem> {
    const items = containerId ? this.library.searchMediaItems({ albumId: containerId }, signal) : this.library.listMediaItems({ signal });
    for await (const item of items) yield toRemoteItem(item, this.now());
  }

  /** mediaItems:search with a date range filter (never with albumId: Google rejects both together), newest first. */
  async *listItemsByDate(range: DateRange, signal?: AbortSignal): AsyncIterable<RemoteItem> {
    const ranges = [{ startDate: googleDate(range.from), endDate: googleDate(range.to) }];
    for await (const item of this.library.searchMediaItems({ filters: { dateFilter: { ranges } }, orderBy: 'MediaMetadata.creation_time desc' }, signal)) yield toRemoteItem(item, this.now());
  }

  async getItems(ids: readonly string[], signal?: AbortSignal): Promise<Map<string, RemoteItem | Error>> {
    const unique = [...new Set(ids)];
    const found = new Map<string, RemoteItem | Error>();
    for (const batch of batches(unique, MAX_BATCH)) {
      const results = await this.library.batchGetMediaItems(batch, signal);
      batch.forEach((id, i) => {
        const { mediaItem, status } = results[i];
        found.set(id, mediaItem && (status?.code ?? 0) === 0 ? toRemoteItem(mediaItem, this.now()) : statusError(status?.code, status?.message ?? `Media item ${id} is not available.`));
      });
    }
    return found;
  }

  async uploadBytes(file: LocalUpload, onProgress?: TransferProgress, signal?: AbortSignal): Promise<Receipt> {
    if (file.size === 0) throw new Error(`${file.fileName} is empty (0 bytes); Google Photos does not accept empty files.`);
    const upload: UploadFile = { path: file.path, size: file.size, mtimeMs: file.mtimeMs, mimeType: file.mimeType, fileName: file.fileName };
    const callbacks = { onProgress, signal, onSession: this.journal ? (s: ResumableSession) => this.journal?.save(file, JSON.stringify({ url: s.sessionUrl, offset: s.offset, granularity: s.granularity })) : undefined };
    const saved = parseSession(await this.journal?.load(file));
    let token: string;
    try {
      try {
        token = saved ? await this.uploads.resumeUpload(saved, upload, callbacks) : await this.uploads.upload(upload, callbacks);
      } catch (err) {
        // The server dropped the session (expired, cancelled): start over once with a new one.
        if (!(err instanceof UploadSessionLostError)) throw err;
        await this.journal?.clear(file);
        token = await this.uploads.upload(upload, callbacks);
      }
    } catch (err) {
      // A session holding other bytes than the file now has must never be finished.
      if (err instanceof FileChangedError || err instanceof UploadSessionLostError) await this.journal?.clear(file);
      throw err;
    }
    await this.journal?.clear(file);
    return { token, expiresAt: this.now() + (this.rules.receiptLifetimeMs ?? 0) };
  }

  async commit(containerId: string | undefined, uploads: readonly { receipt: Receipt; file: LocalUpload }[], signal?: AbortSignal): Promise<CommitResult[]> {
    const results: CommitResult[] = new Array(uploads.length);
    const sendable: number[] = [];
    uploads.forEach(({ file }, i) => {
      const problem = validateForCreate(file);
      if (problem) results[i] = { ok: false, outcome: 'rejected', message: problem };
      else sendable.push(i);
    });
    // One batch at a time: Google answers concurrent writes for one account with 429.
    for (const batch of batches(sendable, MAX_BATCH)) {
      const newMediaItems: NewMediaItem[] = batch.map((i) => ({
        description: uploads[i].file.description || undefined,
        simpleMediaItem: { uploadToken: uploads[i].receipt.token, fileName: uploads[i].file.fileName },
      }));
      const outcomes = await this.library.batchCreateMediaItems({ albumId: containerId, newMediaItems }, signal);
      batch.forEach((index, j) => {
        const outcome = outcomes[j];
        if (outcome.ok && outcome.mediaItem) {
          results[index] = { ok: true, item: toRemoteItem(outcome.mediaItem) };
          return;
        }
        const status = rpcCodeName(outcome.status?.code || 2);
        const message = `${outcome.status?.message ?? 'Google did not create this item.'} (${status})`;
        results[index] = { ok: false, outcome: TOKEN_STATUS.has(status) ? 'resend' : RETRYABLE_ITEM_STATUS.has(status) ? 'retry' : 'rejected', message };
      });
    }
    return results;
  }

  async addToContainer(containerId: string, itemIds: readonly string[], signal?: AbortSignal): Promise<void> {
    try {
      for (const batch of batches([...new Set(itemIds)], MAX_BATCH)) await this.library.batchAddMediaItems(containerId, batch, signal);
    } catch (err) {
      // The user deleted the album in Google Photos: the pipeline forgets it and makes it again.
      if (err instanceof GoogleApiError && err.httpStatus === 404) throw new ContainerGoneError(containerId, `The album was deleted in Google Photos (${err.message}).`);
      throw err;
    }
  }

  async removeFromContainer(containerId: string, itemIds: readonly string[], signal?: AbortSignal): Promise<void> {
    for (const batch of batches([...new Set(itemIds)], MAX_BATCH)) await this.library.batchRemoveMediaItems(containerId, batch, signal);
  }

  /**
   * Streams the item's bytes at its baseUrl, fetching a fresh one (mediaItems.get) when it has none or
   * it expired. A video Google is still processing throws ItemNotReadyError instead of asking `=dv`.
   */
  async openDownload(item: RemoteItem, signal?: AbortSignal): Promise<DownloadStream> {
    assertReady(item);
    const usable = item.download && (item.download.expiresAt === undefined || item.download.expiresAt > this.now());
    return openBaseUrl(this.http, usable ? item : toRemoteItem(await this.library.getMediaItem(item.id, signal), this.now()), signal);
  }

  /** `=wS-hS-c` at the item's baseUrl (thumbnail.ts); an expired one throws DownloadRefusedError. */
  thumbnail(item: RemoteItem, size: number, signal?: AbortSignal): Promise<Uint8Array> {
    return fetchThumbnail(this.http, item, size, signal);
  }

  /**
   * Streams the bytes to `write`, always with a fresh baseUrl and status (mediaItems.get): a video
   * still processing throws ItemNotReadyError. Returns the byte count.
   */
  async download(item: RemoteItem, write: (chunk: Uint8Array) => Promise<void>, signal?: AbortSignal, options?: DownloadOptions): Promise<number> {
    const fresh = toRemoteItem(await this.library.getMediaItem(item.id, signal), this.now());
    const reader = (await openBaseUrl(this.http, fresh, signal)).body.getReader();
    let total = 0;
    // baseUrl downloads are whole files: bytes the caller has already are skipped, not written twice.
    let skip = options?.from ?? 0;
    try {
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        let chunk = next.value;
        if (skip > 0) {
          const drop = Math.min(skip, chunk.byteLength);
          skip -= drop;
          chunk = chunk.subarray(drop);
          if (chunk.byteLength === 0) continue;
        }
        total += chunk.byteLength;
        await write(chunk);
      }
    } catch (err) {
      await reader.cancel().catch(() => undefined);
      throw err;
    }
    return total;
  }
}

/** Why Google would reject this item, checked up front; undefined when it looks fine. */
export function validateForCreate(file: Pick<LocalUpload, 'fileName' | 'description'>): string | undefined {
  if (!file.fileName.trim()) return 'The file name is empty.';
  if ([...file.fileName].length > MAX_FILE_NAME_LENGTH) return `Google Photos accepts file names of at most ${MAX_FILE_NAME_LENGTH} characters; rename "${file.fileName.slice(0, 40)}…".`;
  if (file.description && [...file.description].length > MAX_DESCRIPTION_LENGTH) return `Google Photos accepts descriptions of fewer than 1000 characters; shorten the description of ${file.fileName}.`;
  return undefined;
}

export function toContainer(album: Album): RemoteContainer {
  // Since 2025 the Library API lists only albums this app created, and those it may add to.
  return { id: album.id, title: album.title ?? '', itemCount: album.mediaItemsCount !== undefined ? Number(album.mediaItemsCount) : 0, writable: true };
}

/** A journaled resumable session; the granularity is kept so a resumed session keeps its chunk size. */
function parseSession(text: string | undefined): ResumableSession | undefined {
  if (!text) return undefined;
  try {
    const s = JSON.parse(text) as { url?: unknown; offset?: unknown; granularity?: unknown };
    if (typeof s.url !== 'string') return undefined;
    return { sessionUrl: s.url, offset: Number(s.offset) || 0, granularity: Number(s.granularity) || 0 };
  } catch {
    return undefined;
  }
}

/** A Library media item in the pipelines' words; `listedAt` (epoch ms) dates its baseUrl. */
export function toRemoteItem(item: MediaItem, listedAt = Date.now()): RemoteItem {
  const meta = item.mediaMetadata;
  const camera = meta?.photo ?? meta?.video;
  const status = meta?.video?.status;
  const remote: RemoteItem = {
    id: item.id,
    filename: item.filename ?? '',
    mimeType: item.mimeType ?? 'application/octet-stream',
    creationTime: meta?.creationTime,
    description: item.description,
    width: meta?.width !== undefined ? Number(meta.width) : undefined,
    height: meta?.height !== undefined ? Number(meta.height) : undefined,
    cameraMake: camera?.cameraMake,
    cameraModel: camera?.cameraModel,
    webUrl: item.productUrl,
  };
  remote.kind = meta?.video || isVideoItem(remote) ? 'video' : 'photo';
  if (meta?.video) remote.status = status === 'PROCESSING' ? 'processing' : status === 'FAILED' ? 'failed' : 'ready';
  if (item.baseUrl) remote.download = { url: item.baseUrl, expiresAt: listedAt + BASE_URL_LIFETIME_MS };
  return remote;
}

/** "2024-05-01" → Google's Date message. */
function googleDate(day: string): { year: number; month: number; day: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw new RangeError(`"${day}" is not a calendar day (YYYY-MM-DD).`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

const HTTP_FOR_RPC: Record<string, number> = { INVALID_ARGUMENT: 400, NOT_FOUND: 404, PERMISSION_DENIED: 403, RESOURCE_EXHAUSTED: 429, UNAUTHENTICATED: 401, FAILED_PRECONDITION: 400, UNAVAILABLE: 503, INTERNAL: 500 };

function statusError(code: number | undefined, message: string): GoogleApiError {
  const name = rpcCodeName(code || 2);
  return new GoogleApiError(HTTP_FOR_RPC[name] ?? 500, name, message);
}

function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
