import { failedPrecondition, invalidArgument, notFound, type Reply } from '../http';
import { newLibraryId, randomId } from '../ids';
import type { RequestContext } from '../context';
import {
  ALBUM_CAPACITY,
  albumFull,
  albumItemIds,
  albumJson,
  decodePageToken,
  insertionIndex,
  page,
  pageSize,
  visibleAlbum,
  visibleItem,
  type Caller,
} from './common';
import type { LibraryArgs } from './routes';

const MAX_TITLE = 500;
const MAX_BATCH = 50;

function albumOrThrow(ctx: RequestContext, caller: Caller, id: string): ReturnType<typeof visibleAlbum> & object {
  const album = visibleAlbum(ctx, caller, id);
  if (!album) throw notFound();
  return album;
}

export function createAlbum(ctx: RequestContext, caller: Caller, { body }: LibraryArgs): Reply {
  const album = body.album as Record<string, unknown> | undefined;
  if (!album) throw invalidArgument('Request must contain an album.');
  const title = typeof album.title === 'string' ? album.title : '';
  if (title.length > MAX_TITLE) throw invalidArgument(`Album title must be at most ${MAX_TITLE} characters.`);
  const record = { id: newLibraryId(), userSub: caller.userSub, clientId: caller.clientId, title, entries: [], enrichments: new Map(), createdAt: ctx.state.clock.now() };
  ctx.state.albums.set(record.id, record);
  return { status: 200, body: albumJson(ctx, record) };
}

export function listAlbums(ctx: RequestContext, caller: Caller, { query }: LibraryArgs): Reply {
  const size = pageSize(query.get('pageSize'), 20, 50);
  const fingerprint = 'albums';
  const offset = decodePageToken(query.get('pageToken') ?? undefined, fingerprint);
  const all = [...ctx.state.albums.values()].filter((a) => a.userSub === caller.userSub && a.clientId === caller.clientId).sort((a, b) => b.createdAt - a.createdAt);
  const { items, nextPageToken } = page(all, offset, size, fingerprint);
  const body: Record<string, unknown> = {};
  if (items.length > 0) body.albums = items.map((a) => albumJson(ctx, a));
  if (nextPageToken) body.nextPageToken = nextPageToken;
  return { status: 200, body };
}

export function getAlbum(ctx: RequestContext, caller: Caller, { pathParams }: LibraryArgs): Reply {
  return { status: 200, body: albumJson(ctx, albumOrThrow(ctx, caller, pathParams.albumId)) };
}

export function patchAlbum(ctx: RequestContext, caller: Caller, { pathParams, query, body }: LibraryArgs): Reply {
  const album = albumOrThrow(ctx, caller, pathParams.id);
  const mask = query.get('updateMask');
  if (!mask) throw invalidArgument('updateMask is required.');
  const fields = mask.split(',').map((f) => f.trim());
  for (const f of fields) {
    if (f !== 'title' && f !== 'coverPhotoMediaItemId' && f !== 'cover_photo_media_item_id') throw invalidArgument(`Invalid updateMask field: ${f}. Only title and cover_photo_media_item_id can be updated.`);
  }
  if (fields.includes('title')) {
    const title = typeof body.title === 'string' ? body.title : '';
    if (title.length > MAX_TITLE) throw invalidArgument(`Album title must be at most ${MAX_TITLE} characters.`);
    album.title = title;
  }
  if (fields.includes('coverPhotoMediaItemId') || fields.includes('cover_photo_media_item_id')) {
    const cover = typeof body.coverPhotoMediaItemId === 'string' ? body.coverPhotoMediaItemId : '';
    if (!albumItemIds(album).includes(cover)) throw invalidArgument('The cover photo must be a media item in the album.');
    album.coverPhotoMediaItemId = cover;
  }
  return { status: 200, body: albumJson(ctx, album) };
}

function idList(body: Record<string, unknown>): string[] {
  const ids = body.mediaItemIds;
  if (!Array.isArray(ids) || ids.length === 0) throw invalidArgument('Request must contain at least one media item ID.');
  if (ids.length > MAX_BATCH) throw invalidArgument(`Request must contain at most ${MAX_BATCH} media item IDs.`);
  return ids as string[];
}

/** All or nothing: every id must be an item this app created. */
export function batchAddMediaItems(ctx: RequestContext, caller: Caller, { pathParams, body }: LibraryArgs): Reply {
  const foreign = ctx.state.albums.get(pathParams.albumId);
  if (foreign && foreign.userSub === caller.userSub && foreign.clientId !== caller.clientId) throw invalidArgument('No permission to add media items to this album.');
  const album = albumOrThrow(ctx, caller, pathParams.albumId);
  const ids = idList(body);
  for (const id of ids) {
    if (!visibleItem(ctx, caller, id)) throw invalidArgument(`Request contains an invalid media item id.`);
  }
  const fresh = [...new Set(ids)].filter((id) => !album.entries.includes(id));
  if (albumItemIds(album).length + fresh.length > ALBUM_CAPACITY) throw albumFull();
  album.entries.push(...fresh);
  for (const id of fresh) ctx.state.mediaItems.get(id)?.albumIds.add(album.id);
  return { status: 200, body: {} };
}

export function batchRemoveMediaItems(ctx: RequestContext, caller: Caller, { pathParams, body }: LibraryArgs): Reply {
  const album = albumOrThrow(ctx, caller, pathParams.albumId);
  const ids = idList(body);
  if (new Set(ids).size !== ids.length) throw invalidArgument('Request must not contain repeated media item IDs.');
  for (const id of ids) {
    if (!visibleItem(ctx, caller, id) || !album.entries.includes(id)) throw invalidArgument(`Request contains an invalid media item id.`);
  }
  album.entries = album.entries.filter((e) => !ids.includes(e));
  for (const id of ids) ctx.state.mediaItems.get(id)?.albumIds.delete(album.id);
  if (album.coverPhotoMediaItemId && ids.includes(album.coverPhotoMediaItemId)) album.coverPhotoMediaItemId = undefined;
  return { status: 200, body: {} };
}

export function addEnrichment(ctx: RequestContext, caller: Caller, { pathParams, body }: LibraryArgs): Reply {
  const album = albumOrThrow(ctx, caller, pathParams.albumId);
  const item = body.newEnrichmentItem as Record<string, unknown> | undefined;
  if (!item) throw invalidArgument('newEnrichmentItem is required.');
  const kinds = ['textEnrichment', 'locationEnrichment', 'mapEnrichment'].filter((k) => item[k] !== undefined && item[k] !== null);
  if (kinds.length !== 1) throw invalidArgument('newEnrichmentItem must contain exactly one of textEnrichment, locationEnrichment or mapEnrichment.');
  if (kinds[0] === 'textEnrichment' && typeof (item.textEnrichment as { text?: unknown }).text !== 'string') throw invalidArgument('textEnrichment.text is required.');
  if (body.albumPosition === undefined) throw invalidArgument('albumPosition is required.');
  if (albumItemIds(album).length === 0 && album.entries.length === 0 && (body.albumPosition as { position?: string }).position?.startsWith('AFTER_')) {
    throw failedPrecondition('The album is empty; there is nothing to position after.');
  }
  const index = insertionIndex(album, body.albumPosition);
  const id = `${newLibraryId().slice(0, 40)}${randomId(8)}`;
  album.enrichments.set(id, { id, item });
  album.entries.splice(index, 0, `e:${id}`);
  return { status: 200, body: { enrichmentItem: { id } } };
}
