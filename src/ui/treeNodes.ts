// Sidebar rows for the sync side: "Albums" (the app's albums from the index with their item
// counts) and "Sync Folders" (each configured folder with its state; failed files listed under it
// with the reason). Everything is read from the index, so a refresh is cheap.
import type * as vscode from 'vscode';
import type { IndexReader } from '../index/api';
import type { SyncFolder } from '../sync/config';
import { destinationAlbumsNode, type DestinationRow } from './destinationTree';
import type { TreeNode } from './tree';
import { albumsNode } from './albumNodes';
import type { SignedInAccount } from '../sync/folderAccount';
import { Paging } from './paging';
import { SyncStatusCache } from './syncStatusCache';
import { folderNode } from './syncFolderNodes';
import { englishL10n } from '../util/englishL10n';
import { formatCount } from '../util/format';

export type TreeVsCode = Pick<typeof vscode, 'TreeItem' | 'TreeItemCollapsibleState' | 'ThemeIcon' | 'MarkdownString' | 'Uri' | 'l10n'>;

export interface SyncTreeDeps {
  vs: TreeVsCode;
  index: () => IndexReader | undefined;
  /** Signed-in account id, undefined when signed out (no rows then). */
  accountId: () => string | undefined;
  /** Every signed-in account of the provider (Albums groups by account when there are several). */
  accounts?: () => readonly SignedInAccount[];
  provider: string;
  folders: () => readonly SyncFolder[];
  /** Other signed-in destinations, each shown as a row of its albums (Flickr, …). */
  destinations?: () => readonly DestinationRow[];
  /** Rows of other destinations, shown after Albums (the "Google Drive" row). */
  destinationRoots?: (index: IndexReader) => TreeNode[];
  /** The "Accounts" row, first (ui/accountNodes.ts). */
  accountRoots?: () => TreeNode[];
  /** What the index knows per sync folder; kept across redraws and invalidated by index changes. */
  cache?: SyncStatusCache;
  /** "Load more…" paging of long lists. */
  paging?: Paging;
  /** "Google Photos" for "google-photos". */
  destinationName?: (id: string) => string;
  accountLabel?: (folder: SyncFolder) => string | undefined;
  /** The account on a folder's row (only when there is a choice of accounts). */
  accountOnRow?: (folder: SyncFolder) => { text: string; problem?: boolean } | undefined;
}

/** Most rows shown under one node; the rest are summarised in a last row. */
export const MAX_CHILDREN = 500;

/** "1 item", "1,204 items" in the user's language (English without an l10n). */
export function items(n: number, l10n: Pick<typeof vscode.l10n, 't'> = englishL10n): string {
  return n === 1 ? l10n.t('1 item') : l10n.t('{0} items', formatCount(n));
}

/** The top-level rows while signed in: Albums, the other destinations' albums, then Sync Folders. */
export function syncTreeRoots(deps: SyncTreeDeps): () => Promise<TreeNode[]> {
  return async () => {
    const index = deps.index();
    const accountId = deps.accountId();
    const more = deps.destinations?.() ?? [];
    if (!index || (!accountId && more.length === 0)) return [];
    // Without a shared cache, one per redraw: the numbers of one drawing still agree.
    const cache = deps.cache ?? new SyncStatusCache(deps.index, deps.folders);
    const paging = deps.paging ?? new Paging();
    return [
      ...(deps.accountRoots?.() ?? []),
      ...(accountId ? [albumsNode({ vs: deps.vs, provider: deps.provider, accounts: deps.accounts?.() ?? [{ id: accountId }], paging }, index), ...(deps.destinationRoots?.(index) ?? [])] : []),
      ...more.map((d) => destinationAlbumsNode(deps.vs, index, d)),
      foldersNode(deps, cache, paging),
    ];
  };
}

function foldersNode(deps: SyncTreeDeps, cache: SyncStatusCache, paging: Paging): TreeNode {
  const { vs } = deps;
  return {
    id: 'photoSync.syncFolders',
    fingerprint: () => deps.folders().map((f) => `${f.path}>${f.destination}>${f.account ?? ''}`).join('\n'),
    toTreeItem() {
      const item = new vs.TreeItem(vs.l10n.t('Sync Folders'), vs.TreeItemCollapsibleState.Expanded);
      item.id = 'photoSync.syncFolders';
      item.description = `${deps.folders().length}`;
      item.iconPath = new vs.ThemeIcon('sync');
      item.contextValue = 'photoSync.syncFoldersRoot';
      return item;
    },
    async children() {
      const folders = deps.folders();
      if (folders.length === 0) {
        return [infoNode(vs, 'photoSync.syncFolders.none', 'No sync folders — add one', { command: 'photoSync.addFolder', title: vs.l10n.t('Add Folder to Sync…') }, 'Add a folder to keep it backed up.')];
      }
      return folders.map((folder) => folderNode({ vs, cache, paging, destinationName: deps.destinationName ?? ((id) => id), accountLabel: deps.accountLabel, accountOnRow: deps.accountOnRow }, folder));
    },
  };
}

export { folderState } from '../sync/folderStatus';

function infoNode(vs: TreeVsCode, id: string, label: string, command?: vscode.Command, tooltip?: string): TreeNode {
  return {
    id,
    toTreeItem() {
      const item = new vs.TreeItem(label, vs.TreeItemCollapsibleState.None);
      item.id = id;
      if (tooltip) item.tooltip = tooltip;
      item.command = command;
      item.iconPath = new vs.ThemeIcon('info');
      return item;
    },
  };
}
