// Composition root: builds each module with the VS Code services it needs and registers the results.
// No feature logic lives here.
import * as vscode from 'vscode';
import { redactingLogger } from './util/logger';
import { LibraryTree } from './ui/tree';
import { activateAuth } from './activation/auth';
import { activateTasks, type TaskServices } from './activation/tasks';
import { activateSync } from './activation/sync';
import { activateDownload } from './activation/download';
import { activateVerify } from './activation/verify';
import { activateTakeout } from './activation/takeout';
import { activatePreview } from './activation/preview';
import { AUTH_PROVIDER_ID } from './auth/provider';
import { activateFlickr } from './activation/flickr';
import { FLICKR_AUTH_PROVIDER_ID } from './auth/flickr/provider';
import { readSyncFolders } from './ui/syncFolders';
import { activateSidebar, type Sidebar } from './activation/sidebar';
import { ACTIVITY_COMMANDS } from './ui/activityTree';
import { DESTINATION_KINDS } from './destinations/factory';
import { setDisplayLanguage } from './util/format';

let tasks: TaskServices | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const channel = vscode.window.createOutputChannel('Photo Sync', { log: true });
  context.subscriptions.push(channel);
  const log = redactingLogger(channel);
  // Numbers and times in VS Code's display language (the command line keeps English).
  setDisplayLanguage(vscode.env.language);
  log.info(`Photo Sync ${String(context.extension.packageJSON.version)} activating (${vscode.env.appName}, ui ${vscode.UIKind[vscode.env.uiKind]})`);

  // Google sign-in (provider photoSync.google, sign-in/out/set-up commands); auth.tokenSource feeds the Google clients.
  const auth = await activateAuth(vscode, context, log);

  // Flickr sign-in (provider photoSync.flickr, API key set-up, sign-in/out commands); flickr.credentials signs Flickr's requests.
  const flickr = await activateFlickr(vscode, context, log, { folders: () => readSyncFolders(vscode, log) });

  // Task queue (progress, status bar, photoSync.cancelTasks/showLog) and the index, opened on first use.
  const ui: { sidebar?: Sidebar } = {};
  tasks = activateTasks(vscode, context, log, channel, {
    signedIn: () => auth.provider.accounts.length > 0 || flickr.provider.accounts.length > 0,
    statusCommand: ACTIVITY_COMMANDS.show,
    onGroup: (group) => ui.sidebar?.activity.track(group),
  });

  // The module-level `tasks` is for deactivate(); this one is known to be set.
  const taskServices = tasks;
  const tree = new LibraryTree(vscode);
  context.subscriptions.push(tree, vscode.window.createTreeView('photoSync.albums', { treeDataProvider: tree, showCollapseAll: true }));
  context.subscriptions.push(auth.provider.onDidChangeSessions(() => tree.refresh()), flickr.provider.onDidChangeSessions(() => tree.refresh()));

  // The Activity view, Explorer badges, "Load more…" paging and the status cache the sidebar reads.
  const sidebar = activateSidebar({
    vs: vscode,
    tree,
    queue: taskServices.queue,
    index: taskServices.currentIndex,
    openIndex: taskServices.index,
    folders: () => readSyncFolders(vscode, log),
    destinationName: (id) => DESTINATION_KINDS.get(id)?.displayName ?? id,
  });
  ui.sidebar = sidebar;
  context.subscriptions.push(sidebar, auth.provider.onDidChangeSessions(() => taskServices.refreshStatus()), flickr.provider.onDidChangeSessions(() => taskServices.refreshStatus()));

  // The signed-in accounts of an authentication provider (Google's, Flickr's).
  const accountsOf = (authProviderId: string) => (authProviderId === AUTH_PROVIDER_ID ? auth.provider.accounts : authProviderId === FLICKR_AUTH_PROVIDER_ID ? flickr.provider.accounts : []);
  // Verify Backup: the "Verify Backup" view, its commands and row actions; two-way sync's remote half for Sync Now.
  const verify = activateVerify({ vs: vscode, log, index: taskServices.currentIndex, openIndex: taskServices.index, queue: taskServices.queue, tokenSource: auth.tokenSource, tokenSourceFor: auth.tokenSourceFor, accounts: accountsOf, oauth1: flickr.credentials, refreshLibrary: () => tree.refresh(), showProgress: (group) => taskServices.showProgress(group), onQuotaChange: () => taskServices.refreshStatus() });
  context.subscriptions.push(verify);

  // Folder sync: Add Folder / Upload Folder / Sync Now, the Albums and Sync Folders rows, request counting.
  const sync = activateSync({
      vs: vscode,
      log,
      index: taskServices.currentIndex,
      openIndex: taskServices.index,
      queue: taskServices.queue,
      tree,
      tokenSource: auth.tokenSource,
      tokenSourceFor: auth.tokenSourceFor,
      oauth1: flickr.credentials,
      accounts: accountsOf,
      onDidChangeAccounts: (listener) => vscode.Disposable.from(auth.provider.onDidChangeSessions(listener), flickr.provider.onDidChangeSessions(listener)),
      showProgress: (group) => taskServices.showProgress(group),
      onQuotaChange: () => taskServices.refreshStatus(),
      remoteSide: verify.remoteSide,
      sidebar,
  });
  context.subscriptions.push(sync);

  // Show Thumbnails (albums, folders) and the pre-upload review webview.
  const preview = activatePreview({ vs: vscode, context, log, session: (d, a) => sync.session(d, a), accounts: () => auth.provider.accounts });
  sync.setReview((source) => preview.openReview(source));
  context.subscriptions.push(preview);

  // Getting photos back: Import from Google Photos (Picker), Download Album / by Year, the "Imported" rows.
  context.subscriptions.push(activateDownload({ vs: vscode, log, index: taskServices.currentIndex, openIndex: taskServices.index, queue: taskServices.queue, tree, tokenSource: auth.tokenSource, tokenSourceFor: auth.tokenSourceFor, accounts: () => auth.provider.accounts, onDidChangeAccounts: (listener) => auth.provider.onDidChangeSessions(listener), showProgress: (group) => taskServices.showProgress(group), onQuotaChange: () => taskServices.refreshStatus() }));

  // Google Takeout import and the capture-date doctor.
  context.subscriptions.push(activateTakeout({ vs: vscode, log, index: taskServices.currentIndex, openIndex: taskServices.index, queue: taskServices.queue, tree }));
  log.info('Photo Sync activated');
}

export async function deactivate(): Promise<void> {
  // Modules flush their state through the disposables pushed on context.subscriptions; the index
  // save is awaited here so VS Code waits for it.
  await tasks?.shutdown();
}
