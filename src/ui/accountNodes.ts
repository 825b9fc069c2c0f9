// The sidebar's "Accounts": each signed-in account (Google, Flickr — several Google accounts are
// allowed) with the requests it spent in the current quota period against the limit, and under it
// each destination it serves with its count and the sync folders that use it.
import path from 'node:path';
import type * as vscode from 'vscode';
import type { IndexReader } from '../index/api';
import type { SyncFolder } from '../sync/config';
import type { QuotaPolicy } from '../tasks/quotaPolicy';
import { formatCount, formatTimeOfDay } from '../util/format';
import { englishL10n } from '../util/englishL10n';
import type { TreeNode } from './tree';
import type { TreeVsCode } from './treeNodes';
import { quotaWords } from '../tasks/quotaWords';

export interface AccountKind {
  id: string;
  displayName: string;
  authProviderId: string;
  quota: QuotaPolicy;
}

export interface AccountRowsDeps {
  vs: TreeVsCode;
  index: () => IndexReader | undefined;
  kinds: readonly AccountKind[];
  accounts: (authProviderId: string) => readonly { id: string; label?: string }[];
  folders: () => readonly SyncFolder[];
  /** The account a folder syncs with (its own choice, else the first signed-in one). */
  accountOf: (folder: SyncFolder) => string | undefined;
  /** "Google" for photoSync.google. */
  serviceName: (authProviderId: string) => string;
  now?: () => number;
}

/** "12/10,000 today", "3/3,600 this hour". */
export function quotaText(used: number, quota: QuotaPolicy, l10n: Pick<typeof vscode.l10n, 't'> = englishL10n): string {
  return quota.period === 'day' ? l10n.t('{0}/{1} today', formatCount(used), formatCount(quota.limit)) : l10n.t('{0}/{1} this hour', formatCount(used), formatCount(quota.limit));
}

export function accountRoots(deps: AccountRowsDeps): () => TreeNode[] {
  const list = () => {
    const providers = [...new Set(deps.kinds.map((k) => k.authProviderId))];
    return providers.flatMap((auth) => deps.accounts(auth).map((a) => accountNode(deps, auth, a)));
  };
  return () => {
    if (list().length === 0) return [];
    const { vs } = deps;
    return [
      {
        id: 'photoSync.accounts',
        fingerprint: () => list().map((r) => `${r.id}=${r.fingerprint?.() ?? ''}`).join('|'),
        toTreeItem() {
          const item = new vs.TreeItem(vs.l10n.t('Accounts'), vs.TreeItemCollapsibleState.Expanded);
          item.id = 'photoSync.accounts';
          item.description = `${list().length}`;
          item.iconPath = new vs.ThemeIcon('account');
          item.contextValue = 'photoSync.accountsRoot';
          item.tooltip = vs.l10n.t('The accounts Photo Sync is signed in to, with the requests spent against each service’s quota.');
          return item;
        },
        async children() {
          return list();
        },
      },
    ];
  };
}

function used(deps: AccountRowsDeps, accountId: string, quota: QuotaPolicy): number {
  const now = (deps.now ?? Date.now)();
  return deps.index()?.quota.used(accountId, quota.bucket, quota.periodOf(now)) ?? 0;
}

function accountNode(deps: AccountRowsDeps, auth: string, account: { id: string; label?: string }): TreeNode {
  const { vs } = deps;
  const kinds = deps.kinds.filter((k) => k.authProviderId === auth);
  const id = `photoSync.account:${auth}:${account.id}`;
  const main = kinds[0];
  const mine = () => deps.folders().filter((f) => kinds.some((k) => k.id === f.destination) && deps.accountOf(f) === account.id);
  return {
    id,
    fingerprint: () => `${kinds.map((k) => used(deps, account.id, k.quota)).join(',')};${mine().map((f) => f.path).join(',')}`,
    toTreeItem() {
      const item = new vs.TreeItem(account.label || account.id, vs.TreeItemCollapsibleState.Collapsed);
      item.id = id;
      item.description = quotaText(used(deps, account.id, main.quota), main.quota, vs.l10n);
      item.iconPath = new vs.ThemeIcon('account');
      item.contextValue = `photoSync.account.${auth}`;
      const now = (deps.now ?? Date.now)();
      const lines = kinds.map((k) => vs.l10n.t('{0}: {1} of {2} requests ({3}; resets at {4}, {5})', k.displayName, formatCount(used(deps, account.id, k.quota)), formatCount(k.quota.limit), quotaWords(k.quota.label, vs.l10n), formatTimeOfDay(k.quota.resetsAt(now)), quotaWords(k.quota.resetText, vs.l10n)));
      const folders = mine().length === 1 ? vs.l10n.t('1 sync folder') : vs.l10n.t('{0} sync folders', formatCount(mine().length));
      item.tooltip = new vs.MarkdownString([`**${deps.serviceName(auth)}** — ${account.label || account.id}`, ...lines, folders].join('\n\n'));
      return item;
    },
    async children() {
      const rows: TreeNode[] = kinds.map((k) => ({
        id: `${id}:${k.id}`,
        toTreeItem() {
          const item = new vs.TreeItem(k.displayName, vs.TreeItemCollapsibleState.None);
          item.id = `${id}:${k.id}`;
          item.description = quotaText(used(deps, account.id, k.quota), k.quota, vs.l10n);
          item.iconPath = new vs.ThemeIcon('dashboard');
          item.tooltip = vs.l10n.t('Requests this account spent on {0} in the current period; the {1} of {2} resets {3}.', k.displayName, quotaWords(k.quota.label, vs.l10n), formatCount(k.quota.limit), quotaWords(k.quota.resetText, vs.l10n));
          return item;
        },
      }));
      for (const f of mine()) {
        const rowId = `${id}:folder:${f.path}`;
        rows.push({
          id: rowId,
          toTreeItem() {
            const item = new vs.TreeItem(path.basename(f.path) || f.path, vs.TreeItemCollapsibleState.None);
            item.id = rowId;
            item.description = kinds.find((k) => k.id === f.destination)?.displayName ?? f.destination;
            item.iconPath = new vs.ThemeIcon('folder');
            item.resourceUri = vs.Uri.file(f.path);
            item.contextValue = 'photoSync.accountFolder';
            item.tooltip = vs.l10n.t('{0} syncs with this account', f.path);
            return item;
          },
        });
      }
      return rows;
    },
  };
}
