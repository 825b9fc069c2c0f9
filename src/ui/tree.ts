import type * as vscode from 'vscode';

/** A row of the Photo Sync sidebar. */
export interface TreeNode {
  readonly id: string;
  toTreeItem(): vscode.TreeItem;
  children?(): Promise<TreeNode[]>;
  /**
   * A cheap summary of what the row and its children show (counts, ids). When it changes after an
   * index change, only this row is redrawn (see LibraryTree.refreshChanged); rows without one are
   * redrawn with their parent.
   */
  fingerprint?(): string;
}

/** Redraw delay after an index change: short when idle, longer while a sync writes many times a second. */
export const REFRESH_IDLE_MS = 250;
export const REFRESH_BUSY_MS = 1500;

/**
 * The sidebar tree. It returns no rows while signed out so VS Code shows the welcome content
 * with the sign-in button.
 */
export class LibraryTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed: vscode.EventEmitter<TreeNode | undefined>;
  readonly onDidChangeTreeData: vscode.Event<TreeNode | undefined>;
  private roots: () => Promise<TreeNode[]> = async () => [];
  /** Further top-level rows other features add after the main ones (e.g. "Imported"). */
  private readonly extraRoots: (() => Promise<TreeNode[]>)[] = [];
  /** Rows handed to VS Code, by id, with their parent and last fingerprint. */
  private readonly known = new Map<string, { node: TreeNode; parent?: TreeNode; print?: string }>();
  /** The ids of each parent's children as last handed out ('' = the top level). */
  private readonly childIds = new Map<string, string[]>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** True while tasks run (redraws are throttled harder then). */
  busy: () => boolean = () => false;

  private disposed = false;

  constructor(vs: Pick<typeof vscode, 'EventEmitter'>) {
    this.changed = new vs.EventEmitter<TreeNode | undefined>();
    this.onDidChangeTreeData = this.changed.event;
  }

  /** Sets where the top-level rows come from (none while signed out). */
  setRoots(roots: () => Promise<TreeNode[]>): void {
    this.roots = roots;
    this.refresh();
  }

  /** Adds top-level rows after the main ones; dispose to take them away. */
  addRoots(roots: () => Promise<TreeNode[]>): { dispose(): void } {
    this.extraRoots.push(roots);
    this.refresh();
    return {
      dispose: () => {
        const i = this.extraRoots.indexOf(roots);
        if (i >= 0) this.extraRoots.splice(i, 1);
        this.refresh();
      },
    };
  }

  refresh(node?: TreeNode): void {
    this.changed.fire(node);
  }

  /** A row handed out before, by id (a "Load more…" row refreshes its parent this way). */
  node(id: string): TreeNode | undefined {
    return this.known.get(id)?.node;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return this.known.get(node.id)?.parent;
  }

  /**
   * After an index change: redraws only the rows whose fingerprint changed (the top-most of them),
   * or everything when the top-level rows changed. Throttled, harder while tasks run.
   */
  refreshChanged(): void {
    this.timer ??= setTimeout(
      () => {
        this.timer = undefined;
        // A redraw that cannot read the index redraws everything (VS Code asks again and shows what it
        // can) — or nothing once the tree is gone (the window is closing and the index closed under it).
        this.redrawChanged().catch(() => {
          if (!this.disposed) this.refresh();
        });
      },
      this.busy() ? REFRESH_BUSY_MS : REFRESH_IDLE_MS,
    );
  }

  /** Does the redraw now (tests call it directly); resolves with the ids redrawn ('' = all). */
  async redrawChanged(): Promise<string[]> {
    const last = this.childIds.get('');
    if (!last) return [];
    const roots = await this.topLevel();
    if (roots.map((r) => r.id).join('\n') !== last.join('\n')) {
      this.refresh();
      return [''];
    }
    const fired: string[] = [];
    const walk = (ids: readonly string[], top: boolean) => {
      for (const id of ids) {
        const k = this.known.get(id);
        if (!k) continue;
        const print = safePrint(k.node);
        // A top-level row that cannot tell what it shows (no fingerprint) is always redrawn.
        if ((top && !k.node.fingerprint) || (print !== undefined && print !== k.print)) {
          k.print = print;
          fired.push(id);
          this.changed.fire(k.node);
          continue; // its children are redrawn with it
        }
        const below = this.childIds.get(id);
        if (below) walk(below, false);
      }
    };
    walk(last, true);
    return fired;
  }

  private async topLevel(): Promise<TreeNode[]> {
    const main = await this.roots();
    // Signed out (no main rows): nothing, so the welcome content shows.
    if (main.length === 0) return main;
    return [...main, ...(await Promise.all(this.extraRoots.map((r) => r()))).flat()];
  }

  private remember(parent: TreeNode | undefined, children: TreeNode[]): TreeNode[] {
    this.childIds.set(parent?.id ?? '', children.map((c) => c.id));
    // A parent whose rows were just listed shows what it shows now.
    const known = parent && this.known.get(parent.id);
    if (known) known.print = safePrint(parent);
    for (const c of children) this.known.set(c.id, { node: c, parent, print: safePrint(c) });
    return children;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.toTreeItem();
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) return this.remember(undefined, await this.topLevel());
    return this.remember(node, node.children ? await node.children() : []);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.changed.dispose();
  }
}

function safePrint(node: TreeNode): string | undefined {
  try {
    return node.fingerprint?.();
  } catch {
    return undefined;
  }
}
