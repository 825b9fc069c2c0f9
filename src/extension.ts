// Composition root: builds each module with the VS Code services it needs and registers the results.
// No feature logic lives here.
import * as vscode from 'vscode';
import { redactingLogger } from './util/logger';
import { LibraryTree } from './ui/tree';
import { activateAuth } from './activation/auth';
import { activateTasks, type TaskServices } from './activation/tasks';
import { activateSync } from './activation/sync';
import { activateDownload } from './activation/download';
import { AUTH_PROVIDER_ID } from './auth/provider';
import { activateFlickr } from './activation/flickr';
import { FLICKR_AUTH_PROVIDER_ID } from './auth/flickr/provider';
import { readSyncFolders } from './ui/syncFolders';
import { activateSidebar, type Sidebar } from './activation/sidebar';
import { ACTIVITY_COMMANDS } from './ui/activityTree';
import { DESTINATION_KINDS } from './destinations/factory';

let tasks: TaskServices | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const channel = vscode.window.createOutputChannel('Photo Sync', { log: true });
  context.subscriptions.push(channel);
  const log = redactingLogger(channel);
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

  const tree = new LibraryTree(vscode);
  context.subscriptions.push(tree, vscode.window.createTreeView('photoSync.albums', { treeDataProvider: tree, showCollapseAll: true }));
  context.subscriptions.push(auth.provider.onDidChangeSessions(() => tree.refresh()), flickr.provider.onDidChangeSessions(() => tree.refresh()));

  // The Activity view, Explorer badges, "Load more…" paging and the status cache the sidebar reads.
  const taskServicesForUi = tasks;
  const sidebar = activateSidebar({
    vs: vscode,
    tree,
    queue: taskServicesForUi.queue,
    index: taskServicesForUi.currentIndex,
    openIndex: taskServicesForUi.index,
    folders: () => readSyncFolders(vscode, log),
    destinationName: (id) => DESTINATION_KINDS.get(id)?.displayName ?? id,
  });
  ui.sidebar = sidebar;
  context.subscriptions.push(sidebar, auth.provider.onDidChangeSessions(() => taskServicesForUi.refreshStatus()), flickr.provider.onDidChangeSessions(() => taskServicesForUi.refreshStatus()));

  // Folder sync: Add Folder / Upload Folder / Sync Now, the Albums and Sync Folders rows, request counting.
  const taskServices = tasks;
  context.subscriptions.push(
    activateSync({
      vs: vscode,
      log,
      index: taskServices.currentIndex,
      openIndex: taskServices.index,
      queue: taskServices.queue,
      tree,
      tokenSource: auth.tokenSource,
      oauth1: flickr.credentials,
      accounts: (authProviderId) => (authProviderId === AUTH_PROVIDER_ID ? auth.provider.accounts : authProviderId === FLICKR_AUTH_PROVIDER_ID ? flickr.provider.accounts : []),
      onDidChangeAccounts: (listener) => vscode.Disposable.from(auth.provider.onDidChangeSessions(listener), flickr.provider.onDidChangeSessions(listener)),
      showProgress: (group) => taskServices.showProgress(group),
      onQuotaChange: () => taskServices.refreshStatus(),
      sidebar,
    }),
  );

  // Getting photos back: Import from Google Photos (Picker), Download Album / by Year, the "Imported" rows.
  context.subscriptions.push(activateDownload({ vs: vscode, log, index: taskServices.currentIndex, openIndex: taskServices.index, queue: taskServices.queue, tree, tokenSource: auth.tokenSource, accounts: () => auth.provider.accounts, onDidChangeAccounts: (listener) => auth.provider.onDidChangeSessions(listener), showProgress: (group) => taskServices.showProgress(group), onQuotaChange: () => taskServices.refreshStatus() }));

  log.info('Photo Sync activated');
}

export async function deactivate(): Promise<void> {
  // Modules flush their state through the disposables pushed on context.subscriptions; the index
  // save is awaited here so VS Code waits for it.
  await tasks?.shutdown();
}
