// Scans sync folders and records what was found in the index: sizes, hashes and capture dates of
// candidates, skip reasons, and files no longer there (never for a folder that is missing as a whole:
// an unplugged drive is not "everything deleted").
import path from 'node:path';
import type { CaptureDate } from '../../metadata/captureDate';
import type { LocalFileRecord, LocalFileStatus } from '../../index/api';
import type { SyncFolder } from '../config';
import { scanFolder, type KnownFile, type ScanResult, type ScannedFile } from '../scan';
import { hashPool } from '../hash';
import { describePoolUse } from '../hashPool';
import { flagDamaged } from '../damage';
import { findArchived } from './archiveStep';
import type { UploadContext } from './context';

export interface ScanStep {
  folder: SyncFolder;
  scan: ScanResult;
}

/** Takes new files as the scan hashes them (uploads started while the scan goes on: `earlyUploads.ts`). */
export interface HashedFileSink {
  offer(file: ScannedFile, folder: SyncFolder): void;
  /** Resolves once every offered file was judged (damage check, journal, task added). */
  drain(): Promise<void>;
  /** Files whose damage check the sink already made (not read twice). */
  readonly judged: ReadonlySet<ScannedFile>;
}

export async function scanAndRecord(
  ctx: UploadContext,
  folders: readonly SyncFolder[],
  options: { readDates?: boolean; signal?: AbortSignal; onProgress?: (message: string) => void; record?: boolean; sink?: HashedFileSink } = {},
): Promise<ScanStep[]> {
  const { sink } = options;
  const out: ScanStep[] = [];
  for (const folder of folders) {
    options.onProgress?.(`Scanning ${folder.path}`);
    // What the index knows under this folder, read once (not one query per file).
    const rows = knownRows(ctx, folder);
    const pooledBefore = new Map(hashPool().stats.byThread);
    const scan = await scanFolder(folder, {
      rules: ctx.provider.rules,
      known: (p) => knownFile(rows.get(p)),
      readDates: options.readDates,
      signal: options.signal,
      onProgress: (seen, hashed) => options.onProgress?.(`Scanning ${folder.path}: ${seen} files, ${hashed} hashed`),
      onHashed: sink ? (file) => sink.offer(file, folder) : undefined,
    });
    const pooled = describePoolUse(hashPool(), pooledBefore);
    if (pooled) ctx.log.info(`Scanned ${folder.path}: files of 1 MB or more hashed ${pooled}`);
    // Damaged new files (cut-off JPEG, broken PNG/GIF, MP4 without moov) are skipped with the reason;
    // those the sink judged before starting their upload are not read again.
    if (sink) await sink.drain();
    await flagDamaged(sink ? { ...scan, files: scan.files.filter((f) => !sink.judged.has(f)) } : scan, options.signal);
    // A dry run looks without writing: the index stays as the last real run left it.
    if (options.record !== false) await recordScan(ctx, scan, folder, rows);
    out.push({ folder, scan });
  }
  return out;
}

/** The index's rows under a folder by path (kept by the index while no write touched them: read only). */
function knownRows(ctx: UploadContext, folder: SyncFolder): ReadonlyMap<string, Readonly<LocalFileRecord>> {
  return ctx.index.localFiles.rowsUnder(path.resolve(folder.path));
}

function knownFile(row: Readonly<LocalFileRecord> | undefined): KnownFile | undefined {
  if (!row?.sha256) return undefined;
  return { size: row.size, mtimeMs: row.mtimeMs, sha256: row.sha256, captureDate: parseCaptureTime(row.captureTime) };
}

async function recordScan(ctx: UploadContext, scan: ScanResult, folder: SyncFolder, rows: ReadonlyMap<string, Readonly<LocalFileRecord>>): Promise<void> {
  if (scan.missing) return;
  // A file whose row (as read before the scan) already says all this is not written again: an
  // unchanged folder costs no query or write per file — and no write at all (nor an index save)
  // when nothing changed and no row went missing. Others are decided on the row as it is now.
  const changed: ScannedFile[] = [];
  let known = 0;
  for (const f of scan.files) {
    const read = rows.get(f.path);
    if (read) known++;
    if (f.status === 'unsupported' || (read && unchangedRow(read, f))) continue;
    changed.push(f);
  }
  // Archived files are not scanned (the archive may lie inside the sync folder) and are not missing.
  const archive = folder.afterUpload === 'archive' && folder.archivePath ? path.resolve(folder.archivePath) + path.sep : undefined;
  const stale: Readonly<LocalFileRecord>[] = [];
  // Every row was seen (scanned paths are distinct) unless fewer rows than that were found.
  if (known < rows.size) {
    const seen = new Set(scan.files.map((f) => f.path));
    for (const row of rows.values()) if (!seen.has(row.path) && row.status !== 'missing' && !(archive && row.path.startsWith(archive))) stale.push(row);
  }
  if (changed.length === 0 && stale.length === 0) return;
  // An uploaded file gone from an archiving folder may have been moved by a run that stopped before
  // recording it: found in the archive with the same bytes, it is recorded there, not as missing.
  const archivedNow = new Map<string, string>();
  if (archive) {
    for (const row of stale) {
      if (row.status !== 'uploaded' && row.status !== 'pending') continue;
      const moved = await findArchived(folder, { path: row.path, size: row.size, sha256: row.sha256 });
      if (moved) archivedNow.set(row.path, moved);
    }
  }
  await ctx.index.write((w) => {
    for (const f of changed) w.localFiles.upsert(rowFor(f, rows.has(f.path) ? w.localFiles.byPath(f.path) : undefined));
    for (const row of stale) {
      const moved = archivedNow.get(row.path);
      if (!moved) {
        w.localFiles.setStatus(row.path, 'missing', 'no longer in the folder');
        continue;
      }
      w.localFiles.remove(row.path);
      w.localFiles.upsert({ ...row, path: moved, status: 'uploaded', lastError: undefined });
    }
  });
}

/** The local_files row a scanned file leaves. */
export function rowFor(f: ScanResult['files'][number], before: Readonly<LocalFileRecord> | undefined): LocalFileRecord {
  if (f.status === 'candidate' && f.sha256) {
    const keep = before && before.sha256 === f.sha256 && (before.status === 'uploaded' || before.status === 'pending' || before.status === 'failed');
    return {
      path: f.path,
      size: f.size,
      mtimeMs: f.mtimeMs,
      sha256: f.sha256,
      captureTime: f.captureDate && f.captureDate.source.startsWith('exif') ? f.captureDate.local : undefined,
      status: keep ? before.status : 'hashed',
      lastError: keep ? before.lastError : undefined,
    };
  }
  const status: LocalFileStatus = f.status === 'unreadable' ? 'failed' : 'skipped';
  return { path: f.path, size: f.size, mtimeMs: f.mtimeMs, status, lastError: f.reason };
}

/** sameRow(read, rowFor(f, read)) without building the row, for the common case of a hashed candidate. */
function unchangedRow(read: Readonly<LocalFileRecord>, f: ScannedFile): boolean {
  if (f.status !== 'candidate' || !f.sha256) return sameRow(read, rowFor(f, read));
  if (read.size !== f.size || read.mtimeMs !== f.mtimeMs || read.sha256 !== f.sha256) return false;
  if (read.captureTime !== (f.captureDate && f.captureDate.source.startsWith('exif') ? f.captureDate.local : undefined)) return false;
  if (read.status === 'uploaded' || read.status === 'pending' || read.status === 'failed') return true;
  return read.status === 'hashed' && read.lastError === undefined;
}

function sameRow(a: Readonly<LocalFileRecord>, b: LocalFileRecord): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.sha256 === b.sha256 && a.captureTime === b.captureTime && a.status === b.status && a.lastError === b.lastError;
}

/** Files of the folders already moved to their archive folders after upload: backed up, not gone. */
export function countArchived(ctx: UploadContext, folders: readonly SyncFolder[]): number {
  let n = 0;
  for (const f of folders) if (f.afterUpload === 'archive' && f.archivePath) n += ctx.index.localFiles.countByStatus(path.resolve(f.archivePath)).uploaded ?? 0;
  return n;
}

export function parseCaptureTime(value: string | undefined): CaptureDate | undefined {
  if (!value) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(value);
  if (!m) return undefined;
  return { year: +m[1], month: +m[2], day: +m[3], local: `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}`, source: 'exif-original' };
}
