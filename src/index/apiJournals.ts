// The index's journals of work in progress: uploads, downloads, picker sessions, quota use, tasks
// and sync operations (see api.ts).
import type { Page, PageRequest } from './api';

// ---------------------------------------------------------------------------------------------
// Uploads journal

/**
 * pending: planned; uploading: bytes being sent (resumeState for resumable transfers);
 * uploaded: a receipt is held, not yet committed; committed: the item exists (mediaItemId);
 * rejected: the service refused these bytes (tried again only once the file changes, which gives
 * another id); failed: see lastError.
 */
export type UploadState = 'pending' | 'uploading' | 'uploaded' | 'committed' | 'rejected' | 'failed';

export interface UploadRecord {
  /** One row per destination, account and content: `uploadId(provider, accountId, sha256)` (src/sync/plan.ts). */
  id: string;
  /** PhotoProvider.id, e.g. "google-photos". */
  provider: string;
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
  /** What the service gave for the bytes (opaque: Google's upload token, a created item's id). */
  receipt?: string;
  /** Epoch ms after which the receipt can no longer be committed; absent = it does not expire. */
  receiptExpiresAt?: number;
  /** A resumable transfer's state (opaque JSON the provider wrote), so a restart continues it. */
  resumeState?: string;
  mediaItemId?: string;
  lastError?: string;
  createdAt?: number;
  updatedAt?: number;
}

export interface UploadFilter {
  provider?: string;
  accountId?: string;
  albumId?: string;
}

export interface UploadsReader {
  get(id: string): UploadRecord | undefined;
  /** The rows of these ids that exist, in one query (a plan looks up a chunk of files at once). */
  getMany(ids: readonly string[]): Map<string, UploadRecord>;
  byLocalPath(localPath: string): UploadRecord[];
  bySha256(sha256: string, filter?: UploadFilter): UploadRecord[];
  byState(state: UploadState, filter?: UploadFilter, page?: PageRequest): Page<UploadRecord>;
  countByState(filter?: UploadFilter): Partial<Record<UploadState, number>>;
  /** The row's receipt while it can still be committed at `now` (`marginMs` before its expiry). */
  reusableReceipt(id: string, now?: number, marginMs?: number): { token: string; expiresAt?: number } | undefined;
}
export interface UploadsWriter extends UploadsReader {
  /** Insert or replace by id; createdAt kept from the existing row, updatedAt set. */
  upsert(upload: UploadRecord): void;
  /** Merges the given fields into an existing row (a key given as undefined clears it; no-op for an unknown id). */
  update(id: string, change: Partial<Omit<UploadRecord, 'id'>>): void;
  /** Drops expired receipts (state back to 'pending'); returns how many were discarded. */
  discardExpiredReceipts(now?: number): number;
  remove(id: string): void;
}

// ---------------------------------------------------------------------------------------------
// Downloads

/**
 * pending: planned (also while its bytes are on their way); downloading: written by earlier versions; downloaded: the file is in place;
 * skipped: the service cannot give the bytes yet (a video still processing: tried again next run);
 * failed: see lastError.
 */
export type DownloadState = 'pending' | 'downloading' | 'downloaded' | 'skipped' | 'failed';

export interface DownloadRecord {
  /** One row per item and download folder: `downloadId(provider, accountId, root, mediaItemId)` (src/sync/download). */
  id: string;
  accountId: string;
  /** PhotoProvider.id; default "google-photos". */
  provider?: string;
  mediaItemId: string;
  /** The file as placed (absolute); planned rows hold the path asked for. */
  localPath: string;
  /** The download folder (root of the layout). */
  root?: string;
  /** Where the item was listed: "album:<id>", "year:<yyyy>", "picker:<sessionId>". */
  source?: string;
  state: DownloadState;
  bytes?: number;
  /** sha256 of the file as written (after any EXIF edit). */
  sha256?: string;
  /** sha256 of the bytes the service sent. */
  receivedSha256?: string;
  /** What the service sent, next to the uploaded original: "original", "without-location", "transcoded". */
  received?: string;
  /** Modification time set on the file (the capture time), epoch ms. */
  mtimeMs?: number;
  lastError?: string;
  createdAt?: number;
  updatedAt?: number;
}

/** Per source and download folder: what the last walks reached. */
export interface DownloadSourceRecord {
  provider: string;
  accountId: string;
  source: string;
  root: string;
  title?: string;
  /** Newest capture time (RFC 3339) below which the last complete walk found everything downloaded. */
  newestComplete?: string;
  listedAt?: number;
  completedAt?: number;
  updatedAt?: number;
}

export interface DownloadsReader {
  get(id: string): DownloadRecord | undefined;
  byMediaItem(mediaItemId: string): DownloadRecord[];
  byLocalPath(localPath: string): DownloadRecord | undefined;
  byState(state: DownloadState, page?: PageRequest): Page<DownloadRecord>;
  /** Rows of a source, in the order they were planned. */
  bySource(source: string, page?: PageRequest): Page<DownloadRecord>;
  countBySource(source: string): Partial<Record<DownloadState, number>>;
  /** Rows of an account not finished (pending, downloading), oldest first. */
  unfinished(filter: { provider: string; accountId: string }, page?: PageRequest): Page<DownloadRecord>;
  sourceRun(key: { provider: string; accountId: string; source: string; root: string }): DownloadSourceRecord | undefined;
}
export interface DownloadsWriter extends DownloadsReader {
  upsert(download: DownloadRecord): void;
  update(id: string, change: Partial<Omit<DownloadRecord, 'id'>>): void;
  remove(id: string): void;
  upsertSourceRun(run: DownloadSourceRecord): void;
}

// ---------------------------------------------------------------------------------------------
// Picker

/**
 * creating: the create request was sent (id is the request id until the answer); open: waiting for
 * the user; picked: the user pressed Done; downloading; downloaded: every item is in place; partial:
 * some items failed or were skipped; expired: the session ended before the user picked; cancelled;
 * failed. ('deleted' is an older state: the session was deleted remotely — see remoteDeleted.)
 */
export type PickerSessionState = 'creating' | 'open' | 'picked' | 'downloading' | 'downloaded' | 'partial' | 'expired' | 'cancelled' | 'failed' | 'deleted';

export interface PickerSessionRecord {
  /** Picker session id (the request id while state is 'creating'). */
  id: string;
  accountId: string;
  pickerUri?: string;
  /** RFC 3339. */
  expireTime?: string;
  mediaItemsSet: boolean;
  state: PickerSessionState;
  /** Where picked items are downloaded. */
  targetFolder?: string;
  /** The UUID sent with sessions.create. */
  requestId?: string;
  /** The session was deleted at the service (or found gone); until then the next start deletes it. */
  remoteDeleted?: boolean;
  lastError?: string;
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
  bytes?: number;
  lastError?: string;
}

export interface PickerReader {
  session(id: string): PickerSessionRecord | undefined;
  sessions(filter?: { accountId?: string; state?: PickerSessionState }): PickerSessionRecord[];
  /** Newest first, for the sidebar's "Imported". */
  recent(accountId: string, limit: number): PickerSessionRecord[];
  /** Sessions not yet deleted at the service, oldest first. */
  undeleted(accountId: string): PickerSessionRecord[];
  items(sessionId: string, page?: PageRequest): Page<PickedItemRecord>;
  countItems(sessionId: string): Partial<Record<DownloadState, number>>;
}
export interface PickerWriter extends PickerReader {
  upsertSession(session: PickerSessionRecord): void;
  upsertItems(items: readonly PickedItemRecord[]): void;
  updateItem(sessionId: string, id: string, change: Partial<Omit<PickedItemRecord, 'sessionId' | 'id'>>): void;
  /** Removes the session and its picked items. */
  removeSession(id: string): void;
}

// ---------------------------------------------------------------------------------------------
// Quota (requests per bucket, period and account; the period key comes from the service's QuotaPolicy)

export interface QuotaReader {
  /** Requests counted for the account in the bucket's period (e.g. "google-photos", "2026-11-29"). */
  used(accountId: string, bucket: string, period: string): number;
  /** Requests of every account in the bucket's period (Google's 10,000/day is per project). */
  total(bucket: string, period: string): number;
}
export interface QuotaWriter extends QuotaReader {
  add(accountId: string, bucket: string, period: string, requests?: number): void;
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

// ---------------------------------------------------------------------------------------------
// Sync operations journal (what a sync planned besides sending bytes, so a resume finishes it)

/**
 * add: put already-uploaded content into the album `albumTitle`; copy: a second file with bytes
 * another planned upload sends to the same album (done when that one is); archive: move the file to
 * the archive folder after the service confirmed it (`targetPath` once moved).
 */
export type SyncOpKind = 'add' | 'copy' | 'archive';
export type SyncOpState = 'pending' | 'done' | 'failed';

export interface SyncOpRecord {
  /** `${kind}:${provider}:${accountId}:${localPath}` — one open operation of a kind per file. */
  id: string;
  kind: SyncOpKind;
  provider: string;
  accountId: string;
  localPath: string;
  sha256?: string;
  albumTitle?: string;
  targetPath?: string;
  state: SyncOpState;
  lastError?: string;
  createdAt?: number;
  updatedAt?: number;
}

export interface SyncOpsReader {
  get(id: string): SyncOpRecord | undefined;
  /** Pending operations of a destination account, oldest first. */
  pending(filter: { provider: string; accountId: string; kind?: SyncOpKind }, page?: PageRequest): Page<SyncOpRecord>;
}
export interface SyncOpsWriter extends SyncOpsReader {
  upsert(op: SyncOpRecord): void;
  update(id: string, change: Partial<Omit<SyncOpRecord, 'id'>>): void;
  /** Drops finished operations older than `before` (epoch ms). */
  prune(before: number): number;
}

// ---------------------------------------------------------------------------------------------
// Destination state (what a destination keeps about itself per account, e.g. Drive's base folder id)

export interface DestinationStateReader {
  get(provider: string, accountId: string, key: string): string | undefined;
}
export interface DestinationStateWriter extends DestinationStateReader {
  /** Sets a value; undefined removes the key. */
  set(provider: string, accountId: string, key: string, value: string | undefined): void;
}
