// Writes sync folders' `account` in the settings scope that defines the folder list (user or
// workspace), leaving every other entry and key as it is.
import path from 'node:path';
import { folderListScopes, type FolderSettingsVs as Vs } from './folderSettingScopes';

interface Entry {
  path?: unknown;
  account?: unknown;
}

/**
 * `assign` gets each configured folder (its path and current account) and returns the account it
 * should have, or undefined to leave it. Returns the paths changed.
 */
export async function updateFolderAccounts(vs: Vs, assign: (folderPath: string, current: string | undefined) => string | undefined): Promise<string[]> {
  const changed: string[] = [];
  for (const { list, save } of folderListScopes(vs)) {
    let touched = false;
    const next = list.map((e) => {
      const entry = e as Entry | null;
      if (typeof entry?.path !== 'string') return e;
      const current = typeof entry.account === 'string' ? entry.account : undefined;
      const wanted = assign(entry.path, current);
      if (wanted === undefined || wanted === current) return e;
      touched = true;
      changed.push(entry.path);
      return { ...(e as object), account: wanted };
    });
    if (touched) await save(next);
  }
  return changed;
}

export function samePath(a: string, b: string): boolean {
  return path.resolve(a) === path.resolve(b);
}
