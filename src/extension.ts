// Composition root: builds each module with the VS Code services it needs and registers the results.
// No feature logic lives here.
import * as vscode from 'vscode';
import { redactingLogger } from './util/logger';
import { LibraryTree } from './ui/tree';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const channel = vscode.window.createOutputChannel('Photo Sync', { log: true });
  context.subscriptions.push(channel);
  const log = redactingLogger(channel);
  log.info(`Photo Sync ${String(context.extension.packageJSON.version)} activating (${vscode.env.appName}, ui ${vscode.UIKind[vscode.env.uiKind]})`);

  const tree = new LibraryTree(vscode);
  context.subscriptions.push(tree, vscode.window.createTreeView('photoSync.albums', { treeDataProvider: tree, showCollapseAll: true }));

  log.info('Photo Sync activated');
}

export function deactivate(): void {
  // Modules flush their state through the disposables pushed on context.subscriptions.
}
