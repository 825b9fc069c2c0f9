// Walks a sync folder: applies the folder rules and globs, never follows a symlink loop, reads
// size/mtime first and hashes only files that are new or changed since the index last saw them.
import { lstatSync, promises as fs, statSync, type Dirent, type Stats } from 'node:fs';
import path from 'node:path';
import type { SyncFolder } from './config';
import { FolderFilters } from './filters';
import type { MediaKind } from '../metadata/mediaTypes';
import type { AcceptedType, ProviderRules } from './provider';
import { hashFile } from './hash';
import { albumTitleFor, templateUsesDate } from './albums';
import { readCaptureDate, type CaptureDate } from '../metadata/captureDate';
import { englishReason, FOLDER_MISSING, FOLDER_NOT_A_FOLDER, REASON_CHANGED_WHILE_READ, REASON_EMPTY, REASON_FS_OTHER, REASON_GONE, REASON_HIDDEN, REASON_IO, REASON_IS_FOLDER, REASON_PERMISSION, REASON_UNREADABLE_MAYBE } from './reasonText';
import { SCAN_BROKEN_LINK, SCAN_FOLDER_UNREADABLE, SCAN_LINK_LOOP } from './warningText';

/** 'damaged' is set after the walk by damage.ts (flagDamaged). */
export type ScanStatus = 'candidate' | 'excluded' | 'unsupported' | 'too-large' | 'empty' | 'unreadable' | 'damaged';

export interface ScannedFile {
  path: string;
  /** Path relative to the sync root, "/"-separated. */
  rel: string;
  name: string;
  size: number;
  mtimeMs: number;
  status: ScanStatus;
  /** Why the file is not a candidate, in words for the user. */
  reason?: string;
  kind?: MediaKind;
  mimeType?: string;
  sha256?: string;
  /** True when the file was (re)hashed in this scan: new, or size/mtime differ from the index. */
  changed: boolean;
  captureDate?: CaptureDate;
  albumTitle?: string;
}

export interface ScanResult {
  root: string;
  files: ScannedFile[];
  /** Sub-folders skipped by the excludeFolders rules (relative paths). */
  skippedFolders: string[];
  /** Folders that could not be read, and other per-folder notes. */
  problems: string[];
  /** The sync root itself is gone or is not a folder. */
  missing: boolean;
}

export interface KnownFile {
  size: number;
  mtimeMs: number;
  sha256: string;
  captureDate?: CaptureDate;
}

/** What the scan asks of the destination: which types it accepts and why a file is refused. */
export type ScanRules = Pick<ProviderRules, 'accepts' | 'unsupportedReason' | 'tooLargeReason'>;

export interface ScanOptions {
  rules: ScanRules;
  /** What the index knows about a path (absolute). */
  known?: (absPath: string) => KnownFile | undefined;
  /** Read capture dates for new/changed files even when the album rule does not need them. */
  readDates?: boolean;
  hashConcurrency?: number;
  /** Hashes one file (hash.ts `hashFile` by default: big files on worker threads; benches compare). */
  hasher?: (filePath: string, signal?: AbortSignal, size?: number) => Promise<{ sha256: string; bytes: number }>;
  signal?: AbortSignal;
  onProgress?: (filesSeen: number, filesHashed: number) => void;
  /**
   * Told of each candidate hashed in this scan (new or changed) as soon as its hash, date and album
   * are known — before the walk's other files are hashed — so uploads can start while the scan goes on.
   */
  onHashed?: (file: ScannedFile) => void;
  now?: Date;
}

interface Walked {
  abs: string;
  rel: string;
  name: string;
  folders: string[];
  merged: boolean[];
  size: number;
  /** -1: the file could not be read. */
  mtimeMs: number;
}

export async function scanFolder(folder: SyncFolder, options: ScanOptions): Promise<ScanResult> {
  const root = path.resolve(folder.path);
  const result: ScanResult = { root, files: [], skippedFolders: [], problems: [], missing: false };
  let rootStat: Stats;
  try {
    rootStat = await fs.stat(root);
  } catch {
    result.missing = true;
    result.problems.push(englishReason(FOLDER_MISSING, root));
    return result;
  }
  if (!rootStat.isDirectory()) {
    result.missing = true;
    result.problems.push(englishReason(FOLDER_NOT_A_FOLDER, root));
    return result;
  }
  const filters = new FolderFilters(folder);
  const archiveRoot = folder.afterUpload === 'archive' && folder.archivePath ? path.resolve(folder.archivePath) : undefined;
  const walked: Walked[] = [];
  const visited = new Set<string>([`${rootStat.dev}:${rootStat.ino}`]);

  const walk = async (dir: string, folders: string[], merged: boolean[], listing?: Promise<Dirent[]>): Promise<void> => {
    options.signal?.throwIfAborted();
    let entries: Dirent[];
    try {
      entries = await (listing ?? listFolder(dir));
    } catch (err) {
      result.problems.push(englishReason(SCAN_FOLDER_UNREADABLE, dir, (err as NodeJS.ErrnoException).code ?? String(err)));
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // Every entry's stat first (statAll: fast on a local disk, parallel on a network drive); the
    // entries are then taken in name order, so the walk's order stays the same.
    // Each entry's path built once (dir is absolute and normalised, a name holds no separator).
    const base = dir.endsWith(path.sep) ? dir : dir + path.sep;
    const paths = entries.map((e) => base + e.name);
    const stats = await statAll(dir, entries, options.signal, {}, paths);
    const prefix = folders.length ? `${folders.join('/')}/` : '';
    const relOf = (name: string) => prefix + name;
    // The sub-folders' listings are asked for a few ahead of the walk (each readdir is a trip
    // through the thread pool, slow on a busy machine), and still taken in name order.
    const subfolders: number[] = [];
    for (let i = 0; i < entries.length; i++) {
      const stat = stats[i];
      if (!(stat instanceof Error) && stat.isDirectory() && filters.folder(entries[i].name) !== 'skip' && paths[i] !== archiveRoot) subfolders.push(i);
    }
    const listings = new Map<number, Promise<Dirent[]>>();
    let asked = 0;
    const askAhead = () => {
      while (asked < subfolders.length && listings.size < LIST_AHEAD) {
        const k = subfolders[asked++];
        const p = listFolder(paths[k]);
        p.catch(() => undefined); // awaited (and its error reported) by the walk, or dropped unread when the folder is skipped
        listings.set(k, p);
      }
    };
    askAhead();
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      const abs = paths[i];
      const stat = stats[i];
      if (stat instanceof Error) {
        const code = (stat as NodeJS.ErrnoException).code;
        if (entry.isSymbolicLink()) result.problems.push(englishReason(SCAN_BROKEN_LINK, abs));
        else if (code !== 'ENOENT') walked.push({ abs, rel: relOf(entry.name), name: entry.name, folders, merged, size: 0, mtimeMs: -1 });
        continue;
      }
      const rel = relOf(entry.name);
      if (stat.isDirectory()) {
        const listing = listings.get(i);
        if (listings.delete(i)) askAhead();
        const verdict = filters.folder(entry.name);
        // The archive folder may live inside the sync folder: what was moved there is done.
        if (verdict === 'skip' || (archiveRoot !== undefined && abs === archiveRoot)) {
          result.skippedFolders.push(rel);
          continue;
        }
        const key = `${stat.dev}:${stat.ino}`;
        if (visited.has(key)) {
          result.problems.push(englishReason(SCAN_LINK_LOOP, abs));
          continue;
        }
        visited.add(key);
        await walk(abs, [...folders, entry.name], [...merged, verdict === 'merge'], listing);
      } else if (stat.isFile()) {
        walked.push({ abs, rel, name: entry.name, folders, merged, size: stat.size, mtimeMs: stat.mtimeMs });
      }
    }
  };
  await walk(root, [], []);

  // The destination decides by extension: asked once per extension, not once per file.
  const types = new Map<string, AcceptedType | undefined>();
  const accepts = (name: string): AcceptedType | undefined => {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 ? name.slice(dot).toLowerCase() : '';
    if (!types.has(ext)) types.set(ext, options.rules.accepts(name));
    return types.get(ext);
  };
  const needDates = options.readDates === true || (folder.album.mode === 'template' && templateUsesDate(folder.album.template));
  const now = options.now ?? new Date();
  let hashed = 0;
  let seen = 0;
  const files: ScannedFile[] = walked.map((w) => classify(w, filters, options.rules, accepts));
  // The album of a file depends on its folder alone unless the template uses its date: one per folder.
  const titleByFolder = new Map<string[], string>();
  const titleFor = (file: ScannedFile, w: Walked): string => {
    if (folder.album.mode === 'template' && templateUsesDate(folder.album.template)) return albumTitleFor(folder.album, { root, folders: w.folders, merged: w.merged, captureDate: file.captureDate });
    let title = titleByFolder.get(w.folders);
    if (title === undefined) titleByFolder.set(w.folders, (title = albumTitleFor(folder.album, { root, folders: w.folders, merged: w.merged })));
    return title;
  };
  // Files the index knows unchanged are done here, without a promise each; the rest are hashed below.
  const work: { file: ScannedFile; w: Walked }[] = [];
  files.forEach((file, i) => {
    if (file.status !== 'candidate') return;
    const known = options.known?.(file.path);
    if (known && known.size === file.size && known.mtimeMs === file.mtimeMs && (known.captureDate || !needDates)) {
      file.sha256 = known.sha256;
      file.captureDate = known.captureDate;
      file.albumTitle = titleFor(file, walked[i]);
      seen++;
    } else {
      work.push({ file, w: walked[i] });
    }
  });
  options.signal?.throwIfAborted();
  if (seen) options.onProgress?.(seen, hashed);

  const hasher = options.hasher ?? hashFile;
  const processOne = async ({ file, w }: { file: ScannedFile; w: Walked }) => {
    options.signal?.throwIfAborted();
    const known = options.known?.(file.path);
    if (known && known.size === file.size && known.mtimeMs === file.mtimeMs) {
      file.sha256 = known.sha256;
      file.captureDate = known.captureDate;
    } else {
      try {
        const { sha256, bytes } = await hasher(file.path, options.signal, file.size);
        const after = await fs.stat(file.path);
        if (bytes !== file.size || after.size !== file.size || after.mtimeMs !== file.mtimeMs) {
          // Written to while we read it: the next sync picks it up once it settles.
          file.status = 'unreadable';
          file.reason = REASON_CHANGED_WHILE_READ;
          return;
        }
        file.sha256 = sha256;
        file.changed = true;
        hashed++;
      } catch (err) {
        if ((err as Error).name === 'AbortError') throw err;
        file.status = 'unreadable';
        file.reason = describeFsError(err);
        return;
      }
    }
    if (needDates && !file.captureDate) file.captureDate = await readCaptureDate(file.path, file.mtimeMs, now);
    else if (options.readDates && file.changed) file.captureDate = await readCaptureDate(file.path, file.mtimeMs, now);
    file.albumTitle = titleFor(file, w);
    seen++;
    if (file.changed) options.onHashed?.(file);
    if (seen % 50 === 0) options.onProgress?.(seen, hashed);
  };

  let next = 0;
  const workers = Array.from({ length: Math.max(1, options.hashConcurrency ?? 4) }, async () => {
    while (next < work.length) await processOne(work[next++]);
  });
  await Promise.all(workers);
  options.onProgress?.(seen, hashed);
  result.files = files;
  return result;
}

function classify(w: Walked, filters: FolderFilters, rules: ScanRules, accepts: (name: string) => AcceptedType | undefined): ScannedFile {
  const name = w.name;
  const file: ScannedFile = { path: w.abs, rel: w.rel, name, size: w.size, mtimeMs: w.mtimeMs, status: 'candidate', changed: false };
  if (w.mtimeMs < 0) return { ...file, size: 0, mtimeMs: 0, status: 'unreadable', reason: REASON_UNREADABLE_MAYBE };
  // Hidden files, like seed 004's hidden folders: macOS leaves a "._name.jpg" resource fork (not a
  // photo) beside every file copied to a non-Mac drive, which Google would refuse one by one.
  if (name.startsWith('.')) return { ...file, status: 'excluded', reason: REASON_HIDDEN };
  const filtered = filters.file(w.rel);
  if (!filtered.ok) return { ...file, status: 'excluded', reason: filtered.reason };
  const type = accepts(name);
  if (!type) return { ...file, status: 'unsupported', reason: rules.unsupportedReason };
  file.kind = type.kind;
  file.mimeType = type.mimeType;
  if (w.size === 0) return { ...file, status: 'empty', reason: REASON_EMPTY };
  if (w.size > type.limitBytes) return { ...file, status: 'too-large', reason: rules.tooLargeReason(type) };
  return file;
}

/** Sub-folder listings asked for ahead of the walk, per folder level. */
const LIST_AHEAD = 8;

function listFolder(dir: string): Promise<Dirent[]> {
  return fs.readdir(dir, { withFileTypes: true });
}

/** Longest the walk blocks the event loop with synchronous stats before it yields. */
const SLICE_MS = 8;
/** Slower stats than this (a network drive) are sent to the thread pool, this many at once. */
const SLOW_STAT_MS = 0.5;
const STAT_CONCURRENCY = 32;

/**
 * The stat of each entry (following links, lstat otherwise), or the error it gave, in entry order.
 * On a local disk a stat takes microseconds and the thread pool's round trip costs more than the
 * call: they are made synchronously in slices of at most SLICE_MS, yielding between slices. Where
 * they turn out slow (a network drive), the rest go through the thread pool STAT_CONCURRENCY at once.
 */
export async function statAll(dir: string, entries: readonly Dirent[], signal?: AbortSignal, tuning: { sliceMs?: number; slowStatMs?: number } = {}, paths?: readonly string[]): Promise<(Stats | Error)[]> {
  const sliceMs = tuning.sliceMs ?? SLICE_MS;
  const slowStatMs = tuning.slowStatMs ?? SLOW_STAT_MS;
  const out = new Array<Stats | Error>(entries.length);
  const follow = (e: Dirent) => e.isSymbolicLink() || !(e.isFile() || e.isDirectory());
  let i = 0;
  while (i < entries.length) {
    signal?.throwIfAborted();
    const started = performance.now();
    const first = i;
    for (; i < entries.length && performance.now() - started < sliceMs; i++) {
      const abs = paths ? paths[i] : path.join(dir, entries[i].name);
      try {
        out[i] = follow(entries[i]) ? statSync(abs) : lstatSync(abs);
      } catch (err) {
        out[i] = err as Error;
      }
    }
    if (i >= entries.length) break;
    if ((performance.now() - started) / (i - first) > slowStatMs || i === first) {
      let next = i;
      const worker = async () => {
        for (let k = next++; k < entries.length; k = next++) {
          const abs = paths ? paths[k] : path.join(dir, entries[k].name);
          out[k] = await (follow(entries[k]) ? fs.stat(abs) : fs.lstat(abs)).catch((err: Error) => err);
        }
      };
      await Promise.all(Array.from({ length: Math.min(STAT_CONCURRENCY, entries.length - i) }, worker));
      break;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return out;
}

export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return REASON_PERMISSION;
    case 'ENOENT':
      return REASON_GONE;
    case 'EISDIR':
      return REASON_IS_FOLDER;
    case 'EIO':
      return REASON_IO;
    default:
      return englishReason(REASON_FS_OTHER, code ?? (err instanceof Error ? err.message : String(err)));
  }
}
