// Review Before Sync (a sync folder's row, the palette) and Upload Folder's review: scan with a
// cancellable notification, then the review webview lists every file with its planned action;
// "Exclude" saves the glob in the folder's rules and plans again from the same scan; "Upload These"
// runs exactly the files sent, holding the folders' lease, with the usual progress and report.
import type * as vscode from 'vscode';
import path from 'node:path';
import type { SyncFolder } from '../../sync/config';
import type { ScanStep } from '../../sync/upload/pipeline';
import type { SyncPlan } from '../../sync/plan';
import { SyncReviewSource } from '../../preview/syncReviewSource';
import { addExcludeToFolderSetting } from '../folderExclude';
import { readSyncFolders } from '../syncFolders';
import type { ReportAction } from '../syncReport';
import type { DestinationSession, SyncCommandDeps } from './deps';
import { exclusively, folderName, runWithProgress } from './steps';
import { byAccount, reportSignedOut } from './folderAccounts';
import { pickSyncFolder } from './pickers';

/** Upload Folder shows the review instead of the notification above this many files to send. */
export const REVIEW_ABOVE = 5;

/** The sync folder a tree row, an Explorer folder or an argument names. */
export function syncFolderOf(folders: readonly SyncFolder[], arg: unknown): SyncFolder | undefined {
  const a = arg as { id?: unknown; resourceUri?: { fsPath?: unknown }; fsPath?: unknown; path?: unknown } | undefined;
  const raw =
    typeof arg === 'string'
      ? arg
      : typeof a?.fsPath === 'string'
        ? a.fsPath
        : typeof a?.resourceUri?.fsPath === 'string'
          ? a.resourceUri.fsPath
          : typeof a?.id === 'string' && a.id.startsWith('photoSync.syncFolder:')
            ? a.id.slice('photoSync.syncFolder:'.length)
            : typeof a?.id === 'string' && a.id.startsWith('photoSync.account:') && a.id.includes(':folder:')
              ? a.id.slice(a.id.indexOf(':folder:') + ':folder:'.length)
              : undefined;
  if (!raw) return undefined;
  const wanted = path.resolve(raw.startsWith('photoSync.syncFolder:') ? raw.slice('photoSync.syncFolder:'.length) : raw);
  return folders.find((f) => path.resolve(f.path) === wanted);
}

export async function reviewBeforeSync(deps: SyncCommandDeps, arg?: unknown): Promise<void> {
  const { vs } = deps;
  const folders = readSyncFolders(vs, deps.log);
  const folder = syncFolderOf(folders, arg) ?? (await pickSyncFolder(vs, folders, vs.l10n.t('Review Before Sync'), vs.l10n.t('No sync folders yet: add a folder first, then review what a sync would upload.')));
  if (!folder) return;
  const { signedOut } = byAccount(deps, folder.destination, [folder]);
  if (signedOut.length) return reportSignedOut(deps, folder);
  if (!deps.review) return;
  const session = await deps.session(folder.destination, folder.account);
  if (!session) return;
  const name = folderName(folder.path);
  const scans = await exclusively(deps, session, [folder], () => scanSteps(deps, session, [folder], `Scanning ${name}`));
  if (!scans) return;
  deps.refresh();
  openReview(deps, session, scans, { title: deps.vs.l10n.t('Review: {0} → {1}', name, session.pipeline.provider.displayName), runTitle: deps.vs.l10n.t('Syncing {0} to {1}', name, session.pipeline.provider.displayName), saveExcludes: true });
}

/** Scans with a cancellable notification; undefined when cancelled or failed (said so). */
export async function scanSteps(deps: SyncCommandDeps, session: DestinationSession, folders: readonly SyncFolder[], title: string): Promise<ScanStep[] | undefined> {
  const { vs } = deps;
  try {
    return await vs.window.withProgress({ location: vs.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        return await session.pipeline.scan(folders, abort.signal, (message) => progress.report({ message }));
      } finally {
        sub.dispose();
      }
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') return undefined;
    deps.log.error(err as Error);
    void vs.window.showErrorMessage(vs.l10n.t('Photo Sync could not scan: {0}', (err as Error).message));
    return undefined;
  }
}

export interface ReviewOptions {
  title: string;
  runTitle: string;
  /** Save "Exclude" in the folder's settings (a sync folder), or only for this upload (Upload Folder). */
  saveExcludes: boolean;
  /** Offered on the result (Upload Folder's "Keep in Sync"). */
  action?: ReportAction;
}

/** Opens the review webview on these scans. */
export function openReview(deps: SyncCommandDeps, session: DestinationSession, scans: ScanStep[], options: ReviewOptions & { plan?: SyncPlan }): void {
  const { vs } = deps;
  const provider = session.pipeline.provider;
  const source = new SyncReviewSource({
    title: options.title,
    scans,
    initialPlan: options.plan,
    plan: (s) => session.pipeline.plan(s),
    planInChunks: (s, chunked) => session.pipeline.planInChunks(s, chunked),
    quota: () => ({ used: session.quotaUsed(), limit: provider.rules.quota.limit }),
    l10n: vs.l10n,
    saveExclude: async (folder, glob) => {
      if (!options.saveExcludes) return;
      if (await addExcludeToFolderSetting(vs as Pick<typeof vscode, 'workspace' | 'ConfigurationTarget'>, folder.path, glob)) deps.log.info(`Review: added exclude rule ${glob} to ${folder.path}`);
    },
    run: async (plan, folders) => {
      try {
        await exclusively(deps, session, folders, (lease) => runWithProgress(deps, session, plan, options.runTitle, lease, options.action));
      } catch (err) {
        deps.log.error(err as Error);
        void vs.window.showErrorMessage(vs.l10n.t('Photo Sync could not upload: {0}', (err as Error).message));
      }
    },
  });
  deps.review?.(source);
}
