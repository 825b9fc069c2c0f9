// Wires the sync side for the extension: a destination (provider + upload pipeline) per signed-in
// account, the three sync commands, the sidebar rows, a "Sync Now" status bar item, request
// counting, and resuming what a crash or a closed window left unfinished.
import type * as vscode from 'vscode';
import { createDestination, type Destination } from '../destinations/factory';
import { GOOGLE_PHOTOS_QUOTA, PROVIDER_ID } from '../destinations/googlePhotos/rules';
import { resolveEndpoints } from '../google/endpoints';
import { SIGN_IN_SCOPES } from '../google/scopes';
import type { TokenSource } from '../google/tokenSource';
import type { PhotoIndex } from '../index/api';
import { QuotaCounter } from '../sync/quota';
import type { GroupResult, TaskGroup, TaskQueueApi } from '../tasks/api';
import type { Logger } from '../util/logger';
import { registerSyncCommands, type DestinationSession } from '../ui/commands';
import { exclusively } from '../ui/commands/steps';
import { readSyncFolders } from '../ui/syncFolders';
import { showReport } from '../ui/syncReport';
import { confirmResume } from '../ui/taskCommands';
import type { LibraryTree } from '../ui/tree';
import { syncTreeRoots } from '../ui/treeNodes';

/** Above this many unfinished uploads, resuming at start asks first. */
const RESUME_WITHOUT_ASKING = 20;

export type SyncModuleVsCode = Pick<
  typeof vscode,
  'window' | 'workspace' | 'commands' | 'Uri' | 'env' | 'ProgressLocation' | 'ConfigurationTarget' | 'TreeItem' | 'TreeItemCollapsibleState' | 'ThemeIcon' | 'MarkdownString' | 'StatusBarAlignment' | 'authentication'
>;

export interface SyncModuleDeps {
  vs: SyncModuleVsCode;
  log: Logger;
  /** The index if already open (the tree shows nothing until it is). */
  index: () => PhotoIndex | undefined;
  /** Opens the index (or returns the open one). */
  openIndex: () => Promise<PhotoIndex>;
  queue: TaskQueueApi;
  tree: LibraryTree;
  /** The auth module's token source (may prompt) and its signed-in accounts. */
  tokenSource: TokenSource;
  accounts: () => readonly { id: string }[];
  authProviderId: string;
  /** Fires when accounts sign in or out. */
  onDidChangeAccounts: (listener: () => void) => { dispose(): unknown };
  /** Shows a queue group as a notification (the queue's UI adapter). */
  showProgress: (group: TaskGroup) => Thenable<GroupResult>;
  /** Told when the quota count changed (status bar). */
  onQuotaChange?: () => void;
}

export interface SyncModule extends vscode.Disposable {
  refresh(): void;
  quota: QuotaCounter;
}

export function activateSync(deps: SyncModuleDeps): SyncModule {
  const { vs, log } = deps;
  const disposables: { dispose(): unknown }[] = [];
  const accountId = () => deps.accounts()[0]?.id;
  const quota = new QuotaCounter(deps.index, accountId, GOOGLE_PHOTOS_QUOTA, deps.onQuotaChange);
  disposables.push(quota);

  // Throttled: during a sync the index changes many times a second.
  let refreshTimer: NodeJS.Timeout | undefined;
  const refresh = () => {
    refreshTimer ??= setTimeout(() => {
      refreshTimer = undefined;
      deps.tree.refresh();
      updateStatus();
    }, 250);
  };
  const folders = () => readSyncFolders(vs, log);
  deps.tree.setRoots(syncTreeRoots({ vs, index: deps.index, accountId, provider: PROVIDER_ID, folders }));

  const destinations = new Map<string, Destination>();
  const session = async (): Promise<DestinationSession | undefined> => {
    let id: string | undefined = accountId();
    if (!id) {
      // Asks the user to sign in (the auth provider's dialog); nothing happens if they decline.
      const s = await vs.authentication.getSession(deps.authProviderId, [...SIGN_IN_SCOPES], { createIfNone: true }).then(
        (x) => x,
        () => undefined,
      );
      id = s?.account.id;
    }
    const index = await deps.openIndex().catch(() => undefined);
    if (!id || !index) {
      if (!index) void vs.window.showErrorMessage('Photo Sync could not open its index; see the Photo Sync log.');
      return undefined;
    }
    let destination = destinations.get(id);
    if (!destination) {
      const config = vs.workspace.getConfiguration('photoSync');
      destination = await createDestination(PROVIDER_ID, {
        index,
        queue: deps.queue,
        accountId: id,
        tokenSource: deps.tokenSource,
        endpoints: resolveEndpoints(config.get<Record<string, unknown>>('endpoints')),
        log,
        countRequest: quota.count,
        description: config.get<string>('upload.description'),
        leaseLabel: 'another VS Code window',
      });
      destinations.set(id, destination);
    }
    return { pipeline: destination.pipeline, index, accountId: id, quotaUsed: () => quota.usedNow() ?? 0 };
  };

  const commandDeps = {
    vs,
    log,
    session,
    refresh: () => {
      void quota.flush();
      refresh();
    },
    showProgress: deps.showProgress,
  };
  disposables.push(...registerSyncCommands(commandDeps));

  // "Sync Now" in the status bar while signed in with folders configured.
  const status = vs.window.createStatusBarItem('photoSync.syncNow', vs.StatusBarAlignment.Left, 11);
  status.name = 'Photo Sync: Sync Now';
  status.command = 'photoSync.syncNow';
  const updateStatus = () => {
    const n = folders().length;
    if (!accountId() || n === 0) return status.hide();
    status.text = '$(sync) Photo Sync';
    status.tooltip = `Sync Now: back up ${n} folder${n === 1 ? '' : 's'}`;
    status.show();
  };
  updateStatus();
  disposables.push(status, deps.onDidChangeAccounts(refresh));

  // Work left unfinished by a crash or a closed window continues by itself once signed in:
  // uploads, commits, album adds and archive moves.
  let resuming = false;
  const resumeUnfinished = async () => {
    if (resuming || !accountId() || !deps.index()) return;
    resuming = true;
    try {
      const s = await session();
      if (!s) return;
      // The pipeline resumes from its own journal (uploads and sync ops); the generic task rows the
      // last session left carry no payload, so they are closed instead of lingering.
      await deps.queue.resumeFromJournal({}, 'Closing the last session’s tasks');
      const all = folders();
      await exclusively(commandDeps, s, all, async (lease) => {
        const plan = await s.pipeline.planUnfinished(all);
        if (!plan || (plan.uploads.length === 0 && plan.adds.length === 0 && plan.alreadyUploaded.length === 0)) return;
        const count = plan.uploads.length + plan.adds.length;
        if (count > 0 && !(await confirmResume(vs, count, 'uploads', RESUME_WITHOUT_ASKING))) {
          log.info(`${count} unfinished uploads wait for the next Sync Now.`);
          return;
        }
        log.info(`Resuming ${plan.uploads.length} unfinished upload(s) and ${plan.adds.length} album add(s) from the last session.`);
        const report = await s.pipeline.run(plan, {
          title: 'Resuming unfinished uploads',
          onGroup: (g) => {
            void deps.showProgress(g);
            lease.report({ title: 'Resuming unfinished uploads', done: 0, total: g.progress().total });
          },
        });
        if (count > 0) void showReport({ vs, log }, report, s.pipeline.provider.displayName);
        refresh();
      });
    } catch (err) {
      log.warn(`Resuming unfinished uploads failed: ${(err as Error).message}`);
    } finally {
      resuming = false;
    }
  };

  // Redraw once the index is open, and whenever it changes (this window's sync, another window's save).
  void deps.openIndex().then(
    (index) => {
      disposables.push(index.onDidChange(refresh));
      refresh();
      void resumeUnfinished();
    },
    () => undefined,
  );
  disposables.push(deps.onDidChangeAccounts(() => void resumeUnfinished()));
  disposables.push(
    vs.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('photoSync.endpoints') || e.affectsConfiguration('photoSync.upload')) destinations.clear();
      if (e.affectsConfiguration('photoSync')) refresh();
    }),
  );

  return {
    quota,
    refresh,
    dispose() {
      clearTimeout(refreshTimer);
      for (const d of disposables) d.dispose();
    },
  };
}
