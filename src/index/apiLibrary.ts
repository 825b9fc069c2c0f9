// The index's tables about what exists: accounts, local files, albums and media items (see api.ts).
import type { Page, PageRequest } from './api';

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
  /** The rows of these paths that exist, in one query (a plan looks up a chunk of files at once). */
  getMany(paths: readonly string[]): Map<string, LocalFileRecord>;
  /** Every local file with these bytes (duplicates in several folders). */
  bySha256(sha256: string): LocalFileRecord[];
  /** Files under a folder (prefix match on `folder + sep`), ordered by path. */
  underFolder(folder: string, page?: PageRequest): Page<LocalFileRecord>;
  /** Every file under a folder, ordered by path, in one read (a scan's view of what the index knows; updatedAt left out). */
  allUnder(folder: string): LocalFileRecord[];
  /**
   * allUnder's rows by path, kept between calls while no write touched local_files (a rescan of an
   * unchanged folder writes none): shared, read only.
   */
  rowsUnder(folder: string): ReadonlyMap<string, Readonly<LocalFileRecord>>;
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
  bySha256(sha256: string, filter?: { accountId?: string; provider?: string }): MediaItemRecord[];
  /** Items of an album in album order (position), page by page. */
  inAlbum(albumId: string, page?: PageRequest): Page<MediaItemRecord>;
  countInAlbum(albumId: string): number;
  /** Album ids the item belongs to. */
  albumsOf(mediaItemId: string): string[];
  /**
   * For every content (sha256) of one account and provider, in one read: its first item by id (the
   * one `bySha256(…)[0]` gives) and that item's album ids — what a plan of many files looks up.
   * With `sha256s`: only those contents (a plan's chunk of files); those answers are kept between
   * calls while no write touched media items, albums or the upload journal (shared, read only).
   */
  contentAlbums(filter: { accountId: string; provider: string }, sha256s?: readonly string[]): Map<string, { readonly id: string; readonly albumIds: readonly string[] }>;
  count(filter?: { accountId?: string }): number;
  /** Capture years (by the item's RFC 3339 creation time) of an account's items, newest first. */
  years(accountId: string): number[];
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
