// Plans again, without scanning, what an interrupted run left unfinished: uploads journaled but not
// committed, and files that were to join an album or copy another file's upload. Each file is checked
// on disk (hashed again only when its size or mtime changed); receipts still valid are committed
// without sending bytes; committed content is never sent twice.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { SyncFolder } from '../config';
import { hashFile } from '../hash';
import type { ScanResult, ScannedFile } from '../scan';
import { describeFsError } from '../scan';
import type { UploadContext } from './context';

interface Unfinished {
  localPath: string;
  sha256: string;
  albumTitle: string;
  /** The journal rows to close when the file is gone or changed. */
  uploadId?: string;
  opId?: string;
}

/** The unfinished work of this destination account, as scan results the planner takes. */
export async function unfinishedScans(ctx: UploadContext, folders: readonly SyncFolder[]): Promise<{ folder: SyncFolder; scan: ScanResult }[]> {
  const entries = collect(ctx);
  const scans = new Map<string, { folder: SyncFolder; scan: ScanResult }>();
  for (const entry of entries) {
    const file = await checkOnDisk(ctx, entry);
    if (!file) continue;
    const home = folders.find((f) => entry.localPath.startsWith(path.resolve(f.path) + path.sep));
    const root = home ? path.resolve(home.path) : path.dirname(entry.localPath);
    const folder: SyncFolder = home ?? { path: root, destination: ctx.provider.id, album: { mode: 'fixed', name: entry.albumTitle }, include: [], exclude: [], excludeFolders: [], mergeFolders: [], afterUpload: 'keep' };
    file.rel = path.relative(root, entry.localPath).split(path.sep).join('/');
    const bucket = scans.get(root) ?? { folder, scan: { root, files: [], skippedFolders: [], problems: [], missing: false } };
    bucket.scan.files.push(file);
    scans.set(root, bucket);
  }
  return [...scans.values()];
}

function collect(ctx: UploadContext): Unfinished[] {
  const { index, provider, accountId } = ctx;
  const byPath = new Map<string, Unfinished>();
  for (const state of ['pending', 'uploading', 'uploaded'] as const) {
    for (const row of index.uploads.byState(state, { provider: provider.id, accountId }, { limit: 1000 }).items) {
      if (row.sha256 && row.albumTitle) byPath.set(row.localPath, { localPath: row.localPath, sha256: row.sha256, albumTitle: row.albumTitle, uploadId: row.id });
    }
  }
  for (const op of index.syncOps.pending({ provider: provider.id, accountId }, { limit: 5000 }).items) {
    if ((op.kind === 'add' || op.kind === 'copy') && op.sha256 && op.albumTitle && !byPath.has(op.localPath)) {
      byPath.set(op.localPath, { localPath: op.localPath, sha256: op.sha256, albumTitle: op.albumTitle, opId: op.id });
    }
  }
  return [...byPath.values()];
}

/** The file as the planner needs it, or undefined (and its journal rows closed) when it is gone or unreadable. */
async function checkOnDisk(ctx: UploadContext, entry: Unfinished): Promise<ScannedFile | undefined> {
  const close = async (message: string, status: 'missing' | 'failed') => {
    await ctx.index.write((w) => {
      if (entry.uploadId) w.uploads.update(entry.uploadId, { state: 'failed', lastError: message });
      if (entry.opId) w.syncOps.update(entry.opId, { state: 'failed', lastError: message });
      w.localFiles.setStatus(entry.localPath, status, message);
    });
  };
  let stat;
  try {
    stat = await fs.stat(entry.localPath);
    if (!stat.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
  } catch (err) {
    const gone = (err as NodeJS.ErrnoException).code === 'ENOENT';
    await close(gone ? 'disappeared before it was uploaded' : `${describeFsError(err)}; nothing was uploaded`, gone ? 'missing' : 'failed');
    return undefined;
  }
  const type = ctx.provider.rules.accepts(entry.localPath);
  const known = ctx.index.localFiles.byPath(entry.localPath);
  // Same size and mtime as when it was hashed: the journaled hash still describes the file.
  const unchanged = known?.sha256 === entry.sha256 && known.size === stat.size && known.mtimeMs === stat.mtimeMs;
  let sha256 = entry.sha256;
  if (!unchanged && type) {
    try {
      ({ sha256 } = await hashFile(entry.localPath, undefined, stat.size));
    } catch (err) {
      // One unreadable file must not keep every other journaled upload from resuming.
      await close(`${describeFsError(err)}; nothing was uploaded`, 'failed');
      return undefined;
    }
    // Other bytes now: the journaled work is void; the new content is planned on its own.
    if (sha256 !== entry.sha256) {
      await ctx.index.write((w) => {
        if (entry.uploadId) w.uploads.update(entry.uploadId, { state: 'failed', receipt: undefined, lastError: 'the file changed before its upload was finished' });
        if (entry.opId) w.syncOps.update(entry.opId, { state: 'failed', lastError: 'the file changed before it was added to its album' });
      });
    }
  }
  return {
    path: entry.localPath,
    rel: path.basename(entry.localPath),
    name: path.basename(entry.localPath),
    size: stat.size,
    mtimeMs: stat.mtimeMs,
    status: type ? 'candidate' : 'unsupported',
    kind: type?.kind,
    mimeType: type?.mimeType,
    sha256,
    changed: !unchanged,
    albumTitle: entry.albumTitle,
  };
}
