// Runs a sync plan through the task queue: albums created on first use, bytes sent in parallel,
// batchCreate ≤ 50 per album one call at a time per account, every token / result / item id
// journaled in the index before the next step, files archived only after Google confirmed them.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { LocalFileStatus, PhotoIndex, UploadRecord } from '../index/api';
import type { TaskGroup, TaskHandle, TaskQueueApi, TaskContext } from '../tasks/api';
import type { Logger } from '../util/logger';
import type { CommitResult, LocalUpload, PhotoProvider, UploadReceipt } from './provider';
import type { SyncFolder } from './config';
import { scanFolder, describeFsError, type KnownFile, type ScanResult, type ScannedFile } from './scan';
import type { MediaKind, MediaTypes } from './mediaTypes';
import { buildPlan, knownAlbumId, REJECTED_PREFIX, type PlannedAdd, type PlannedUpload, type SyncPlan, TOKEN_TTL_MS } from './plan';
import { hashFile } from './hash';
import { archiveFile } from './archive';
import { renderDescription, uploadFileName } from './names';
import type { CaptureDate } from '../metadata/captureDate';

export interface SyncEngineOptions {
  provider: PhotoProvider;
  index: PhotoIndex;
  queue: TaskQueueApi;
  accountId: string;
  mediaTypes: MediaTypes;
  log: Logger;
  /** Files above this go resumable (matches the provider's setting; used for the request estimate). */
  resumableThreshold?: number;
  chunkSize?: number;
  /** Items per batchCreate (≤ provider.maxBatch). The benchmark's baseline sets 1. */
  batchSize?: number;
  /** `photoSync.upload.description` template. */
  description?: string;
  /** Read capture dates of new files even when the album rule does not use them. */
  readDates?: boolean;
  now?: () => number;
}

export interface FileOutcome {
  path: string;
  state: 'uploaded' | 'added' | 'already' | 'failed' | 'skipped';
  message?: string;
  mediaItemId?: string;
  archivedTo?: string;
}

export interface SyncReport {
  uploaded: number;
  added: number;
  alreadyUploaded: number;
  duplicates: number;
  skipped: number;
  failed: { path: string; message: string }[];
  archived: number;
  archiveProblems: { path: string; reason: string }[];
  albumsCreated: string[];
  warnings: string[];
  cancelled: boolean;
  /** The first errors tasks failed with, so the UI can explain a cause the user must fix (an API not enabled, a revoked grant). */
  errors: unknown[];
}

/** Per-item batchCreate statuses worth another try; the rest need the user (or a new upload). */
const RETRYABLE_ITEM_STATUS = new Set(['UNAVAILABLE', 'INTERNAL', 'DEADLINE_EXCEEDED', 'ABORTED', 'UNKNOWN', 'RESOURCE_EXHAUSTED']);
/** Statuses saying the upload token itself is unusable: the bytes must be sent again. */
const TOKEN_STATUS = new Set(['INVALID_ARGUMENT', 'NOT_FOUND', 'FAILED_PRECONDITION']);

class FileGoneError extends Error {
  override readonly name = 'FileGoneError';
}

export class SyncEngine {
  private readonly provider: PhotoProvider;
  private readonly index: PhotoIndex;
  private readonly queue: TaskQueueApi;
  private readonly accountId: string;
  private readonly log: Logger;
  private readonly batchSize: number;
  private readonly now: () => number;
  /** Album ids by title, for this account. */
  private readonly albumIds = new Map<string, string>();
  /** Whether this session listed the app's albums already (see ensureAlbum). */
  private adopted = false;
  /** Titles whose albums.create failed without an answer: Google may have made the album anyway. */
  private readonly unansweredCreates = new Set<string>();
  /** Upload ids whose token was obtained in this process (a token from an earlier run may be dead). */
  private readonly freshTokens = new Set<string>();

  constructor(private readonly options: SyncEngineOptions) {
    this.provider = options.provider;
    this.index = options.index;
    this.queue = options.queue;
    this.accountId = options.accountId;
    this.log = options.log;
    this.batchSize = Math.max(1, Math.min(options.batchSize ?? options.provider.maxBatch, options.provider.maxBatch));
    this.now = options.now ?? Date.now;
  }

  // ---------------------------------------------------------------------------------------------
  // Scan and plan

  /** Scans the folders and records what was found in the index (sizes, hashes, skip reasons, missing files). */
  async scan(folders: readonly SyncFolder[], signal?: AbortSignal, onProgress?: (message: string) => void): Promise<{ folder: SyncFolder; scan: ScanResult }[]> {
    const out: { folder: SyncFolder; scan: ScanResult }[] = [];
    for (const folder of folders) {
      onProgress?.(`Scanning ${folder.path}`);
      const scan = await scanFolder(folder, {
        mediaTypes: this.options.mediaTypes,
        known: (p) => this.knownFile(p),
        readDates: this.options.readDates,
        signal,
        onProgress: (seen, hashed) => onProgress?.(`Scanning ${folder.path}: ${seen} files, ${hashed} hashed`),
      });
      await this.recordScan(scan, folder);
      out.push({ folder, scan });
    }
    return out;
  }

  plan(scans: readonly { folder: SyncFolder; scan: ScanResult }[]): SyncPlan {
    return buildPlan(scans, this.index, {
      accountId: this.accountId,
      provider: this.provider.id,
      maxBatch: this.batchSize,
      maxAlbumItems: this.provider.maxContainerItems,
      resumableThreshold: this.options.resumableThreshold ?? 8 * 1024 * 1024,
      chunkSize: this.options.chunkSize ?? 8 * 1024 * 1024,
      now: this.now(),
    });
  }

  private knownFile(p: string): KnownFile | undefined {
    const row = this.index.localFiles.byPath(p);
    if (!row?.sha256) return undefined;
    return { size: row.size, mtimeMs: row.mtimeMs, sha256: row.sha256, captureDate: parseCaptureTime(row.captureTime) };
  }

  private async recordScan(scan: ScanResult, folder: SyncFolder): Promise<void> {
    if (scan.missing) return;
    const seen = new Set(scan.files.map((f) => f.path));
    // Archived files are not scanned (the archive may lie inside the sync folder) and are not missing.
    const archive = folder.afterUpload === 'archive' && folder.archivePath ? path.resolve(folder.archivePath) + path.sep : undefined;
    const stale: string[] = [];
    for (let offset = 0; ; offset += 1000) {
      const page = this.index.localFiles.underFolder(scan.root, { offset, limit: 1000 });
      for (const row of page.items) if (!seen.has(row.path) && row.status !== 'missing' && !(archive && row.path.startsWith(archive))) stale.push(row.path);
      if (offset + page.items.length >= page.total || page.items.length === 0) break;
    }
    await this.index.write((w) => {
      for (const f of scan.files) {
        if (f.status === 'unsupported') continue;
        const before = w.localFiles.byPath(f.path);
        if (f.status === 'candidate' && f.sha256) {
          const keep = before && before.sha256 === f.sha256 && (before.status === 'uploaded' || before.status === 'pending' || before.status === 'failed');
          w.localFiles.upsert({
            path: f.path,
            size: f.size,
            mtimeMs: f.mtimeMs,
            sha256: f.sha256,
            captureTime: f.captureDate && f.captureDate.source.startsWith('exif') ? f.captureDate.local : undefined,
            status: keep ? before.status : 'hashed',
            lastError: keep ? before.lastError : undefined,
          });
        } else {
          const status: LocalFileStatus = f.status === 'unreadable' ? 'failed' : 'skipped';
          w.localFiles.upsert({ path: f.path, size: f.size, mtimeMs: f.mtimeMs, status, lastError: f.reason });
        }
      }
      for (const p of stale) w.localFiles.setStatus(p, 'missing', 'no longer in the folder');
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Run

  /**
   * Runs the plan in a queue group and resolves when every task settled. Cancelling the group
   * (or VS Code closing) leaves the journal consistent: the next run resumes it.
   */
  async run(plan: SyncPlan, options: { title?: string; onGroup?: (group: TaskGroup) => void } = {}): Promise<SyncReport> {
    const title = options.title ?? 'Uploading to Google Photos';
    const report: SyncReport = {
      uploaded: 0,
      added: 0,
      alreadyUploaded: plan.alreadyUploaded.length,
      duplicates: plan.duplicates.length,
      skipped: plan.excluded.length + plan.unsupported.length + plan.tooLarge.length + plan.empty.length + plan.unreadable.length + plan.rejected.length,
      failed: [],
      archived: 0,
      archiveProblems: [],
      albumsCreated: [],
      warnings: [...plan.warnings],
      cancelled: false,
      errors: [],
    };
    // Every task's run goes through this, so the report keeps what went wrong, not only its text.
    const noted =
      (run: (ctx: TaskContext) => Promise<void>) =>
      async (ctx: TaskContext): Promise<void> => {
        try {
          await run(ctx);
        } catch (err) {
          if (report.errors.length < 5) report.errors.push(err);
          throw err;
        }
      };
    for (const [t, id] of plan.albumIds) this.albumIds.set(t, id);
    for (const f of plan.unreadable) report.failed.push({ path: f.file.path, message: f.file.reason ?? 'cannot be read' });
    for (const f of plan.rejected) report.failed.push({ path: f.file.path, message: f.message });

    await this.journalPlan(plan);
    if (plan.uploads.length === 0 && plan.adds.length === 0) {
      // Nothing to send: only archiving of files already confirmed. (An empty group never settles.)
      for (const a of plan.alreadyUploaded) await this.archiveIfWanted(a.folder, a.file, a.mediaItemId, report);
      await this.index.flush();
      return report;
    }
    // Progress counts files sent (album creates and batchCreate calls are not what the user counts).
    const group = this.queue.group(title, 'Uploading', { countKinds: plan.uploads.length ? ['upload'] : ['album'] });
    const albumTasks = new Map<string, TaskHandle>();
    const albumTask = (albumTitle: string): string[] => {
      if (this.albumIdFor(albumTitle)) return [];
      let task = albumTasks.get(albumTitle);
      if (!task) {
        task = group.add({
          id: `album:${this.accountId}:${albumTitle}`,
          kind: 'album',
          title: `Create album “${albumTitle}”`,
          accountId: this.accountId,
          priority: 10,
          run: noted(async (ctx) => {
            const created = await this.ensureAlbum(albumTitle, ctx.signal);
            if (created) report.albumsCreated.push(albumTitle);
          }),
        });
        albumTasks.set(albumTitle, task);
      }
      return [task.id];
    };

    // Uploads, grouped by album in batches; each batch's batchCreate waits for its uploads.
    const byAlbum = new Map<string, PlannedUpload[]>();
    for (const u of plan.uploads) {
      const list = byAlbum.get(u.albumTitle) ?? [];
      list.push(u);
      byAlbum.set(u.albumTitle, list);
    }
    const batchTasks: string[] = [];
    const batchOf = new Map<string, string>();
    for (const [albumTitle, uploads] of byAlbum) {
      for (let i = 0; i < uploads.length; i += this.batchSize) {
        const chunk = uploads.slice(i, i + this.batchSize);
        const uploadTaskIds = chunk.map(
          (u) =>
            group.add({
              id: `upload:${u.id}`,
              kind: 'upload',
              title: u.file.name,
              accountId: this.accountId,
              bytes: u.reusableToken ? 0 : u.file.size,
              run: noted((ctx) => this.uploadOne(u, ctx)),
            }).id,
        );
        const batch = group.add({
          id: `batchCreate:${this.accountId}:${chunk[0].id}`,
          kind: 'batchCreate',
          title: `Add ${chunk.length} item${chunk.length === 1 ? '' : 's'} to “${albumTitle}”`,
          accountId: this.accountId,
          dependsOn: [...albumTask(albumTitle), ...uploadTaskIds],
          waitFor: 'settled',
          priority: 5,
          run: noted((ctx) => this.commitBatch(albumTitle, chunk, ctx, report)),
        });
        batchTasks.push(batch.id);
        for (const u of chunk) batchOf.set(u.id, batch.id);
      }
    }

    // Items that only join another album: after the uploads they may depend on.
    const addsByAlbum = new Map<string, PlannedAdd[]>();
    for (const a of plan.adds) {
      const list = addsByAlbum.get(a.albumTitle) ?? [];
      list.push(a);
      addsByAlbum.set(a.albumTitle, list);
    }
    for (const [albumTitle, adds] of addsByAlbum) {
      for (let i = 0; i < adds.length; i += this.batchSize) {
        const chunk = adds.slice(i, i + this.batchSize);
        group.add({
          id: `albumAdd:${this.accountId}:${albumTitle}:${chunk[0].sha256}`,
          kind: 'album',
          title: `Add ${chunk.length} existing item${chunk.length === 1 ? '' : 's'} to “${albumTitle}”`,
          accountId: this.accountId,
          dependsOn: [...albumTask(albumTitle), ...batchTasks],
          waitFor: 'settled',
          run: noted((ctx) => this.addExisting(albumTitle, chunk, ctx, report)),
        });
      }
    }

    // Every task is added before the first await: a group whose tasks all settled is finished.
    // Shown once the work is known, so the first progress line has the real totals.
    options.onGroup?.(group);
    // Files whose bytes are already in the right album: archived now (when the folder asks for it).
    for (const a of plan.alreadyUploaded) await this.archiveIfWanted(a.folder, a.file, a.mediaItemId, report);
    const result = await group.finished;
    report.cancelled = group.signal.aborted || result.cancelled > 0;
    await this.index.flush();
    await this.collectFailures(plan, report, result.failed, batchOf);
    return report;
  }

  /** Scan → plan → run, for Sync Now. */
  async sync(folders: readonly SyncFolder[], options: { signal?: AbortSignal; onGroup?: (group: TaskGroup) => void } = {}): Promise<{ plan: SyncPlan; report: SyncReport }> {
    const plan = this.plan(await this.scan(folders, options.signal));
    return { plan, report: await this.run(plan, { onGroup: options.onGroup }) };
  }

  /** Upload journal rows of this account left unfinished by an earlier run (crash, closed window, cancel). */
  unfinishedUploads(): UploadRecord[] {
    const rows: UploadRecord[] = [];
    for (const state of ['pending', 'uploading', 'uploaded'] as const) {
      rows.push(...this.index.uploads.byState(state, { accountId: this.accountId }, { limit: 1000 }).items);
    }
    return rows;
  }

  /**
   * Plans the unfinished journal rows again without scanning: each file is checked on disk, tokens
   * younger than a day are committed without re-sending, committed content is never sent twice.
   * `folders` supplies each file's archive rule when it lies in a sync folder.
   */
  async planUnfinished(folders: readonly SyncFolder[]): Promise<SyncPlan | undefined> {
    const rows = this.unfinishedUploads();
    if (rows.length === 0) return undefined;
    const scans = new Map<string, { folder: SyncFolder; scan: ScanResult }>();
    for (const row of rows) {
      if (!row.sha256 || !row.albumTitle) continue;
      const type = this.options.mediaTypes.classify(row.localPath);
      let stat;
      try {
        stat = await fs.stat(row.localPath);
        if (!stat.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
      } catch (err) {
        const gone = (err as NodeJS.ErrnoException).code === 'ENOENT';
        const message = gone ? 'disappeared before it was uploaded' : `${describeFsError(err)}; nothing was uploaded`;
        await this.index.write((w) => {
          w.uploads.update(row.id, { state: 'failed', lastError: message });
          w.localFiles.setStatus(row.localPath, gone ? 'missing' : 'failed', message);
        });
        continue;
      }
      const home = folders.find((f) => row.localPath.startsWith(path.resolve(f.path) + path.sep));
      const root = home ? path.resolve(home.path) : path.dirname(row.localPath);
      const folder: SyncFolder = home ?? { path: root, album: { mode: 'fixed', name: row.albumTitle }, include: [], exclude: [], excludeFolders: [], mergeFolders: [], afterUpload: 'keep' };
      const known = this.index.localFiles.byPath(row.localPath);
      // Same size and mtime as when it was hashed: the journaled hash still describes the file.
      const unchanged = known?.sha256 === row.sha256 && known.size === stat.size && known.mtimeMs === stat.mtimeMs;
      const file: ScannedFile = {
        path: row.localPath,
        rel: path.relative(root, row.localPath).split(path.sep).join('/'),
        name: path.basename(row.localPath),
        size: stat.size,
        mtimeMs: stat.mtimeMs,
        status: type ? 'candidate' : 'unsupported',
        kind: type?.kind,
        mimeType: type?.mimeType,
        sha256: unchanged ? row.sha256 : undefined,
        changed: false,
        albumTitle: row.albumTitle,
      };
      if (!unchanged && type) {
        let sha256: string;
        try {
          ({ sha256 } = await hashFile(row.localPath));
        } catch (err) {
          // One unreadable file must not keep every other journaled upload from resuming.
          const message = `${describeFsError(err)}; nothing was uploaded`;
          await this.index.write((w) => {
            w.uploads.update(row.id, { state: 'failed', lastError: message });
            w.localFiles.setStatus(row.localPath, 'failed', message);
          });
          continue;
        }
        file.sha256 = sha256;
        // Other bytes now: the journaled upload is void; the new content is planned on its own.
        if (sha256 !== row.sha256) await this.index.write((w) => w.uploads.update(row.id, { state: 'failed', uploadToken: undefined, lastError: 'the file changed before its upload was finished' }));
      }
      const entry = scans.get(root) ?? { folder, scan: { root, files: [], skippedFolders: [], problems: [], missing: false } };
      entry.scan.files.push(file);
      scans.set(root, entry);
    }
    return this.plan([...scans.values()]);
  }

  /** Journals every planned upload before any request, so a crash from here on resumes. */
  private async journalPlan(plan: SyncPlan): Promise<void> {
    await this.index.write((w) => {
      for (const u of plan.uploads) {
        const row = w.uploads.get(u.id);
        // A row re-keyed to other bytes (file edited mid-upload) must not lend them its session.
        const existing = row?.sha256 === u.sha256 ? row : undefined;
        const record: UploadRecord = {
          id: u.id,
          accountId: this.accountId,
          localPath: u.file.path,
          sha256: u.sha256,
          size: u.file.size,
          albumId: this.albumIdFor(u.albumTitle),
          albumTitle: u.albumTitle,
          state: u.reusableToken ? 'uploaded' : 'pending',
          uploadToken: u.reusableToken?.token,
          tokenIssuedAt: u.reusableToken?.issuedAt,
          sessionUrl: existing?.sessionUrl,
          sessionOffset: existing?.sessionOffset,
        };
        w.uploads.upsert(record);
        w.localFiles.setStatus(u.file.path, 'pending');
      }
      for (const a of plan.adds) w.localFiles.setStatus(a.file.path, 'pending');
      for (const d of plan.duplicates) w.localFiles.setStatus(d.file.path, 'pending');
      for (const a of plan.alreadyUploaded) w.localFiles.setStatus(a.file.path, 'uploaded');
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Albums

  private albumIdFor(title: string): string | undefined {
    const cached = this.albumIds.get(title);
    if (cached) return cached;
    const id = knownAlbumId(this.index, title, this.accountId, this.provider.id);
    if (id) this.albumIds.set(title, id);
    return id;
  }

  /**
   * The album for a title: the id the index recorded (never a listing that may lag behind a recent
   * create), else an app-created album found by listing, else a new one — recorded in the index at
   * once. albums.create is not idempotent: a create whose answer was lost (window closed, connection
   * dropped, index not saved) may have made the album, so the app's albums are listed before the
   * first create of each session and before retrying a title whose create got no answer.
   * Returns true when it created one.
   */
  private async ensureAlbum(title: string, signal: AbortSignal): Promise<boolean> {
    if (this.albumIdFor(title)) return false;
    if (!this.adopted || this.unansweredCreates.has(title)) {
      await this.adoptListedAlbums(signal);
      this.adopted = true;
      this.unansweredCreates.delete(title);
      if (this.albumIdFor(title)) return false;
    }
    let album;
    try {
      album = await this.provider.createContainer(title, signal);
    } catch (err) {
      this.unansweredCreates.add(title);
      throw err;
    }
    await this.index.write((w) => w.albums.upsert({ id: album.id, accountId: this.accountId, provider: this.provider.id, title: album.title || title, appCreated: true, itemCount: 0 }));
    this.albumIds.set(title, album.id);
    this.log.info(`Created album “${title}”.`);
    return true;
  }

  /** Records the app-created albums Google lists that the index does not know yet. */
  private async adoptListedAlbums(signal: AbortSignal): Promise<void> {
    const found: { id: string; title: string; itemCount?: number }[] = [];
    for await (const c of this.provider.listContainers(signal)) if (c.writable) found.push(c);
    await this.index.write((w) => {
      for (const c of found) {
        if (!w.albums.get(c.id)) w.albums.upsert({ id: c.id, accountId: this.accountId, provider: this.provider.id, title: c.title, appCreated: true, itemCount: c.itemCount });
      }
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Upload bytes

  private async uploadOne(u: PlannedUpload, ctx: TaskContext): Promise<void> {
    const stored = this.index.uploads.get(u.id);
    const row = stored?.sha256 === u.sha256 ? stored : undefined;
    if (row?.state === 'committed') return;
    if (row?.state === 'uploaded' && this.index.uploads.reusableToken(u.id, this.now())) return;

    let expected = { size: row?.size ?? u.file.size, mtimeMs: u.file.mtimeMs, sha256: row?.sha256 ?? u.sha256 };
    for (let attempt = 1; ; attempt++) {
      ctx.signal.throwIfAborted();
      let stat;
      try {
        stat = await fs.stat(u.file.path);
      } catch (err) {
        return this.fileGone(u, err);
      }
      // Grown past Google's limit since the scan: refuse before hashing or spending a request.
      const type = this.options.mediaTypes.classify(u.file.name);
      if (type && stat.size > type.limitBytes) return this.tooLarge(u, type.kind);
      if (stat.size !== expected.size || stat.mtimeMs !== expected.mtimeMs) {
        // Changed since the scan: the bytes we would send are not the ones hashed. Hash again.
        expected = await this.rehash(u, ctx.signal);
      }
      // The plan journaled the row as pending with these bytes; write again only when they changed.
      const current = this.index.uploads.get(u.id);
      if (current?.sha256 !== expected.sha256 || current.size !== expected.size) {
        // New bytes: any journaled resumable session belongs to the old ones.
        await this.index.write((w) => w.uploads.update(u.id, { state: 'uploading', sha256: expected.sha256, size: expected.size, lastError: undefined, sessionUrl: undefined, sessionOffset: undefined }));
      }
      const local: LocalUpload = this.localUpload(u, expected);
      let receipt: UploadReceipt;
      try {
        receipt = await this.provider.uploadBytes(local, (done) => ctx.reportBytes(done, expected.size), ctx.signal);
      } catch (err) {
        if ((err as Error).name === 'FileChangedError') {
          if (attempt >= 3) throw new Error(`${u.file.name} keeps changing while it is uploaded; it will be tried again on the next sync.`, { cause: err });
          this.log.info(`${u.file.path} changed during upload; hashing and sending it again.`);
          expected = await this.rehash(u, ctx.signal);
          continue;
        }
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return this.fileGone(u, err);
        throw err;
      }
      await this.index.write((w) =>
        // Issued "now" by the engine's clock, the same clock that later judges the token's age.
        w.uploads.update(u.id, { state: 'uploaded', uploadToken: receipt.token, tokenIssuedAt: Math.min(receipt.issuedAt, this.now()), sha256: expected.sha256, size: expected.size, sessionUrl: undefined, sessionOffset: undefined }),
      );
      u.file.size = expected.size;
      u.file.mtimeMs = expected.mtimeMs;
      u.sha256 = expected.sha256;
      this.freshTokens.add(u.id);
      return;
    }
  }

  private async rehash(u: PlannedUpload, signal: AbortSignal): Promise<{ size: number; mtimeMs: number; sha256: string }> {
    for (let i = 0; i < 3; i++) {
      let before;
      try {
        before = await fs.stat(u.file.path);
      } catch (err) {
        throw new FileGoneError(`${u.file.name} ${describeFsError(err)}.`);
      }
      const { sha256, bytes } = await hashFile(u.file.path, signal);
      const after = await fs.stat(u.file.path);
      if (bytes === after.size && after.size === before.size && after.mtimeMs === before.mtimeMs) {
        if (after.size === 0) throw new Error(`${u.file.name} is now empty (0 bytes); nothing to upload.`);
        const next = { size: after.size, mtimeMs: after.mtimeMs, sha256 };
        await this.index.write((w) => {
          w.uploads.update(u.id, { sha256, size: after.size, sessionUrl: undefined, sessionOffset: undefined });
          const row = w.localFiles.byPath(u.file.path);
          w.localFiles.upsert({ path: u.file.path, size: after.size, mtimeMs: after.mtimeMs, sha256, captureTime: row?.captureTime, status: 'pending' });
        });
        return next;
      }
    }
    throw new Error(`${u.file.name} keeps changing; it will be tried again on the next sync.`);
  }

  private async fileGone(u: PlannedUpload, err: unknown): Promise<void> {
    const message = `${describeFsError(err)}; nothing was uploaded`;
    await this.index.write((w) => {
      w.uploads.update(u.id, { state: 'failed', lastError: message });
      w.localFiles.setStatus(u.file.path, 'missing', message);
    });
    throw new FileGoneError(`${u.file.name} ${message}.`);
  }

  private async tooLarge(u: PlannedUpload, kind: MediaKind): Promise<void> {
    const message = `is now larger than Google Photos' ${kind === 'photo' ? '200 MB' : '20 GB'} limit for ${kind}s; nothing was uploaded`;
    await this.index.write((w) => {
      w.uploads.update(u.id, { state: 'failed', lastError: message, sessionUrl: undefined, sessionOffset: undefined });
      w.localFiles.setStatus(u.file.path, 'failed', message);
    });
    throw new Error(`${u.file.name} ${message}.`);
  }

  private localUpload(u: PlannedUpload, expected: { size: number; mtimeMs: number; sha256: string }): LocalUpload {
    return {
      path: u.file.path,
      sha256: expected.sha256,
      fileName: uploadFileName(u.file.name),
      mimeType: u.file.mimeType ?? 'application/octet-stream',
      size: expected.size,
      mtimeMs: expected.mtimeMs,
      description: renderDescription(this.options.description, u.file),
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Commit (batchCreate)

  private async commitBatch(albumTitle: string, chunk: PlannedUpload[], ctx: TaskContext, report: SyncReport): Promise<void> {
    const albumId = this.albumIdFor(albumTitle);
    if (!albumId) throw new Error(`Album “${albumTitle}” could not be created; its files stay queued for the next sync.`);
    const byId = new Map(chunk.map((u) => [u.id, u]));
    const ready = (): { u: PlannedUpload; receipt: UploadReceipt }[] => {
      const out: { u: PlannedUpload; receipt: UploadReceipt }[] = [];
      for (const u of chunk) {
        const row = this.index.uploads.get(u.id);
        if (row?.state !== 'uploaded' || !row.uploadToken || !row.tokenIssuedAt || row.sha256 !== u.sha256) continue;
        if (!this.freshTokens.has(u.id) && this.now() - row.tokenIssuedAt >= TOKEN_TTL_MS) continue;
        out.push({ u, receipt: { token: row.uploadToken, issuedAt: row.tokenIssuedAt } });
      }
      return out;
    };
    let pending = ready();
    for (let round = 1; pending.length > 0; round++) {
      const results: CommitResult[] = await this.provider.commit(
        albumId,
        pending.map(({ u, receipt }) => ({ receipt, file: this.localUpload(u, { size: u.file.size, mtimeMs: u.file.mtimeMs, sha256: u.sha256 }) })),
        ctx.signal,
      );
      const retry: { u: PlannedUpload; receipt: UploadReceipt }[] = [];
      const resend: PlannedUpload[] = [];
      const committed: { u: PlannedUpload; mediaItemId: string }[] = [];
      await this.index.write((w) => {
        results.forEach((r, i) => {
          const { u } = pending[i];
          if (r.ok) {
            const item = r.item;
            w.mediaItems.upsert({
              id: item.id,
              accountId: this.accountId,
              provider: this.provider.id,
              // What Google kept: for identical bytes it is the first upload's name, not ours.
              filename: item.filename || uploadFileName(u.file.name),
              mimeType: item.mimeType || u.file.mimeType || 'application/octet-stream',
              creationTime: item.creationTime,
              size: u.file.size,
              sha256: u.sha256,
              description: item.description,
              cameraMake: item.cameraMake,
              cameraModel: item.cameraModel,
              width: item.width,
              height: item.height,
              appCreated: true,
            });
            w.mediaItems.addToAlbum(albumId, [item.id]);
            w.uploads.update(u.id, { state: 'committed', mediaItemId: item.id, albumId, lastError: undefined });
            w.localFiles.setStatus(u.file.path, 'uploaded');
            committed.push({ u, mediaItemId: item.id });
          } else {
            const again = RETRYABLE_ITEM_STATUS.has(r.status) && round < 3;
            const tokenBad = TOKEN_STATUS.has(r.status);
            if (tokenBad && !this.freshTokens.has(u.id) && round < 3) {
              // A token kept from an earlier run that Google no longer honours: send the bytes again.
              w.uploads.update(u.id, { state: 'pending', uploadToken: undefined, tokenIssuedAt: undefined, lastError: `${r.message} (${r.status}); uploading again` });
              resend.push(u);
              return;
            }
            const message = tokenBad
              ? `${REJECTED_PREFIX} ${u.file.name}: ${r.message} (${r.status}). Is it a valid photo or video? It is tried again once the file changes.`
              : `Google did not create ${u.file.name}: ${r.message} (${r.status})`;
            w.uploads.update(u.id, {
              state: again ? 'uploaded' : 'failed',
              lastError: message,
              ...(tokenBad ? { uploadToken: undefined, tokenIssuedAt: undefined } : {}),
            });
            if (again) retry.push(pending[i]);
            else w.localFiles.setStatus(u.file.path, 'failed', message);
          }
        });
      });
      report.uploaded += committed.length;
      // The media item ids reach the disk before anything else happens to these files (an archive
      // move, or a crash that would otherwise repeat this batchCreate on the next start).
      if (committed.length) await this.index.flush();
      for (const c of committed) {
        byId.delete(c.u.id);
        await this.archiveIfWanted(c.u.folder, c.u.file, c.mediaItemId, report);
      }
      for (const u of resend) {
        await this.uploadOne(u, ctx);
        const row = this.index.uploads.get(u.id);
        if (row?.state === 'uploaded' && row.uploadToken && row.tokenIssuedAt) retry.push({ u, receipt: { token: row.uploadToken, issuedAt: row.tokenIssuedAt } });
      }
      pending = retry;
      if (pending.length > resend.length) await sleep(Math.min(8000, 500 * 2 ** round), ctx.signal);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // batchAddMediaItems for content already in the library

  private async addExisting(albumTitle: string, chunk: PlannedAdd[], ctx: TaskContext, report: SyncReport): Promise<void> {
    const albumId = this.albumIdFor(albumTitle);
    if (!albumId) throw new Error(`Album “${albumTitle}” could not be created; these files stay queued for the next sync.`);
    const items: { a: PlannedAdd; id: string }[] = [];
    const missing: PlannedAdd[] = [];
    for (const a of chunk) {
      const id = a.mediaItemId ?? this.index.mediaItems.bySha256(a.sha256, this.accountId)[0]?.id;
      if (id) items.push({ a, id });
      else missing.push(a);
    }
    const toSend = [...new Set(items.filter(({ id }) => !this.index.mediaItems.albumsOf(id).includes(albumId)).map(({ id }) => id))];
    if (toSend.length) await this.provider.addToContainer(albumId, toSend, ctx.signal);
    await this.index.write((w) => {
      if (toSend.length) w.mediaItems.addToAlbum(albumId, toSend);
      for (const { a } of items) w.localFiles.setStatus(a.file.path, 'uploaded');
      for (const a of missing) w.localFiles.setStatus(a.file.path, 'failed', 'its content was not uploaded (see the other copy of this file)');
    });
    report.added += items.length;
    for (const { a, id } of items) await this.archiveIfWanted(a.folder, a.file, id, report);
  }

  // ---------------------------------------------------------------------------------------------
  // Archive and outcome

  private async archiveIfWanted(folder: SyncFolder, file: ScannedFile, mediaItemId: string, report: SyncReport): Promise<void> {
    if (folder.afterUpload !== 'archive' || !folder.archivePath) return;
    // Only once the index holds the confirmed item for exactly these bytes.
    const item = this.index.mediaItems.get(mediaItemId);
    if (!item || (item.sha256 && file.sha256 && item.sha256 !== file.sha256)) return;
    const result = await archiveFile({ source: file.path, root: folder.path, archiveRoot: folder.archivePath, expected: { size: file.size, mtimeMs: file.mtimeMs, sha256: file.sha256 } });
    if (!result.ok) {
      report.archiveProblems.push({ path: file.path, reason: result.reason });
      this.log.warn(`Not archived: ${file.path} ${result.reason}.`);
      return;
    }
    report.archived++;
    await this.index.write((w) => {
      const row = w.localFiles.byPath(file.path);
      w.localFiles.remove(file.path);
      w.localFiles.upsert({ path: result.movedTo, size: file.size, mtimeMs: file.mtimeMs, sha256: file.sha256, captureTime: row?.captureTime, status: 'uploaded' });
    });
  }

  private async collectFailures(plan: SyncPlan, report: SyncReport, failedTasks: { taskId: string; title: string; reason: string }[], batchOf: Map<string, string>): Promise<void> {
    const reasons = new Map(failedTasks.map((f) => [f.taskId, f.reason]));
    const updates: { path: string; message: string }[] = [];
    for (const u of plan.uploads) {
      const row = this.index.uploads.get(u.id);
      if (row?.state === 'committed') continue;
      const batchReason = reasons.get(batchOf.get(u.id) ?? '');
      const message =
        reasons.get(`upload:${u.id}`) ??
        row?.lastError ??
        (batchReason ? `uploaded, but adding it to the album failed: ${batchReason}` : report.cancelled ? 'cancelled; it resumes on the next sync' : 'not uploaded');
      report.failed.push({ path: u.file.path, message });
      if (row?.state !== 'failed' && !report.cancelled) updates.push({ path: u.file.path, message });
    }
    for (const a of plan.adds) {
      const status = this.index.localFiles.byPath(a.file.path)?.status;
      if (status === 'pending') report.failed.push({ path: a.file.path, message: report.cancelled ? 'cancelled; it resumes on the next sync' : 'could not be added to its album' });
    }
    // Copies of uploaded bytes in the same album: done once the original is; archived like it.
    const added = new Set(plan.adds.map((a) => a.file.path));
    for (const d of plan.duplicates) {
      if (added.has(d.file.path)) continue;
      const sha = d.file.sha256;
      const item = sha ? this.index.mediaItems.bySha256(sha, this.accountId)[0] : undefined;
      if (!item) continue;
      await this.index.write((w) => w.localFiles.setStatus(d.file.path, 'uploaded'));
      await this.archiveIfWanted(d.folder, d.file, item.id, report);
    }
    if (updates.length) {
      await this.index.write((w) => {
        for (const u of updates) w.localFiles.setStatus(u.path, 'failed', u.message);
      });
    }
    await this.index.flush();
  }
}

function parseCaptureTime(value: string | undefined): CaptureDate | undefined {
  if (!value) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(value);
  if (!m) return undefined;
  return { year: +m[1], month: +m[2], day: +m[3], local: `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}`, source: 'exif-original' };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

