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
  /** Injected clock for timestamps (quota day, updatedAt). Default Date.now. */
  now?: () => number;
}

export { INDEX_FILE_NAME, UPLOAD_TOKEN_TTL_MS } from './constants';

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
   * True after a corrupt file was moved aside (or a rebuild was never finished). The sync engine
   * rebuilds from the remote listing of app-created items and a local scan, then calls markRebuilt().
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

// ---------------------------------------------------------------------------------------------
// Accounts

export interface AccountRecord {
  /** Stable account key, e.g. the Google account's `sub`. */
  id: string;
  /** PhotoProvider.id, e.g. "google-photos". */
  provider: string;
  email?: string;
  displayName?: string;
}

export interface AccountsReader {
  get(id: string): AccountRecord | undefined;
  list(): AccountRecord[];
}
export interface AccountsWriter extends AccountsReader {
  upsert(account: AccountRecord): void;
}

// ---------------------------------------------------------------------------------------------
// Local files

/**
 * seen: found by a scan; hashed: sha256 known; pending: an upload is planned; uploaded: in the
 * remote library; skipped: excluded (type, size, rule); failed: see lastError; missing: gone from disk.
 */
export type LocalFileStatus = 'seen' | 'hashed' | 'pending' | 'uploaded' | 'skipped' | 'failed' | 'missing';

export interface LocalFileRecord {
  /** Absolute path. */
  path: string;
  size: number;
  mtimeMs: number;
  sha256?: string;
  /** EXIF DateTimeOriginal as RFC 3339 (with offset when known). */
  captureTime?: string;
  status: LocalFileStatus;
  lastError?: string;
  /** Set by the index on every upsert (epoch ms). */
  updatedAt?: number;
}

export interface LocalFilesReader {
  byPath(path: string): LocalFileRecord | undefined;
  /** Every local file with these bytes (duplicates in several folders). */
  bySha256(sha256: string): LocalFileRecord[];
  /** Files under a folder (prefix match on `folder + sep`), ordered by path. */
  underFolder(folder: string, page?: PageRequest): Page<LocalFileRecord>;
  /** Files with this status, under `folder` when given (prefix match on `folder + sep`), ordered by path. */
  byStatus(status: LocalFileStatus, page?: PageRequest, folder?: string): Page<LocalFileRecord>;
  /** Counts per status; statuses with no file are absent. */
  countByStatus(folder?: string): Partial<Record<LocalFileStatus, number>>;
}
export interface LocalFilesWriter extends LocalFilesReader {
  /** Insert or replace by path (fields not given are cleared, except updatedAt which is set). */
  upsert(file: LocalFileRecord): void;
  /** Changes only the status (and lastError: cleared unless given). No-op for an unknown path. */
  setStatus(path: string, status: LocalFileStatus, lastError?: string): void;
  remove(path: string): void;
}

// ---------------------------------------------------------------------------------------------
// Albums and media items

export interface AlbumRecord {
  /** Remote id. */
  id: string;
  accountId: string;
  provider: string;
  title: string;
  /** Created by this app (so the Library API lets us list and add to it). */
  appCreated: boolean;
  itemCount?: number;
  /** Epoch ms of the last full listing of its items. */
  lastListedAt?: number;
  productUrl?: string;
  coverMediaItemId?: string;
}

export interface AlbumWithCounts extends AlbumRecord {
  /** Items the index knows to be in the album (membership rows). */
  indexedItems: number;
}

export interface AlbumsReader {
  get(id: string): AlbumRecord | undefined;
  /** Albums with this exact title (titles are not unique remotely), optionally narrowed. */
  byTitle(title: string, filter?: { accountId?: string; provider?: string }): AlbumRecord[];
  /** For the tree: albums ordered by title, with their indexed item counts. */
  listWithCounts(filter?: { accountId?: string; provider?: string; appCreatedOnly?: boolean }, page?: PageRequest): Page<AlbumWithCounts>;
}
export interface AlbumsWriter extends AlbumsReader {
  upsert(album: AlbumRecord): void;
  /** Removes the album and its membership rows (media items stay). */
  remove(id: string): void;
}

export interface MediaItemRecord {
  /** Remote id. */
  id: string;
  accountId: string;
  provider: string;
  filename: string;
  mimeType: string;
  /** RFC 3339. */
  creationTime?: string;
  size?: number;
  /** sha256 of the bytes we sent or received. */
  sha256?: string;
  description?: string;
  cameraMake?: string;
  cameraModel?: string;
  width?: number;
  height?: number;
  appCreated?: boolean;
  productUrl?: string;
}

export interface MediaItemsReader {
  get(id: string): MediaItemRecord | undefined;
  bySha256(sha256: string, accountId?: string): MediaItemRecord[];
  /** Items of an album in album order (position), page by page. */
  inAlbum(albumId: string, page?: PageRequest): Page<MediaItemRecord>;
  countInAlbum(albumId: string): number;
  /** Album ids the item belongs to. */
  albumsOf(mediaItemId: string): string[];
  count(filter?: { accountId?: string }): number;
}
export interface MediaItemsWriter extends MediaItemsReader {
  upsert(item: MediaItemRecord): void;
  upsertMany(items: readonly MediaItemRecord[]): void;
  /**
   * Appends items to the album's order; pairs already there keep their place. The album and the
   * items must be in the index already (unknown ids are skipped).
   */
  addToAlbum(albumId: string, mediaItemIds: readonly string[]): void;
  removeFromAlbum(albumId: string, mediaItemIds: readonly string[]): void;
  /** Replaces the whole membership of an album with this ordered list (after a full listing). */
  setAlbumItems(albumId: string, mediaItemIds: readonly string[]): void;
  remove(id: string): void;
}

// ---------------------------------------------------------------------------------------------
// Uploads journal

/**
 * pending: planned; uploading: bytes being sent (sessionUrl/sessionOffset for resumable uploads);
 * uploaded: upload token received, not yet committed; committed: batchCreate made mediaItemId;
 * failed: see lastError.
 */
export type UploadState = 'pending' | 'uploading' | 'uploaded' | 'committed' | 'failed';

export interface UploadRecord {
  /** Caller-chosen stable id (e.g. the task id or `${accountId}:${localPath}:${albumId}`). */
  id: string;
  accountId: string;
  localPath: string;
  /** sha256 of the bytes being sent. */
  sha256?: string;
  size?: number;
  /** Target album's remote id, when known. */
  albumId?: string;
  /** Target album title, for an album still to be created. */
  albumTitle?: string;
  state: UploadState;
  uploadToken?: string;
  /** Epoch ms when the token was issued (tokens live one day). */
  tokenIssuedAt?: number;
  /** Resumable upload session URL and the bytes the server confirmed. */
  sessionUrl?: string;
  sessionOffset?: number;
  mediaItemId?: string;
  lastError?: string;
  createdAt?: number;
  updatedAt?: number;
}

export interface UploadsReader {
  get(id: string): UploadRecord | undefined;
  byLocalPath(localPath: string): UploadRecord[];
  bySha256(sha256: string, accountId?: string): UploadRecord[];
  byState(state: UploadState, filter?: { accountId?: string; albumId?: string }, page?: PageRequest): Page<UploadRecord>;
  countByState(filter?: { accountId?: string }): Partial<Record<UploadState, number>>;
  /** The record's token when it is younger than UPLOAD_TOKEN_TTL_MS at `now`. */
  reusableToken(id: string, now?: number): { token: string; issuedAt: number } | undefined;
}
export interface UploadsWriter extends UploadsReader {
  /** Insert or replace by id; createdAt kept from the existing row, updatedAt set. */
  upsert(upload: UploadRecord): void;
  /** Merges the given fields into an existing row (a key given as undefined clears it; no-op for an unknown id). */
  update(id: string, change: Partial<Omit<UploadRecord, 'id'>>): void;
  /** Clears tokens older than a day (state back to 'pending'); returns how many were discarded. */
  discardExpiredTokens(now?: number): number;
  remove(id: string): void;
}

// ---------------------------------------------------------------------------------------------
// Downloads

export type DownloadState = 'pending' | 'downloading' | 'downloaded' | 'failed';

export interface DownloadRecord {
  /** Caller-chosen stable id (e.g. `${mediaItemId}:${localPath}`). */
  id: string;
  accountId: string;
  mediaItemId: string;
  localPath: string;
  state: DownloadState;
  bytes?: number;
  sha256?: string;
  lastError?: string;
  updatedAt?: number;
}

export interface DownloadsReader {
  get(id: string): DownloadRecord | undefined;
  byMediaItem(mediaItemId: string): DownloadRecord[];
  byLocalPath(localPath: string): DownloadRecord | undefined;
  byState(state: DownloadState, page?: PageRequest): Page<DownloadRecord>;
}
export interface DownloadsWriter extends DownloadsReader {
  upsert(download: DownloadRecord): void;
  update(id: string, change: Partial<Omit<DownloadRecord, 'id'>>): void;
  remove(id: string): void;
}

// ---------------------------------------------------------------------------------------------
// Picker

export type PickerSessionState = 'open' | 'picked' | 'downloaded' | 'expired' | 'deleted';

export interface PickerSessionRecord {
  /** Picker session id. */
  id: string;
  accountId: string;
  pickerUri?: string;
  /** RFC 3339. */
  expireTime?: string;
  mediaItemsSet: boolean;
  state: PickerSessionState;
  /** Where picked items are downloaded. */
  targetFolder?: string;
  createdAt?: number;
  updatedAt?: number;
}

export interface PickedItemRecord {
  sessionId: string;
  /** Picked media item id. */
  id: string;
  filename?: string;
  mimeType?: string;
  /** RFC 3339. */
  createTime?: string;
  width?: number;
  height?: number;
  cameraMake?: string;
  cameraModel?: string;
  /** Local path once downloaded. */
  localPath?: string;
  downloadState: DownloadState;
  lastError?: string;
}

export interface PickerReader {
  session(id: string): PickerSessionRecord | undefined;
  sessions(filter?: { accountId?: string; state?: PickerSessionState }): PickerSessionRecord[];
  items(sessionId: string, page?: PageRequest): Page<PickedItemRecord>;
}
export interface PickerWriter extends PickerReader {
  upsertSession(session: PickerSessionRecord): void;
  upsertItems(items: readonly PickedItemRecord[]): void;
  updateItem(sessionId: string, id: string, change: Partial<Omit<PickedItemRecord, 'sessionId' | 'id'>>): void;
  /** Removes the session and its picked items. */
  removeSession(id: string): void;
}

// ---------------------------------------------------------------------------------------------
// Quota (requests per account per Pacific day; Google's 10,000/day resets at midnight Pacific)

export interface QuotaReader {
  /** Requests counted for the account on the Pacific day containing `at` (default now). */
  used(accountId: string, at?: number): number;
  /** Requests counted for all accounts on that Pacific day (Google's 10,000/day limit is per project). */
  total(at?: number): number;
  /** Pacific day key, e.g. "2026-11-20", of `at`. */
  dayOf(at?: number): string;
}
export interface QuotaWriter extends QuotaReader {
  /** Adds `requests` (default 1) to the account's count for the Pacific day containing `at`. */
  add(accountId: string, requests?: number, at?: number): void;
}

// ---------------------------------------------------------------------------------------------
// Task journal (written by the task queue through ../tasks/api TaskJournal)

export type JournalState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface JournalRow {
  id: string;
  kind: string;
  groupId: string;
  groupTitle?: string;
  accountId?: string;
  title: string;
  state: JournalState;
  /** JSON the task factory rebuilds the task from. */
  payload?: string;
  dependsOn: string[];
  priority: number;
  bytes?: number;
  attempts: number;
  lastError?: string;
  createdAt: number;
  updatedAt: number;
}

export interface TaskJournalReader {
  get(id: string): JournalRow | undefined;
  /** Rows still queued or running (running = interrupted by a crash), oldest first. */
  unfinished(): JournalRow[];
  countUnfinished(): number;
}
export interface TaskJournalWriter extends TaskJournalReader {
  upsert(rows: readonly JournalRow[]): void;
  /** Drops finished rows older than `before` (epoch ms). */
  prune(before: number): number;
}

export { openIndex } from './openIndex';
