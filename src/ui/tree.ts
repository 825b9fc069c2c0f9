import type * as vscode from 'vscode';

/** A row of the Photo Sync sidebar. */
export interface TreeNode {
  readonly id: string;
  toTreeItem(): vscode.TreeItem;
  children?(): Promise<TreeNode[]>;
}

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

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.toTreeItem();
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) {
      const main = await this.roots();
      // Signed out (no main rows): nothing, so the welcome content shows.
      if (main.length === 0) return main;
      return [...main, ...(await Promise.all(this.extraRoots.map((r) => r()))).flat()];
    }
    return node.children ? node.children() : [];
  }

  dispose(): void {
    this.changed.dispose();
  }
}
