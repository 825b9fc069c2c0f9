import type * as vscode from 'vscode';
import type { SyncCommandDeps } from './deps';
import { SYNC_COMMANDS } from './deps';

export type { DestinationSession, SyncCommandDeps } from './deps';
export { SYNC_COMMANDS } from './deps';

/**
 * Add Folder to Sync…, Upload Folder to Google Photos… and Sync Now. Each command's code (and the
 * pipelines it drives) is loaded when it first runs, not at activation.
 */
export function registerSyncCommands(deps: SyncCommandDeps): vscode.Disposable[] {
  const { vs } = deps;
  return [
    vs.commands.registerCommand(SYNC_COMMANDS.addFolder, async (uri?: vscode.Uri) => (await import('./addFolder.js')).addFolder(deps, uri)),
    vs.commands.registerCommand(SYNC_COMMANDS.uploadFolder, async (uri?: vscode.Uri) => (await import('./uploadFolder.js')).uploadFolder(deps, uri)),
    vs.commands.registerCommand(SYNC_COMMANDS.syncNow, async () => (await import('./syncNow.js')).syncNow(deps)),
    vs.commands.registerCommand(SYNC_COMMANDS.reviewBeforeSync, async (arg?: unknown) => (await import('./reviewBeforeSync.js')).reviewBeforeSync(deps, arg)),
  ];
}
