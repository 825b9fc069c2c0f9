import { authenticate, requireAnyScope } from '../auth';
import { issueBaseUrl, requesterSub } from '../baseurls';
import type { RequestContext } from '../context';
import { type ApiError, invalidArgument } from '../http';
import { LIBRARY_METHOD_SCOPES } from '../scopes';
import { videoStatus, type AccessTokenRecord, type AlbumRecord, type MediaItemRecord } from '../state';

export const SERVICE = 'photoslibrary.googleapis.com';

/** Who is calling: the user and the OAuth client (= the "app" whose creations are visible). */
export interface Caller {
  token: AccessTokenRecord;
  userSub: string;
  clientId: string;
  projectNumber: string;
}

/** Auth (401), current scopes (403), then the project's daily quota (429), in Google's order. */
export function admit(ctx: RequestContext, methodName: string): Caller {
  const rpc = `google.photos.library.v1.PhotosLibrary.${methodName}`;
  const token = authenticate(ctx.state, ctx.req, ctx.url, SERVICE, rpc);
  requireAnyScope(token, LIBRARY_METHOD_SCOPES[methodName] ?? [], SERVICE, rpc);
  const projectNumber = ctx.state.clients.get(token.clientId)?.projectNumber ?? '0';
  ctx.quota.chargeRequest(projectNumber);
  return { token, userSub: token.userSub, clientId: token.clientId, projectNumber };
}

/** Google formats timestamps without fractional seconds when they are whole. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

export function visibleItem(ctx: RequestContext, caller: Caller, id: string): MediaItemRecord | undefined {
  const item = ctx.state.mediaItems.get(id);
  if (!item || item.userSub !== caller.userSub || !item.createdBy.has(caller.clientId)) return undefined;
  return item;
}

export function visibleAlbum(ctx: RequestContext, caller: Caller, id: string): AlbumRecord | undefined {
  const album = ctx.state.albums.get(id);
  if (!album || album.userSub !== caller.userSub || album.clientId !== caller.clientId) return undefined;
  return album;
}

export const looksLikeId = (id: string): boolean => /^[A-Za-z0-9_-]{10,200}$/.test(id);

export function mediaItemJson(ctx: RequestContext, item: MediaItemRecord): Record<string, unknown> {
  const metadata: Record<string, unknown> = { creationTime: rfc3339(item.creationTime), width: String(item.width), height: String(item.height) };
  if (item.video) metadata.video = { ...(item.video.cameraMake ? { cameraMake: item.video.cameraMake } : {}), ...(item.video.cameraModel ? { cameraModel: item.video.cameraModel } : {}), status: videoStatus(item, ctx.state.clock.now()) };
  else metadata.photo = { ...(item.photo ?? {}) };
  const json: Record<string, unknown> = {
    id: item.id,
    productUrl: `https://photos.google.com/lr/photo/${item.id}`,
    baseUrl: issueBaseUrl(ctx.state, ctx.origin, item.id, 'library', item.userSub, requesterSub(ctx)),
    mimeType: item.mimeType,
    mediaMetadata: metadata,
    filename: item.filename,
  };
  if (item.description) json.description = item.description;
  return json;
}

export function albumItemIds(album: AlbumRecord): string[] {
  return album.entries.filter((e) => !e.startsWith('e:'));
}

export function albumJson(ctx: RequestContext, album: AlbumRecord): Record<string, unknown> {
  const items = albumItemIds(album);
  const json: Record<string, unknown> = { id: album.id, title: album.title, productUrl: `https://photos.google.com/lr/album/${album.id}`, isWriteable: true };
  if (items.length > 0) json.mediaItemsCount = String(items.length);
  const coverId = album.coverPhotoMediaItemId ?? items[0];
  const cover = coverId ? ctx.state.mediaItems.get(coverId) : undefined;
  if (cover) {
    json.coverPhotoBaseUrl = issueBaseUrl(ctx.state, ctx.origin, cover.id, 'library', cover.userSub, requesterSub(ctx));
    json.coverPhotoMediaItemId = cover.id;
  }
  return json;
}

/** Page tokens are opaque to clients; inside they bind the offset to the query that made them. */
export function encodePageToken(offset: number, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ o: offset, f: fingerprint })).toString('base64url');
}

export function decodePageToken(token: string | undefined, fingerprint: string): number {
  if (!token) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown; f?: unknown };
    if (typeof parsed.o === 'number' && parsed.o >= 0 && parsed.f === fingerprint) return parsed.o;
  } catch {
    // fall through
  }
  throw invalidArgument('Invalid page token.');
}

export function pageSize(value: unknown, def: number, max: number): number {
  if (value === undefined || value === null || value === '') return def;
  const n = Number(value);
  if (!Number.isInteger(n)) throw invalidArgument(`Invalid page size: ${String(value)}`);
  if (n < 0) throw invalidArgument('Page size must not be negative.');
  if (n === 0) return def;
  return Math.min(n, max);
}

export function page<T>(all: T[], offset: number, size: number, fingerprint: string): { items: T[]; nextPageToken?: string } {
  const items = all.slice(offset, offset + size);
  const next = offset + size < all.length ? encodePageToken(offset + size, fingerprint) : undefined;
  return next ? { items, nextPageToken: next } : { items };
}

/** Where new entries go in an album (AlbumPosition). Returns the insertion index into album.entries. */
export function insertionIndex(album: AlbumRecord, position: unknown): number {
  if (position === undefined || position === null) return album.entries.length;
  const p = position as { position?: string; relativeMediaItemId?: string; relativeEnrichmentItemId?: string };
  switch (p.position ?? 'POSITION_TYPE_UNSPECIFIED') {
    case 'FIRST_IN_ALBUM':
      return 0;
    case 'LAST_IN_ALBUM':
    case 'POSITION_TYPE_UNSPECIFIED':
      return album.entries.length;
    case 'AFTER_MEDIA_ITEM': {
      const i = p.relativeMediaItemId ? album.entries.indexOf(p.relativeMediaItemId) : -1;
      if (i < 0) throw invalidArgument('Invalid relativeMediaItemId: the media item is not in the album.');
      return i + 1;
    }
    case 'AFTER_ENRICHMENT_ITEM': {
      const i = p.relativeEnrichmentItemId ? album.entries.indexOf(`e:${p.relativeEnrichmentItemId}`) : -1;
      if (i < 0) throw invalidArgument('Invalid relativeEnrichmentItemId: the enrichment is not in the album.');
      return i + 1;
    }
    default:
      throw invalidArgument(`Invalid album position: ${String(p.position)}`);
  }
}

export const ALBUM_CAPACITY = 20_000;

export function albumFull(): ApiError {
  return invalidArgument(`Album would exceed the maximum of ${ALBUM_CAPACITY} media items.`);
}

export function stringField(body: Record<string, unknown>, name: string): string | undefined {
  const v = body[name];
  return typeof v === 'string' ? v : undefined;
}
