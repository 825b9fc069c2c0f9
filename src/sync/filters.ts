// Include/exclude rules of a sync folder: picomatch globs on the file's path relative to the folder
// (a pattern without "/" matches the file name alone), and seed 004's folder-name regexes.
import picomatch from 'picomatch';
import type { SyncFolder } from './config';
import { REASON_EXCLUDED, REASON_NOT_INCLUDED } from './reasonText';

export type FolderVerdict = 'sync' | 'merge' | 'skip';

export class FolderFilters {
  private readonly include: ((path: string) => boolean) | undefined;
  private readonly exclude: ((path: string) => boolean) | undefined;
  private readonly skipFolder: RegExp[];
  private readonly mergeFolder: RegExp[];

  constructor(folder: Pick<SyncFolder, 'include' | 'exclude' | 'excludeFolders' | 'mergeFolders'>) {
    this.include = folder.include.length ? globMatcher(folder.include) : undefined;
    this.exclude = folder.exclude.length ? globMatcher(folder.exclude) : undefined;
    this.skipFolder = folder.excludeFolders.map((s) => new RegExp(s));
    this.mergeFolder = folder.mergeFolders.map((s) => new RegExp(s));
  }

  /** What to do with a sub-folder named `name`: skip it with its subtree, merge it into its parent's album, or sync it. */
  folder(name: string): FolderVerdict {
    if (this.skipFolder.some((r) => r.test(name))) return 'skip';
    if (this.mergeFolder.some((r) => r.test(name))) return 'merge';
    return 'sync';
  }

  /** Whether a file passes the globs; `relPath` uses "/" separators. Returns the reason when it does not. */
  file(relPath: string): { ok: true } | { ok: false; reason: string } {
    if (this.include && !this.include(relPath)) return { ok: false, reason: REASON_NOT_INCLUDED };
    if (this.exclude && this.exclude(relPath)) return { ok: false, reason: REASON_EXCLUDED };
    return { ok: true };
  }
}

/** Patterns with a "/" match the relative path; patterns without one match the file name at any depth. */
function globMatcher(patterns: readonly string[]): (relPath: string) => boolean {
  const options = { dot: true, nocase: true };
  const pathPatterns = patterns.filter((p) => p.includes('/'));
  const namePatterns = patterns.filter((p) => !p.includes('/'));
  const byPath = pathPatterns.length ? picomatch(pathPatterns, options) : () => false;
  const byName = namePatterns.length ? picomatch(namePatterns, options) : () => false;
  return (relPath) => byPath(relPath) || byName(relPath.slice(relPath.lastIndexOf('/') + 1));
}
