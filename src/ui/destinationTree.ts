// A sidebar row per further signed-in destination (Flickr, …) beside Google Photos' "Albums": its
// albums from the index with their item counts. Read from the index only, so a refresh is cheap.
import type { IndexReader } from '../index/api';
import type { TreeNode } from './tree';
import { items, MAX_CHILDREN, type TreeVsCode } from './treeNodes';
import { formatCount } from '../util/format';

export interface DestinationRow {
  /** PhotoProvider.id, e.g. "flickr". */
  provider: string;
  accountId: string;
  /** "Flickr". */
  displayName: string;
  /** Who is signed in, for the tooltip. */
  accountLabel?: string;
}

export function destinationAlbumsNode(vs: TreeVsCode, index: IndexReader, row: DestinationRow): TreeNode {
  const id = `photoSync.destination:${row.provider}`;
  const filter = { accountId: row.accountId, provider: row.provider };
  return {
    id,
    toTreeItem() {
      const total = index.albums.listWithCounts(filter, { limit: 1 }).total;
      const item = new vs.TreeItem(row.displayName, vs.TreeItemCollapsibleState.Expanded);
      item.id = id;
      item.description = total === 1 ? vs.l10n.t('1 album') : vs.l10n.t('{0} albums', formatCount(total));
      item.iconPath = new vs.ThemeIcon('cloud');
      item.contextValue = `photoSync.destination.${row.provider}`;
      item.tooltip = row.accountLabel ? vs.l10n.t('Albums Photo Sync uses in {0} (signed in as {1}).', row.displayName, row.accountLabel) : vs.l10n.t('Albums Photo Sync uses in {0}.', row.displayName);
      return item;
    },
    async children() {
      const page = index.albums.listWithCounts(filter, { limit: MAX_CHILDREN });
      const rows: TreeNode[] = page.items.map((album) => ({
        id: `${id}:${album.id}`,
        toTreeItem() {
          // An album found on the service (made before, or on its site) counts what the service reported.
          const count = Math.max(album.indexedItems, album.itemCount ?? 0);
          const item = new vs.TreeItem(album.title || vs.l10n.t('(untitled album)'), vs.TreeItemCollapsibleState.None);
          item.id = `${id}:${album.id}`;
          item.description = items(count, vs.l10n);
          item.iconPath = new vs.ThemeIcon('folder-library');
          item.contextValue = 'photoSync.destinationAlbum';
          const listed = count > album.indexedItems ? vs.l10n.t(' ({0} in {1} when last listed)', items(count, vs.l10n), row.displayName) : '';
          const tip = new vs.MarkdownString(vs.l10n.t('**{0}**\n\n{1} synced by Photo Sync{2}', escapeMd(album.title), items(album.indexedItems, vs.l10n), listed));
          if (album.productUrl) tip.appendMarkdown(`\n\n[${escapeMd(vs.l10n.t('Open in {0}', row.displayName))}](${album.productUrl})`);
          item.tooltip = tip;
          return item;
        },
      }));
      if (page.total > page.items.length) rows.push(info(vs, `${id}.more`, vs.l10n.t('{0} more albums', formatCount(page.total - page.items.length))));
      if (rows.length === 0) rows.push(info(vs, `${id}.none`, vs.l10n.t('No albums yet — sync a folder to {0} to create one', row.displayName)));
      return rows;
    },
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

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
