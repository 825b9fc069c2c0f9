import type { RequestContext } from '../context';
import { readImageFacts } from '../exif';
import { ApiError, invalidArgument, notFound, type Reply } from '../http';
import { newLibraryId } from '../ids';
import { isVideoMime, sniffMime } from '../mime';
import type { MediaItemRecord, UploadTokenRecord } from '../state';
import { ALBUM_CAPACITY, albumFull, albumItemIds, insertionIndex, mediaItemJson, visibleAlbum, type Caller } from './common';
import type { LibraryArgs } from './routes';

const MAX_ITEMS = 50;
const MAX_FILE_NAME = 255;
const MAX_DESCRIPTION = 1000;
const CREATE_FAILED = 'Failed: There was an error while trying to create this media item.';

/** Users with a batchCreate in flight: Google rejects a second concurrent one for the same user. */
const inFlight = new WeakMap<object, Set<string>>();

/** Takes the per-user write lock or answers 429; the lock is released after the response is sent. */
export function lockUserWrites(ctx: RequestContext, caller: Caller): void {
  let users = inFlight.get(ctx.state);
  if (!users) {
    users = new Set();
    inFlight.set(ctx.state, users);
  }
  const key = `${caller.userSub} ${caller.clientId}`;
  if (users.has(key)) {
    throw new ApiError(429, 'RESOURCE_EXHAUSTED', 'Too many requests: concurrent write request for this user. Send mediaItems.batchCreate calls for one user one at a time.');
  }
  users.add(key);
  const held = users;
  ctx.afterResponse.push(() => held.delete(key));
}

interface NewItem {
  description?: unknown;
  simpleMediaItem?: { uploadToken?: unknown; fileName?: unknown };
}

type ItemResult = { uploadToken?: string; status: { code?: number; message: string }; mediaItem?: Record<string, unknown> };

function failure(uploadToken: string | undefined, code: number, message: string): ItemResult {
  return uploadToken === undefined ? { status: { code, message } } : { uploadToken, status: { code, message } };
}

async function createOne(ctx: RequestContext, caller: Caller, n: NewItem): Promise<{ result: ItemResult; item?: MediaItemRecord }> {
  const token = typeof n.simpleMediaItem?.uploadToken === 'string' ? n.simpleMediaItem.uploadToken : undefined;
  if (!n.simpleMediaItem || !token) return { result: failure(token, 3, 'simpleMediaItem.uploadToken is required.') };
  const fileName = typeof n.simpleMediaItem.fileName === 'string' ? n.simpleMediaItem.fileName : undefined;
  if (fileName !== undefined && fileName.length > MAX_FILE_NAME) return { result: failure(token, 3, `Invalid file name: must be at most ${MAX_FILE_NAME} characters.`) };
  const description = typeof n.description === 'string' ? n.description : undefined;
  if (description !== undefined && description.length >= MAX_DESCRIPTION) return { result: failure(token, 3, `Invalid description: must be shorter than ${MAX_DESCRIPTION} characters.`) };

  const upload: UploadTokenRecord | undefined = ctx.state.uploadTokens.get(token);
  const now = ctx.state.clock.now();
  if (!upload || upload.userSub !== caller.userSub || upload.clientId !== caller.clientId || upload.expiresAt <= now) return { result: failure(token, 3, CREATE_FAILED) };
  const bytes = ctx.state.blobs.get(upload.sha256);
  const sniffed = bytes ? sniffMime(bytes) : undefined;
  if (!bytes || !sniffed) return { result: failure(token, 3, CREATE_FAILED) };

  // Server-side dedup: the same bytes in the same library are the same media item (first filename wins).
  const dedupKey = `${caller.userSub} ${upload.sha256}`;
  const existing = ctx.state.mediaItems.get(ctx.state.itemsByHash.get(dedupKey) ?? '');
  if (existing) {
    existing.createdBy.add(caller.clientId);
    return { result: { uploadToken: token, status: { message: 'Success' }, mediaItem: mediaItemJson(ctx, existing) }, item: existing };
  }
  const video = isVideoMime(sniffed);
  const facts = video ? undefined : await readImageFacts(bytes);
  const item: MediaItemRecord = {
    id: newLibraryId(),
    userSub: caller.userSub,
    createdBy: new Set([caller.clientId]),
    sha256: upload.sha256,
    filename: fileName ?? upload.fileName ?? `${video ? 'VID' : 'IMG'}_${new Date(now).toISOString().replace(/\D/g, '').slice(0, 14)}.${sniffed.split('/')[1] === 'jpeg' ? 'jpg' : sniffed.split('/')[1]}`,
    description,
    mimeType: sniffed,
    creationTime: facts?.takenAt ?? upload.createdAt,
    hasCaptureTime: facts?.takenAt !== undefined,
    uploadedAt: now,
    width: facts?.width ?? 0,
    height: facts?.height ?? 0,
    photo: facts?.photo,
    video: video ? { status: 'READY' } : undefined,
    albumIds: new Set(),
    seeded: false,
  };
  ctx.state.mediaItems.set(item.id, item);
  ctx.state.itemsByHash.set(dedupKey, item.id);
  return { result: { uploadToken: token, status: { message: 'Success' }, mediaItem: mediaItemJson(ctx, item) }, item };
}

export async function batchCreate(ctx: RequestContext, caller: Caller, { body }: LibraryArgs): Promise<Reply> {
  const items = body.newMediaItems;
  if (!Array.isArray(items) || items.length === 0) throw invalidArgument('Request must contain at least one newMediaItem.');
  if (items.length > MAX_ITEMS) throw invalidArgument(`Request must contain at most ${MAX_ITEMS} newMediaItems.`);
  const albumId = typeof body.albumId === 'string' && body.albumId !== '' ? body.albumId : undefined;
  if (body.albumPosition !== undefined && !albumId) throw invalidArgument('albumPosition can only be set together with albumId.');
  const album = albumId ? visibleAlbum(ctx, caller, albumId) : undefined;
  if (albumId && !album) {
    const other = ctx.state.albums.get(albumId);
    // Google answers an album the app did not create with INVALID_ARGUMENT, not PERMISSION_DENIED.
    if (other && other.userSub === caller.userSub) throw invalidArgument('No permission to add media items to this album.');
    throw notFound();
  }
  const index = album ? insertionIndex(album, body.albumPosition) : 0;

  const created: { result: ItemResult; item?: MediaItemRecord }[] = [];
  for (const n of items as NewItem[]) created.push(await createOne(ctx, caller, n));

  if (album) {
    const fresh = [...new Set(created.flatMap((c) => (c.item && !album.entries.includes(c.item.id) ? [c.item.id] : [])))];
    if (albumItemIds(album).length + fresh.length > ALBUM_CAPACITY) throw albumFull();
    album.entries.splice(index, 0, ...fresh);
    for (const id of fresh) ctx.state.mediaItems.get(id)?.albumIds.add(album.id);
  }
  return { status: 200, body: { newMediaItemResults: created.map((c) => c.result) } };
}
