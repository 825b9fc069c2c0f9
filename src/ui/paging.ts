// Long lists in the sidebar come a page at a time: a "Load more…" row at the end shows the next
// page (photoSync.sidebar.pageSize rows each) and redraws only its parent.
import type * as vscode from 'vscode';
import { formatCount } from '../util/format';
import type { TreeNode } from './tree';

export const LOAD_MORE_COMMAND = 'photoSync.loadMore';
export const DEFAULT_PAGE_SIZE = 100;

type PagingVs = Pick<typeof vscode, 'TreeItem' | 'TreeItemCollapsibleState' | 'ThemeIcon' | 'l10n'>;

export class Paging {
  private readonly limits = new Map<string, number>();

  constructor(private readonly pageSize: () => number = () => DEFAULT_PAGE_SIZE) {}

  size(): number {
    const n = Math.floor(this.pageSize());
    return Number.isFinite(n) && n >= 1 ? n : DEFAULT_PAGE_SIZE;
  }

  /** Rows to show under a parent now. */
  limit(parentId: string): number {
    return this.limits.get(parentId) ?? this.size();
  }

  /** One page more under a parent. */
  more(parentId: string): void {
    this.limits.set(parentId, this.limit(parentId) + this.size());
  }

  /**
   * The rows of one parent: the first `limit` of `total` (made by `rows`), then "Load more…" when
   * there are more, or the `empty` line when there are none.
   */
  page(vs: PagingVs, parentId: string, total: number, rows: (limit: number) => TreeNode[], empty?: TreeNode): TreeNode[] {
    const limit = this.limit(parentId);
    const out = total > 0 ? rows(limit) : [];
    if (total > out.length && out.length > 0) out.push(loadMoreNode(vs, parentId, total - out.length, Math.min(this.size(), total - out.length)));
    if (out.length === 0 && empty) out.push(empty);
    return out;
  }
}

function loadMoreNode(vs: PagingVs, parentId: string, remaining: number, next: number): TreeNode {
  const id = `${parentId}.loadMore`;
  return {
    id,
    toTreeItem() {
      const item = new vs.TreeItem(vs.l10n.t('Load more…'), vs.TreeItemCollapsibleState.None);
      item.id = id;
      item.description = vs.l10n.t('{0} more', formatCount(remaining));
      item.tooltip = vs.l10n.t('Show {0} more of the {1} not shown yet', formatCount(next), formatCount(remaining));
      item.iconPath = new vs.ThemeIcon('more');
      item.contextValue = 'photoSync.loadMore';
      item.command = { command: LOAD_MORE_COMMAND, title: vs.l10n.t('Load More'), arguments: [parentId] };
      return item;
    },
  };
}
