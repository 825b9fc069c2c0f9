// A sync folder in the sidebar: a short state on the row (the rest in its tooltip), then a row per
// count — Uploaded, To upload, Failed, Excluded — each opening to exactly the files it counts (with
// the reason for failures and exclusions), then the folder's sub-folders and files with status icons.
// Everything comes from SyncStatusCache, so the counts on the rows and the files under them match.
import path from 'node:path';
import type { LocalFileRecord } from '../index/api';
import { describeAlbumRule } from '../sync/folderStatus';
import type { SyncFolder } from '../sync/config';
import { formatCount } from '../util/format';
import type { Paging } from './paging';
import { CATEGORIES, categoryOf, type CategoryCounts, type FileCategory, type SyncStatusCache } from './syncStatusCache';
import type { TreeNode } from './tree';
import type { TreeVsCode } from './treeNodes';
import { translateReason } from '../sync/reasonText';

export interface FolderNodeDeps {
  vs: TreeVsCode;
  cache: SyncStatusCache;
  paging: Paging;
  /** "Google Photos" for "google-photos". */
  destinationName: (id: string) => string;
  /** The account a folder syncs with, for its tooltip. */
  accountLabel?: (folder: SyncFolder) => string | undefined;
  /** The account on the row itself (only when there is a choice, or when it is signed out: `problem`). */
  accountOnRow?: (folder: SyncFolder) => { text: string; problem?: boolean } | undefined;
}

const ICONS: Record<FileCategory, string> = { uploaded: 'pass', pending: 'cloud-upload', failed: 'error', excluded: 'circle-slash' };

type L10n = Pick<TreeVsCode, 'l10n'>;

function words(vs: L10n, category: FileCategory): { title: string; icon: string; tip: string } {
  switch (category) {
    case 'uploaded':
      return { title: vs.l10n.t('Uploaded'), icon: ICONS.uploaded, tip: vs.l10n.t('backed up') };
    case 'pending':
      return { title: vs.l10n.t('To upload'), icon: ICONS.pending, tip: vs.l10n.t('not backed up yet (the next Sync Now uploads them)') };
    case 'failed':
      return { title: vs.l10n.t('Failed'), icon: ICONS.failed, tip: vs.l10n.t('failed to upload (the reason is on each file)') };
    case 'excluded':
      return { title: vs.l10n.t('Excluded'), icon: ICONS.excluded, tip: vs.l10n.t('not uploaded: unsupported, too large, empty or excluded (the reason is on each file)') };
  }
}

function countText(vs: L10n, category: FileCategory, n: number): string {
  const count = formatCount(n);
  switch (category) {
    case 'uploaded':
      return vs.l10n.t('{0} uploaded', count);
    case 'pending':
      return vs.l10n.t('{0} to upload', count);
    case 'failed':
      return vs.l10n.t('{0} failed', count);
    case 'excluded':
      return vs.l10n.t('{0} excluded', count);
  }
}

/** The row text: at most two counts, so it fits a normal sidebar ("18 uploaded · 1 failed"). */
export function shortState(vs: L10n, c: CategoryCounts): string {
  const parts: string[] = [];
  if (c.uploaded) parts.push(countText(vs, 'uploaded', c.uploaded));
  if (c.failed) parts.push(countText(vs, 'failed', c.failed));
  else if (c.pending) parts.push(countText(vs, 'pending', c.pending));
  else if (c.excluded && parts.length === 0) parts.push(countText(vs, 'excluded', c.excluded));
  return parts.slice(0, 2).join(' · ') || vs.l10n.t('not synced yet');
}

/** Every count, for tooltips: "18 uploaded · 1 to upload · 1 failed · 2 excluded". */
export function fullState(vs: L10n, c: CategoryCounts): string {
  const parts = CATEGORIES.filter((k) => c[k] > 0).map((k) => countText(vs, k, c[k]));
  return parts.join(' · ') || vs.l10n.t('not synced yet');
}

function iconOf(c: CategoryCounts): string {
  return c.failed ? 'warning' : c.pending ? 'folder' : c.uploaded ? 'pass' : 'folder';
}

export function folderNode(deps: FolderNodeDeps, folder: SyncFolder): TreeNode {
  const { vs, cache } = deps;
  const id = `photoSync.syncFolder:${folder.path}`;
  return {
    id,
    fingerprint: () => JSON.stringify([cache.counts(folder), deps.accountOnRow?.(folder), deps.accountLabel?.(folder)]),
    toTreeItem() {
      const c = cache.counts(folder);
      const item = new vs.TreeItem(path.basename(folder.path) || folder.path, vs.TreeItemCollapsibleState.Collapsed);
      item.id = id;
      const onRow = deps.accountOnRow?.(folder);
      // A signed-out account comes first (it is why nothing syncs), with a warning icon.
      item.description = !onRow ? shortState(deps.vs, c) : onRow.problem ? `${onRow.text} · ${shortState(deps.vs, c)}` : `${shortState(deps.vs, c)} · ${onRow.text}`;
      item.iconPath = new vs.ThemeIcon(onRow?.problem ? 'warning' : iconOf(c));
      item.resourceUri = vs.Uri.file(folder.path);
      item.contextValue = 'photoSync.syncFolder';
      const after = folder.afterUpload === 'archive' ? vs.l10n.t('moved to {0} after upload', folder.archivePath ?? '') : vs.l10n.t('kept in place after upload');
      const account = deps.accountLabel?.(folder);
      item.tooltip = new vs.MarkdownString(
        [
          `**${escapeMd(folder.path)}**`,
          `${escapeMd(fullState(deps.vs, c))}`,
          vs.l10n.t('To {0}{1}: {2}; {3}', escapeMd(deps.destinationName(folder.destination)), account ? vs.l10n.t(' as {0}', escapeMd(account)) : '', escapeMd(describeAlbumRule(folder)), escapeMd(after)),
        ].join('\n\n'),
      );
      return item;
    },
    async children() {
      const c = cache.counts(folder);
      const rows: TreeNode[] = CATEGORIES.filter((k) => c[k] > 0).map((k) => countNode(deps, folder, k));
      if (rows.length === 0) {
        return [info(vs, `${id}.none`, vs.l10n.t('Not synced yet — Sync Now scans it'), { command: 'photoSync.syncNow', title: vs.l10n.t('Sync Now') })];
      }
      return [...rows, ...dirChildren(deps, folder, path.resolve(folder.path), id)];
    },
  };
}

function countNode(deps: FolderNodeDeps, folder: SyncFolder, category: FileCategory): TreeNode {
  const { vs, cache, paging } = deps;
  const id = `photoSync.syncFolder:${folder.path}#${category}`;
  const w = words(deps.vs, category);
  return {
    id,
    fingerprint: () => String(cache.counts(folder)[category]),
    toTreeItem() {
      const n = cache.counts(folder)[category];
      const item = new vs.TreeItem(w.title, vs.TreeItemCollapsibleState.Collapsed);
      item.id = id;
      item.description = formatCount(n);
      item.iconPath = new vs.ThemeIcon(w.icon);
      item.contextValue = `photoSync.syncFolderCount.${category}`;
      item.tooltip = n === 1 ? vs.l10n.t('1 file {0}', w.tip) : vs.l10n.t('{0} files {1}', formatCount(n), w.tip);
      return item;
    },
    async children() {
      const files = cache.filesIn(folder, category);
      return paging.page(vs, id, files.length, (limit) => files.slice(0, limit).map((f) => fileNode(deps, folder, f, `${id}:`)));
    },
  };
}

/** The immediate sub-folders and files of a directory inside a sync folder. */
function dirChildren(deps: FolderNodeDeps, folder: SyncFolder, dir: string, parentId: string): TreeNode[] {
  const entry = deps.cache.dir(dir);
  if (!entry) return [];
  const all: (string | LocalFileRecord)[] = [...entry.dirs, ...entry.files];
  return deps.paging.page(deps.vs, parentId, all.length, (limit) =>
    all.slice(0, limit).map((x) => (typeof x === 'string' ? dirNode(deps, folder, x) : fileNode(deps, folder, x, 'photoSync.file:', true))),
  );
}

function dirNode(deps: FolderNodeDeps, folder: SyncFolder, dir: string): TreeNode {
  const { vs, cache } = deps;
  const id = `photoSync.dir:${dir}`;
  const counts = () => cache.dir(dir)?.counts ?? { uploaded: 0, pending: 0, failed: 0, excluded: 0 };
  return {
    id,
    fingerprint: () => JSON.stringify(counts()),
    toTreeItem() {
      const c = counts();
      const item = new vs.TreeItem(path.basename(dir), vs.TreeItemCollapsibleState.Collapsed);
      item.id = id;
      item.description = shortState(deps.vs, c);
      item.iconPath = new vs.ThemeIcon(c.failed ? 'warning' : 'folder');
      item.resourceUri = vs.Uri.file(dir);
      item.contextValue = 'photoSync.syncSubFolder';
      item.tooltip = `${dir}\n${fullState(deps.vs, c)}`;
      return item;
    },
    async children() {
      return dirChildren(deps, folder, dir, id);
    },
  };
}

function fileNode(deps: FolderNodeDeps, folder: SyncFolder, f: LocalFileRecord, idPrefix: string, nameOnly = false): TreeNode {
  const { vs } = deps;
  const id = `${idPrefix}${f.path}`;
  return {
    id,
    toTreeItem() {
      const category = categoryOf(f.status) ?? 'pending';
      const rel = path.relative(folder.path, f.path);
      const item = new vs.TreeItem(nameOnly || rel.startsWith('..') ? path.basename(f.path) : rel, vs.TreeItemCollapsibleState.None);
      item.id = id;
      item.iconPath = new vs.ThemeIcon(ICONS[category]);
      // Stored in English (sync/reasonText.ts); shown in the user's language.
      const stored = category === 'failed' || category === 'excluded' ? f.lastError : undefined;
      const reason = stored ? translateReason(stored, vs.l10n) : category === 'failed' ? vs.l10n.t('failed') : category === 'excluded' ? vs.l10n.t('excluded') : undefined;
      item.description = reason ? shorten(reason) : category === 'pending' ? vs.l10n.t('to upload') : '';
      const status = category === 'uploaded' ? vs.l10n.t('Backed up to {0}', deps.destinationName(folder.destination)) : category === 'pending' ? vs.l10n.t('Not backed up yet') : `${words(vs, category).title}: ${reason ?? ''}`;
      item.tooltip = `${f.path}\n${status}`;
      item.resourceUri = vs.Uri.file(f.path);
      item.contextValue = `photoSync.syncFile.${category}`;
      item.command = { command: 'vscode.open', title: vs.l10n.t('Open'), arguments: [vs.Uri.file(f.path)] };
      return item;
    },
  };
}

/** Reasons stay on one short line; the whole reason is in the tooltip. */
function shorten(text: string, max = 48): string {
  const line = text.split('\n')[0];
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function info(vs: TreeVsCode, id: string, label: string, command?: { command: string; title: string }): TreeNode {
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
