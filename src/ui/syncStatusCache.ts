// What the index knows about the files of the sync folders, read once per folder and kept until the
// index changes: each file's status and reason, each directory's counts over its sub-tree and its
// immediate children. The Explorer badges and the sidebar's folder rows read it, so a folder of
// 10,000 files decorates without a query per file.
import path from 'node:path';
import type { IndexReader, LocalFileRecord, LocalFileStatus } from '../index/api';
import type { SyncFolder } from '../sync/config';

/** How a file shows: backed up, waiting, failed (with the reason), excluded (with the reason). */
export type FileCategory = 'uploaded' | 'pending' | 'failed' | 'excluded';
export const CATEGORIES: readonly FileCategory[] = ['uploaded', 'pending', 'failed', 'excluded'];

export function categoryOf(status: LocalFileStatus): FileCategory | undefined {
  switch (status) {
    case 'uploaded':
      return 'uploaded';
    case 'seen':
    case 'hashed':
    case 'pending':
      return 'pending';
    case 'failed':
      return 'failed';
    case 'skipped':
      return 'excluded';
    default:
      return undefined; // missing: gone from disk
  }
}

export type CategoryCounts = Record<FileCategory, number>;

export interface DirEntry {
  /** Counts over the directory's whole sub-tree. */
  counts: CategoryCounts;
  /** Immediate sub-directories (absolute paths), sorted. */
  dirs: string[];
  /** Immediate files, sorted by path. */
  files: LocalFileRecord[];
}

interface RootData {
  files: Map<string, LocalFileRecord>;
  dirs: Map<string, DirEntry>;
  /** Every file of the folder (and its archive) by category, in path order. */
  byCategory: Record<FileCategory, LocalFileRecord[]>;
}

const emptyCounts = (): CategoryCounts => ({ uploaded: 0, pending: 0, failed: 0, excluded: 0 });

/** Index rows read per query while filling a folder. */
const PAGE = 1000;

export class SyncStatusCache {
  private readonly roots = new Map<string, RootData>();
  /** Folder queries run since start (for tests: one per folder per index change). */
  queries = 0;

  constructor(
    private readonly index: () => IndexReader | undefined,
    private readonly folders: () => readonly SyncFolder[],
  ) {}

  /** Forgets everything (the index changed). */
  invalidate(): void {
    this.roots.clear();
  }

  /** The sync folder a path is in (or is), also through its archive folder. */
  folderOf(p: string): SyncFolder | undefined {
    const abs = path.resolve(p);
    for (const f of this.folders()) {
      for (const root of rootsOf(f)) if (abs === root || abs.startsWith(root + path.sep)) return f;
    }
    return undefined;
  }

  file(p: string): LocalFileRecord | undefined {
    const folder = this.folderOf(p);
    return folder && this.data(folder)?.files.get(path.resolve(p));
  }

  dir(p: string): DirEntry | undefined {
    const folder = this.folderOf(p);
    return folder && this.data(folder)?.dirs.get(path.resolve(p));
  }

  /** Counts of a sync folder, its archive included: the same numbers its rows list. */
  counts(folder: SyncFolder): CategoryCounts {
    const d = this.data(folder);
    const out = emptyCounts();
    if (!d) return out;
    for (const c of CATEGORIES) out[c] = d.byCategory[c].length;
    return out;
  }

  /** The files of a sync folder (archive included) in a category. */
  filesIn(folder: SyncFolder, category: FileCategory): readonly LocalFileRecord[] {
    return this.data(folder)?.byCategory[category] ?? [];
  }

  private data(folder: SyncFolder): RootData | undefined {
    const key = path.resolve(folder.path);
    const have = this.roots.get(key);
    if (have) return have;
    const index = this.index();
    if (!index) return undefined;
    const built: RootData = { files: new Map(), dirs: new Map(), byCategory: { uploaded: [], pending: [], failed: [], excluded: [] } };
    for (const root of rootsOf(folder)) {
      built.dirs.set(root, built.dirs.get(root) ?? { counts: emptyCounts(), dirs: [], files: [] });
      this.queries++;
      for (let offset = 0; ; offset += PAGE) {
        const page = index.localFiles.underFolder(root, { offset, limit: PAGE });
        for (const f of page.items) add(built, root, f);
        if (page.items.length < PAGE || offset + PAGE >= page.total) break;
      }
    }
    for (const d of built.dirs.values()) d.dirs.sort();
    this.roots.set(key, built);
    return built;
  }
}

function rootsOf(folder: SyncFolder): string[] {
  const roots = [path.resolve(folder.path)];
  if (folder.afterUpload === 'archive' && folder.archivePath) {
    const archive = path.resolve(folder.archivePath);
    // An archive inside the folder is walked with it already.
    if (!archive.startsWith(roots[0] + path.sep)) roots.push(archive);
  }
  return roots;
}

function add(data: RootData, root: string, f: LocalFileRecord): void {
  const file = path.resolve(f.path);
  const category = categoryOf(f.status);
  if (!category) return;
  data.files.set(file, f);
  data.byCategory[category].push(f);
  let dir = path.dirname(file);
  let newChild: string | undefined;
  let first = true;
  for (;;) {
    let entry = data.dirs.get(dir);
    const created = !entry;
    if (!entry) {
      entry = { counts: emptyCounts(), dirs: [], files: [] };
      data.dirs.set(dir, entry);
    }
    entry.counts[category]++;
    if (first) entry.files.push(f);
    // A directory is linked to its parent once: when it is first made.
    if (newChild) entry.dirs.push(newChild);
    if (dir === root || !dir.startsWith(root + path.sep)) break;
    newChild = created ? dir : undefined;
    dir = path.dirname(dir);
    first = false;
  }
}
