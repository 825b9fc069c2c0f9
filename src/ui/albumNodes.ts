// The "Albums" row of the sidebar: the app's albums from the index with their item counts. With one
// Google account signed in, the albums are its children; with several, one row per account holds
// that account's albums (each album's counts and items are its own account's).
import type { IndexReader } from '../index/api';
import type { SignedInAccount } from '../sync/folderAccount';
import { accountSettingValue, shortAccountName } from '../sync/folderAccount';
import { albumItemNodes } from './albumItemNodes';
import type { Paging } from './paging';
import type { TreeNode } from './tree';
import type { TreeVsCode } from './treeNodes';
import { formatCount } from '../util/format';

export interface AlbumsNodeDeps {
  vs: TreeVsCode;
  provider: string;
  /** Signed-in accounts in order (the first is the default); one account: no account rows. */
  accounts: readonly SignedInAccount[];
  paging: Paging;
}

const ROOT = 'photoSync.albums';
/** Row id of one account under Albums (only with several accounts). */
export const albumsAccountRowId = (accountId: string) => `${ROOT}.account:${accountId}`;

function count(n: number): string {
  return formatCount(n);
}

function itemsText(n: number, l10n: AlbumsNodeDeps['vs']['l10n']): string {
  return n === 1 ? l10n.t('1 item') : l10n.t('{0} items', count(n));
}

export function albumsNode(deps: AlbumsNodeDeps, index: IndexReader): TreeNode {
  const { vs, accounts, paging } = deps;
  const filter = (accountId: string) => ({ accountId, provider: deps.provider, appCreatedOnly: true });
  const total = () => accounts.reduce((n, a) => n + index.albums.listWithCounts(filter(a.id), { limit: 1 }).total, 0);
  const grouped = accounts.length > 1;
  const listKey = (accountId: string) => (grouped ? albumsAccountRowId(accountId) : ROOT);
  const fingerprintOf = (accountId: string) => {
    const page = index.albums.listWithCounts(filter(accountId), { limit: Math.min(1000, paging.limit(listKey(accountId))) });
    return `${page.total}:${page.items.map((a) => `${a.id}=${a.indexedItems}`).join(',')}`;
  };
  return {
    id: ROOT,
    fingerprint: () => accounts.map((a) => `${a.id}>${grouped ? index.albums.listWithCounts(filter(a.id), { limit: 1 }).total : fingerprintOf(a.id)}`).join('|'),
    toTreeItem() {
      const item = new vs.TreeItem(vs.l10n.t('Albums'), vs.TreeItemCollapsibleState.Expanded);
      item.id = ROOT;
      item.description = count(total());
      item.iconPath = new vs.ThemeIcon('library');
      item.contextValue = 'photoSync.albumsRoot';
      item.tooltip = vs.l10n.t('Albums Photo Sync created in Google Photos (Google lets an app see only its own albums).');
      return item;
    },
    async children() {
      if (!grouped) return accounts[0] ? albumRows(deps, index, accounts[0].id, ROOT) : [];
      return accounts.map((account) => accountRow(deps, index, account, fingerprintOf));
    },
  };
}

function accountRow(deps: AlbumsNodeDeps, index: IndexReader, account: SignedInAccount, fingerprintOf: (accountId: string) => string): TreeNode {
  const { vs } = deps;
  const id = albumsAccountRowId(account.id);
  const name = accountSettingValue(account);
  return {
    id,
    fingerprint: () => fingerprintOf(account.id),
    toTreeItem() {
      const n = index.albums.listWithCounts({ accountId: account.id, provider: deps.provider, appCreatedOnly: true }, { limit: 1 }).total;
      // The email's name part, short enough for a normal-width sidebar; the tooltip has it whole.
      const item = new vs.TreeItem(shortAccountName(account, deps.accounts), vs.TreeItemCollapsibleState.Expanded);
      item.id = id;
      item.description = n === 1 ? vs.l10n.t('1 album') : vs.l10n.t('{0} albums', count(n));
      item.iconPath = new vs.ThemeIcon('account');
      item.contextValue = 'photoSync.albumsAccount';
      item.tooltip = vs.l10n.t('Albums Photo Sync created in the Google Photos library of {0}', name);
      return item;
    },
    children: async () => albumRows(deps, index, account.id, id),
  };
}

/** One account's albums, a page at a time ("Load more…"). */
function albumRows(deps: AlbumsNodeDeps, index: IndexReader, accountId: string, parentId: string): TreeNode[] {
  const { vs, paging } = deps;
  const page = index.albums.listWithCounts({ accountId, provider: deps.provider, appCreatedOnly: true }, { limit: Math.min(1000, paging.limit(parentId)) });
  const rows: TreeNode[] = page.items.map((album) => ({
    id: `photoSync.album:${album.id}`,
    // The album's items, with the album item context menu (Open in Google Photos, Remove from Album).
    children: async () => albumItemNodes(vs, index, album, paging),
    toTreeItem() {
      const n = album.indexedItems;
      const item = new vs.TreeItem(album.title || '(untitled album)', vs.TreeItemCollapsibleState.Collapsed);
      item.id = `photoSync.album:${album.id}`;
      item.description = itemsText(n, vs.l10n);
      item.iconPath = new vs.ThemeIcon('folder-library');
      item.contextValue = 'photoSync.album';
      const tip = new vs.MarkdownString(vs.l10n.t('**{0}**\n\n{1} uploaded by Photo Sync', escapeMd(album.title), itemsText(n, vs.l10n)));
      if (album.productUrl) tip.appendMarkdown(`\n\n[Open in Google Photos](${album.productUrl})`);
      item.tooltip = tip;
      return item;
    },
  }));
  return paging.page(vs, parentId, page.total, () => rows, info(deps, `${parentId}.none`));
}

function info(deps: AlbumsNodeDeps, id: string): TreeNode {
  const { vs } = deps;
  return {
    id,
    toTreeItem() {
      const item = new vs.TreeItem(vs.l10n.t('No albums yet'), vs.TreeItemCollapsibleState.None);
      item.id = id;
      item.tooltip = vs.l10n.t('Sync a folder or upload one: Photo Sync makes its albums then.');
      item.iconPath = new vs.ThemeIcon('info');
      return item;
    },
  };
}

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
