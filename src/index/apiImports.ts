// Rows of imports from exports (Google Takeout): one per media entry and import folder (migration 7).
import type { Page, PageRequest } from './api';

export type ImportState = 'done' | 'duplicate' | 'damaged' | 'failed' | 'skipped';

export interface ImportRecord {
  /** The import folder (the download root). */
  root: string;
  /** The entry's safe name inside the export, e.g. `Takeout/Google Photos/Photos from 2019/IMG_1.jpg`. */
  entryName: string;
  /** Where it came from: 'takeout'. */
  origin: string;
  /** The archive part (or extracted folder) holding the entry. */
  archive: string;
  /** done: stored here; duplicate: same bytes as another entry, `localPath` is that stored file. */
  state: ImportState;
  localPath?: string;
  albumLink?: string;
  bytes?: number;
  /** sha256 of the file as written (EXIF edits change it). */
  sha256?: string;
  /** sha256 of the bytes in the archive: what "the same photo" means across folders and parts. */
  receivedSha256?: string;
  mtimeMs?: number;
  /** ISO instant of the capture time used for the layout and mtime. */
  captureTime?: string;
  /** 'takeout' (sidecar photoTakenTime), 'exif', 'filename', or 'none'. */
  captureSource?: string;
  matchRule?: string;
  sidecarEntry?: string;
  title?: string;
  description?: string;
  latitude?: number;
  longitude?: number;
  altitude?: number;
  /** JSON array of names. */
  people?: string;
  url?: string;
  favorited?: boolean;
  archived?: boolean;
  trashed?: boolean;
  /** googlePhotosOrigin: mobileUpload, webUpload, driveSync, fromPartnerSharing… */
  uploadOrigin?: string;
  /** What was written into the file or its sidecar: "exif:DateTimeOriginal,GPS", "xmp". */
  metadataWritten?: string;
  lastError?: string;
  createdAt?: number;
  updatedAt?: number;
}

export interface ImportsReader {
  get(root: string, entryName: string): ImportRecord | undefined;
  /** A stored (done) row of this import folder holding these archive bytes. */
  storedByReceivedSha256(root: string, receivedSha256: string): ImportRecord | undefined;
  byLocalPath(localPath: string): ImportRecord | undefined;
  countByState(origin: string, root: string): Partial<Record<ImportState, number>>;
  list(origin: string, root: string, page?: PageRequest): Page<ImportRecord>;
}

export interface ImportsWriter extends ImportsReader {
  upsert(record: ImportRecord): void;
}
