// The one message protocol between the preview webview and the extension host, imported by both
// sides (as vscode-hexeditor's shared/protocol.ts). Every message is an envelope: a request (with
// an id, answered by exactly one response naming it in `inReplyTo`) or a notification.
// Plain data only: it must survive VS Code's postMessage (structured JSON plus typed arrays).

// ---------------------------------------------------------------------------------------------
// Thumbnail grid

export type ItemKind = 'image' | 'video' | 'other';

/** One cell of the grid, as the webview shows it. */
export interface GridItem {
  /** Stable within the source: a remote media item id, or a path relative to the folder. */
  id: string;
  /** Position in the current (filtered) order. */
  index: number;
  name: string;
  /** Second line under the name, e.g. the sub-folder or the capture date. */
  detail?: string;
  kind: ItemKind;
  /** asWebviewUri URL of the cached thumbnail, when it is cached already. */
  thumbnailUrl?: string;
  /** Why there is no thumbnail (shown on hover), once the host gave up. */
  thumbnailError?: string;
  /** The file (or remote item) no longer exists. */
  gone?: boolean;
}

export interface GridInit {
  mode: 'grid';
  title: string;
  /** Items in the source (unfiltered). */
  total: number;
  /** Longest side of the thumbnails the host caches (px). */
  thumbnailSize: number;
  /** The first items, sent along so the first screen needs no round trip. */
  firstItems: GridItem[];
}

export interface ThumbnailResult {
  id: string;
  url?: string;
  /** Why there is none (shown on hover). */
  error?: string;
}

// ---------------------------------------------------------------------------------------------
// Pre-upload review

export const REVIEW_ACTIONS = ['new', 'changed', 'uploaded', 'duplicate', 'excluded', 'unsupported', 'too-large', 'damaged'] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

/** Actions whose files "Upload These" sends. */
export const UPLOADABLE_ACTIONS: ReadonlySet<ReviewAction> = new Set(['new', 'changed']);

/** One file of the plan. Its identity across plan updates is (folder, relPath). */
export interface ReviewRow {
  /** Index into ReviewPlanStart.folders: the sync folder the file belongs to. */
  folder: number;
  /** Path below the sync folder with "/" separators. */
  relPath: string;
  action: ReviewAction;
  /** Target album title, for files that go (or went) to one. */
  album?: string;
  /** Why: "same bytes as 2020/IMG_1.jpg", "matched by exclude rule **\/Temp/**", "not a JPEG"… */
  reason?: string;
  size: number;
}

export interface ReviewSummary {
  counts: Record<ReviewAction, number>;
  /** Google Photos requests this upload costs. */
  requests: number;
  quotaUsedToday: number;
  quotaPerDay: number;
  bytesToUpload: number;
}

export interface ReviewPlanStart {
  /** Grows with every plan the host sends; rows of an older version are dropped. */
  version: number;
  title: string;
  /** Absolute sync folder roots, referenced by ReviewRow.folder. */
  folders: string[];
  total: number;
  summary: ReviewSummary;
}

export interface ReviewRowsChunk {
  version: number;
  start: number;
  rows: ReviewRow[];
  done: boolean;
  /** The counts (and cost) so far, while the host is still planning: they grow as rows arrive. */
  summary?: ReviewSummary;
}

/**
 * A new or changed file whose capture date the metadata doctor would flag (missing, zero, in the
 * future, far from its name's or folder's date): the review marks it "date?" with the reason.
 */
export interface ReviewDateFlag {
  folder: number;
  relPath: string;
  reason: string;
}

/** Date flags of the plan `version`, found so far; sent in batches while the host checks the files. */
export interface ReviewDatesChunk {
  version: number;
  flags: ReviewDateFlag[];
  /** Every new and changed file of this version was checked. */
  done: boolean;
}

/** A new exclude pattern for one sync folder (picomatch, relative to the folder). */
export interface ExcludeRule {
  folder: string;
  glob: string;
}

// ---------------------------------------------------------------------------------------------
// The methods each side offers

/** Requests and notifications the webview sends, handled by the host. */
export interface WebviewToHost {
  requests: {
    getItems: { params: { start: number; end: number }; result: { total: number; items: GridItem[] } };
    setFilter: { params: { text: string }; result: { total: number } };
    exclude: { params: { rules: ExcludeRule[] }; result: { version: number } };
    upload: { params: { version: number; files: { folder: number; relPath: string }[] }; result: { accepted: number } };
  };
  notifications: {
    /** The page loaded (again, after the panel was hidden and shown): send init. */
    ready: Record<string, never>;
    /** Thumbnails for these items, most wanted first; replaces the previous wish. */
    wantThumbnails: { ids: string[] };
    /** The cached thumbnail would not display (evicted or damaged): make it again once. */
    thumbnailBroken: { id: string };
    open: { id: string };
    /** "Check Capture Dates…" for this sync folder (an index into ReviewPlanStart.folders). */
    checkDates: { folder: number };
  };
}

/** Requests and notifications the host sends, handled by the webview. */
export interface HostToWebview {
  requests: {
    /** Decode an image the host has no thumbnail for and send back a JPEG whose longest side is maxSize. */
    decodeImage: {
      /** orientation: EXIF orientation to apply, for an embedded thumbnail whose own bytes carry none. */
      params: { id: string; bytes: Uint8Array; mimeType: string; maxSize: number; orientation?: number };
      result: { jpeg: Uint8Array; width: number; height: number };
    };
  };
  notifications: {
    initGrid: GridInit;
    initReview: { title: string };
    /** Thumbnails made (or given up on) since the last message: batched, one message per few ms. */
    thumbnails: { results: ThumbnailResult[] };
    itemsGone: { ids: string[] };
    /** The source changed (e.g. files added): forget cached pages and ask again. */
    itemsChanged: { total: number };
    reviewPlan: ReviewPlanStart;
    reviewRows: ReviewRowsChunk;
    reviewDates: ReviewDatesChunk;
    notice: { message: string; severity: 'info' | 'error' };
  };
}

// ---------------------------------------------------------------------------------------------
// Envelopes

export type Envelope =
  | { kind: 'request'; messageId: number; method: string; params: unknown }
  | { kind: 'response'; inReplyTo: number; result?: unknown; error?: string }
  | { kind: 'notification'; method: string; params: unknown };

export function isEnvelope(value: unknown): value is Envelope {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  switch (v.kind) {
    case 'request':
      return Number.isInteger(v.messageId) && typeof v.method === 'string';
    case 'response':
      return Number.isInteger(v.inReplyTo) && (v.error === undefined || typeof v.error === 'string');
    case 'notification':
      return typeof v.method === 'string';
    default:
      return false;
  }
}

/** Bytes as they may arrive through postMessage: a typed array, an ArrayBuffer, a plain array, or a JSON-ified {0: …, 1: …}. */
export function toBytes(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (Array.isArray(value)) return value.every((n) => Number.isInteger(n) && n >= 0 && n < 256) ? Uint8Array.from(value as number[]) : undefined;
  if (typeof value === 'object' && value !== null) {
    // A Node Buffer that went through JSON.
    const b = value as { type?: unknown; data?: unknown };
    if (b.type === 'Buffer' && Array.isArray(b.data)) return toBytes(b.data);
    const entries = Object.keys(value);
    if (entries.length === 0 || !entries.every((k, i) => k === String(i))) return undefined;
    return toBytes(Object.values(value));
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Globs for "Exclude": picomatch patterns that match exactly one file or one folder.

/** Escapes picomatch's special characters so a path matches literally. */
export function escapeGlob(path: string): string {
  return path.replace(/[\\*?[\]{}()!+@|^$]/g, (c) => `\\${c}`);
}

/** Matches exactly this file. A pattern without "/" would match the name at any depth, so a root file gets "./". */
export function globForFile(relPath: string): string {
  const escaped = escapeGlob(relPath);
  return relPath.includes('/') ? escaped : `./${escaped}`;
}

/** Matches everything below this folder ("" is the sync folder itself, which is not excludable). */
export function globForFolder(relDir: string): string | undefined {
  const dir = relDir.replace(/\/+$/, '');
  return dir ? `${escapeGlob(dir)}/**` : undefined;
}

export function parentDir(relPath: string): string {
  const slash = relPath.lastIndexOf('/');
  return slash < 0 ? '' : relPath.slice(0, slash);
}
