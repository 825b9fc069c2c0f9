/**
 * The public contract of the Photo Sync index: what was uploaded, downloaded and picked, persisted as
 * a real SQLite file (`index.sqlite`) in the extension's global storage.
 *
 * Entry point: `openIndex(options)` in ./openIndex (re-exported from here).
 *
 * Reads are synchronous and see the in-memory copy (reloaded automatically when another window saved).
 * Writes go through `index.write(w => …)`: the first write after a save takes the cross-window lock
 * (reloading the file first if another window changed it), the callback runs in one SQL transaction,
 * and a debounced save writes the file atomically (temp file, fsync, rename, fsync of the folder) and
 * releases the lock. `flush()` forces the save (the queue after tasks end, at most once a second;
 * the extension in deactivate). Keep write callbacks short and synchronous: batch rows into one call.
 *
 * The file is watched: another window's save is reloaded (onDidChange 'reload') unless this window
 * has unsaved changes, in which case it holds the lock and nobody else can have saved.
 *
 * Keys are natural or caller-chosen strings (remote ids, paths, task ids), never autoincrement ids,
 * so a write means the same thing after a reload.
 */
import type { Logger } from '../util/logger';
import type { AccountsReader, AccountsWriter, AlbumsReader, AlbumsWriter, LocalFilesReader, LocalFilesWriter, MediaItemsReader, MediaItemsWriter } from './apiLibrary';
import type {
  DestinationStateReader,
  DestinationStateWriter,
  DownloadsReader,
  DownloadsWriter,
  PickerReader,
  PickerWriter,
  QuotaReader,
  QuotaWriter,
  SyncOpsReader,
  SyncOpsWriter,
  TaskJournalReader,
  TaskJournalWriter,
  UploadsReader,
  UploadsWriter,
} from './apiJournals';

export type * from './apiLibrary';
export type * from './apiJournals';
export type * from './apiImports';
import type { ImportsReader, ImportsWriter } from './apiImports';

// ---------------------------------------------------------------------------------------------
// Opening

export interface OpenIndexOptions {
  /** Folder holding index.sqlite (created when missing): context.globalStorageUri.fsPath. */
  storageDir: string;
  /** Folder holding sql-wasm.wasm: <extension>/dist in the bundle, the sql.js dist folder in tests. */
  wasmDir: string;
  log?: Logger;
  /**
   * Told when index.sqlite is damaged (at open, or by the integrity check shortly after): the file was
   * moved aside to `movedTo` (index.sqlite.corrupt-<time>), a fresh index replaced it and
   * `needsRebuild` is true. The extension shows this to the user.
   */
  onCorrupt?: (info: { movedTo: string; reason: string }) => void;
  /** Idle time after the last write before saving. Default 2000 ms. */
  saveDebounceMs?: number;
  /** Longest a burst of writes may keep the file unsaved (and the lock held). Default 5000 ms. */
  maxSaveDelayMs?: number;
  /** A lock older than this is taken over even if its owner looks alive. Default 30,000 ms. */
  staleLockMs?: number;
  /** How long a write waits for another window's lock before failing. Default 60,000 ms. */
  lockTimeoutMs?: number;
  /**
   * SQLite's page-by-page quick_check: 'background' (default) runs it integrityCheckDelayMs after open
   * (≈0.1–0.5 s on a 40–60 MB index, too slow for activation); 'open' runs it before returning;
   * 'off' never. Header, length and schema are always checked at open.
   */
  integrityCheck?: 'open' | 'background' | 'off';
  /** Default 10,000 ms. */
  integrityCheckDelayMs?: number;
  /** Watch the file and reload when another window saved. Default true. */
  watch?: boolean;
  /** Who holds the write lock, in words others show while they wait ("a VS Code window", "photo-sync command line"). */
  lockLabel?: string;
  /** Injected clock for timestamps (quota day, updatedAt). Default Date.now. */
  now?: () => number;
}

export { INDEX_FILE_NAME } from './constants';

export interface Disposable {
  dispose(): void;
}

export interface IndexChange {
  /** 'reload': another window saved and we re-read the file; 'write': this window wrote. */
  reason: 'reload' | 'write';
}

export interface PhotoIndex extends IndexReader {
  /** Absolute path of index.sqlite. */
  readonly filePath: string;
  /** Schema version after migrations. */
  readonly schemaVersion: number;
  /**
   * True after a corrupt file was moved aside and a fresh index started. Nothing is restored by
   * itself: the next sync hashes the folders again and re-uploads what the index no longer knows
   * (Google Photos answers identical bytes with the existing item, so the library gets no duplicates,
   * but requests are spent); the upload pipeline calls markRebuilt() after a sync that finished.
   */
  readonly needsRebuild: boolean;
  markRebuilt(): Promise<void>;
  /**
   * Runs SQLite's quick_check on the index (also done by itself after open). On damage the file is
   * moved aside (onCorrupt), a fresh index replaces it, needsRebuild turns true, and false is returned.
   */
  verifyIntegrity(): Promise<boolean>;

  /** Runs `fn` in one transaction under the cross-window lock; saved by the debounced save. */
  write<T>(fn: (w: IndexWriter) => T): Promise<T>;
  /** Saves now if anything is unsaved and releases the lock. */
  flush(): Promise<void>;
  /**
   * Re-reads the file now if another window or process saved since. Reads otherwise see such a save
   * a moment later (the file watch): call this after taking a run lease, before planning from the index.
   */
  refresh(): Promise<void>;
  /** Fires after a write in this window or a reload caused by another window's save. */
  onDidChange(listener: (e: IndexChange) => void): Disposable;
  /** Flushes, stops watching, closes the database. */
  dispose(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Reading and writing

export interface IndexReader {
  readonly accounts: AccountsReader;
  readonly localFiles: LocalFilesReader;
  readonly albums: AlbumsReader;
  readonly mediaItems: MediaItemsReader;
  readonly uploads: UploadsReader;
  readonly downloads: DownloadsReader;
  readonly picker: PickerReader;
  readonly quota: QuotaReader;
  readonly tasks: TaskJournalReader;
  readonly syncOps: SyncOpsReader;
  readonly destinationState: DestinationStateReader;
  readonly imports: ImportsReader;
}

/** What a `write` callback receives: the readers plus mutations. Only valid inside the callback. */
export interface IndexWriter {
  readonly accounts: AccountsWriter;
  readonly localFiles: LocalFilesWriter;
  readonly albums: AlbumsWriter;
  readonly mediaItems: MediaItemsWriter;
  readonly uploads: UploadsWriter;
  readonly downloads: DownloadsWriter;
  readonly picker: PickerWriter;
  readonly quota: QuotaWriter;
  readonly tasks: TaskJournalWriter;
  readonly syncOps: SyncOpsWriter;
  readonly destinationState: DestinationStateWriter;
  readonly imports: ImportsWriter;
}

export interface Page<T> {
  items: T[];
  /** Rows matching the query, all pages together. */
  total: number;
  offset: number;
}

export interface PageRequest {
  offset?: number;
  /** Default 100, at most 1000. */
  limit?: number;
}

export { openIndex } from './openIndex';
