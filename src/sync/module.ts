// Wires the sync side for the extension: Google provider per signed-in account, the engine, the
// three commands, the sidebar rows and a "Sync Now" status bar item. Receives every VS Code service.
import type * as vscode from 'vscode';
import type { PhotoIndex } from '../index/api';
import type { TaskQueueApi } from '../tasks/api';
import type { TokenSource } from '../google/tokenSource';
import { resolveEndpoints } from '../google/endpoints';
import { SIGN_IN_SCOPES } from '../google/scopes';
import { GooglePhotosProvider } from '../google/googlePhotosProvider';
import type { Logger } from '../util/logger';
import type { LibraryTree } from '../ui/tree';
import { syncTreeRoots } from '../ui/treeNodes';
import { readSyncFolders, registerSyncCommands, showReport, type SyncSession } from '../ui/syncCommands';
import { SyncEngine } from './engine';
import { loadMediaTypes } from './mediaTypes';
import { QuotaCounter } from './quota';
import { indexUploadSessionJournal } from './sessionJournal';
import { confirmResume } from '../ui/taskCommands';

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
  showProgress?: SyncSessionProgress;
  /** Told when the quota count changed (status bar). */
  onQuotaChange?: () => void;
}

type SyncSessionProgress = Parameters<typeof registerSyncCommands>[0]['showProgress'];

export interface SyncModule extends vscode.Disposable {
  refresh(): void;
  quota: QuotaCounter;
}

const PROVIDER_ID = 'google-photos';

export function activateSync(deps: SyncModuleDeps): SyncModule {
  const { vs, log } = deps;
  const disposables: { dispose(): unknown }[] = [];
  const accountId = () => deps.accounts()[0]?.id;
  const quota = new QuotaCounter(deps.index, accountId, deps.onQuotaChange);
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

  const engines = new Map<string, SyncEngine>();
  const session = async (): Promise<SyncSession | undefined> => {
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
    let engine = engines.get(id);
    if (!engine) {
      const libraryRoot = resolveEndpoints(vs.workspace.getConfiguration('photoSync').get<Record<string, unknown>>('endpoints')).library;
      const provider = new GooglePhotosProvider({ tokenSource: deps.tokenSource, libraryRoot, logger: log, onRequest: quota.count, uploadJournal: indexUploadSessionJournal(index, id) });
      engine = new SyncEngine({
        provider,
        index,
        queue: deps.queue,
        accountId: id,
        mediaTypes: await loadMediaTypes(),
        log,
        description: vs.workspace.getConfiguration('photoSync').get<string>('upload.description'),
      });
      engines.set(id, engine);
    }
    return { engine, index, accountId: id, providerId: PROVIDER_ID };
  };

  disposables.push(
    ...registerSyncCommands({
      vs,
      log,
      session,
      refresh: () => {
        void quota.flush();
        refresh();
      },
      showProgress: deps.showProgress,
    }),
  );

  // "Sync Now" in the status bar while signed in with folders configured.
  const status = vs.window.createStatusBarItem('photoSync.syncNow', vs.StatusBarAlignment.Left, 11);
  status.name = 'Photo Sync: Sync Now';
  status.command = 'photoSync.syncNow';
  const updateStatus = () => {
    const n = folders().length;
    if (!accountId() || n === 0) return status.hide();
    status.text = '$(sync) Photo Sync';
    status.tooltip = `Sync Now: back up ${n} folder${n === 1 ? '' : 's'} to Google Photos`;
    status.show();
  };
  updateStatus();
  disposables.push(status, deps.onDidChangeAccounts(refresh));
  // Uploads left unfinished by a crash or a closed window continue by themselves once signed in.
  let resuming = false;
  const resumeUnfinished = async () => {
    if (resuming || !accountId() || !deps.index()) return;
    resuming = true;
    try {
      const s = await session();
      const plan = await s?.engine.planUnfinished(folders());
      // The engine resumes from its uploads journal (each file's bytes, token and album); the generic
      // task rows the last session left carry no payload, so they are closed instead of lingering.
      await deps.queue.resumeFromJournal({}, 'Closing the last session’s tasks');
      if (!s || !plan || (plan.uploads.length === 0 && plan.adds.length === 0)) return;
      const count = plan.uploads.length + plan.adds.length;
      if (!(await confirmResume(vs, count, 'uploads', RESUME_WITHOUT_ASKING))) {
        log.info(`${count} unfinished uploads wait for the next Sync Now.`);
        return;
      }
      log.info(`Resuming ${plan.uploads.length} unfinished upload(s) from the last session.`);
      const report = await s.engine.run(plan, { title: 'Resuming unfinished uploads', onGroup: (g) => deps.showProgress?.(g) });
      void showReport({ vs, log }, report);
      refresh();
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
      if (e.affectsConfiguration('photoSync.endpoints') || e.affectsConfiguration('photoSync.upload')) engines.clear();
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

