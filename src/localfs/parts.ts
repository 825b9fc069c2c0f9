// Temp files of downloads in progress: `.photosync-<pid>-<random>.part`, in the folder of the final
// file (so the final step is a link or rename on the same file system). A leading dot hides them, and
// safeName never produces a leading dot, so no photo can be mistaken for one.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const PART_NAME = /^\.photosync-(\d+)-([0-9a-f]{12})\.part$/;

export function newPartName(): string {
  return `.photosync-${process.pid}-${randomBytes(6).toString('hex')}.part`;
}

export function isPartName(name: string): boolean {
  return PART_NAME.test(name);
}

export interface CleanupOptions {
  /** Parts to leave alone, e.g. ones about to be resumed. */
  keep?: Iterable<string>;
  /** Also look in sub-folders (never following links). Default false. */
  recursive?: boolean;
  /**
   * Leave parts modified more recently than this (ms). A download writes continuously, so this
   * protects one running on another machine that shares the folder. Default 60 s.
   */
  minAgeMs?: number;
  now?: number;
}

/**
 * Removes the temp files of downloads whose process is gone (killed, crashed, machine restarted).
 * Parts of processes still running on this machine are kept. Returns the removed paths.
 */
export async function cleanupStaleParts(folder: string, options: CleanupOptions = {}): Promise<string[]> {
  const keep = new Set(Array.from(options.keep ?? [], (p) => path.resolve(p)));
  const minAgeMs = options.minAgeMs ?? 60_000;
  const now = options.now ?? Date.now();
  const removed: string[] = [];
  const visit = async (dir: string): Promise<void> => {
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (options.recursive) await visit(full);
        continue;
      }
      const match = PART_NAME.exec(entry.name);
      // isFile() is false for a symlink: a link named like a part is not ours to delete.
      if (!match || !entry.isFile() || keep.has(full)) continue;
      const pid = Number(match[1]);
      if (pid === process.pid || processRunning(pid)) continue;
      const stat = await fs.promises.lstat(full).catch(() => undefined);
      if (!stat || now - stat.mtimeMs < minAgeMs) continue;
      await fs.promises.rm(full, { force: true });
      removed.push(full);
    }
  };
  await visit(path.resolve(folder));
  return removed;
}

function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // running, but not ours to signal
  }
}
