// seed 000's "archive what was uploaded", journaled: intent (a pending sync op), move, record (the
// op done and the file's index row moved to its archive path). A crash between the move and the
// record is reconciled by finding the file at its archive path with the same bytes — at the next
// start's resume, or by the next scan — so it is never reported as missing.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { archiveFile } from '../archive';
import type { SyncFolder } from '../config';
import { noteArchivedFrom } from '../emptyFolders';
import { hashFile } from '../hash';
import type { UploadContext } from './context';
import { opId } from './context';
import type { SyncReport } from './report';

export interface ArchivableFile {
  path: string;
  size: number;
  mtimeMs: number;
  sha256?: string;
}

export class Archiver {
  constructor(private readonly ctx: UploadContext) {}

  /** Moves the file to its folder's archive once the index holds the confirmed item for exactly these bytes. */
  async archiveIfWanted(folder: SyncFolder, file: ArchivableFile, mediaItemId: string, report: SyncReport): Promise<void> {
    if (folder.afterUpload !== 'archive' || !folder.archivePath) return;
    const item = this.ctx.index.mediaItems.get(mediaItemId);
    if (!item || (item.sha256 && file.sha256 && item.sha256 !== file.sha256)) return;
    const id = opId(this.ctx, 'archive', file.path);
    await this.ctx.index.write((w) =>
      w.syncOps.upsert({ id, kind: 'archive', provider: this.ctx.provider.id, accountId: this.ctx.accountId, localPath: file.path, sha256: file.sha256, state: 'pending' }),
    );
    const result = await archiveFile({ source: file.path, root: folder.path, archiveRoot: folder.archivePath, expected: { size: file.size, mtimeMs: file.mtimeMs, sha256: file.sha256 } });
    if (!result.ok) {
      report.archiveProblems.push({ path: file.path, reason: result.reason });
      this.ctx.log.warn(`Not archived: ${file.path} ${result.reason}.`);
      await this.ctx.index.write((w) => w.syncOps.update(id, { state: 'failed', lastError: result.reason }));
      return;
    }
    report.archived++;
    noteArchivedFrom(report.archivedFrom, folder.path, path.dirname(file.path));
    if (path.basename(result.movedTo) !== path.basename(file.path)) {
      report.archiveRenames.push({ path: file.path, movedTo: result.movedTo });
      // The result (ui/syncReport.ts, the command line's summary) lists it for the user.
      this.ctx.log.debug(`Archived ${file.path} as ${result.movedTo}: a file of that name was already in the archive.`);
    }
    await this.record(id, file, result.movedTo);
  }

  /** Finishes archive moves a crash interrupted: moved files are recorded, unmoved ones moved now. */
  async resume(folders: readonly SyncFolder[], report: SyncReport): Promise<void> {
    const ops = this.ctx.index.syncOps.pending({ provider: this.ctx.provider.id, accountId: this.ctx.accountId, kind: 'archive' }, { limit: 1000 }).items;
    for (const op of ops) {
      const folder = folders.find((f) => isInside(op.localPath, f.path));
      const row = this.ctx.index.localFiles.byPath(op.localPath);
      const moved = folder && row ? await findArchived(folder, { path: op.localPath, size: row.size, sha256: op.sha256 ?? row.sha256 }) : undefined;
      let sourceThere = await fs.stat(op.localPath).then(() => true, () => false);
      if (moved && sourceThere && (await sameFile(op.localPath, moved))) {
        // Hard-linked into the archive, killed before the original name was removed: one file, two names.
        await fs.unlink(op.localPath);
        sourceThere = false;
      }
      if (moved && !sourceThere) {
        await this.record(op.id, { path: op.localPath, size: row?.size ?? 0, mtimeMs: row?.mtimeMs ?? 0, sha256: op.sha256 }, moved);
        report.archived++;
        if (folder) noteArchivedFrom(report.archivedFrom, folder.path, path.dirname(op.localPath));
      } else if (folder && row && sourceThere && !moved) {
        const item = row.sha256 ? this.ctx.index.mediaItems.bySha256(row.sha256, { accountId: this.ctx.accountId, provider: this.ctx.provider.id })[0] : undefined;
        if (item) await this.archiveIfWanted(folder, row, item.id, report);
      } else {
        // Both there (a copy across drives interrupted before the original was removed), or neither: leave the files as they are.
        await this.ctx.index.write((w) => w.syncOps.update(op.id, { state: 'failed', lastError: moved ? 'found both in the folder and in the archive; both were kept' : 'the file is neither in the folder nor in the archive' }));
      }
    }
  }

  private async record(id: string, file: ArchivableFile, movedTo: string): Promise<void> {
    await this.ctx.index.write((w) => {
      const row = w.localFiles.byPath(file.path);
      w.localFiles.remove(file.path);
      w.localFiles.upsert({ path: movedTo, size: file.size, mtimeMs: file.mtimeMs, sha256: file.sha256 ?? row?.sha256, captureTime: row?.captureTime, status: 'uploaded' });
      w.syncOps.update(id, { state: 'done', targetPath: movedTo });
    });
  }
}

/** Two names of one file (the same inode on the same device), as a link-then-unlink move leaves them when interrupted. */
async function sameFile(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([fs.lstat(a), fs.lstat(b)]).catch(() => [undefined, undefined]);
  return x !== undefined && y !== undefined && x.isFile() && x.dev === y.dev && x.ino === y.ino;
}

/**
 * Where a file of `folder` went in its archive, if it is there with the same bytes: its own relative
 * path, or a " (n)" name archiveFile chose because that one was taken.
 */
export async function findArchived(folder: SyncFolder, file: { path: string; size: number; sha256?: string }): Promise<string | undefined> {
  if (folder.afterUpload !== 'archive' || !folder.archivePath) return undefined;
  const rel = path.relative(folder.path, file.path);
  if (!rel || rel.startsWith('..')) return undefined;
  const wanted = path.join(path.resolve(folder.archivePath), rel);
  const ext = path.extname(wanted);
  for (let n = 1; n < 50; n++) {
    const candidate = n === 1 ? wanted : `${wanted.slice(0, wanted.length - ext.length)} (${n})${ext}`;
    const stat = await fs.stat(candidate).catch(() => undefined);
    // archiveFile takes the first free name, so the names after a free one were never used.
    if (!stat) return undefined;
    if (stat.size !== file.size) continue;
    if (!file.sha256 || (await hashFile(candidate, undefined, stat.size)).sha256 === file.sha256) return candidate;
  }
  return undefined;
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(path.resolve(parent), child);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
