import type { RequestContext } from '../context';
import { readImageFacts } from '../exif';
import { ApiError, invalidArgument, notFound, type Reply } from '../http';
import { newLibraryId } from '../ids';
import { probeMedia } from '../media-probe';
import { extensionFor } from '../mime';
import type { MediaItemRecord, UploadTokenRecord } from '../state';
import { ALBUM_CAPACITY, albumFull, albumItemIds, insertionIndex, mediaItemJson, visibleAlbum, type Caller } from './common';
import type { LibraryArgs } from './routes';

const MAX_ITEMS = 50;
const MAX_FILE_NAME = 255;
const MAX_DESCRIPTION = 1000;
const CREATE_FAILED = 'Failed: There was an error while trying to create this media item.';
/** Google's whole-request answer to an empty token (seen in gphotosuploader/gphotos-uploader-cli#132). */
const NO_UPLOAD_TOKEN = 'Request must contain a valid upload token.';

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

function failure(uploadToken: string, code: number, message: string): ItemResult {
  return { uploadToken, status: { code, message } };
}

/** One item whose simpleMediaItem.uploadToken batchCreate already checked is a non-empty string. */
async function createOne(ctx: RequestContext, caller: Caller, n: NewItem & { simpleMediaItem: { uploadToken: string; fileName?: unknown } }): Promise<{ result: ItemResult; item?: MediaItemRecord }> {
  const token = n.simpleMediaItem.uploadToken;
  const fileName = typeof n.simpleMediaItem.fileName === 'string' ? n.simpleMediaItem.fileName : undefined;
  if (fileName !== undefined && fileName.length > MAX_FILE_NAME) return { result: failure(token, 3, `Invalid file name: must be at most ${MAX_FILE_NAME} characters.`) };
  const description = typeof n.description === 'string' ? n.description : undefined;
  if (description !== undefined && description.length >= MAX_DESCRIPTION) return { result: failure(token, 3, `Invalid description: must be shorter than ${MAX_DESCRIPTION} characters.`) };

  const upload: UploadTokenRecord | undefined = ctx.state.uploadTokens.get(token);
  const now = ctx.state.clock.now();
  if (!upload || upload.userSub !== caller.userSub || upload.clientId !== caller.clientId || upload.expiresAt <= now) return { result: failure(token, 3, CREATE_FAILED) };
  const bytes = ctx.state.blobs.get(upload.sha256);
  // Bytes with no decodable photo or video in them cannot become an item (the upload itself succeeded).
  const probe = bytes ? probeMedia(bytes) : undefined;
  if (!bytes || !probe?.ok) return { result: failure(token, 3, CREATE_FAILED) };

  // Server-side dedup: the same bytes in the same library are the same media item (first filename wins).
  const dedupKey = `${caller.userSub} ${upload.sha256}`;
  const existing = ctx.state.mediaItems.get(ctx.state.itemsByHash.get(dedupKey) ?? '');
  if (existing) {
    existing.createdBy.add(caller.clientId);
    return { result: { uploadToken: token, status: { message: 'Success' }, mediaItem: mediaItemJson(ctx, existing) }, item: existing };
  }
  const video = probe.kind === 'video';
  const facts = video ? undefined : await readImageFacts(bytes);
  const takenAt = facts?.takenAt ?? probe.createdAt;
  const item: MediaItemRecord = {
    id: newLibraryId(),
    userSub: caller.userSub,
    createdBy: new Set([caller.clientId]),
    sha256: upload.sha256,
    filename: fileName ?? upload.fileName ?? `${video ? 'VID' : 'IMG'}_${new Date(now).toISOString().replace(/\D/g, '').slice(0, 14)}.${extensionFor(probe.mimeType)}`,
    description,
    mimeType: probe.mimeType,
    creationTime: takenAt ?? upload.createdAt,
    hasCaptureTime: takenAt !== undefined,
    uploadedAt: now,
    width: probe.width,
    height: probe.height,
    photo: facts?.photo,
    video: video ? { readyAt: now + ctx.state.videoProcessingMs } : undefined,
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
  // One item without a token fails the whole request, not just its own result.
  const withTokens = (items as NewItem[]).filter((n): n is Parameters<typeof createOne>[2] => typeof n?.simpleMediaItem?.uploadToken === 'string' && n.simpleMediaItem.uploadToken !== '');
  if (withTokens.length !== items.length) throw invalidArgument(NO_UPLOAD_TOKEN);
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
  for (const n of withTokens) created.push(await createOne(ctx, caller, n));

  if (album) {
    const fresh = [...new Set(created.flatMap((c) => (c.item && !album.entries.includes(c.item.id) ? [c.item.id] : [])))];
    if (albumItemIds(album).length + fresh.length > ALBUM_CAPACITY) throw albumFull();
    album.entries.splice(index, 0, ...fresh);
    for (const id of fresh) ctx.state.mediaItems.get(id)?.albumIds.add(album.id);
  }
  return { status: 200, body: { newMediaItemResults: created.map((c) => c.result) } };
}
