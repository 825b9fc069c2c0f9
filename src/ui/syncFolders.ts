// The `photoSync.folders` setting as the UI reads and extends it. Problems in it are shown once per
// distinct text (users edit settings.json by hand; a bad entry is reported, never silently guessed).
import type * as vscode from 'vscode';
import path from 'node:path';
import type { Logger } from '../util/logger';
import { parseSyncFolders, serializeSyncFolder, type SyncFolder } from '../sync/config';
import { translateSettingProblem } from '../sync/settingsText';

const shownProblems = new Set<string>();

export function readSyncFolders(vs: Pick<typeof vscode, 'workspace' | 'window' | 'l10n'>, log: Logger): SyncFolder[] {
  const raw = vs.workspace.getConfiguration('photoSync').get<unknown>('folders');
  const { folders, problems } = parseSyncFolders(raw, path.isAbsolute);
  for (const p of problems) {
    if (shownProblems.has(p)) continue;
    shownProblems.add(p);
    log.warn(p);
    void vs.window.showWarningMessage(vs.l10n.t('Photo Sync settings: {0}', translateSettingProblem(p, vs.l10n)));
  }
  return folders;
}

/** Adds the folder to the user's sync folders; false when it is one already. */
export async function addSyncFolderSetting(vs: Pick<typeof vscode, 'workspace' | 'ConfigurationTarget'>, folder: SyncFolder): Promise<boolean> {
  const config = vs.workspace.getConfiguration('photoSync');
  const raw = config.get<unknown[]>('folders') ?? [];
  if (parseSyncFolders(raw, path.isAbsolute).folders.some((f) => path.resolve(f.path) === path.resolve(folder.path))) return false;
  await config.update('folders', [...raw, serializeSyncFolder(folder)], vs.ConfigurationTarget.Global);
  return true;
}
