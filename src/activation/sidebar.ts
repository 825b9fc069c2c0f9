// Wires what the sidebar and the Explorer show beyond the library tree's rows: the Activity view
// (running, queued, paused and failed actions with Cancel / Retry / Resume Now), the Explorer badges
// for files in sync folders, "Load more…" paging, and the status cache both read (invalidated on
// every index change, so redraws read the index once per folder, not once per file).
import type * as vscode from 'vscode';
import type { PhotoIndex } from '../index/api';
import type { SyncFolder } from '../sync/config';
import type { TaskQueueApi } from '../tasks/api';
import { ACTIVITY_COMMANDS, ACTIVITY_VIEW, ActivityTree, type ActivityNode } from '../ui/activityTree';
import { SyncFileDecorations } from '../ui/fileDecorations';
import { DEFAULT_PAGE_SIZE, LOAD_MORE_COMMAND, Paging } from '../ui/paging';
import { SyncStatusCache } from '../ui/syncStatusCache';
import { REFRESH_BUSY_MS, REFRESH_IDLE_MS, type LibraryTree } from '../ui/tree';

export type SidebarVs = Pick<
  typeof vscode,
  'window' | 'commands' | 'workspace' | 'TreeItem' | 'TreeItemCollapsibleState' | 'ThemeIcon' | 'MarkdownString' | 'EventEmitter' | 'FileDecoration' | 'ThemeColor' | 'l10n'
>;

export interface SidebarDeps {
  vs: SidebarVs;
  tree: LibraryTree;
  queue: TaskQueueApi;
  index: () => PhotoIndex | undefined;
  openIndex: () => Promise<PhotoIndex>;
  folders: () => readonly SyncFolder[];
  /** "Google Photos" for "google-photos". */
  destinationName: (id: string) => string;
}

export interface Sidebar extends vscode.Disposable {
  readonly cache: SyncStatusCache;
  readonly paging: Paging;
  readonly activity: ActivityTree;
}

export function activateSidebar(deps: SidebarDeps): Sidebar {
  const { vs, tree, queue } = deps;
  const disposables: { dispose(): unknown }[] = [];
  const cache = new SyncStatusCache(deps.index, deps.folders);
  const paging = new Paging(() => vs.workspace.getConfiguration('photoSync').get<number>('sidebar.pageSize', DEFAULT_PAGE_SIZE));
  const activity = new ActivityTree(vs, queue);
  const decorations = new SyncFileDecorations(vs, cache, deps.destinationName);
  const busy = () => {
    const s = queue.snapshot();
    return s.running + s.queued > 0;
  };
  tree.busy = busy;

  disposables.push(activity, vs.window.createTreeView(ACTIVITY_VIEW, { treeDataProvider: activity }), decorations, vs.window.registerFileDecorationProvider(decorations));

  // Badges follow the index: throttled like the tree, harder while a sync writes many times a second.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const redecorate = () => {
    timer ??= setTimeout(
      () => {
        timer = undefined;
        decorations.refresh();
      },
      busy() ? REFRESH_BUSY_MS : REFRESH_IDLE_MS,
    );
  };
  const changed = () => {
    cache.invalidate();
    redecorate();
  };
  // The Activity view's welcome content differs without a sync folder (Add Folder to Sync).
  const setFolderContext = () => void vs.commands.executeCommand('setContext', 'photoSync.hasSyncFolders', deps.folders().length > 0);
  setFolderContext();
  // Follow the index once it is open (it opens right after activation, not during it).
  const follow = setTimeout(() => {
    void deps.openIndex().then(
      (index) => {
        if (disposed) return;
        disposables.push(index.onDidChange(changed));
        changed();
      },
      () => undefined,
    );
  }, 0);
  let disposed = false;
  disposables.push(
    vs.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('photoSync.folders')) {
        changed();
        setFolderContext();
      }
      if (e.affectsConfiguration('photoSync.sidebar')) tree.refresh();
    }),
  );

  const groupOf = (node: ActivityNode | undefined) => node?.groupId;
  disposables.push(
    vs.commands.registerCommand(LOAD_MORE_COMMAND, (parentId: string) => {
      if (typeof parentId !== 'string') return;
      paging.more(parentId);
      const parent = tree.node(parentId);
      tree.refresh(parent);
    }),
    vs.commands.registerCommand(ACTIVITY_COMMANDS.cancel, (node?: ActivityNode) => {
      const id = groupOf(node);
      if (!id) return;
      if (node?.failed) activity.dismiss(id);
      else queue.cancelGroup(id);
    }),
    vs.commands.registerCommand(ACTIVITY_COMMANDS.dismiss, (node?: ActivityNode) => {
      const id = groupOf(node);
      if (id) activity.dismiss(id);
    }),
    vs.commands.registerCommand(ACTIVITY_COMMANDS.retry, async (node?: ActivityNode) => {
      if (!node?.failed) return;
      activity.dismiss(node.failed.groupId);
      // An upload's failed files are planned again by the next sync (files the service refused stay
      // refused until they change, as the plan says).
      await vs.commands.executeCommand('photoSync.syncNow');
    }),
    vs.commands.registerCommand(ACTIVITY_COMMANDS.resume, () => queue.resumeNow()),
    vs.commands.registerCommand(ACTIVITY_COMMANDS.show, () => vs.commands.executeCommand(`${ACTIVITY_VIEW}.focus`)),
  );

  return {
    cache,
    paging,
    activity,
    dispose() {
      disposed = true;
      clearTimeout(follow);
      clearTimeout(timer);
      for (const d of disposables) d.dispose();
    },
  };
}
