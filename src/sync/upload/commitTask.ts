// Turns receipts into items in their album, one batch per task, one call at a time per account.
// Items the service could not create yet are tried again within the task; receipts it no longer
// honours are sent again once; bytes it refuses are recorded as rejected (tried again only when the
// file changes). Every created item is journaled and saved before anything else happens to its file.
import { setTimeout as sleep } from 'node:timers/promises';
import type { IndexWriter } from '../../index/api';
import type { TaskContext } from '../../tasks/api';
import type { PlannedUpload } from '../plan';
import type { CommitResult, Receipt, RemoteItem } from '../provider';
import type { AlbumResolver } from './albumResolver';
import type { Archiver } from './archiveStep';
import type { UploadContext } from './context';
import { taskIds } from './context';
import type { SyncReport } from './report';
import type { SentBytes, Uploader, UploadResult } from './uploadTask';

const MAX_ROUNDS = 3;

interface Pending {
  u: PlannedUpload;
  sent: SentBytes;
}

export class Committer {
  constructor(
    private readonly ctx: UploadContext,
    private readonly albums: AlbumResolver,
    private readonly uploader: Uploader,
    private readonly archiver: Archiver,
  ) {}

  /** The commit task's run: commits whichever of its uploads succeeded (their results come through the queue). */
  async commit(albumTitle: string, chunk: readonly PlannedUpload[], task: Pick<TaskContext, 'signal' | 'dependencies' | 'reportBytes'>, report: SyncReport): Promise<void> {
    let pending: Pending[] = [];
    const alreadyCommitted: { u: PlannedUpload; mediaItemId: string }[] = [];
    for (const u of chunk) {
      const outcome = task.dependencies.get(taskIds.upload(u.id));
      if (outcome?.state !== 'done') continue;
      const result = outcome.value as UploadResult;
      if (result.kind === 'committed') alreadyCommitted.push({ u, mediaItemId: result.mediaItemId });
      else pending.push({ u, sent: result });
    }
    if (alreadyCommitted.length) await this.joinAlbum(albumTitle, alreadyCommitted, task.signal, report);
    // Receipts on disk before the service is asked to commit them: a process killed while the commit is
    // answered then re-commits them on the next run (the service honours them for a day) instead of
    // sending the bytes again.
    if (pending.some((p) => p.sent.fresh)) await this.ctx.index.flush();

    for (let round = 1; pending.length > 0; round++) {
      const { albumId, results } = await this.send(albumTitle, pending, task.signal, report);
      const retry: Pending[] = [];
      const resend: PlannedUpload[] = [];
      const committed: { u: PlannedUpload; item: RemoteItem; sent: SentBytes }[] = [];
      await this.ctx.index.write((w) => {
        results.forEach((r, i) => {
          const { u, sent } = pending[i];
          if (r.ok) {
            committed.push({ u, item: r.item, sent });
            return;
          }
          if (r.outcome === 'resend' && !sent.fresh && round < MAX_ROUNDS) {
            // A receipt kept from an earlier run that the service no longer honours: send the bytes again.
            w.uploads.update(sent.uploadId, { state: 'pending', receipt: undefined, receiptExpiresAt: undefined, lastError: `${r.message}; uploading again` });
            resend.push(u);
            return;
          }
          if (r.outcome === 'retry' && round < MAX_ROUNDS) {
            w.uploads.update(sent.uploadId, { lastError: r.message });
            retry.push(pending[i]);
            return;
          }
          // A fresh receipt refused, or a refusal: the bytes are the problem.
          const refused = r.outcome !== 'retry';
          const message = refused
            ? `${this.ctx.provider.displayName} refused ${u.file.name}: ${r.message}. Is it a valid photo or video? It is tried again once the file changes.`
            : `${this.ctx.provider.displayName} did not create ${u.file.name}: ${r.message}`;
          w.uploads.update(sent.uploadId, { state: refused ? 'rejected' : 'failed', lastError: message, ...(refused ? { receipt: undefined, receiptExpiresAt: undefined } : {}) });
          w.localFiles.setStatus(u.file.path, 'failed', message);
        });
        for (const c of committed) this.record(w, c.u, c.item, c.sent, albumId);
      });
      report.uploaded += committed.length;
      // The item ids reach the disk before anything else happens to these files (an archive move,
      // or a crash that would otherwise repeat this commit on the next start).
      if (committed.length) await this.ctx.index.flush();
      for (const c of committed) await this.archiver.archiveIfWanted(c.u.folder, { ...c.u.file, size: c.sent.size, mtimeMs: c.sent.mtimeMs, sha256: c.sent.sha256 }, c.item.id, report);
      for (const u of resend) {
        const again = await this.uploader.upload(u, task);
        if (again.kind === 'receipt') retry.push({ u, sent: again });
      }
      pending = retry;
      if (pending.length > resend.length) await sleep(Math.min(8000, 500 * 2 ** round), undefined, { signal: task.signal });
    }
  }

  /**
   * One commit call. Where the album may be empty it exists already (its album task ran first);
   * where it may not (Flickr), the first commit goes without one and creates the album with its first
   * item, and the rest are added to it.
   */
  private async send(albumTitle: string, pending: Pending[], signal: AbortSignal, report: SyncReport): Promise<{ albumId: string; results: CommitResult[] }> {
    const { provider } = this.ctx;
    const uploads = pending.map(({ u, sent }) => ({ receipt: sent.receipt as Receipt, file: this.uploader.localUpload(u, sent) }));
    // An album deleted in the service's web UI is forgotten and made again (once per call).
    return this.albums.retryIfGone(albumTitle, async () => {
      const existing = this.albums.idFor(albumTitle);
      if (existing || provider.rules.emptyContainers) {
        const albumId = existing ?? (await this.albums.ensure(albumTitle, { signal })).id;
        return { albumId, results: await provider.commit(albumId, uploads, signal) };
      }
      const results = await provider.commit(undefined, uploads, signal);
      const items = results.filter((r): r is Extract<CommitResult, { ok: true }> => r.ok).map((r) => r.item.id);
      if (items.length === 0) return { albumId: '', results };
      const album = await this.albums.ensure(albumTitle, { firstItemId: items[0], signal });
      if (album.created) report.albumsCreated.push(albumTitle);
      const rest = album.created ? items.slice(1) : items;
      if (rest.length) await provider.addToContainer(album.id, rest, signal);
      return { albumId: album.id, results };
    });
  }

  private record(w: IndexWriter, u: PlannedUpload, item: RemoteItem, sent: SentBytes, albumId: string): void {
    w.mediaItems.upsert({
      id: item.id,
      accountId: this.ctx.accountId,
      provider: this.ctx.provider.id,
      // What the service kept: for identical bytes Google keeps the first upload's name, not ours.
      filename: item.filename || u.file.name,
      mimeType: item.mimeType || u.file.mimeType || 'application/octet-stream',
      creationTime: item.creationTime,
      size: sent.size,
      sha256: sent.sha256,
      description: item.description,
      cameraMake: item.cameraMake,
      cameraModel: item.cameraModel,
      width: item.width,
      height: item.height,
      appCreated: true,
    });
    if (albumId) w.mediaItems.addToAlbum(albumId, [item.id]);
    w.uploads.update(sent.uploadId, { state: 'committed', mediaItemId: item.id, albumId: albumId || undefined, lastError: undefined, receipt: undefined, receiptExpiresAt: undefined });
    w.localFiles.setStatus(u.file.path, 'uploaded');
  }

  /** Content committed since the plan was made (a resume racing an earlier run): only its album is missing. */
  private async joinAlbum(albumTitle: string, done: { u: PlannedUpload; mediaItemId: string }[], signal: AbortSignal, report: SyncReport): Promise<void> {
    const { album, missing } = await this.albums.retryIfGone(albumTitle, async () => {
      const album = await this.albums.ensure(albumTitle, { firstItemId: done[0].mediaItemId, signal });
      const missing = done.filter((d) => !this.ctx.index.mediaItems.albumsOf(d.mediaItemId).includes(album.id)).map((d) => d.mediaItemId);
      const toAdd = album.created && !this.ctx.provider.rules.emptyContainers ? missing.slice(1) : missing;
      if (toAdd.length) await this.ctx.provider.addToContainer(album.id, toAdd, signal);
      return { album, missing };
    });
    await this.ctx.index.write((w) => {
      w.mediaItems.addToAlbum(album.id, missing);
      for (const d of done) w.localFiles.setStatus(d.u.file.path, 'uploaded');
    });
    report.uploaded += done.length;
  }
}
