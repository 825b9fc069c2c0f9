/**
 * What the sync pipelines need from a photo service, in words no service owns. Google Photos is the
 * first implementation; Google Drive and Flickr (seed 004) implement the same interface, and the
 * contract suite (test/contract) runs every provider through the same tests. Everything a service
 * decides — accepted types and sizes, batch and container limits, its quota, what its errors mean,
 * how long a receipt lives, whether a container may be empty — is in its `rules`.
 */
import type { Classifier, Outcome } from '../tasks/outcome';
import type { QuotaPolicy } from '../tasks/quotaPolicy';
import type { MediaKind } from '../metadata/mediaTypes';

export type { Outcome } from '../tasks/outcome';
export type { MediaKind } from '../metadata/mediaTypes';

export interface RemoteContainer {
  id: string;
  title: string;
  /** Items in the container as the service reports it, when known. */
  itemCount?: number;
  /** False for containers this app may not add to. */
  writable: boolean;
  /** Where the user sees it in the service's web UI, when known. */
  url?: string;
}

export interface RemoteItem {
  id: string;
  filename: string;
  mimeType: string;
  /** Capture time as the service reports it: RFC 3339, or a wall-clock time without offset where the service keeps only that (Flickr, Drive). */
  creationTime?: string;
  description?: string;
  width?: number;
  height?: number;
  cameraMake?: string;
  cameraModel?: string;
  /** The service's checksum of the stored bytes, when it reports one (rules.remoteChecksum says which). */
  checksum?: string;
  kind?: MediaKind;
  /**
   * Whether the bytes can be had now: 'processing' (a new video the service is still working on: try
   * again later), 'failed' (the service could not process it: never). Absent means ready.
   */
  status?: 'ready' | 'processing' | 'failed';
  /** The item's page in the service's own web app (where the user can do what the API cannot, e.g. delete). */
  webUrl?: string;
  /** Where the bytes can be fetched right now, as the listing gave it; refreshed with getItems when expired. */
  download?: DownloadAddress;
}

/** An item's download address; opaque to the pipelines except for its expiry. */
export interface DownloadAddress {
  url: string;
  /** Epoch ms after which it no longer works (Google's baseUrls live an hour). Absent: does not expire. */
  expiresAt?: number;
  /** The provider's note on how to use it (Google: 'picker' addresses need the user's token). */
  via?: string;
}

/** An item's bytes, as a stream the caller must consume or cancel. */
export interface DownloadStream {
  body: ReadableStream<Uint8Array>;
  /** Bytes announced (Content-Length), when known. */
  size?: number;
  /**
   * What the bytes are, next to what was uploaded: the original; the original without location
   * metadata (Google's `=d` photos); or a re-encoded video (Google's `=dv`), whose hash never matches
   * the uploaded file's.
   */
  received: 'original' | 'without-location' | 'transcoded';
}

/** The item's bytes are not available yet (a video still processing) or never will be (processing failed). */
export class ItemNotReadyError extends Error {
  override readonly name = 'ItemNotReadyError';
  constructor(
    readonly state: 'processing' | 'failed',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The service refused the bytes at the item's address (Google answers an expired baseUrl with 403).
 * The pipeline fetches a fresh address once and tries again; a second refusal fails the item.
 */
export class DownloadRefusedError extends Error {
  override readonly name = 'DownloadRefusedError';
  constructor(
    readonly httpStatus: number,
    message: string,
  ) {
    super(message);
  }
}

export interface LocalUpload {
  /** Absolute path of the local file. */
  path: string;
  fileName: string;
  mimeType: string;
  size: number;
  /** Modification time seen at scan; when given, an upload of a file modified since fails. */
  mtimeMs?: number;
  /** sha256 of the bytes; ties journaled transfers (and idempotent creates) to exactly these bytes. */
  sha256: string;
  description?: string;
}

/**
 * What the service gave back for the bytes: an upload token to commit (Google Photos), or an item
 * that already exists (services that create on upload). Opaque to the pipelines, which only journal
 * it and check `expiresAt`.
 */
export interface Receipt {
  token: string;
  /** Epoch ms after which it can no longer be committed; absent = it does not expire. */
  expiresAt?: number;
}

export type CommitResult =
  | { ok: true; item: RemoteItem }
  /** retry: transient; resend: the receipt is unusable, send the bytes again; rejected: the service refuses these bytes. */
  | { ok: false; outcome: 'retry' | 'resend' | 'rejected'; message: string };

export type TransferProgress = (bytesDone: number) => void;

/** A file type the service accepts, with its size limit. */
export interface AcceptedType {
  kind: MediaKind;
  mimeType: string;
  limitBytes: number;
}

export interface ProviderRules {
  /** The type of a file name if the service accepts it, else undefined. Decided by the name's extension (the scan asks once per extension). */
  accepts(fileName: string): AcceptedType | undefined;
  /** "not a photo or video type Google Photos accepts" — why `accepts` said no. */
  readonly unsupportedReason: string;
  /** "larger than Google Photos' 200 MB limit for photos". */
  tooLargeReason(type: AcceptedType): string;
  /** Most items one commit / add / remove call takes. */
  readonly maxBatch: number;
  /** Most items one container holds (the pipelines spill into "Name (2)"). */
  readonly maxContainerItems: number;
  /** False where a container cannot exist without an item (Flickr's photosets): created on first commit with its first item. */
  readonly emptyContainers: boolean;
  /** How long a receipt can be committed; undefined where uploads create the item directly. */
  readonly receiptLifetimeMs?: number;
  readonly quota: QuotaPolicy;
  /** The checksum the service reports for stored bytes, for verify and dedup without downloading. */
  readonly remoteChecksum?: 'sha256' | 'md5';
  /**
   * True where an upload creates the item inside the container it names (Drive: a file's parent
   * folder). The pipelines then create the container before its uploads and pass its id to
   * `uploadBytes`; the commit confirms what the upload made (and moves it where the receipt is elsewhere).
   */
  readonly uploadsIntoContainer?: boolean;
  /** Requests an upload of `size` bytes costs (e.g. raw 1; resumable 1 + chunks). */
  uploadRequests(size: number): number;
  /**
   * Requests committing `items` uploads into one album costs, and adding `items` existing items to
   * one; default one call per batch. Where the service adds one item per call (Flickr), one each.
   */
  commitRequests?(items: number, batchSize: number): number;
  addRequests?(items: number, batchSize: number): number;
  /** What a failure of any of the provider's calls means. */
  readonly classify: Classifier;
  /** Whether this request endpoint counts against `quota` (byte downloads may not). */
  countsTowardQuota(endpoint: string): boolean;
}

/** Keeps a resumable transfer's state across restarts (the index's uploads row, in the extension). */
export interface TransferJournal {
  load(file: LocalUpload): Promise<string | undefined>;
  save(file: LocalUpload, state: string): Promise<void>;
  clear(file: LocalUpload): Promise<void>;
}

/** Where an upload puts the item, for services whose uploads name their container (rules.uploadsIntoContainer). */
export interface UploadTarget {
  containerId?: string;
}

/** What the service says before a sync is planned (PhotoProvider.check). */
export interface DestinationCheck {
  /** Of the containers asked about, those the user deleted or trashed at the service since: forgotten, made again on first use. */
  goneContainers: string[];
  /** Bytes the account can still store, where the service has a storage limit. */
  freeBytes?: number;
  /** What to tell the user, e.g. that a base folder deleted in the service's web UI was made again. */
  notices: string[];
  /** The live containers, when the check listed them: taken as a listContainers() answer (no second listing). */
  containers?: RemoteContainer[];
}

export interface DownloadOptions {
  /** First byte to send to `write` (bytes already on disk from an interrupted download). Default 0. */
  from?: number;
}

export interface PhotoProvider {
  /** Stable id stored in the index, e.g. "google-photos". */
  readonly id: string;
  readonly displayName: string;
  readonly rules: ProviderRules;

  listContainers(signal?: AbortSignal): AsyncIterable<RemoteContainer>;
  /** Creates a container; where containers cannot be empty, `firstItemId` is its first item. */
  createContainer(title: string, options?: { firstItemId?: string; signal?: AbortSignal }): Promise<RemoteContainer>;
  listItems(containerId: string | undefined, signal?: AbortSignal): AsyncIterable<RemoteItem>;
  /** Items by id; a missing one maps to an Error. */
  getItems(ids: readonly string[], signal?: AbortSignal): Promise<Map<string, RemoteItem | Error>>;

  uploadBytes(file: LocalUpload, onProgress?: TransferProgress, signal?: AbortSignal, target?: UploadTarget): Promise<Receipt>;
  /** Turns receipts into items, into `containerId` when given. One result per upload, in order; partial success is normal. */
  commit(containerId: string | undefined, uploads: readonly { receipt: Receipt; file: LocalUpload }[], signal?: AbortSignal): Promise<CommitResult[]>;
  addToContainer(containerId: string, itemIds: readonly string[], signal?: AbortSignal): Promise<void>;
  removeFromContainer(containerId: string, itemIds: readonly string[], signal?: AbortSignal): Promise<void>;

  /**
   * Streams an item's bytes to `write`, from `options.from` on; returns the byte count written.
   * Where the service serves ranges, a dropped transfer continues from where it stopped.
   */
  download(item: RemoteItem, write: (chunk: Uint8Array) => Promise<void>, signal?: AbortSignal, options?: DownloadOptions): Promise<number>;

  /**
   * Checks the service's side before a sync is planned: which of the known containers the user
   * removed there, and how much storage is left. Optional where the service cannot tell cheaply.
   */
  check?(containerIds: readonly string[], signal?: AbortSignal): Promise<DestinationCheck>;

  /** Room left where the service caps how many items an account holds (Flickr's free accounts: 1,000); undefined = no cap. */
  capacity?(signal?: AbortSignal): Promise<Capacity | undefined>;
  /**
   * Deletes items from the service itself (not only from a container), where it allows an app to:
   * into its trash where it has one (recoverable). For mirror deletes (two-way sync): refuses unless
   * `mirrorDeletes` is on, and deletes nothing unless `confirm` said yes to the list. Returns the ids deleted.
   */
  deleteItems?(itemIds: readonly string[], options: DeleteOptions): Promise<string[]>;
  /**
   * Opens an item's bytes at its `download` address (fetching one when it has none). Throws
   * ItemNotReadyError for an item whose bytes are not ready and DownloadRefusedError when the address
   * is refused. Optional: the download pipeline falls back to `download`.
   */
  openDownload?(item: RemoteItem, signal?: AbortSignal): Promise<DownloadStream>;
  /**
   * Items whose capture date lies in `range` (calendar days, both ends included), newest first.
   * Optional: the download pipeline falls back to listItems(undefined) filtered by creationTime.
   */
  listItemsByDate?(range: DateRange, signal?: AbortSignal): AsyncIterable<RemoteItem>;
  /**
   * A small JPEG of the item (`size` px square, cropped) at its `download` address, for the thumbnail
   * preview. Throws DownloadRefusedError when the address is refused (expired: get the item again).
   * Optional: without it the preview shows placeholders.
   */
  thumbnail?(item: RemoteItem, size: number, signal?: AbortSignal): Promise<Uint8Array>;
}

export interface Capacity {
  /** Items the account may hold. */
  limit: number;
  /** Items it holds now. */
  used: number;
  /** For messages: "free Flickr account". */
  account: string;
  /** For messages: what is counted, "photos and videos". */
  items: string;
}

export interface DeleteOptions {
  /** The sync folder's mirror-deletes setting; off means nothing is ever deleted remotely. */
  mirrorDeletes: boolean;
  /** Asks the user about exactly these items; false deletes nothing. */
  confirm: (itemIds: readonly string[]) => Promise<boolean>;
  signal?: AbortSignal;
}

/**
 * The service no longer has this container (deleted in its web UI). The pipelines forget it and
 * create it again around the items they were adding, instead of failing every later sync.
 */
export class ContainerGoneError extends Error {
  override readonly name = 'ContainerGoneError';
  constructor(
    readonly containerId: string,
    message: string,
  ) {
    super(message);
  }
}

/** Calendar days "YYYY-MM-DD", both included. */
export interface DateRange {
  from: string;
  to: string;
}

/** Convenience for pipelines: the outcome of any error under a provider's rules. */
export function outcomeOf(provider: Pick<PhotoProvider, 'rules'>, err: unknown, now: number): Outcome {
  return provider.rules.classify(err, now);
}
