import type * as vscode from 'vscode';
import { addFolder } from './addFolder';
import type { SyncCommandDeps } from './deps';
import { SYNC_COMMANDS } from './deps';
import { syncNow } from './syncNow';
import { uploadFolder } from './uploadFolder';
import { reviewBeforeSync } from './reviewBeforeSync';

export type { DestinationSession, SyncCommandDeps } from './deps';
export { SYNC_COMMANDS } from './deps';

/** Add Folder to Sync…, Upload Folder to Google Photos… and Sync Now. */
export function registerSyncCommands(deps: SyncCommandDeps): vscode.Disposable[] {
  const { vs } = deps;
  return [
    vs.commands.registerCommand(SYNC_COMMANDS.addFolder, (uri?: vscode.Uri) => addFolder(deps, uri)),
    vs.commands.registerCommand(SYNC_COMMANDS.uploadFolder, (uri?: vscode.Uri) => uploadFolder(deps, uri)),
    vs.commands.registerCommand(SYNC_COMMANDS.syncNow, () => syncNow(deps)),
    vs.commands.registerCommand(SYNC_COMMANDS.reviewBeforeSync, (arg?: unknown) => reviewBeforeSync(deps, arg)),
  ];
}
