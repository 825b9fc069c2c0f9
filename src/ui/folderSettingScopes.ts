// The `photoSync.folders` lists as each settings scope defines them (folder, workspace, user): edits
// to one folder's entry are written back to the scope that holds it, every other entry left as it is.
import type * as vscode from 'vscode';

export type FolderSettingsVs = Pick<typeof vscode, 'workspace' | 'ConfigurationTarget'>;

export interface FolderListScope {
  list: unknown[];
  target: vscode.ConfigurationTarget;
  /** Writes the scope's list back. */
  save: (next: unknown[]) => Thenable<void>;
}

/** The scopes that define a folder list, most specific first. */
export function folderListScopes(vs: FolderSettingsVs): FolderListScope[] {
  const config = vs.workspace.getConfiguration('photoSync');
  const inspected = config.inspect<unknown[]>('folders');
  const scopes: [unknown[] | undefined, vscode.ConfigurationTarget][] = [
    [inspected?.workspaceFolderValue, vs.ConfigurationTarget.WorkspaceFolder],
    [inspected?.workspaceValue, vs.ConfigurationTarget.Workspace],
    [inspected?.globalValue, vs.ConfigurationTarget.Global],
  ];
  return scopes.flatMap(([list, target]) => (Array.isArray(list) ? [{ list, target, save: (next: unknown[]) => config.update('folders', next, target) }] : []));
}
