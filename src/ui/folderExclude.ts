// "Exclude" from the pre-upload review: appends a glob to one sync folder's `exclude` in the
// settings scope that defines the folder list (user or workspace), leaving every other entry as it is.
import type * as vscode from 'vscode';
import path from 'node:path';

type Vs = Pick<typeof vscode, 'workspace' | 'ConfigurationTarget'>;

/** True when the folder is a configured sync folder and the glob was added (or was there). */
export async function addExcludeToFolderSetting(vs: Vs, folderPath: string, glob: string): Promise<boolean> {
  const config = vs.workspace.getConfiguration('photoSync');
  const inspected = config.inspect<unknown[]>('folders');
  const scopes: [unknown[] | undefined, vscode.ConfigurationTarget][] = [
    [inspected?.workspaceFolderValue, vs.ConfigurationTarget.WorkspaceFolder],
    [inspected?.workspaceValue, vs.ConfigurationTarget.Workspace],
    [inspected?.globalValue, vs.ConfigurationTarget.Global],
  ];
  for (const [list, target] of scopes) {
    if (!Array.isArray(list)) continue;
    const at = list.findIndex((entry) => typeof (entry as { path?: unknown })?.path === 'string' && path.resolve((entry as { path: string }).path) === path.resolve(folderPath));
    if (at < 0) continue;
    const entry = list[at] as { exclude?: unknown };
    const exclude = Array.isArray(entry.exclude) ? entry.exclude.filter((g): g is string => typeof g === 'string') : [];
    if (exclude.includes(glob)) return true;
    const next = list.map((e, i) => (i === at ? { ...(e as object), exclude: [...exclude, glob] } : e));
    await config.update('folders', next, target);
    return true;
  }
  return false;
}
