// The user in Google Photos' web UI, for tests: `{control}/library/…`. What an app cannot do through
// the Library API (delete media, remove items from albums it did not create, delete albums) a person
// can do in the web app; verify and two-way sync must notice it. Never reachable from the Google paths.
import type { RequestContext } from '../context';
import { invalidArgument, notFound, type Reply } from '../http';
import type { EmulatorState } from '../state';

/**
 * POST /library/mediaItems/<id>/delete — the user deleted the item (moved to the bin): gone from the
 *   library and from every album; batchGet answers NOT_FOUND; identical bytes uploaded again make a new item.
 * POST /library/albums/<id>/remove {"mediaItemIds":[…]} — the user removed items from the album (they stay in the library).
 * POST /library/albums/<id>/delete — the user deleted the album (its items stay in the library).
 * POST /library/albums/<id> {"title":"…"} — the user renamed the album.
 */
export async function libraryControl(ctx: RequestContext, state: EmulatorState): Promise<Reply | undefined> {
  const { method, path } = ctx;
  if (method !== 'POST' || !path.startsWith('/library/')) return undefined;
  const del = /^\/library\/mediaItems\/([^/]+)\/delete$/.exec(path);
  if (del) {
    const id = decodeURIComponent(del[1]);
    const item = state.mediaItems.get(id);
    if (!item) throw notFound(`No media item ${id}`);
    for (const albumId of item.albumIds) {
      const album = state.albums.get(albumId);
      if (!album) continue;
      album.entries = album.entries.filter((e) => e !== id);
      if (album.coverPhotoMediaItemId === id) album.coverPhotoMediaItemId = undefined;
    }
    state.mediaItems.delete(id);
    for (const [key, value] of state.itemsByHash) if (value === id) state.itemsByHash.delete(key);
    return { status: 200, body: { deleted: id } };
  }
  const albumPath = /^\/library\/albums\/([^/]+)(\/remove|\/delete)?$/.exec(path);
  if (!albumPath) return undefined;
  const albumId = decodeURIComponent(albumPath[1]);
  const album = state.albums.get(albumId);
  if (!album) throw notFound(`No album ${albumId}`);
  if (albumPath[2] === '/delete') {
    for (const e of album.entries) state.mediaItems.get(e)?.albumIds.delete(albumId);
    state.albums.delete(albumId);
    return { status: 200, body: { deleted: albumId } };
  }
  const body = await ctx.json();
  if (albumPath[2] === '/remove') {
    const ids = body.mediaItemIds;
    if (!Array.isArray(ids) || !ids.every((i) => typeof i === 'string')) throw invalidArgument('Body must be {"mediaItemIds":["…"]}');
    album.entries = album.entries.filter((e) => !ids.includes(e));
    for (const id of ids as string[]) state.mediaItems.get(id)?.albumIds.delete(albumId);
    if (album.coverPhotoMediaItemId && ids.includes(album.coverPhotoMediaItemId)) album.coverPhotoMediaItemId = undefined;
    return { status: 200, body: { removed: ids.length } };
  }
  if (typeof body.title !== 'string') throw invalidArgument('Body must be {"title":"…"}');
  album.title = body.title;
  return { status: 200, body: { renamed: albumId, title: album.title } };
}
