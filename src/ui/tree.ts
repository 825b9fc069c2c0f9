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

  constructor(vs: Pick<typeof vscode, 'EventEmitter'>) {
    this.changed = new vs.EventEmitter<TreeNode | undefined>();
    this.onDidChangeTreeData = this.changed.event;
  }

  /** Sets where the top-level rows come from (none while signed out). */
  setRoots(roots: () => Promise<TreeNode[]>): void {
    this.roots = roots;
    this.refresh();
  }

  refresh(node?: TreeNode): void {
    this.changed.fire(node);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.toTreeItem();
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) return this.roots();
    return node.children ? node.children() : [];
  }

  dispose(): void {
    this.changed.dispose();
  }
}
