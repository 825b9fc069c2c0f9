// Download Album… (an album row's download action, the palette): pick one of the albums the app can
// list (refreshed from the service first: albums made on another computer with the same OAuth client
// show too), choose the folder, see what will come, and download it into the layout with an
// albums/{yyyy}/{mm} {album}/ tree of links.
import { albumSource } from '../../sync/download/source';
import type { DownloadReport } from '../../sync/download/pipeline';
import { items } from '../treeNodes';
import type { RemoteContainer } from '../../sync/provider';
import { albumSession, askedSession, chooseFolder, confirmPlan, planWithProgress, readSettings, showDownloadReport, type DownloadCommandDeps, type DownloadSession } from './downloadSteps';

/** The album a tree row or an argument names (`photoSync.album:<id>` rows, or the id itself). */
export function albumIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg.startsWith('photoSync.album:') ? arg.slice('photoSync.album:'.length) : arg;
  const id = (arg as { id?: unknown; albumId?: unknown } | undefined)?.albumId ?? (arg as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? albumIdOf(id) : undefined;
}

export async function downloadAlbum(deps: DownloadCommandDeps, arg?: unknown): Promise<DownloadReport | undefined> {
  const { vs } = deps;
  const id = albumIdOf(arg);
  // An album row downloads with the album's own account; the palette asks which account when there are several.
  const session = id ? await albumSession(deps, id) : await askedSession(deps, vs.l10n.t('Download Album'));
  if (!session) return undefined;
  const provider = session.pipeline.provider;
  const album = id ? session.index.albums.get(id) : await pickAlbum(deps, session);
  if (!album) return undefined;
  const folder = await chooseFolder(deps, deps.vs.l10n.t('Download “{0}” into…', album.title));
  if (!folder) return undefined;
  const { settings } = readSettings(deps);
  const source = albumSource(provider, { id: album.id, title: album.title });
  const plan = await planWithProgress(deps, session.pipeline, source, folder, settings);
  if (!plan) return undefined;
  if (plan.downloads.length === 0 && plan.notReady.length === 0) {
    void vs.window.showInformationMessage(vs.l10n.t('Everything in “{0}” is already in {1} ({2}).', album.title, folder, items(plan.already)));
    return undefined;
  }
  if (!(await confirmPlan(deps, plan, `“${album.title}”`, folder))) return undefined;
  const report = await session.pipeline.run(plan, { title: vs.l10n.t('Downloading “{0}”', album.title), onGroup: (g) => void deps.showProgress(g) });
  deps.refresh();
  void showDownloadReport(deps, report, 'Downloaded', provider.displayName);
  return report;
}

/** The app's albums, listed again from the service (then from the index) in a quick pick. */
async function pickAlbum(deps: DownloadCommandDeps, session: DownloadSession): Promise<{ id: string; title: string } | undefined> {
  const { vs } = deps;
  const provider = session.pipeline.provider;
  try {
    await vs.window.withProgress({ location: vs.ProgressLocation.Notification, title: vs.l10n.t('Listing your albums in {0}…', provider.displayName) }, async () => {
      const found: RemoteContainer[] = [];
      for await (const c of provider.listContainers()) found.push(c);
      await session.index.write((w) => {
        for (const c of found) w.albums.upsert({ ...w.albums.get(c.id), id: c.id, accountId: session.accountId, provider: provider.id, title: c.title, appCreated: true, itemCount: c.itemCount });
      });
    });
    deps.refresh();
  } catch (err) {
    deps.log.warn(`Listing albums failed: ${(err as Error).message}; showing the albums the index knows.`);
  }
  const albums = session.index.albums.listWithCounts({ accountId: session.accountId, provider: provider.id, appCreatedOnly: true }, { limit: 1000 }).items;
  if (albums.length === 0) {
    void vs.window.showInformationMessage(vs.l10n.t('{0} has no albums this app created. Google lets an app download only what it uploaded; to bring back other photos, use Import from Google Photos.', provider.displayName), vs.l10n.t('Import from Google Photos…')).then((choice) => {
      if (choice) void vs.commands.executeCommand('photoSync.pickFromGooglePhotos');
    });
    return undefined;
  }
  const picked = await vs.window.showQuickPick(
    albums.map((a) => ({ label: a.title || '(untitled album)', description: items(a.itemCount ?? a.indexedItems), id: a.id, title: a.title })),
    { title: vs.l10n.t('Download Album'), placeHolder: vs.l10n.t('Choose the album to download'), ignoreFocusOut: true, matchOnDescription: true },
  );
  return picked ? { id: picked.id, title: picked.title } : undefined;
}
