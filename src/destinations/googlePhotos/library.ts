import type { GoogleHttp, GoogleRequest } from '../../google/http';
import { Scopes } from '../../google/scopes';
import type { Album, AlbumPosition, MediaItem, MediaItemResult, NewMediaItem, NewMediaItemResult, SearchMediaItemsRequest, Status } from './types';

/**
 * Names given to GoogleHttp's `onRequest` for each Library API method (the discovery document's
 * method id without the `photoslibrary.` prefix) plus the byte uploads.
 */
export type LibraryEndpoint =
  | 'albums.create'
  | 'albums.list'
  | 'albums.get'
  | 'albums.patch'
  | 'albums.batchAddMediaItems'
  | 'albums.batchRemoveMediaItems'
  | 'mediaItems.batchCreate'
  | 'mediaItems.list'
  | 'mediaItems.search'
  | 'mediaItems.get'
  | 'mediaItems.batchGet'
  | 'mediaItems.patch'
  | 'uploads';

/** Google's per-call limit for batchCreate, batchGet, batchAddMediaItems and batchRemoveMediaItems. */
export const MAX_BATCH = 50;
export const ALBUMS_MAX_PAGE_SIZE = 50;
export const MEDIA_ITEMS_MAX_PAGE_SIZE = 100;

const READ = [Scopes.readAppCreated];
const APPEND = [Scopes.appendOnly];
const EDIT = [Scopes.editAppCreated];

/** One item of a batchCreate answer, already judged. */
export interface BatchCreateOutcome {
  uploadToken: string;
  /** True when Google returned a media item and no error code (messages are not compared). */
  ok: boolean;
  mediaItem?: MediaItem;
  status?: Status;
}

export interface BatchCreateRequest {
  albumId?: string;
  newMediaItems: readonly NewMediaItem[];
  albumPosition?: AlbumPosition;
}

/** Typed calls of the Photos Library API v1 (only what still works since 2025-03-31). */
export class PhotosLibrary {
  private readonly base: string;

  /** `libraryRoot` is the `library` endpoint, e.g. https://photoslibrary.googleapis.com. */
  constructor(
    private readonly http: GoogleHttp,
    libraryRoot: string,
  ) {
    this.base = `${libraryRoot.replace(/\/+$/, '')}/v1`;
  }

  // ---- albums ----

  createAlbum(title: string, signal?: AbortSignal): Promise<Album> {
    return this.call<Album>('albums.create', APPEND, 'POST', '/albums', { json: { album: { title } }, signal });
  }

  listAlbums(options: { pageSize?: number; signal?: AbortSignal } = {}): AsyncIterable<Album> {
    const pageSize = Math.min(options.pageSize ?? ALBUMS_MAX_PAGE_SIZE, ALBUMS_MAX_PAGE_SIZE);
    return this.pages<Album>('albums', (pageToken) =>
      this.call('albums.list', READ, 'GET', `/albums${query({ pageSize, pageToken })}`, { signal: options.signal }),
    );
  }

  getAlbum(albumId: string, signal?: AbortSignal): Promise<Album> {
    return this.call<Album>('albums.get', READ, 'GET', `/albums/${seg(albumId)}`, { signal });
  }

  /** Changes the title and/or cover photo; only the fields given are sent in `updateMask`. */
  patchAlbum(albumId: string, changes: { title?: string; coverPhotoMediaItemId?: string }, signal?: AbortSignal): Promise<Album> {
    const updateMask = (['title', 'coverPhotoMediaItemId'] as const).filter((k) => changes[k] !== undefined);
    if (updateMask.length === 0) throw new RangeError('patchAlbum needs a title or a cover photo to change.');
    return this.call<Album>('albums.patch', EDIT, 'PATCH', `/albums/${seg(albumId)}${query({ updateMask: updateMask.join(',') })}`, {
      json: { id: albumId, ...changes },
      signal,
    });
  }

  /** All or nothing: Google adds every id or fails the call. */
  async batchAddMediaItems(albumId: string, mediaItemIds: readonly string[], signal?: AbortSignal): Promise<void> {
    checkBatch(mediaItemIds.length, 'batchAddMediaItems');
    await this.call('albums.batchAddMediaItems', APPEND, 'POST', `/albums/${seg(albumId)}:batchAddMediaItems`, { json: { mediaItemIds }, signal });
  }

  async batchRemoveMediaItems(albumId: string, mediaItemIds: readonly string[], signal?: AbortSignal): Promise<void> {
    checkBatch(mediaItemIds.length, 'batchRemoveMediaItems');
    if (new Set(mediaItemIds).size !== mediaItemIds.length) throw new RangeError('batchRemoveMediaItems takes each id once.');
    await this.call('albums.batchRemoveMediaItems', EDIT, 'POST', `/albums/${seg(albumId)}:batchRemoveMediaItems`, { json: { mediaItemIds }, signal });
  }

  // ---- media items ----

  /** Creates media items from upload tokens; one outcome per requested item, in request order. */
  async batchCreateMediaItems(request: BatchCreateRequest, signal?: AbortSignal): Promise<BatchCreateOutcome[]> {
    checkBatch(request.newMediaItems.length, 'batchCreate');
    const answer = await this.call<{ newMediaItemResults?: NewMediaItemResult[] }>('mediaItems.batchCreate', APPEND, 'POST', '/mediaItems:batchCreate', {
      json: { albumId: request.albumId, newMediaItems: request.newMediaItems, albumPosition: request.albumPosition },
      signal,
    });
    return judgeBatchCreate(request.newMediaItems, answer.newMediaItemResults ?? []);
  }

  listMediaItems(options: { pageSize?: number; signal?: AbortSignal } = {}): AsyncIterable<MediaItem> {
    const pageSize = Math.min(options.pageSize ?? MEDIA_ITEMS_MAX_PAGE_SIZE, MEDIA_ITEMS_MAX_PAGE_SIZE);
    return this.pages<MediaItem>('mediaItems', (pageToken) =>
      this.call('mediaItems.list', READ, 'GET', `/mediaItems${query({ pageSize, pageToken })}`, { signal: options.signal }),
    );
  }

  /** Album contents (`albumId`) or a filtered search (`filters`), never both — Google rejects that. */
  searchMediaItems(request: SearchMediaItemsRequest, signal?: AbortSignal): AsyncIterable<MediaItem> {
    const pageSize = Math.min(request.pageSize ?? MEDIA_ITEMS_MAX_PAGE_SIZE, MEDIA_ITEMS_MAX_PAGE_SIZE);
    return this.pages<MediaItem>('mediaItems', (pageToken) =>
      this.call('mediaItems.search', READ, 'POST', '/mediaItems:search', { json: { ...request, pageSize, pageToken }, signal }),
    );
  }

  getMediaItem(mediaItemId: string, signal?: AbortSignal): Promise<MediaItem> {
    return this.call<MediaItem>('mediaItems.get', READ, 'GET', `/mediaItems/${seg(mediaItemId)}`, { signal });
  }

  /** One result per id, in the order given; a missing or foreign item comes back with a status. */
  async batchGetMediaItems(mediaItemIds: readonly string[], signal?: AbortSignal): Promise<MediaItemResult[]> {
    checkBatch(mediaItemIds.length, 'batchGet');
    if (new Set(mediaItemIds).size !== mediaItemIds.length) throw new RangeError('batchGet takes each id once.');
    const answer = await this.call<{ mediaItemResults?: MediaItemResult[] }>('mediaItems.batchGet', READ, 'GET', `/mediaItems:batchGet${query({ mediaItemIds })}`, { signal });
    const results = answer.mediaItemResults ?? [];
    return mediaItemIds.map((_, i) => results[i] ?? { status: { code: 2, message: 'No result returned for this item.' } });
  }

  /** Only the description can be changed. */
  patchMediaItem(mediaItemId: string, description: string, signal?: AbortSignal): Promise<MediaItem> {
    return this.call<MediaItem>('mediaItems.patch', EDIT, 'PATCH', `/mediaItems/${seg(mediaItemId)}${query({ updateMask: 'description' })}`, {
      json: { id: mediaItemId, description },
      signal,
    });
  }

  // ---- plumbing ----

  private call<T>(endpoint: LibraryEndpoint, scopes: readonly string[], method: GoogleRequest['method'], path: string, extra: { json?: unknown; signal?: AbortSignal }): Promise<T> {
    return this.http.json<T>({ endpoint, scopes, method, url: `${this.base}${path}`, ...extra });
  }

  private async *pages<T>(field: string, fetchPage: (pageToken: string | undefined) => Promise<Record<string, unknown>>): AsyncIterable<T> {
    let pageToken: string | undefined;
    do {
      const page = await fetchPage(pageToken);
      const items = page[field];
      if (Array.isArray(items)) yield* items as T[];
      // The presence of nextPageToken is the only reliable sign of more pages.
      pageToken = typeof page.nextPageToken === 'string' && page.nextPageToken ? page.nextPageToken : undefined;
    } while (pageToken);
  }
}

/** Pairs each requested item with its result (by upload token, else by position) and judges it. */
export function judgeBatchCreate(requested: readonly NewMediaItem[], results: readonly NewMediaItemResult[]): BatchCreateOutcome[] {
  const byToken = new Map<string, NewMediaItemResult>();
  for (const r of results) if (r.uploadToken && !byToken.has(r.uploadToken)) byToken.set(r.uploadToken, r);
  return requested.map((item, i) => {
    const uploadToken = item.simpleMediaItem.uploadToken;
    const result = byToken.get(uploadToken) ?? (results[i] && !results[i].uploadToken ? results[i] : undefined);
    if (!result) return { uploadToken, ok: false, status: { code: 2, message: 'Google returned no result for this item.' } };
    const ok = result.mediaItem !== undefined && (result.status?.code ?? 0) === 0;
    return { uploadToken, ok, mediaItem: result.mediaItem, status: result.status };
  });
}

function checkBatch(count: number, method: string): void {
  if (count === 0) throw new RangeError(`${method} needs at least one item.`);
  if (count > MAX_BATCH) throw new RangeError(`${method} takes at most ${MAX_BATCH} items per call, got ${count}.`);
}

function seg(id: string): string {
  return encodeURIComponent(id);
}

/** Builds a query string; arrays repeat the key (mediaItemIds=a&mediaItemIds=b); undefined is left out. */
export function query(params: Record<string, string | number | readonly string[] | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) search.append(key, v);
    else search.append(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
