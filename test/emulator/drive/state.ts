import { createHash } from 'node:crypto';
import { randomId } from '../ids';
import type { EmulatorState } from '../state';

export const FOLDER_MIME = 'application/vnd.google-apps.folder';
/** Google's free tier: 15 GB shared by Drive, Gmail and Photos. */
export const DEFAULT_STORAGE_LIMIT = 15 * 1024 ** 3;
/** Drive's documented per-user query quota (brief "Limits and errors"). */
export const DEFAULT_PER_USER_PER_MINUTE = 12_000;

/** The app behind an OAuth client: Drive tracks drive.file access per Cloud project (the Drive "app id"). */
export interface DriveApp {
  clientId: string;
  projectNumber: string;
}

export interface DriveFileRecord {
  id: string;
  userSub: string;
  /** The app that created it; undefined = made by the user in Drive's web UI (no app sees it under drive.file). */
  app?: DriveApp;
  name: string;
  mimeType: string;
  /** Exactly one parent (Drive's single-parent model), or none for an orphan. */
  parents: string[];
  description?: string;
  starred: boolean;
  /** Private per app (project number → key → value). */
  appProperties: Map<string, Record<string, string>>;
  properties: Record<string, string>;
  /** Key of the stored bytes in DriveState.blobs; undefined for folders and metadata-only files. */
  sha256?: string;
  originalFilename?: string;
  /** imageMediaMetadata read from the bytes when they were stored. */
  image?: Record<string, unknown>;
  createdTime: number;
  modifiedTime: number;
  /** Trashed by itself; `trashed` is this or any trashed ancestor. */
  explicitlyTrashed: boolean;
  trashedTime?: number;
  version: number;
}

export interface ResumableSession {
  id: string;
  userSub: string;
  app: DriveApp;
  /** files.create or files.update (with the target id). */
  kind: 'create' | 'update';
  fileId?: string;
  metadata: Record<string, unknown>;
  /** Query of the initiating request (fields, addParents, …) applied when the upload completes. */
  query: URLSearchParams;
  mimeType?: string;
  total?: number;
  chunks: Buffer[];
  received: number;
  createdAt: number;
  expiresAt: number;
  /** Set once the last byte arrived: the file it produced. */
  resultId?: string;
}

export interface ChangeRecord {
  seq: number;
  fileId: string;
  userSub: string;
  /** The creating app's project, so a change stays visible to it after the file is deleted. */
  projectNumber?: string;
  time: number;
  removed: boolean;
}

export interface Digests {
  md5: string;
  sha1: string;
  sha256: string;
}

/** Everything the Drive emulator remembers, apart from the Photos state. */
export class DriveState {
  readonly files = new Map<string, DriveFileRecord>();
  /** sha256 → bytes and their digests (stored once however many files share them). */
  readonly blobs = new Map<string, { bytes: Buffer; digests: Digests }>();
  /** userSub → that user's "My Drive" root folder id. */
  readonly roots = new Map<string, string>();
  /** Ids handed out by files.generateIds, per user; consumed by files.create. */
  readonly generatedIds = new Map<string, string>();
  readonly sessions = new Map<string, ResumableSession>();
  readonly changes: ChangeRecord[] = [];
  private seq = 0;
  storageLimitBytes = DEFAULT_STORAGE_LIMIT;
  perUserPerMinute = DEFAULT_PER_USER_PER_MINUTE;
  /** files.list answers an empty first page, then half pages, each with nextPageToken (Drive may; brief "Listing"). */
  shortPages = false;
  private readonly minuteUse = new Map<string, { minute: number; used: number }>();

  constructor(private readonly emulator: EmulatorState) {
    for (const user of emulator.users) this.roots.set(user.sub, `0A${randomId(11)}Uk9PVA`);
  }

  now(): number {
    return this.emulator.clock.now();
  }

  rootOf(userSub: string): string {
    const root = this.roots.get(userSub);
    if (!root) throw new Error(`no Drive root for user ${userSub}`);
    return root;
  }

  isRoot(id: string): boolean {
    return [...this.roots.values()].includes(id);
  }

  /** Stores bytes once, keyed by their SHA-256, with the three digests Drive reports. */
  putBlob(bytes: Buffer): string {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (!this.blobs.has(sha256)) {
      const md5 = createHash('md5').update(bytes).digest('hex');
      const sha1 = createHash('sha1').update(bytes).digest('hex');
      this.blobs.set(sha256, { bytes, digests: { md5, sha1, sha256 } });
    }
    return sha256;
  }

  bytesOf(file: DriveFileRecord): Buffer | undefined {
    return file.sha256 ? this.blobs.get(file.sha256)?.bytes : undefined;
  }

  sizeOf(file: DriveFileRecord): number {
    return this.bytesOf(file)?.length ?? 0;
  }

  /** Drops bytes no file refers to any more. */
  collectBlobs(): void {
    const used = new Set([...this.files.values()].map((f) => f.sha256).filter(Boolean));
    for (const key of this.blobs.keys()) if (!used.has(key)) this.blobs.delete(key);
  }

  /** Trashed explicitly or inside a trashed folder. */
  isTrashed(file: DriveFileRecord): boolean {
    const seen = new Set<string>();
    let current: DriveFileRecord | undefined = file;
    while (current && !seen.has(current.id)) {
      if (current.explicitlyTrashed) return true;
      seen.add(current.id);
      current = current.parents[0] ? this.files.get(current.parents[0]) : undefined;
    }
    return false;
  }

  /** Every file below a folder (depth first), not the folder itself. */
  descendants(folderId: string): DriveFileRecord[] {
    const out: DriveFileRecord[] = [];
    const walk = (id: string): void => {
      for (const f of this.files.values()) {
        if (f.parents.includes(id)) {
          out.push(f);
          walk(f.id);
        }
      }
    };
    walk(folderId);
    return out;
  }

  /** Bytes a user's files take (trash included, as in Drive). */
  usage(userSub: string): { total: number; trash: number } {
    let total = 0;
    let trash = 0;
    for (const f of this.files.values()) {
      if (f.userSub !== userSub) continue;
      const size = this.sizeOf(f);
      total += size;
      if (this.isTrashed(f)) trash += size;
    }
    return { total, trash };
  }

  recordChange(file: DriveFileRecord, removed = false): void {
    this.changes.push({ seq: ++this.seq, fileId: file.id, userSub: file.userSub, projectNumber: file.app?.projectNumber, time: this.now(), removed });
  }

  /** The token a changes.list started now would begin at. */
  nextChangeSeq(): number {
    return this.seq + 1;
  }

  /** Counts one request; false once the user's per-minute quota is spent. */
  chargeRequest(userSub: string): boolean {
    const minute = Math.floor(this.now() / 60_000);
    let entry = this.minuteUse.get(userSub);
    if (!entry || entry.minute !== minute) {
      entry = { minute, used: 0 };
      this.minuteUse.set(userSub, entry);
    }
    if (entry.used >= this.perUserPerMinute) return false;
    entry.used++;
    return true;
  }
}

/** One DriveState per emulator instance, kept beside (not inside) the shared EmulatorState. */
const instances = new WeakMap<EmulatorState, DriveState>();

export function driveState(emulator: EmulatorState): DriveState {
  let state = instances.get(emulator);
  if (!state) {
    state = new DriveState(emulator);
    instances.set(emulator, state);
  }
  return state;
}

/** Control API reset: forget every Drive file, session and setting. */
export function resetDrive(emulator: EmulatorState): void {
  instances.delete(emulator);
}

/** Drive file ids: 33 characters of Google's URL-safe alphabet starting with "1". */
export const newFileId = (): string => `1${randomId(32)}`;
