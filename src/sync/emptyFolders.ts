// Sub-folders of a sync folder (the "inbox") left empty once afterUpload moved their files to the
// archive. The sync only offers them for removal; nothing is removed without the user's yes, and a
// folder is removed with rmdir (never recursively) after checking, right before, that it holds
// nothing — a file that arrived since keeps it, and everything above it.
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** Folders archive moves took files from, per sync folder root (see SyncReport.archivedFrom). */
export interface ArchivedFrom {
  root: string;
  dirs: string[];
}

/** Notes that a file in `dir` of the sync folder `root` was moved away; keeps the list free of repeats. */
export function noteArchivedFrom(list: ArchivedFrom[], root: string, dir: string): void {
  let entry = list.find((e) => e.root === root);
  if (!entry) list.push((entry = { root, dirs: [] }));
  if (!entry.dirs.includes(dir)) entry.dirs.push(dir);
}

/**
 * The sub-folders of `root` that are empty now — hold no file at any depth — among the folders in
 * `dirs` and their parents up to (not including) `root`. Deepest first, so removing them in order works.
 */
export async function findEmptiedFolders(root: string, dirs: readonly string[]): Promise<string[]> {
  const top = path.resolve(root);
  const candidates = new Set<string>();
  for (const dir of dirs) {
    for (let d = path.resolve(dir); isStrictlyInside(d, top); d = path.dirname(d)) candidates.add(d);
  }
  const empty = new Map<string, boolean>();
  const isEmptyTree = async (dir: string): Promise<boolean> => {
    const known = empty.get(dir);
    if (known !== undefined) return known;
    let result = true;
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => undefined);
    if (!entries) result = false;
    else {
      for (const e of entries) {
        // A link, a file, anything that is not a plain folder: the folder holds something.
        if (!e.isDirectory() || !(await isEmptyTree(path.join(dir, e.name)))) {
          result = false;
          break;
        }
      }
    }
    empty.set(dir, result);
    return result;
  };
  const found: string[] = [];
  for (const dir of candidates) if (await isEmptyTree(dir)) found.push(dir);
  // Report only the outermost empty folders' whole trees once: every empty folder under them is listed too.
  for (const dir of [...found]) {
    for (const e of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const child = path.join(dir, e.name);
      if (!found.includes(child)) await collectTree(child, found);
    }
  }
  return found.sort((a, b) => depth(b) - depth(a) || a.localeCompare(b));
}

export interface RemovalResult {
  removed: string[];
  kept: { path: string; reason: string }[];
}

/** Removes the folders (deepest first) with rmdir, each only if it still holds nothing at that moment. */
export async function removeEmptyFolders(dirs: readonly string[]): Promise<RemovalResult> {
  const result: RemovalResult = { removed: [], kept: [] };
  const ordered = [...dirs].sort((a, b) => depth(b) - depth(a));
  for (const dir of ordered) {
    const entries = await fs.readdir(dir).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? null : err));
    if (entries === null) continue; // already gone
    if (entries instanceof Error) {
      result.kept.push({ path: dir, reason: `cannot be read (${entries.code ?? entries.message})` });
      continue;
    }
    if (entries.length) {
      result.kept.push({ path: dir, reason: `is no longer empty (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''})` });
      continue;
    }
    try {
      await fs.rmdir(dir);
      result.removed.push(dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      result.kept.push({ path: dir, reason: code === 'ENOTEMPTY' || code === 'EEXIST' ? 'is no longer empty' : `could not be removed (${code ?? String(err)})` });
    }
  }
  return result;
}

async function collectTree(dir: string, into: string[]): Promise<void> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => undefined);
  if (!entries) return;
  into.push(dir);
  for (const e of entries) if (e.isDirectory()) await collectTree(path.join(dir, e.name), into);
}

function depth(p: string): number {
  return path.resolve(p).split(path.sep).length;
}

function isStrictlyInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
