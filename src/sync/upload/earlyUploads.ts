// Uploads started while the scan goes on (as rclone transfers while it lists): each file the scan
// hashes whose content this account has never seen — no item, no journal row, not already started in
// this run — is checked for damage, journaled (an uploads row and its local_files row, before the
// request) and its upload task added to the run's group at once. The plan made after the scan finds
// these rows and tasks: the graph's upload task of that content is this very task (same task id), so
// commits, album adds and archive moves wait for it as for any upload. Same bytes twice in one run
// are decided by hash as each file is hashed: the first starts the upload, the others are left to
// the plan (a duplicate, or an add to another album).
import type { TaskGroup } from '../../tasks/api';
import { damageReason } from '../damage';
import type { SyncFolder } from '../config';
import type { PlannedUpload } from '../plan';
import { uploadId } from '../plan';
import type { ScannedFile } from '../scan';
import type { AlbumResolver } from './albumResolver';
import type { UploadContext } from './context';
import { quotaKey, taskIds } from './context';
import type { HashedFileSink } from './scanRecorder';
import { rowFor } from './scanRecorder';
import type { Uploader } from './uploadTask';

/** Files judged (damage check + journal) in one index write at most this many at a time. */
const JOURNAL_BATCH = 64;

export class EarlyUploads implements HashedFileSink {
  readonly judged = new Set<ScannedFile>();
  /** Contents whose upload this run started, by sha256. */
  private readonly started = new Map<string, PlannedUpload>();
  private readonly waiting: { file: ScannedFile; folder: SyncFolder }[] = [];
  private running: Promise<void> | undefined;
  /** The first errors the early tasks failed with (merged into the run's report). */
  readonly errors: unknown[] = [];

  constructor(
    private readonly ctx: UploadContext,
    /** The run's group, made when the first upload starts. */
    private readonly groupOf: () => TaskGroup,
    private readonly parts: { uploader: Uploader; albums: AlbumResolver },
    private readonly options: { limit: number; signal: AbortSignal; stopped?: () => boolean },
  ) {}

  get count(): number {
    return this.started.size;
  }

  /** Whether an upload of this content was started here. */
  has(sha256: string): boolean {
    return this.started.has(sha256);
  }

  offer(file: ScannedFile, folder: SyncFolder): void {
    if (this.options.signal.aborted || this.options.stopped?.() || this.started.size + this.waiting.length >= this.options.limit) return;
    if (file.status !== 'candidate' || !file.sha256 || !file.albumTitle) return;
    // A download-only folder of two-way sync (upload: false) sends nothing, early or late.
    if (folder.upload === false) return;
    this.waiting.push({ file, folder });
    this.running ??= this.work().finally(() => (this.running = undefined));
  }

  async drain(): Promise<void> {
    while (this.running) await this.running;
  }

  private async work(): Promise<void> {
    while (this.waiting.length && !this.options.signal.aborted && !this.options.stopped?.()) {
      const batch = this.waiting.splice(0, this.waiting.length === 1 ? 1 : Math.min(JOURNAL_BATCH, this.waiting.length));
      const go: PlannedUpload[] = [];
      for (const { file, folder } of batch) {
        const sha256 = file.sha256 as string;
        if (this.started.has(sha256) || !this.unknown(sha256)) continue;
        // The damage check comes before any request, as for every upload.
        let reason: string | undefined;
        try {
          reason = await damageReason(file.path, file.mimeType, this.options.signal);
        } catch (err) {
          if ((err as Error).name === 'AbortError') return;
          continue; // unreadable now: left to the plan and the upload step
        }
        this.judged.add(file);
        if (reason) {
          file.status = 'damaged';
          file.reason = reason;
          continue;
        }
        const u: PlannedUpload = { id: uploadId(this.ctx.provider.id, this.ctx.accountId, sha256), file, folder, sha256, albumTitle: file.albumTitle as string, reason: 'new' };
        this.started.set(sha256, u);
        go.push(u);
      }
      if (this.options.signal.aborted || go.length === 0) continue;
      // Journaled before the first request: a crash from here on resumes these uploads.
      const { provider, accountId } = this.ctx;
      await this.ctx.index.write((w) => {
        for (const u of go) {
          w.uploads.upsert({ id: u.id, provider: provider.id, accountId, localPath: u.file.path, sha256: u.sha256, size: u.file.size, albumId: this.parts.albums.idFor(u.albumTitle), albumTitle: u.albumTitle, state: 'pending' });
          w.localFiles.upsert({ ...rowFor(u.file, undefined), status: 'pending' });
        }
      });
      if (this.options.signal.aborted) return;
      for (const u of go) this.add(u);
    }
  }

  /** Content this account has no item and no journal row of: certainly to be uploaded by the plan. */
  private unknown(sha256: string): boolean {
    const { index, provider, accountId } = this.ctx;
    if (index.uploads.get(uploadId(provider.id, accountId, sha256))) return false;
    return index.mediaItems.bySha256(sha256, { accountId, provider: provider.id }).length === 0;
  }

  private add(u: PlannedUpload): void {
    this.groupOf().add({
      id: taskIds.upload(u.id),
      kind: 'upload',
      title: u.file.name,
      accountId: this.ctx.accountId,
      classify: this.ctx.provider.rules.classify,
      quotaKey: quotaKey(this.ctx),
      bytes: u.file.size,
      run: async (task) => {
        try {
          return await this.parts.uploader.upload(u, task);
        } catch (err) {
          if (this.errors.length < 5) this.errors.push(err);
          throw err;
        }
      },
    });
  }
}
