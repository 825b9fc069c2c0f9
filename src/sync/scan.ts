// Walks a sync folder: applies the folder rules and globs, never follows a symlink loop, reads
// size/mtime first and hashes only files that are new or changed since the index last saw them.
import { promises as fs, type Dirent, type Stats } from 'node:fs';
import path from 'node:path';
import type { SyncFolder } from './config';
import { FolderFilters } from './filters';
import type { MediaKind } from '../metadata/mediaTypes';
import type { ProviderRules } from './provider';
import { hashFile } from './hash';
import { albumTitleFor, templateUsesDate } from './albums';
import { readCaptureDate, type CaptureDate } from '../metadata/captureDate';

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
  signal?: AbortSignal;
  onProgress?: (filesSeen: number, filesHashed: number) => void;
  now?: Date;
}

interface Walked {
  abs: string;
  rel: string;
  folders: string[];
  merged: boolean[];
  stat: Stats;
}

export async function scanFolder(folder: SyncFolder, options: ScanOptions): Promise<ScanResult> {
  const root = path.resolve(folder.path);
  const result: ScanResult = { root, files: [], skippedFolders: [], problems: [], missing: false };
  let rootStat: Stats;
  try {
    rootStat = await fs.stat(root);
  } catch {
    result.missing = true;
    result.problems.push(`Folder ${root} does not exist or cannot be read. Reconnect the drive or remove it from photoSync.folders.`);
    return result;
  }
  if (!rootStat.isDirectory()) {
    result.missing = true;
    result.problems.push(`${root} is not a folder.`);
    return result;
  }
  const filters = new FolderFilters(folder);
  const archiveRoot = folder.afterUpload === 'archive' && folder.archivePath ? path.resolve(folder.archivePath) : undefined;
  const walked: Walked[] = [];
  const visited = new Set<string>([`${rootStat.dev}:${rootStat.ino}`]);

  const walk = async (dir: string, folders: string[], merged: boolean[]): Promise<void> => {
    options.signal?.throwIfAborted();
    let entries: Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (err) {
      result.problems.push(`Cannot read folder ${dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const abs = path.join(dir, entry.name);
      let stat: Stats;
      try {
        stat = entry.isSymbolicLink() || !(entry.isFile() || entry.isDirectory()) ? await fs.stat(abs) : await fs.lstat(abs);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (entry.isSymbolicLink()) result.problems.push(`Broken link skipped: ${abs}`);
        else if (code !== 'ENOENT') walked.push({ abs, rel: [...folders, entry.name].join('/'), folders, merged, stat: unreadableStat() });
        continue;
      }
      const rel = [...folders, entry.name].join('/');
      if (stat.isDirectory()) {
        const verdict = filters.folder(entry.name);
        // The archive folder may live inside the sync folder: what was moved there is done.
        if (verdict === 'skip' || (archiveRoot !== undefined && abs === archiveRoot)) {
          result.skippedFolders.push(rel);
          continue;
        }
        const key = `${stat.dev}:${stat.ino}`;
        if (visited.has(key)) {
          result.problems.push(`Skipped ${abs}: it links back to a folder already scanned.`);
          continue;
        }
        visited.add(key);
        await walk(abs, [...folders, entry.name], [...merged, verdict === 'merge']);
      } else if (stat.isFile()) {
        walked.push({ abs, rel, folders, merged, stat });
      }
    }
  };
  await walk(root, [], []);

  const needDates = options.readDates === true || (folder.album.mode === 'template' && templateUsesDate(folder.album.template));
  const now = options.now ?? new Date();
  let hashed = 0;
  let seen = 0;
  const files: ScannedFile[] = walked.map((w) => classify(w, filters, options.rules));
  const work = files.map((file, i) => ({ file, w: walked[i] })).filter(({ file }) => file.status === 'candidate');

  const processOne = async ({ file, w }: { file: ScannedFile; w: Walked }) => {
    options.signal?.throwIfAborted();
    const known = options.known?.(file.path);
    if (known && known.size === file.size && known.mtimeMs === file.mtimeMs) {
      file.sha256 = known.sha256;
      file.captureDate = known.captureDate;
    } else {
      try {
        const { sha256, bytes } = await hashFile(file.path, options.signal);
        const after = await fs.stat(file.path);
        if (bytes !== file.size || after.size !== file.size || after.mtimeMs !== file.mtimeMs) {
          // Written to while we read it: the next sync picks it up once it settles.
          file.status = 'unreadable';
          file.reason = 'changed while being read; it will be picked up by the next sync';
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
    file.albumTitle = albumTitleFor(folder.album, { root, folders: w.folders, merged: w.merged, captureDate: file.captureDate });
    seen++;
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

function classify(w: Walked, filters: FolderFilters, rules: ScanRules): ScannedFile {
  const name = path.basename(w.abs);
  const file: ScannedFile = { path: w.abs, rel: w.rel, name, size: w.stat.size, mtimeMs: w.stat.mtimeMs, status: 'candidate', changed: false };
  if (w.stat.mtimeMs < 0) return { ...file, size: 0, mtimeMs: 0, status: 'unreadable', reason: 'cannot be read (permission denied?)' };
  // Hidden files, like seed 004's hidden folders: macOS leaves a "._name.jpg" resource fork (not a
  // photo) beside every file copied to a non-Mac drive, which Google would refuse one by one.
  if (name.startsWith('.')) return { ...file, status: 'excluded', reason: 'a hidden file' };
  const filtered = filters.file(w.rel);
  if (!filtered.ok) return { ...file, status: 'excluded', reason: filtered.reason };
  const type = rules.accepts(name);
  if (!type) return { ...file, status: 'unsupported', reason: rules.unsupportedReason };
  file.kind = type.kind;
  file.mimeType = type.mimeType;
  if (w.stat.size === 0) return { ...file, status: 'empty', reason: 'the file is empty (0 bytes)' };
  if (w.stat.size > type.limitBytes) return { ...file, status: 'too-large', reason: rules.tooLargeReason(type) };
  return file;
}

function unreadableStat(): Stats {
  return { size: 0, mtimeMs: -1 } as Stats;
}

export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'cannot be read: permission denied';
    case 'ENOENT':
      return 'disappeared before it could be read';
    case 'EISDIR':
      return 'is a folder';
    case 'EIO':
      return 'cannot be read: disk input/output error';
    default:
      return `cannot be read: ${code ?? (err instanceof Error ? err.message : String(err))}`;
  }
}
