// Small path and folder helpers shared by the local-file building blocks.
import fs from 'node:fs';
import path from 'node:path';

/** True when `candidate` is `root` itself or below it, compared after resolving both (no file access). */
export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(path.resolve(root), path.resolve(candidate));
  return relative === '' || (!path.isAbsolute(relative) && relative !== '..' && !relative.startsWith(`..${path.sep}`));
}

/** True when `candidate` is strictly below `root`. */
export function isBelow(root: string, candidate: string): boolean {
  return isInside(root, candidate) && path.resolve(root) !== path.resolve(candidate);
}

/**
 * Makes a name created or removed in `folder` survive a power cut. Windows cannot open a folder for
 * fsync and some network file systems refuse it: best effort there.
 */
export async function fsyncFolder(folder: string): Promise<void> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(folder, 'r');
    await handle.sync();
  } catch {
    // not supported here
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** The deepest of `folder` and its parents that exists (to check where a `mkdir -p` would lead). */
export async function deepestExisting(folder: string): Promise<string> {
  let current = path.resolve(folder);
  for (;;) {
    try {
      await fs.promises.lstat(current);
      return current;
    } catch (err) {
      const parent = path.dirname(current);
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || parent === current) throw err;
      current = parent;
    }
  }
}

export function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}
