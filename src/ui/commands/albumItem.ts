// The album item context menu in the sidebar. Google's API cannot delete photos or videos (from
// anywhere, for any app): where a user looks for Delete, Photo Sync says so and offers what is
// possible — open the item in Google Photos (delete it there) or take it out of the app's album.
import type { DownloadCommandDeps } from './downloadSteps';

/** What an album item row carries (src/ui/albumItemNodes.ts). */
export interface AlbumItemArg {
  albumId: string;
  albumTitle: string;
  mediaItemId: string;
  filename: string;
  productUrl?: string;
}

function isItem(arg: unknown): arg is AlbumItemArg {
  const a = arg as Partial<AlbumItemArg> | undefined;
  return typeof a?.albumId === 'string' && typeof a.mediaItemId === 'string';
}

export const DELETE_IMPOSSIBLE = 'Google Photos does not let apps delete photos or videos — not Photo Sync, not any app.';

export async function openInGooglePhotos(deps: DownloadCommandDeps, arg: unknown): Promise<void> {
  if (!isItem(arg)) return;
  if (!arg.productUrl) {
    void deps.vs.window.showWarningMessage(`Photo Sync does not know where “${arg.filename}” is in Google Photos yet; download or sync the album once to learn it.`);
    return;
  }
  await deps.vs.env.openExternal(deps.vs.Uri.parse(arg.productUrl, true));
}

export async function removeFromAlbum(deps: DownloadCommandDeps, arg: unknown): Promise<boolean> {
  if (!isItem(arg)) return false;
  const { vs } = deps;
  const go = await vs.window.showWarningMessage(
    `Remove “${arg.filename}” from the album “${arg.albumTitle}”?`,
    { modal: true, detail: `It stays in your Google Photos library and in your folders; only the album loses it. ${DELETE_IMPOSSIBLE}` },
    'Remove from Album',
  );
  if (go !== 'Remove from Album') return false;
  const session = await deps.session();
  if (!session) return false;
  try {
    await session.pipeline.provider.removeFromContainer(arg.albumId, [arg.mediaItemId]);
  } catch (err) {
    deps.log.error(err as Error);
    void vs.window.showErrorMessage(`Could not remove “${arg.filename}” from “${arg.albumTitle}”: ${(err as Error).message}`);
    return false;
  }
  await session.index.write((w) => w.mediaItems.removeFromAlbum(arg.albumId, [arg.mediaItemId]));
  deps.refresh();
  void vs.window.showInformationMessage(`Removed “${arg.filename}” from “${arg.albumTitle}”. It is still in your Google Photos library.`);
  return true;
}

/** "Delete from Google Photos…": says plainly that it is impossible, and offers what is possible. */
export async function deleteFromGooglePhotos(deps: DownloadCommandDeps, arg: unknown): Promise<void> {
  if (!isItem(arg)) return;
  const choice = await deps.vs.window.showWarningMessage(
    `Photo Sync cannot delete “${arg.filename}”.`,
    { modal: true, detail: `${DELETE_IMPOSSIBLE} Open it in Google Photos to delete it there (it stays in the trash for 60 days), or remove it from the album “${arg.albumTitle}”.` },
    'Open in Google Photos',
    'Remove from Album',
  );
  if (choice === 'Open in Google Photos') await openInGooglePhotos(deps, arg);
  else if (choice === 'Remove from Album') await removeFromAlbum(deps, arg);
}
