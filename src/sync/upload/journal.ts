// Journals a plan before its first request: an uploads row per content (with a receipt still
// committable from an interrupted run), and a sync op for every file that only joins an album or
// copies another file's upload — so a crash from here on resumes all of it.
import type { UploadRecord } from '../../index/api';
import type { SyncPlan } from '../plan';
import type { AlbumResolver } from './albumResolver';
import type { UploadContext } from './context';
import { opId } from './context';

export async function journalPlan(ctx: UploadContext, plan: SyncPlan, albums: AlbumResolver, startedEarly?: (sha256: string) => boolean): Promise<void> {
  const { provider, accountId } = ctx;
  // One lookup per album, not per file (an album not made yet is looked up again for every file otherwise).
  const albumIds = new Map<string, string | undefined>();
  const albumId = (title: string) => {
    if (!albumIds.has(title)) albumIds.set(title, albums.idFor(title));
    return albumIds.get(title);
  };
  await ctx.index.write((w) => {
    for (const u of plan.uploads) {
      const row = w.uploads.get(u.id);
      if (row && row.sha256 === u.sha256 && startedEarly?.(u.sha256)) {
        // Journaled when its upload started during the scan, and maybe sent since: its state and receipt stay.
        w.uploads.update(u.id, { albumId: albumId(u.albumTitle), albumTitle: u.albumTitle });
        w.localFiles.setStatus(u.file.path, 'pending');
        continue;
      }
      const record: UploadRecord = {
        id: u.id,
        provider: provider.id,
        accountId,
        localPath: u.file.path,
        sha256: u.sha256,
        size: u.file.size,
        albumId: albumId(u.albumTitle),
        albumTitle: u.albumTitle,
        state: u.reusableReceipt ? 'uploaded' : 'pending',
        receipt: u.reusableReceipt?.token,
        receiptExpiresAt: u.reusableReceipt?.expiresAt,
        // A transfer started by an earlier run continues (the row is keyed by these very bytes).
        resumeState: row?.sha256 === u.sha256 ? row.resumeState : undefined,
      };
      w.uploads.upsert(record);
      w.localFiles.setStatus(u.file.path, 'pending');
    }
    const op = (kind: 'add' | 'copy', path: string, sha256: string | undefined, albumTitle: string) =>
      w.syncOps.upsert({ id: opId(ctx, kind, path), kind, provider: provider.id, accountId, localPath: path, sha256, albumTitle, state: 'pending' });
    const adding = new Set<string>();
    for (const a of plan.adds) {
      adding.add(a.file.path);
      op('add', a.file.path, a.sha256, a.albumTitle);
      w.localFiles.setStatus(a.file.path, 'pending');
    }
    for (const d of plan.duplicates) {
      if (!adding.has(d.file.path) && d.file.albumTitle) op('copy', d.file.path, d.file.sha256, d.file.albumTitle);
      w.localFiles.setStatus(d.file.path, 'pending');
    }
    for (const a of plan.alreadyUploaded) {
      w.localFiles.setStatus(a.file.path, 'uploaded');
      // Found done by this plan (e.g. a resumed copy whose original was committed): close its ops.
      for (const kind of ['add', 'copy'] as const) w.syncOps.update(opId(ctx, kind, a.file.path), { state: 'done' });
    }
  });
}
