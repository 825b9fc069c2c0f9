// "Exclude" from the pre-upload review: appends a glob to one sync folder's `exclude` in the
// settings scope that defines the folder list (user or workspace), leaving every other entry as it is.
import path from 'node:path';
import { folderListScopes, type FolderSettingsVs as Vs } from './folderSettingScopes';

/** True when the folder is a configured sync folder and the glob was added (or was there). */
export async function addExcludeToFolderSetting(vs: Vs, folderPath: string, glob: string): Promise<boolean> {
  for (const { list, save } of folderListScopes(vs)) {
    const at = list.findIndex((entry) => typeof (entry as { path?: unknown })?.path === 'string' && path.resolve((entry as { path: string }).path) === path.resolve(folderPath));
    if (at < 0) continue;
    const entry = list[at] as { exclude?: unknown };
    const exclude = Array.isArray(entry.exclude) ? entry.exclude.filter((g): g is string => typeof g === 'string') : [];
    if (exclude.includes(glob)) return true;
    const next = list.map((e, i) => (i === at ? { ...(e as object), exclude: [...exclude, glob] } : e));
    await save(next);
    return true;
  }
  return false;
}
