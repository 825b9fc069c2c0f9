// The "Google Drive" row of the sidebar, beside Albums: the Drive folders Photo Sync made under the
// base folder (one per album) with their item counts, read from the index. Shown once a sync folder
// goes to Google Drive or the index knows Drive folders.
import type { IndexReader } from '../index/api';
import type { SyncFolder } from '../sync/config';
import type { TreeNode } from './tree';
import { items, MAX_CHILDREN, type TreeVsCode } from './treeNodes';
import { formatCount } from '../util/format';

export const DRIVE_PROVIDER = 'google-drive';

export interface DriveTreeDeps {
  vs: TreeVsCode;
  accountId: () => string | undefined;
  folders: () => readonly SyncFolder[];
  /** `photoSync.drive.folderName`. */
  baseName: () => string;
}

/** The Drive row, or none while no folder syncs to Drive and the index knows no Drive folder. */
export function driveRoots(deps: DriveTreeDeps): (index: IndexReader) => TreeNode[] {
  return (index) => {
    const accountId = deps.accountId();
    if (!accountId) return [];
    const filter = { accountId, provider: DRIVE_PROVIDER, appCreatedOnly: true };
    const known = index.albums.listWithCounts(filter, { limit: 1 }).total;
    if (known === 0 && !deps.folders().some((f) => f.destination === DRIVE_PROVIDER)) return [];
    const { vs } = deps;
    return [
      {
        id: 'photoSync.drive',
        toTreeItem() {
          const total = index.albums.listWithCounts(filter, { limit: 1 }).total;
          const item = new vs.TreeItem(vs.l10n.t('Google Drive'), vs.TreeItemCollapsibleState.Expanded);
          item.id = 'photoSync.drive';
          item.description = formatCount(total);
          item.iconPath = new vs.ThemeIcon('cloud');
          item.contextValue = 'photoSync.driveRoot';
          item.tooltip = vs.l10n.t('Folders Photo Sync made in Google Drive under “{0}”, one per album.', deps.baseName());
          return item;
        },
        async children() {
          const page = index.albums.listWithCounts(filter, { limit: MAX_CHILDREN });
          const rows: TreeNode[] = page.items.map((folder) => ({
            id: `photoSync.driveFolder:${folder.id}`,
            toTreeItem() {
              const item = new vs.TreeItem(folder.title || vs.l10n.t('(untitled folder)'), vs.TreeItemCollapsibleState.None);
              item.id = `photoSync.driveFolder:${folder.id}`;
              item.description = items(folder.indexedItems, vs.l10n);
              item.iconPath = new vs.ThemeIcon('folder');
              item.contextValue = 'photoSync.driveFolder';
              item.tooltip = vs.l10n.t('{0}/{1}: {2} uploaded by Photo Sync', deps.baseName(), folder.title, items(folder.indexedItems, vs.l10n));
              return item;
            },
          }));
          if (page.total > page.items.length) rows.push(info(vs, 'photoSync.drive.more', vs.l10n.t('{0} more folders', formatCount(page.total - page.items.length))));
          if (rows.length === 0) rows.push(info(vs, 'photoSync.drive.none', vs.l10n.t('No Drive folders yet — Sync Now makes them')));
          return rows;
        },
      },
    ];
  };
}

function info(vs: TreeVsCode, id: string, label: string): TreeNode {
  return {
    id,
    toTreeItem() {
      const item = new vs.TreeItem(label, vs.TreeItemCollapsibleState.None);
      item.id = id;
      item.iconPath = new vs.ThemeIcon('info');
      return item;
    },
  };
}
