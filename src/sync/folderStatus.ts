// A sync folder's state from the index — per-status file counts, files moved to the archive counted
// as uploaded — and its one-line description. The sidebar (ui/treeNodes.ts) and `photo-sync status`
// show the same numbers.
import path from 'node:path';
import type { IndexReader, LocalFileStatus } from '../index/api';
import type { SyncFolder } from './config';

export type FolderCounts = Partial<Record<LocalFileStatus, number>>;

/** Files of the folder by status; files moved to its archive after upload are backed up: they count as uploaded. */
export function folderCounts(index: IndexReader, folder: SyncFolder): FolderCounts {
  const c = index.localFiles.countByStatus(folder.path);
  const archive = folder.afterUpload === 'archive' && folder.archivePath ? path.resolve(folder.archivePath) : undefined;
  // An archive inside the folder is counted with it already.
  if (archive && !archive.startsWith(path.resolve(folder.path) + path.sep)) {
    const archived = index.localFiles.countByStatus(archive).uploaded ?? 0;
    if (archived) c.uploaded = (c.uploaded ?? 0) + archived;
  }
  return c;
}

/** "1,204 uploaded · 3 to upload · 2 failed" from the index's per-status counts. */
export function folderState(counts: FolderCounts): string {
  const parts: string[] = [];
  const add = (n: number | undefined, label: string) => {
    if (n) parts.push(`${n.toLocaleString('en-US')} ${label}`);
  };
  add(counts.uploaded, 'uploaded');
  add(toUpload(counts), 'to upload');
  add(counts.failed, 'failed');
  add(counts.skipped, 'skipped');
  return parts.length ? parts.join(' · ') : 'not synced yet';
}

/** Files seen or hashed but not uploaded yet. */
export function toUpload(counts: FolderCounts): number {
  return (counts.pending ?? 0) + (counts.hashed ?? 0) + (counts.seen ?? 0);
}

/** How a folder's photos go into albums, in words. */
export function describeAlbumRule(folder: SyncFolder): string {
  return folder.album.mode === 'fixed' ? `album “${folder.album.name}”` : folder.album.mode === 'template' ? `albums named ${folder.album.template}` : 'one album per sub-folder';
}
