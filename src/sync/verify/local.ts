// Verify's local side: walks a sync folder (hashing only files whose size or mtime changed since the
// index saw them, or every file when deep), and compares it with the index. A file's identity is its
// bytes (sha256), never its mtime: a clock or time-zone shift that changes mtimes re-hashes the file and
// finds the same bytes, so it stays in sync.
import path from 'node:path';
import type { IndexReader, LocalFileRecord } from '../../index/api';
import type { SyncFolder } from '../config';
import { uploadId } from '../plan';
import type { PhotoProvider } from '../provider';
import { scanFolder, type ScannedFile } from '../scan';
import type { Finding } from './types';
import { DETAIL_CHANGED_LOCALLY, DETAIL_FOLDER_UNREADABLE, DETAIL_NOT_UPLOADED, DETAIL_ORPHAN_DISK, DETAIL_SAME_BYTES, DETAIL_UNAVAILABLE, englishDetail } from './detailText';

/** A file (on disk or gone) whose content the destination has, to be checked remotely. */
export interface Backed {
  path: string;
  rel: string;
  sha256: string;
  mediaItemId: string;
  /** Albums the index says hold the item. */
  albumIds: string[];
}

export interface LocalSide {
  folder: SyncFolder;
  root: string;
  available: boolean;
  candidates: number;
  /** On disk and backed up. */
  present: Backed[];
  /** Backed up, gone from disk (deleted or moved out of the folder). */
  gone: Backed[];
  /** Findings that need no request: not uploaded, changed, duplicates, orphans, unavailable. */
  findings: Finding[];
  /** Paths on disk (any file the walk saw). */
  onDisk: Set<string>;
  /** Items uploaded from paths whose bytes changed since: known (the old version), not "added elsewhere". */
  superseded: Set<string>;
  /** Albums to list: those the folder's items are in, by id. */
  albumIds: Set<string>;
  /** Per album, the folder its files live in (where an item only the album has would be restored). */
  albumDirs: Map<string, string>;
}

export interface LocalOptions {
  provider: PhotoProvider;
  accountId: string;
  deep: boolean;
  signal?: AbortSignal;
  onProgress?: (seen: number, hashed: number) => void;
}

export async function verifyLocal(index: IndexReader, folder: SyncFolder, options: LocalOptions): Promise<LocalSide> {
  const { provider, accountId } = options;
  const root = path.resolve(folder.path);
  const side: LocalSide = { folder, root, available: true, candidates: 0, onDisk: new Set(), present: [], gone: [], findings: [], superseded: new Set(), albumIds: new Set(), albumDirs: new Map() };
  const known = options.deep
    ? undefined
    : (p: string) => {
        const row = index.localFiles.byPath(p);
        return row?.sha256 ? { size: row.size, mtimeMs: row.mtimeMs, sha256: row.sha256 } : undefined;
      };
  const scan = await scanFolder(folder, { rules: provider.rules, known, signal: options.signal, onProgress: options.onProgress });
  if (scan.missing) {
    side.available = false;
    side.findings.push({ kind: 'unavailable', folder: root, path: root, detail: englishDetail(DETAIL_UNAVAILABLE, scan.problems[0] ?? DETAIL_FOLDER_UNREADABLE) });
    return side;
  }
  const rel = (p: string) => path.relative(root, p).split(path.sep).join('/');
  const onDisk = side.onDisk;
  for (const f of scan.files) onDisk.add(f.path);
  const bySha = new Map<string, ScannedFile[]>();
  for (const f of scan.files) {
    if (f.status !== 'candidate' || !f.sha256) continue;
    side.candidates++;
    const list = bySha.get(f.sha256) ?? [];
    list.push(f);
    bySha.set(f.sha256, list);
  }
  const itemOf = (sha256: string, filePath: string): string | undefined =>
    index.mediaItems.bySha256(sha256, { accountId, provider: provider.id })[0]?.id ??
    committed(index, uploadId(provider.id, accountId, sha256), sha256) ??
    downloadedAt(index, filePath, sha256);
  const remember = (b: Backed, dir: string) => {
    for (const id of b.albumIds) {
      side.albumIds.add(id);
      if (!side.albumDirs.has(id)) side.albumDirs.set(id, dir);
    }
  };

  for (const [sha256, files] of bySha) {
    const first = files[0];
    files.slice(1).forEach((f) => side.findings.push({ kind: 'duplicate', folder: root, path: f.path, rel: rel(f.path), sha256, detail: englishDetail(DETAIL_SAME_BYTES, rel(first.path)) }));
    for (const f of files) {
      const mediaItemId = itemOf(sha256, f.path);
      if (mediaItemId) {
        const b: Backed = { path: f.path, rel: rel(f.path), sha256, mediaItemId, albumIds: index.mediaItems.albumsOf(mediaItemId) };
        side.present.push(b);
        remember(b, path.dirname(f.path));
        continue;
      }
      const before = uploadedBefore(index, f.path, provider.id, accountId);
      if (before && before !== sha256) {
        const old = itemOf(before, f.path);
        if (old) side.superseded.add(old);
      }
      if (before && before !== sha256) side.findings.push({ kind: 'changed-locally', folder: root, path: f.path, rel: rel(f.path), sha256, detail: DETAIL_CHANGED_LOCALLY });
      else side.findings.push({ kind: 'not-uploaded', folder: root, path: f.path, rel: rel(f.path), sha256, detail: DETAIL_NOT_UPLOADED });
    }
  }

  // The index's rows of files no longer on disk: moved within the folder (same bytes elsewhere: fine),
  // backed up (missing locally), or never backed up (orphans).
  for (const row of indexRows(index, root)) {
    if (onDisk.has(row.path)) continue;
    if (row.sha256 && bySha.has(row.sha256)) continue;
    const mediaItemId = row.sha256 ? itemOf(row.sha256, row.path) : undefined;
    if (row.sha256 && mediaItemId) {
      const b: Backed = { path: row.path, rel: rel(row.path), sha256: row.sha256, mediaItemId, albumIds: index.mediaItems.albumsOf(mediaItemId) };
      side.gone.push(b);
      remember(b, path.dirname(row.path));
    } else {
      side.findings.push({ kind: 'orphan', folder: root, path: row.path, rel: rel(row.path), sha256: row.sha256, detail: DETAIL_ORPHAN_DISK });
    }
  }
  return side;
}

function* indexRows(index: IndexReader, root: string): Iterable<LocalFileRecord> {
  for (let offset = 0; ; ) {
    const page = index.localFiles.underFolder(root, { offset, limit: 1000 });
    yield* page.items;
    offset += page.items.length;
    if (page.items.length === 0 || offset >= page.total) return;
  }
}

function committed(index: IndexReader, id: string, sha256: string): string | undefined {
  const row = index.uploads.get(id);
  return row?.state === 'committed' && row.mediaItemId && (!row.sha256 || row.sha256 === sha256) ? row.mediaItemId : undefined;
}

/** A file a download wrote (its bytes may differ from the upload: Google drops location data). */
function downloadedAt(index: IndexReader, filePath: string, sha256: string): string | undefined {
  const row = index.downloads.byLocalPath(filePath);
  return row?.state === 'downloaded' && row.sha256 === sha256 ? row.mediaItemId : undefined;
}

/** The bytes last uploaded from this path, when a committed upload names it. */
function uploadedBefore(index: IndexReader, filePath: string, provider: string, accountId: string): string | undefined {
  const row = index.uploads.byLocalPath(filePath).find((u) => u.state === 'committed' && u.provider === provider && u.accountId === accountId);
  if (row?.sha256) return row.sha256;
  const local = index.localFiles.byPath(filePath);
  return local?.status === 'uploaded' ? local.sha256 : undefined;
}
