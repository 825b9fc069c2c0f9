import fs from 'node:fs';
import path from 'node:path';
import type { Database, SqlJsStatic } from 'sql.js';
import { nullLogger, type Logger } from '../util/logger';
import { INDEX_FILE_NAME } from './constants';
import type { Disposable, IndexChange, IndexWriter, OpenIndexOptions, PhotoIndex } from './api';
import { removeOrphanTemps, writeFileAtomic } from './atomicFile';
import { FileLock } from './fileLock';
import { AlbumsRepo, MediaItemsRepo } from './repoLibrary';
import { AccountsRepo, LocalFilesRepo } from './repoLocal';
import { PickerRepo, QuotaRepo, TaskJournalRepo } from './repoSessions';
import { DestinationStateRepo, SyncOpsRepo } from './repoSyncOps';
import { DownloadsRepo } from './repoDownloads';
import { UploadsRepo } from './repoTransfers';
import { ImportsRepo } from './repoImports';
import { IndexTooNewError, migrate, readSchemaVersion } from './schema';
import { Sql } from './sql';
import { identityOf, quickCheck, readSnapshot, sameIdentity, SQLITE_MAGIC, type FileIdentity } from './snapshotFile';

/**
 * The PhotoIndex implementation: one in-memory sql.js database, persisted by atomic snapshot writes,
 * shared with other windows through a lock file and a file watch.
 */
export class IndexStore implements PhotoIndex {
  readonly filePath: string;
  readonly accounts: AccountsRepo;
  readonly localFiles: LocalFilesRepo;
  readonly albums: AlbumsRepo;
  readonly mediaItems: MediaItemsRepo;
  readonly uploads: UploadsRepo;
  readonly downloads: DownloadsRepo;
  readonly picker: PickerRepo;
  readonly quota: QuotaRepo;
  readonly tasks: TaskJournalRepo;
  readonly syncOps: SyncOpsRepo;
  readonly destinationState: DestinationStateRepo;
  readonly imports: ImportsRepo;

  private readonly sql = new Sql();
  private readonly log: Logger;
  private readonly lock: FileLock;
  private readonly now: () => number;
  private readonly debounceMs: number;
  private readonly maxDelayMs: number;
  private readonly listeners = new Set<(e: IndexChange) => void>();
  /** What the file on disk looked like when we last read or wrote it. */
  private known: FileIdentity | undefined;
  private dirty = false;
  private firstDirtyAt: number | undefined;
  private saveTimer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();
  private acquiring: Promise<void> | undefined;
  private watcher: fs.FSWatcher | undefined;
  private reloadTimer: NodeJS.Timeout | undefined;
  private integrityTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** write() calls between taking the lock and committing: the lock must not be released under them. */
  private pendingWrites = 0;
  /** Reloads caused by another window's save (tests and logs). */
  reloads = 0;
  /** How long the last save blocked the event loop (the export; the write and fsync do not block). */
  lastExportMs = 0;

  constructor(
    private readonly SQL: SqlJsStatic,
    private readonly options: OpenIndexOptions,
  ) {
    this.filePath = path.join(options.storageDir, INDEX_FILE_NAME);
    this.log = options.log ?? nullLogger;
    this.now = options.now ?? Date.now;
    this.debounceMs = options.saveDebounceMs ?? 2000;
    this.maxDelayMs = Math.max(this.debounceMs, options.maxSaveDelayMs ?? 5000);
    this.lock = new FileLock(`${this.filePath}.lock`, { staleMs: options.staleLockMs ?? 30_000, timeoutMs: options.lockTimeoutMs ?? 60_000, log: this.log, label: options.lockLabel });
    this.accounts = new AccountsRepo(this.sql);
    this.localFiles = new LocalFilesRepo(this.sql, this.now);
    this.albums = new AlbumsRepo(this.sql);
    this.mediaItems = new MediaItemsRepo(this.sql);
    this.uploads = new UploadsRepo(this.sql, this.now);
    this.downloads = new DownloadsRepo(this.sql, this.now);
    this.picker = new PickerRepo(this.sql, this.now);
    this.quota = new QuotaRepo(this.sql);
    this.tasks = new TaskJournalRepo(this.sql);
    this.syncOps = new SyncOpsRepo(this.sql, this.now);
    this.destinationState = new DestinationStateRepo(this.sql, this.now);
    this.imports = new ImportsRepo(this.sql, this.now);
  }

  get schemaVersion(): number {
    return readSchemaVersion(this.sql.database);
  }

  get needsRebuild(): boolean {
    return this.meta('needs_rebuild') === '1';
  }

  /** Save counter stored in the file; grows with every save from any window. */
  get generation(): number {
    return Number(this.meta('generation') ?? 0);
  }

  /** Opens (or creates) the file, moving a corrupt one aside, and persists migrations. */
  async open(): Promise<void> {
    fs.mkdirSync(this.options.storageDir, { recursive: true });
    removeOrphanTemps(this.filePath);
    const disk = readSnapshot(this.filePath);
    let db: Database | undefined;
    let needsSave = false;
    let corrupt = false;
    if (disk) {
      try {
        db = this.databaseFrom(disk.bytes, this.options.integrityCheck === 'open');
        needsSave = migrate(db).length > 0;
        this.known = disk.identity;
      } catch (err) {
        if (err instanceof IndexTooNewError) throw err;
        corrupt = true;
        this.moveAsideCorrupt((err as Error).message);
      }
    }
    if (!db) {
      db = new this.SQL.Database();
      migrate(db);
      needsSave = true;
    }
    this.sql.attach(db);
    if (needsSave || corrupt) {
      await this.write((w) => {
        void w;
        if (corrupt) this.setMeta('needs_rebuild', '1');
      });
      await this.flush();
    }
    this.startWatching();
    if ((this.options.integrityCheck ?? 'background') === 'background') {
      // A full check reads every page (≈0.1–0.5 s for 60 MB): done after activation, not during it.
      this.integrityTimer = setTimeout(() => {
        this.verifyIntegrity().catch((err: unknown) => this.log.error(`Index integrity check failed to run: ${(err as Error).message}`));
      }, this.options.integrityCheckDelayMs ?? 10_000);
      this.integrityTimer.unref();
    }
  }

  async verifyIntegrity(): Promise<boolean> {
    if (this.closed || quickCheck(this.sql.database) === 'ok') return true;
    this.pendingWrites++;
    try {
      await this.acquireForWrite(); // may reload a healthy copy another window saved
      const problem = quickCheck(this.sql.database);
      if (problem === 'ok') return true;
      if (identityOf(this.filePath)) this.moveAsideCorrupt(problem);
      const fresh = new this.SQL.Database();
      migrate(fresh);
      const old = this.sql.database;
      this.sql.attach(fresh);
      old.close();
      this.runWrite(() => this.setMeta('needs_rebuild', '1'));
      this.emit({ reason: 'reload' });
      return false;
    } finally {
      this.pendingWrites--;
    }
  }

  async write<T>(fn: (w: IndexWriter) => T): Promise<T> {
    this.assertOpen();
    this.pendingWrites++;
    try {
      await this.acquireForWrite();
      return this.runWrite(fn);
    } finally {
      this.pendingWrites--;
    }
  }

  private runWrite<T>(fn: (w: IndexWriter) => T): T {
    const db = this.sql.database;
    db.exec('BEGIN');
    this.sql.writing = true;
    let result: T;
    try {
      result = fn(this);
      if (result instanceof Promise) throw new Error('index.write callbacks must be synchronous.');
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      if (!this.dirty) this.scheduleSave(0); // releases the lock we took for nothing
      throw err;
    } finally {
      this.sql.writing = false;
    }
    this.dirty = true;
    this.firstDirtyAt ??= Date.now();
    this.scheduleSave();
    this.emit({ reason: 'write' });
    return result;
  }

  async flush(): Promise<void> {
    if (this.closed) return;
    this.saving = this.saving.then(
      () => this.saveNow(),
      () => this.saveNow(),
    );
    await this.saving;
  }

  async refresh(): Promise<void> {
    await this.acquiring?.catch(() => undefined);
    // Holding the lock (or unsaved changes, which hold it) means nobody else saved since we read.
    if (this.closed || this.lock.held || this.dirty) return;
    this.reloadIfChangedOnDisk();
  }

  async markRebuilt(): Promise<void> {
    await this.write(() => this.setMeta('needs_rebuild', '0'));
    await this.flush();
  }

  onDidChange(listener: (e: IndexChange) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  async dispose(): Promise<void> {
    if (this.closed) return;
    try {
      await this.flush();
    } finally {
      this.closed = true;
      this.watcher?.close();
      clearTimeout(this.saveTimer);
      clearTimeout(this.reloadTimer);
      clearTimeout(this.integrityTimer);
      this.lock.release();
      const db = this.sql.database;
      this.sql.detach();
      db.close();
      this.listeners.clear();
    }
  }

  // -------------------------------------------------------------------------------------------

  private async acquireForWrite(): Promise<void> {
    if (this.lock.held && !this.acquiring) return;
    this.acquiring ??= (async () => {
      try {
        await this.lock.acquire();
        try {
          this.reloadIfChangedOnDisk();
        } catch (err) {
          this.lock.release();
          throw err;
        }
      } finally {
        this.acquiring = undefined;
      }
    })();
    await this.acquiring;
    this.assertOpen();
  }

  private scheduleSave(delay?: number): void {
    clearTimeout(this.saveTimer);
    const sinceFirst = this.firstDirtyAt === undefined ? 0 : Date.now() - this.firstDirtyAt;
    const wait = delay ?? Math.max(0, Math.min(this.debounceMs, this.maxDelayMs - sinceFirst));
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.flush().catch((err: unknown) => this.log.error(`Saving the index failed: ${(err as Error).message}`));
    }, wait);
  }

  private async saveNow(): Promise<void> {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (this.closed) return;
    if (!this.dirty) {
      if (!this.acquiring && this.pendingWrites === 0) this.lock.release();
      return;
    }
    const db = this.sql.database;
    const exportStarted = performance.now();
    db.run(`INSERT OR REPLACE INTO meta (key, value) VALUES ('generation', ?)`, [String(this.generation + 1)]);
    const bytes = db.export();
    this.lastExportMs = performance.now() - exportStarted;
    this.dirty = false;
    this.firstDirtyAt = undefined;
    this.lock.refresh();
    try {
      await writeFileAtomic(this.filePath, bytes);
    } catch (err) {
      // Keep the lock while changes are unsaved: releasing it would let another window's save win
      // and our next write would reload over these changes.
      this.dirty = true;
      this.firstDirtyAt ??= Date.now();
      this.scheduleSave(this.debounceMs);
      throw err;
    }
    this.known = identityOf(this.filePath);
    if (this.dirty) this.scheduleSave();
    else if (this.pendingWrites === 0) this.lock.release();
  }

  /** Under the lock: another window saved since we read the file, so start from its copy. */
  private reloadIfChangedOnDisk(): void {
    const current = identityOf(this.filePath);
    if (!current || sameIdentity(current, this.known)) return;
    this.reloadFromDisk();
  }

  private reloadFromDisk(): void {
    const disk = readSnapshot(this.filePath);
    if (!disk || sameIdentity(disk.identity, this.known)) return;
    let db: Database;
    try {
      db = this.databaseFrom(disk.bytes);
      migrate(db);
    } catch (err) {
      // A newer Photo Sync in another window wrote it: never save our older schema over theirs.
      if (err instanceof IndexTooNewError) throw err;
      this.log.error(`Could not reload ${this.filePath} saved by another window: ${(err as Error).message}. Keeping this window's copy.`);
      return;
    }
    const old = this.sql.database;
    this.sql.attach(db);
    old.close();
    this.known = disk.identity;
    this.reloads++;
    this.log.debug(`Index reloaded (generation ${this.generation}) after another window saved.`);
    this.emit({ reason: 'reload' });
  }

  private startWatching(): void {
    if (this.options.watch === false) return;
    try {
      // Watch the folder: saves replace the file by rename, which a watch on the file itself loses.
      this.watcher = fs.watch(this.options.storageDir, { persistent: false }, (_event, name) => {
        if (name && name.toString() !== INDEX_FILE_NAME) return;
        clearTimeout(this.reloadTimer);
        this.reloadTimer = setTimeout(() => this.onDiskChanged(), 50);
      });
      this.watcher.on('error', (err) => this.log.warn(`Watching the index stopped: ${err.message}`));
    } catch (err) {
      this.log.warn(`Cannot watch ${this.options.storageDir}: ${(err as Error).message}; changes from other windows are picked up on the next write.`);
    }
  }

  private onDiskChanged(): void {
    // While we hold the lock nobody else saves; while unsaved changes exist they must not be dropped.
    if (this.closed || this.lock.held || this.acquiring || this.dirty) return;
    try {
      this.reloadFromDisk();
    } catch (err) {
      this.log.error(`${(err as Error).message} Changes are not saved until this window is reloaded.`);
    }
  }

  /** Cheap checks always (header, length, schema readable); the page-by-page check only when asked. */
  private databaseFrom(bytes: Buffer, deep = false): Database {
    if (bytes.length < 100 || !bytes.subarray(0, 16).equals(SQLITE_MAGIC)) throw new Error('not an SQLite file');
    const db = new this.SQL.Database(bytes);
    try {
      const pageSize = Number(db.exec('PRAGMA page_size')[0].values[0][0]);
      const pageCount = Number(db.exec('PRAGMA page_count')[0].values[0][0]);
      if (pageSize * pageCount !== bytes.length) throw new Error(`truncated (${bytes.length} bytes, header says ${pageSize * pageCount})`);
      readSchemaVersion(db);
      db.exec('SELECT count(*) FROM sqlite_master');
      if (deep) {
        const check = quickCheck(db);
        if (check !== 'ok') throw new Error(check);
      }
      return db;
    } catch (err) {
      db.close();
      throw err;
    }
  }

  private moveAsideCorrupt(reason: string): void {
    const movedTo = `${this.filePath}.corrupt-${new Date(this.now()).toISOString().replace(/[:.]/g, '-')}`;
    fs.renameSync(this.filePath, movedTo);
    this.known = undefined;
    this.log.error(`The index ${this.filePath} could not be read (${reason}); moved it to ${movedTo} and started a new one to rebuild.`);
    this.options.onCorrupt?.({ movedTo, reason });
  }

  private meta(key: string): string | undefined {
    const row = this.sql.get('SELECT value FROM meta WHERE key = $key', { key });
    return row ? String(row.value) : undefined;
  }

  private setMeta(key: string, value: string): void {
    this.sql.run('INSERT OR REPLACE INTO meta (key, value) VALUES ($key, $value)', { key, value });
  }

  private emit(e: IndexChange): void {
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch (err) {
        this.log.error(`Index change listener failed: ${(err as Error).message}`);
      }
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The index is closed.');
  }
}
