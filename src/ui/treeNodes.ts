// Sidebar rows for the sync side: "Albums" (the app's albums from the index with their item
// counts) and "Sync Folders" (each configured folder with its state; failed files listed under it
// with the reason). Everything is read from the index, so a refresh is cheap.
import type * as vscode from 'vscode';
import path from 'node:path';
import type { IndexReader } from '../index/api';
import { describeAlbumRule, folderCounts, folderState } from '../sync/folderStatus';
import type { SyncFolder } from '../sync/config';
import { destinationAlbumsNode, type DestinationRow } from './destinationTree';
import type { TreeNode } from './tree';
import { albumItemNodes } from './albumItemNodes';

export type TreeVsCode = Pick<typeof vscode, 'TreeItem' | 'TreeItemCollapsibleState' | 'ThemeIcon' | 'MarkdownString' | 'Uri'>;

export interface SyncTreeDeps {
  vs: TreeVsCode;
  index: () => IndexReader | undefined;
  /** Signed-in account id, undefined when signed out (no rows then). */
  accountId: () => string | undefined;
  provider: string;
  folders: () => readonly SyncFolder[];
  /** Other signed-in destinations, each shown as a row of its albums (Flickr, …). */
  destinations?: () => readonly DestinationRow[];
  /** Rows of other destinations, shown after Albums (the "Google Drive" row). */
  destinationRoots?: (index: IndexReader) => TreeNode[];
}

/** Most rows shown under one node; the rest are summarised in a last row. */
export const MAX_CHILDREN = 500;

export function items(n: number): string {
  return `${n.toLocaleString('en-US')} item${n === 1 ? '' : 's'}`;
}

/** The top-level rows while signed in: Albums, the other destinations' albums, then Sync Folders. */
export function syncTreeRoots(deps: SyncTreeDeps): () => Promise<TreeNode[]> {
  return async () => {
    const index = deps.index();
    const accountId = deps.accountId();
    const more = deps.destinations?.() ?? [];
    if (!index || (!accountId && more.length === 0)) return [];
    return [
      ...(accountId ? [albumsNode(deps, index, accountId), ...(deps.destinationRoots?.(index) ?? [])] : []),
      ...more.map((d) => destinationAlbumsNode(deps.vs, index, d)),
      foldersNode(deps, index),
    ];
  };
}

function albumsNode(deps: SyncTreeDeps, index: IndexReader, accountId: string): TreeNode {
  const { vs } = deps;
  const filter = { accountId, provider: deps.provider, appCreatedOnly: true };
  return {
    id: 'photoSync.albums',
    toTreeItem() {
      const total = index.albums.listWithCounts(filter, { limit: 1 }).total;
      const item = new vs.TreeItem('Albums', vs.TreeItemCollapsibleState.Expanded);
      item.id = 'photoSync.albums';
      item.description = `${total.toLocaleString('en-US')}`;
      item.iconPath = new vs.ThemeIcon('library');
      item.contextValue = 'photoSync.albumsRoot';
      item.tooltip = 'Albums Photo Sync created in Google Photos (Google lets an app see only its own albums).';
      return item;
    },
    async children() {
      const page = index.albums.listWithCounts(filter, { limit: MAX_CHILDREN });
      const rows: TreeNode[] = page.items.map((album) => ({
        id: `photoSync.album:${album.id}`,
        // The album's items, with the album item context menu (Open in Google Photos, Remove from Album).
        children: async () => albumItemNodes(vs, index, album),
        toTreeItem() {
          const count = album.indexedItems;
          const item = new vs.TreeItem(album.title || '(untitled album)', vs.TreeItemCollapsibleState.Collapsed);
          item.id = `photoSync.album:${album.id}`;
          item.description = items(count);
          item.iconPath = new vs.ThemeIcon('folder-library');
          item.contextValue = 'photoSync.album';
          const tip = new vs.MarkdownString(`**${escapeMd(album.title)}**\n\n${items(count)} uploaded by Photo Sync`);
          if (album.productUrl) tip.appendMarkdown(`\n\n[Open in Google Photos](${album.productUrl})`);
          item.tooltip = tip;
          return item;
        },
      }));
      if (page.total > page.items.length) rows.push(infoNode(vs, 'photoSync.albums.more', `${(page.total - page.items.length).toLocaleString('en-US')} more albums`));
      if (rows.length === 0) rows.push(infoNode(vs, 'photoSync.albums.none', 'No albums yet — upload a folder to create one'));
      return rows;
    },
  };
}

function foldersNode(deps: SyncTreeDeps, index: IndexReader): TreeNode {
  const { vs } = deps;
  return {
    id: 'photoSync.syncFolders',
    toTreeItem() {
      const item = new vs.TreeItem('Sync Folders', vs.TreeItemCollapsibleState.Expanded);
      item.id = 'photoSync.syncFolders';
      item.description = `${deps.folders().length}`;
      item.iconPath = new vs.ThemeIcon('sync');
      item.contextValue = 'photoSync.syncFoldersRoot';
      return item;
    },
    async children() {
      const folders = deps.folders();
      if (folders.length === 0) {
        return [infoNode(vs, 'photoSync.syncFolders.none', 'Add a folder to keep it backed up', { command: 'photoSync.addFolder', title: 'Add Folder to Sync…' })];
      }
      return folders.map((folder) => folderNode(vs, index, folder));
    },
  };
}

export { folderState } from '../sync/folderStatus';

function folderNode(vs: TreeVsCode, index: IndexReader, folder: SyncFolder): TreeNode {
  const id = `photoSync.syncFolder:${folder.path}`;
  const counts = () => folderCounts(index, folder);
  return {
    id,
    toTreeItem() {
      const c = counts();
      const item = new vs.TreeItem(path.basename(folder.path) || folder.path, c.failed ? vs.TreeItemCollapsibleState.Collapsed : vs.TreeItemCollapsibleState.None);
      item.id = id;
      item.description = folderState(c);
      item.iconPath = new vs.ThemeIcon(c.failed ? 'warning' : c.uploaded && !c.pending && !c.hashed ? 'pass' : 'folder');
      item.resourceUri = vs.Uri.file(folder.path);
      item.contextValue = 'photoSync.syncFolder';
      const rule = describeAlbumRule(folder);
      const after = folder.afterUpload === 'archive' ? `moved to ${folder.archivePath} after upload` : 'kept in place after upload';
      item.tooltip = new vs.MarkdownString(`${escapeMd(folder.path)}\n\n${escapeMd(rule)}; ${escapeMd(after)}`);
      return item;
    },
    async children() {
      const failed = index.localFiles.byStatus('failed', { limit: MAX_CHILDREN }, folder.path);
      const rows: TreeNode[] = failed.items.map((f) => ({
        id: `photoSync.failed:${f.path}`,
        toTreeItem() {
          const item = new vs.TreeItem(path.relative(folder.path, f.path), vs.TreeItemCollapsibleState.None);
          item.id = `photoSync.failed:${f.path}`;
          item.description = f.lastError ?? 'failed';
          item.tooltip = `${f.path}\n${f.lastError ?? ''}`;
          item.iconPath = new vs.ThemeIcon('error');
          item.resourceUri = vs.Uri.file(f.path);
          item.contextValue = 'photoSync.failedFile';
          return item;
        },
      }));
      if (failed.total > failed.items.length) rows.push(infoNode(vs, `${id}.more`, `${(failed.total - failed.items.length).toLocaleString('en-US')} more failed files (see the Photo Sync log)`));
      return rows;
    },
  };
}

function infoNode(vs: TreeVsCode, id: string, label: string, command?: vscode.Command): TreeNode {
  return {
    id,
    toTreeItem() {
      const item = new vs.TreeItem(label, vs.TreeItemCollapsibleState.None);
      item.id = id;
      item.command = command;
      item.iconPath = new vs.ThemeIcon('info');
      return item;
    },
  };
}

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
