// Wires the preview webview: "Show Thumbnails" (photoSync.showPreview) for an album row, a sync
// folder row or a folder in the Explorer, and the review panel Review Before Sync and Upload Folder
// open. One thumbnail cache under global storage is shared by every panel; it opens on first use.
import type * as vscode from 'vscode';
import path from 'node:path';
import { PROVIDER_ID } from '../destinations/googlePhotos/rules';
// The panel, the thumbnail cache and the sources are loaded on first use, not at activation.
import type { openPreviewPanel, PreviewDeps, PreviewVs } from '../preview/panel';
import type { ReviewSource } from '../preview/reviewSession';
import type { ThumbnailCache } from '../preview/thumbnailCache';
import type { DestinationSession } from '../ui/commands/deps';
import { readSyncFolders } from '../ui/syncFolders';
import { accountSettingValue, type SignedInAccount } from '../sync/folderAccount';
import type { Logger } from '../util/logger';
import { formatCount } from '../util/format';

export const SHOW_PREVIEW = 'photoSync.showPreview';
/** Thumbnails on disk, at most this many bytes (least recently used out). */
const CACHE_BYTES = 200 * 1024 * 1024;

export interface PreviewModuleDeps {
  vs: PreviewVs & Pick<typeof vscode, 'workspace' | 'RelativePattern' | 'l10n'>;
  context: Pick<vscode.ExtensionContext, 'extensionUri' | 'globalStorageUri'>;
  log: Logger;
  /** A signed-in destination session (may ask to sign in); `account`: that account's (an album's own). */
  session(destination?: string, account?: string): Promise<DestinationSession | undefined>;
  /** Google's signed-in accounts, the default first: with several, the palette's albums name theirs. */
  accounts?(): readonly SignedInAccount[];
}

export interface PreviewModule extends vscode.Disposable {
  /** Opens the review panel on a source (Upload Folder, Review Before Sync). */
  openReview(source: ReviewSource): void;
}

export function activatePreview(deps: PreviewModuleDeps): PreviewModule {
  const { vs, log } = deps;
  const storage = deps.context.globalStorageUri.fsPath;
  let cache: Promise<ThumbnailCache> | undefined;
  const openCache = () => (cache ??= import('../preview/thumbnailCache.js').then(({ ThumbnailCache }) => ThumbnailCache.open(path.join(storage, 'thumbnails'), { maxBytes: CACHE_BYTES })));
  const panels = new Set<{ dispose(): void }>();

  const open = async (source: Parameters<typeof openPreviewPanel>[2], watchFolder?: string) => {
    const previewDeps: PreviewDeps = { extensionUri: deps.context.extensionUri, cache: await openCache(), log };
    const { openPreviewPanel } = await import('../preview/panel.js');
    const shown = openPreviewPanel(vs, previewDeps, source);
    panels.add(shown.panel);
    // A file deleted while its folder is shown turns "gone" in the grid.
    const watcher = watchFolder ? vs.workspace.createFileSystemWatcher(new vs.RelativePattern(vs.Uri.file(watchFolder), '**/*'), true, true, false) : undefined;
    watcher?.onDidDelete((uri) => shown.markGone([path.relative(watchFolder as string, uri.fsPath).split(path.sep).join('/')]));
    shown.panel.onDidDispose(() => {
      watcher?.dispose();
      panels.delete(shown.panel);
    });
  };
  const showFolder = async (folder: string) => open({ mode: 'grid', source: (await import('../preview/localFolderSource.js')).localFolderSource(folder, { l10n: vs.l10n }) }, folder);

  const showPreview = async (arg?: unknown, selected?: unknown) => {
    void selected;
    try {
      const [{ syncFolderOf }, { albumIdOf }] = await Promise.all([import('../ui/commands/reviewBeforeSync.js'), import('../ui/commands/downloadAlbum.js')]);
      const folders = readSyncFolders(vs, log);
      const folderPath = folderPathOf(arg) ?? syncFolderOf(folders, arg)?.path;
      const albumId = folderPath ? undefined : albumArg(arg, albumIdOf);
      if (folderPath) return await showFolder(folderPath);
      if (albumId) return await showAlbum(albumId);
      // From the palette: a sync folder, an album, or any folder.
      const session = await deps.session(PROVIDER_ID);
      // Every signed-in account's albums (each opens with its own account).
      const albums = session ? session.index.albums.listWithCounts({ provider: PROVIDER_ID, appCreatedOnly: true }, { limit: 500 }).items : [];
      const names = accountNames(albums);
      type Pick = { label: string; description?: string; folder?: string; album?: string; browse?: boolean };
      const picks: Pick[] = [
        ...folders.map((f) => ({ label: `$(folder) ${path.basename(f.path) || f.path}`, description: f.path, folder: f.path })),
        ...albums.map((a) => ({ label: `$(folder-library) ${a.title}`, description: albumDescription(a, names), album: a.id })),
        { label: `$(folder-opened) ${vs.l10n.t('Choose a Folder…')}`, browse: true },
      ];
      const picked = await vs.window.showQuickPick(picks, { title: vs.l10n.t('Show Thumbnails'), placeHolder: vs.l10n.t('A sync folder, an album or another folder') });
      if (!picked) return;
      if (picked.album) return await showAlbum(picked.album);
      const chosen = picked.folder ?? (await vs.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, title: vs.l10n.t('Show Thumbnails'), openLabel: vs.l10n.t('Show Thumbnails') }))?.[0]?.fsPath;
      if (chosen) await showFolder(chosen);
    } catch (err) {
      log.error(err as Error);
      void vs.window.showErrorMessage(vs.l10n.t('Photo Sync could not show the thumbnails: {0}', (err as Error).message));
    }
  };

  // With several accounts, two albums may share a title: each names the account it lives in.
  const accountNames = (albums: readonly { accountId: string }[]): Map<string, string> | undefined => {
    const signedIn = deps.accounts?.() ?? [];
    if (signedIn.length < 2 && new Set(albums.map((a) => a.accountId)).size < 2) return undefined;
    return new Map(albums.map((a) => {
      const account = signedIn.find((x) => x.id === a.accountId);
      return [a.accountId, account ? accountSettingValue(account) : vs.l10n.t('an account that is not signed in')];
    }));
  };
  const albumDescription = (a: { accountId: string; indexedItems: number }, names: Map<string, string> | undefined): string => {
    const count = formatCount(a.indexedItems);
    const account = names?.get(a.accountId);
    if (account === undefined) return a.indexedItems === 1 ? vs.l10n.t('1 item in Google Photos') : vs.l10n.t('{0} items in Google Photos', count);
    return a.indexedItems === 1 ? vs.l10n.t('1 item in the Google Photos of {0}', account) : vs.l10n.t('{0} items in the Google Photos of {1}', count, account);
  };

  const showAlbum = async (albumId: string) => {
    // The album's thumbnails come with its own account's token (another account cannot read them).
    const index = (await deps.session(PROVIDER_ID))?.index;
    const album = index?.albums.get(albumId);
    if (!index) return;
    if (!album) {
      void vs.window.showWarningMessage(vs.l10n.t('Photo Sync does not know this album (any more). Refresh the Photo Sync view.'));
      return;
    }
    const session = await deps.session(PROVIDER_ID, album.accountId);
    if (!session) {
      void vs.window.showWarningMessage(vs.l10n.t('The album “{0}” belongs to an account that is not signed in; sign in with it to see its thumbnails.', album.title));
      return;
    }
    const { remoteAlbumSource } = await import('../preview/remoteAlbum.js');
    const { source } = remoteAlbumSource({
      title: album.title || vs.l10n.t('(untitled album)'),
      provider: session.pipeline.provider,
      count: () => index.mediaItems.countInAlbum(albumId),
      page: (offset, limit) => index.mediaItems.inAlbum(albumId, { offset, limit }).items,
      downloadDir: path.join(storage, 'preview-full'),
      l10n: vs.l10n,
    });
    await open({ mode: 'grid', source });
  };

  const command = vs.commands.registerCommand(SHOW_PREVIEW, showPreview);
  return {
    openReview: (source) => void open({ mode: 'review', source }),
    dispose() {
      command.dispose();
      for (const p of [...panels]) p.dispose();
    },
  };
}

/** An Explorer folder (a Uri). */
function folderPathOf(arg: unknown): string | undefined {
  const a = arg as { scheme?: unknown; fsPath?: unknown } | undefined;
  return a && typeof a.fsPath === 'string' && a.scheme === 'file' ? a.fsPath : undefined;
}

/** An album row (`photoSync.album:<id>`) or an album id. */
function albumArg(arg: unknown, albumIdOf: (nodeId: string) => string | undefined): string | undefined {
  const id = (arg as { id?: unknown } | undefined)?.id;
  if (typeof arg === 'string' && arg.startsWith('photoSync.album:')) return albumIdOf(arg);
  if (typeof id === 'string' && id.startsWith('photoSync.album:')) return albumIdOf(id);
  return typeof arg === 'string' && !arg.includes('/') && !arg.includes('\\') ? arg : undefined;
}
