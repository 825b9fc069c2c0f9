// Puts content already at the destination into one more album (a copy of an uploaded photo in
// another folder, or a file whose bytes an earlier sync sent): no bytes, one add call per batch.
// Each add is a journaled sync op, so a run interrupted before it finishes resumes it.
import type { TaskContext } from '../../tasks/api';
import type { PlannedAdd } from '../plan';
import type { AlbumResolver } from './albumResolver';
import type { Archiver } from './archiveStep';
import type { UploadContext } from './context';
import { opId } from './context';
import type { SyncReport } from './report';

export class AlbumAdder {
  constructor(
    private readonly ctx: UploadContext,
    private readonly albums: AlbumResolver,
    private readonly archiver: Archiver,
  ) {}

  async add(albumTitle: string, chunk: readonly PlannedAdd[], task: Pick<TaskContext, 'signal'>, report: SyncReport): Promise<void> {
    const { index, provider, accountId } = this.ctx;
    const items: { a: PlannedAdd; id: string }[] = [];
    const missing: PlannedAdd[] = [];
    for (const a of chunk) {
      // Known from the plan, or committed by this run's upload of the same bytes (journaled in the index).
      const id = a.mediaItemId ?? index.mediaItems.bySha256(a.sha256, { accountId, provider: provider.id })[0]?.id;
      if (id) items.push({ a, id });
      else missing.push(a);
    }
    if (items.length) {
      // An album deleted in the service's web UI is forgotten and made again.
      const album = await this.albums.retryIfGone(albumTitle, async () => {
        const album = await this.albums.ensure(albumTitle, { firstItemId: items[0].id, signal: task.signal });
        if (album.created) report.albumsCreated.push(albumTitle);
        const alreadyIn = new Set(items.filter(({ id }) => index.mediaItems.albumsOf(id).includes(album.id)).map(({ id }) => id));
        // An album created around its first item holds it already.
        if (album.created && !provider.rules.emptyContainers) alreadyIn.add(items[0].id);
        const toSend = [...new Set(items.map(({ id }) => id).filter((id) => !alreadyIn.has(id)))];
        if (toSend.length) await provider.addToContainer(album.id, toSend, task.signal);
        return album;
      });
      await index.write((w) => {
        w.mediaItems.addToAlbum(album.id, items.map(({ id }) => id));
        for (const { a } of items) {
          w.localFiles.setStatus(a.file.path, 'uploaded');
          w.syncOps.update(opId(this.ctx, 'add', a.file.path), { state: 'done' });
        }
      });
    }
    if (missing.length) {
      await index.write((w) => {
        for (const a of missing) {
          const reason = 'its content was not uploaded (see the other copy of this file)';
          w.localFiles.setStatus(a.file.path, 'failed', reason);
          w.syncOps.update(opId(this.ctx, 'add', a.file.path), { state: 'failed', lastError: reason });
        }
      });
    }
    report.added += items.length;
    for (const { a, id } of items) await this.archiver.archiveIfWanted(a.folder, a.file, id, report);
  }
}
