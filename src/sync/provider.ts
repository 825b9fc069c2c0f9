/**
 * What the sync engine needs from a photo service. Google Photos is the first implementation;
 * Google Drive and Flickr (seed 004) join by implementing the same interface — nothing in the
 * engine may depend on Google-specific types.
 */
export interface RemoteContainer {
  id: string;
  title: string;
  /** Items in the container as the service reports it, when known. */
  itemCount?: number;
  /** False for containers this app may not add to (e.g. albums not created by this client). */
  writable: boolean;
}

export interface RemoteItem {
  id: string;
  filename: string;
  mimeType: string;
  /** Capture time as the service reports it (RFC 3339). */
  creationTime?: string;
  description?: string;
  width?: number;
  height?: number;
  cameraMake?: string;
  cameraModel?: string;
}

export interface LocalUpload {
  /** Absolute path of the local file. */
  path: string;
  fileName: string;
  mimeType: string;
  size: number;
  /** Modification time seen at scan; when given, an upload of a file modified since fails. */
  mtimeMs?: number;
  /** sha256 of the bytes the caller hashed; ties journaled upload sessions to exactly these bytes. */
  sha256?: string;
  description?: string;
}

/** Bytes accepted by the service but not yet visible as an item (Google's upload token). */
export interface UploadReceipt {
  token: string;
  /** Epoch ms when the receipt was issued; Google's tokens live one day. */
  issuedAt: number;
}

export type CommitResult =
  | { ok: true; receipt: UploadReceipt; item: RemoteItem }
  | { ok: false; receipt: UploadReceipt; status: string; message: string };

export interface TransferProgress {
  (bytesDone: number): void;
}

export interface PhotoProvider {
  /** Stable id stored in the index, e.g. "google-photos". */
  readonly id: string;
  readonly displayName: string;
  /** Most items one commit / add / remove call accepts. */
  readonly maxBatch: number;
  /** Most items one container holds. */
  readonly maxContainerItems: number;

  listContainers(signal?: AbortSignal): AsyncIterable<RemoteContainer>;
  createContainer(title: string, signal?: AbortSignal): Promise<RemoteContainer>;
  listItems(containerId: string | undefined, signal?: AbortSignal): AsyncIterable<RemoteItem>;
  getItems(ids: readonly string[], signal?: AbortSignal): Promise<Map<string, RemoteItem | Error>>;

  uploadBytes(file: LocalUpload, onProgress?: TransferProgress, signal?: AbortSignal): Promise<UploadReceipt>;
  /** Turns receipts into items, into `containerId` when given. Partial success is normal. */
  commit(containerId: string | undefined, uploads: readonly { receipt: UploadReceipt; file: LocalUpload }[], signal?: AbortSignal): Promise<CommitResult[]>;
  addToContainer(containerId: string, itemIds: readonly string[], signal?: AbortSignal): Promise<void>;
  removeFromContainer(containerId: string, itemIds: readonly string[], signal?: AbortSignal): Promise<void>;

  /** Streams an item's bytes to `write`; returns the byte count. */
  download(item: RemoteItem, write: (chunk: Uint8Array) => Promise<void>, signal?: AbortSignal): Promise<number>;
}
