// The album item context menu in the sidebar. Google's API cannot delete photos or videos (from
// anywhere, for any app): where a user looks for Delete, Photo Sync says so and offers what is
// possible — open the item in Google Photos (delete it there) or take it out of the app's album.
import { albumSession, type DownloadCommandDeps } from './downloadSteps';

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
    void deps.vs.window.showWarningMessage(deps.vs.l10n.t('Photo Sync does not know where “{0}” is in Google Photos yet; download or sync the album once to learn it.', arg.filename));
    return;
  }
  await deps.vs.env.openExternal(deps.vs.Uri.parse(arg.productUrl, true));
}

export async function removeFromAlbum(deps: DownloadCommandDeps, arg: unknown): Promise<boolean> {
  if (!isItem(arg)) return false;
  const { vs } = deps;
  const go = await vs.window.showWarningMessage(
    vs.l10n.t('Remove “{0}” from the album “{1}”?', arg.filename, arg.albumTitle),
    { modal: true, detail: vs.l10n.t('It stays in your Google Photos library and in your folders; only the album loses it. {0}', vs.l10n.t(DELETE_IMPOSSIBLE)) },
    vs.l10n.t('Remove from Album'),
  );
  if (go !== vs.l10n.t('Remove from Album')) return false;
  const session = await albumSession(deps, arg.albumId);
  if (!session) return false;
  try {
    await session.pipeline.provider.removeFromContainer(arg.albumId, [arg.mediaItemId]);
  } catch (err) {
    deps.log.error(err as Error);
    void vs.window.showErrorMessage(vs.l10n.t('Could not remove “{0}” from “{1}”: {2}', arg.filename, arg.albumTitle, (err as Error).message));
    return false;
  }
  await session.index.write((w) => w.mediaItems.removeFromAlbum(arg.albumId, [arg.mediaItemId]));
  deps.refresh();
  void vs.window.showInformationMessage(vs.l10n.t('Removed “{0}” from “{1}”. It is still in your Google Photos library.', arg.filename, arg.albumTitle));
  return true;
}

/** "Delete from Google Photos…": says plainly that it is impossible, and offers what is possible. */
export async function deleteFromGooglePhotos(deps: DownloadCommandDeps, arg: unknown): Promise<void> {
  if (!isItem(arg)) return;
  const choice = await deps.vs.window.showWarningMessage(
    deps.vs.l10n.t('Photo Sync cannot delete “{0}”.', arg.filename),
    { modal: true, detail: deps.vs.l10n.t('{0} Open it in Google Photos to delete it there (it stays in the trash for 60 days), or remove it from the album “{1}”.', deps.vs.l10n.t(DELETE_IMPOSSIBLE), arg.albumTitle) },
    deps.vs.l10n.t('Open in Google Photos'),
    deps.vs.l10n.t('Remove from Album'),
  );
  if (choice === deps.vs.l10n.t('Open in Google Photos')) await openInGooglePhotos(deps, arg);
  else if (choice === deps.vs.l10n.t('Remove from Album')) await removeFromAlbum(deps, arg);
}
