// Wires getting photos back for the extension: Import from Google Photos (the Picker), Download
// Album, Download by Year and the album item menu; the sidebar's "Imported" rows; the download
// settings; and, at start, finishing what an earlier window left (interrupted downloads, Picker
// sessions to finish or delete).
import path from 'node:path';
import type * as vscode from 'vscode';
import { destinationKind } from '../destinations/factory';
import type { GooglePhotosProvider } from '../destinations/googlePhotos/provider';
import { PROVIDER_ID } from '../destinations/googlePhotos/rules';
import { resolveEndpoints } from '../google/endpoints';
import type { TokenSource } from '../google/tokenSource';
import type { PhotoIndex } from '../index/api';
import { parseDownloadSettings, parseMaxPickerItems } from '../sync/download/settings';
import { QuotaCounter } from '../sync/quota';
import { resolveFolderAccount } from '../sync/folderAccount';
import type { GroupResult, TaskGroup, TaskQueueApi } from '../tasks/api';
import type { Logger } from '../util/logger';
import type { DownloadCommandDeps, DownloadSession, DownloadVs } from '../ui/commands/downloadSteps';
import { DOWNLOAD_COMMANDS } from '../ui/commands/downloadIds';
import { importedRoots } from '../ui/importedNodes';
import type { LibraryTree } from '../ui/tree';

export type DownloadModuleVs = DownloadVs & Pick<typeof vscode, 'authentication' | 'TreeItem' | 'TreeItemCollapsibleState' | 'ThemeIcon' | 'MarkdownString' | 'l10n'>;

export interface DownloadModuleDeps {
  vs: DownloadModuleVs;
  log: Logger;
  index: () => PhotoIndex | undefined;
  openIndex: () => Promise<PhotoIndex>;
  queue: TaskQueueApi;
  tree: LibraryTree;
  /** Google's token source (asks for the Picker scope the first time, incrementally). */
  tokenSource: TokenSource;
  /** Signed-in Google accounts. */
  accounts: () => readonly { id: string; label?: string }[];
  /** Google's tokens of one signed-in account only: each account's services use its own. */
  tokenSourceFor?: (account: { id: string; label: string }) => TokenSource;
  onDidChangeAccounts: (listener: () => void) => { dispose(): unknown };
  showProgress: (group: TaskGroup) => Thenable<GroupResult>;
  onQuotaChange?: () => void;
}

export function activateDownload(deps: DownloadModuleDeps): vscode.Disposable {
  const { vs, log } = deps;
  const kind = destinationKind(PROVIDER_ID);
  if (!kind) throw new Error('Google Photos is not a known destination.');
  const disposables: { dispose(): unknown }[] = [];
  const accountId = () => deps.accounts()[0]?.id;
  const quota = new QuotaCounter(deps.index, accountId, kind.quota, deps.onQuotaChange);
  disposables.push(quota);
  let closing = false;

  const built = new Map<string, DownloadSession>();
  const signedIn = () => deps.accounts().map((a) => ({ id: a.id, label: a.label }));
  const quotas = new Map<string, QuotaCounter>();
  const quotaOf = (account: string) => {
    let q = quotas.get(account);
    if (!q) quotas.set(account, (q = new QuotaCounter(deps.index, () => account, kind.quota, deps.onQuotaChange)));
    return q;
  };
  disposables.push({ dispose: () => quotas.forEach((q) => q.dispose()) });
  const session = async (account?: string): Promise<DownloadSession | undefined> => {
    // The account named (an album's own), else the default; a named account that is not signed in
    // gives no session — never another account's.
    const choice = resolveFolderAccount({ account }, signedIn());
    if (choice.state === 'signedOut') {
      void vs.window.showWarningMessage(vs.l10n.t('{0} is not signed in to Google Photos; sign in with it first.', choice.wanted));
      return undefined;
    }
    let id: string | undefined = choice.state === 'ok' ? choice.account.id : undefined;
    let label: string | undefined = choice.state === 'ok' ? choice.account.label : undefined;
    if (!id) {
      const s = await vs.authentication.getSession(kind.authProviderId, [...kind.scopes], { createIfNone: true }).then(
        (x) => x,
        () => undefined,
      );
      id = s?.account.id;
      label = s?.account.label;
    }
    const index = await deps.openIndex().catch(() => undefined);
    if (!index) void vs.window.showErrorMessage(vs.l10n.t('Photo Sync could not open its index; see the Photo Sync log.'));
    if (!id || !index) return undefined;
    let s = built.get(id);
    if (!s) {
      const endpoints = resolveEndpoints(vs.workspace.getConfiguration('photoSync').get<Record<string, unknown>>('endpoints'));
      // The pipelines and the commands' code are loaded on first use, not at activation.
      const [{ RunLeases }, { DownloadPipeline }, { PickerFlow }, { pickingServiceFor }] = await Promise.all([
        import('../sync/runLease.js'),
        import('../sync/download/pipeline.js'),
        import('../sync/picker/flow.js'),
        import('../destinations/googlePhotos/picker.js'),
      ]);
      const tokenSource = deps.tokenSourceFor?.({ id, label: label || id }) ?? deps.tokenSource;
      const { provider } = await kind.create({ index, queue: deps.queue, accountId: id, tokenSource, endpoints, log, countRequest: quotaOf(id).count });
      const leases = new RunLeases(path.dirname(index.filePath), { log, label: 'another VS Code window' });
      const pipeline = new DownloadPipeline({ provider, index, queue: deps.queue, accountId: id, log, leases, l10n: vs.l10n });
      const picker = new PickerFlow({
        l10n: vs.l10n,
        service: pickingServiceFor(provider as GooglePhotosProvider, endpoints.picker),
        pipeline,
        index,
        accountId: id,
        log,
        closing: () => closing,
        leases,
      });
      s = { pipeline, picker, index, accountId: id };
      built.set(id, s);
    }
    return s;
  };

  const settings = () => {
    const config = vs.workspace.getConfiguration('photoSync');
    const { settings: parsed, problems } = parseDownloadSettings((key) => config.get(key));
    return { settings: parsed, problems, folder: config.get<string>('download.folder'), maxPickerItems: parseMaxPickerItems(config.get('picker.maxItemCount')) };
  };
  const commandDeps: DownloadCommandDeps = {
    vs,
    log,
    session,
    accounts: signedIn,
    settings,
    refresh: () => {
      void quota.flush();
      for (const q of quotas.values()) void q.flush();
      deps.tree.refresh();
    },
    showProgress: deps.showProgress,
  };
  const run = (what: string, work: () => Promise<unknown>) => () =>
    work().catch((err: unknown) => {
      log.error(err as Error);
      void vs.window.showErrorMessage(vs.l10n.t('{0} failed: {1}', what, (err as Error).message));
    });
  disposables.push(
    vs.commands.registerCommand(DOWNLOAD_COMMANDS.pickFromGooglePhotos, (uri?: vscode.Uri) => run(vs.l10n.t('Import from Google Photos'), async () => (await import('../ui/commands/pickFromGooglePhotos.js')).pickFromGooglePhotos(commandDeps, uri))()),
    vs.commands.registerCommand(DOWNLOAD_COMMANDS.downloadAlbum, (arg?: unknown) => run(vs.l10n.t('Download Album'), async () => (await import('../ui/commands/downloadAlbum.js')).downloadAlbum(commandDeps, arg))()),
    vs.commands.registerCommand(DOWNLOAD_COMMANDS.downloadYear, (arg?: unknown) => run(vs.l10n.t('Download by Year'), async () => (await import('../ui/commands/downloadYear.js')).downloadYear(commandDeps, arg))()),
    vs.commands.registerCommand(DOWNLOAD_COMMANDS.openInGooglePhotos, (arg?: unknown) => run(vs.l10n.t('Open in Google Photos'), async () => (await import('../ui/commands/albumItem.js')).openInGooglePhotos(commandDeps, arg))()),
    vs.commands.registerCommand(DOWNLOAD_COMMANDS.removeFromAlbum, (arg?: unknown) => run(vs.l10n.t('Remove from Album'), async () => (await import('../ui/commands/albumItem.js')).removeFromAlbum(commandDeps, arg))()),
    vs.commands.registerCommand(DOWNLOAD_COMMANDS.deleteFromGooglePhotos, (arg?: unknown) => run(vs.l10n.t('Delete from Google Photos'), async () => (await import('../ui/commands/albumItem.js')).deleteFromGooglePhotos(commandDeps, arg))()),
  );
  disposables.push(deps.tree.addRoots(importedRoots({ vs, index: deps.index, accountId, accountIds: () => deps.accounts().map((a) => a.id), accountLabel: (id) => deps.accounts().find((a) => a.id === id)?.label })));

  // What an earlier window left: interrupted album/year downloads and Picker sessions.
  let resuming = false;
  const resumeLeftovers = async () => {
    if (resuming || !deps.index() || !accountId()) return;
    resuming = true;
    try {
      // Each signed-in account finishes its own leftovers with its own tokens.
      for (const account of signedIn()) await resumeAccount(account.id);
    } catch (err) {
      log.warn(`Finishing downloads left by an earlier window failed: ${(err as Error).message}`);
    } finally {
      resuming = false;
    }
  };
  const resumeAccount = async (account: string) => {
    const s = await session(account);
    if (!s) return;
    const { showDownloadReport } = await import('../ui/commands/downloadSteps.js');
    const { settings: current } = settings();
    const outcome = await s.picker.finishLeftovers(current, { onGroup: (g) => void deps.showProgress(g) });
    for (const { report } of outcome.finished) void showDownloadReport(commandDeps, report, 'Imported', 'Google Photos');
    for (const plan of await s.pipeline.planUnfinished(current)) {
      log.info(`Finishing the download of “${plan.source.title}” into ${plan.root} left unfinished by an earlier window (${plan.downloads.length} items).`);
      const report = await s.pipeline.run(plan, { title: vs.l10n.t('Finishing “{0}”', plan.source.title), onGroup: (g) => void deps.showProgress(g) });
      void showDownloadReport(commandDeps, report, 'Downloaded', s.pipeline.provider.displayName);
    }
    if (outcome.finished.length || outcome.deleted) deps.tree.refresh();
  };
  void deps.openIndex().then(
    (index) => {
      disposables.push(index.onDidChange(() => deps.tree.refresh()));
      void resumeLeftovers();
    },
    () => undefined,
  );
  disposables.push(deps.onDidChangeAccounts(() => void resumeLeftovers()));
  disposables.push(
    vs.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('photoSync.endpoints')) built.clear();
    }),
  );

  return {
    dispose() {
      closing = true;
      for (const d of disposables) d.dispose();
    },
  };
}
