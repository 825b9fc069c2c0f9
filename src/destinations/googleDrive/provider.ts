// Google Drive behind the pipelines' PhotoProvider interface (seed 004): albums are folders under
// the base folder, an upload creates its file straight in its album folder, a commit confirms the
// batch (one files.list: each file where it belongs, with Drive's sha256 of the stored bytes) and
// moves one that sits elsewhere, content already in a folder is found by its key instead of sent
// again, the same photo in a second album is a server-side copy (no bytes), and deletes go to
// Drive's trash unless the provider was built for permanent deletes.
import type { CommitResult, DeleteOptions, DestinationCheck, DownloadOptions, LocalUpload, PhotoProvider, ProviderRules, Receipt, RemoteContainer, RemoteItem, TransferJournal, TransferProgress, UploadTarget } from '../../sync/provider';
import { GoogleApiError } from '../../google/errors';
import { formatBytes } from '../../util/format';
import type { DriveApi } from './client';
import { downloadFile } from './download';
import { isNotFound, type DriveFolders } from './folders';
import { appProperty, FILE_FIELDS, FOLDER_MIME, itemIdOf, KEYS, LIST_FIELDS, listAll, quote, sha256Of, toContainer, toRemoteItem, type DriveFile } from './items';
import { isStorageFull, PROVIDER_ID } from './rules';
import type { DriveTransferState, DriveUploads } from './upload';

export interface GoogleDriveProviderOptions {
  api: DriveApi;
  rules: ProviderRules;
  folders: DriveFolders;
  uploads: DriveUploads;
  /** Where each file's create id and resumable session are kept across restarts. */
  transferJournal?: TransferJournal;
  /** Delete permanently instead of into Drive's trash (only when the user's setting says so). */
  permanentDeletes?: boolean;
}

/** files.get calls in flight for getItems. */
const GET_CONCURRENCY = 8;

/** What a receipt holds: the file the upload made, and where. */
interface DriveReceipt {
  id: string;
  parent: string;
}

export class GoogleDriveProvider implements PhotoProvider {
  readonly id = PROVIDER_ID;
  readonly displayName = 'Google Drive';
  readonly rules: ProviderRules;
  readonly api: DriveApi;
  readonly folders: DriveFolders;
  private readonly uploads: DriveUploads;
  private readonly journal: TransferJournal | undefined;
  private readonly permanentDeletes: boolean;
  /** Per folder (this check cycle): content key → a live file holding those bytes. */
  private contents = new Map<string, Promise<Map<string, DriveFile>>>();
  /** Set by a full Drive: later uploads of this cycle fail at once, with the same explanation. */
  private full: GoogleApiError | undefined;

  constructor(options: GoogleDriveProviderOptions) {
    this.api = options.api;
    this.rules = options.rules;
    this.folders = options.folders;
    this.uploads = options.uploads;
    this.journal = options.transferJournal;
    this.permanentDeletes = options.permanentDeletes ?? false;
  }

  async *listContainers(signal?: AbortSignal): AsyncIterable<RemoteContainer> {
    for await (const folder of this.folders.listAlbums(signal)) yield toContainer(folder);
  }

  async createContainer(title: string, options: { signal?: AbortSignal } = {}): Promise<RemoteContainer> {
    const folder = await this.folders.createAlbum(title, options.signal);
    // A folder made now holds nothing: no listing needed before uploading into it.
    if (folder.id) this.contents.set(folder.id, Promise.resolve(new Map()));
    return { ...toContainer(folder), itemCount: 0 };
  }

  /** Items in an album folder (copies reported as their origin), or every photo the app keeps. */
  async *listItems(containerId: string | undefined, signal?: AbortSignal): AsyncIterable<RemoteItem> {
    const q = containerId ? `${quote(containerId)} in parents and trashed = false and mimeType != ${quote(FOLDER_MIME)}` : `trashed = false and mimeType != ${quote(FOLDER_MIME)}`;
    for await (const file of this.list(q, signal)) {
      if (!file.appProperties?.[KEYS.sha256]) continue;
      if (!containerId && file.appProperties[KEYS.origin]) continue;
      yield toRemoteItem(file);
    }
  }

  /** Items by id (Drive has no batch get: a few files.get at a time); one in the trash or deleted forever is an Error. */
  async getItems(ids: readonly string[], signal?: AbortSignal): Promise<Map<string, RemoteItem | Error>> {
    const found = new Map<string, RemoteItem | Error>();
    const queue = [...new Set(ids)];
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        try {
          const file = await this.get(id, signal);
          found.set(id, file.trashed ? new Error(`${file.name} is in the Google Drive trash.`) : toRemoteItem(file));
        } catch (err) {
          if (!isNotFound(err)) throw err;
          found.set(id, err as Error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(GET_CONCURRENCY, queue.length) }, worker));
    return found;
  }

  async uploadBytes(file: LocalUpload, onProgress?: TransferProgress, signal?: AbortSignal, target?: UploadTarget): Promise<Receipt> {
    if (this.full) throw this.full;
    const parent = target?.containerId ? await this.folders.ensureLive(target.containerId, signal) : await this.folders.baseId(signal);
    // Already in this folder by content (an answer lost before a crash, an index rebuilt, another machine).
    const there = (await this.contentsOf(parent, signal)).get(file.sha256);
    if (there?.id) return receipt({ id: there.id, parent });
    const journal = this.journal;
    let made: DriveFile;
    try {
      made = await this.uploads.upload({ ...file }, parent, {
        onProgress,
        signal,
        load: async () => parseState(await journal?.load(file)),
        save: async (state) => journal?.save(file, JSON.stringify(state)),
      });
    } catch (err) {
      if (isStorageFull(err)) throw (this.full = await this.driveFull(err as GoogleApiError, file, signal));
      throw err;
    }
    // The journaled id stays with the row until the pipeline records the receipt (which clears it):
    // should that record be lost, the next attempt finds this file by the id instead of sending it again.
    (await this.contentsOf(parent, signal)).set(file.sha256, made);
    return receipt({ id: made.id ?? '', parent: made.parents?.[0] ?? parent });
  }

  /**
   * Confirms what the uploads made, with one files.list per call: each file alive, with the bytes
   * hashed locally, in `containerId` (the base folder without one) — moved there when elsewhere.
   */
  async commit(containerId: string | undefined, uploads: readonly { receipt: Receipt; file: LocalUpload }[], signal?: AbortSignal): Promise<CommitResult[]> {
    const target = containerId ? await this.folders.ensureLive(containerId, signal) : await this.folders.baseId(signal);
    const parsed = uploads.map((u) => parseReceipt(u.receipt.token));
    const keys = [...new Set(uploads.filter((_u, i) => parsed[i]).map((u) => u.file.sha256))];
    const alive = new Map<string, DriveFile>();
    if (keys.length) {
      const q = `trashed = false and (${keys.map((k) => appProperty(KEYS.sha256, k)).join(' or ')})`;
      for await (const f of this.list(q, signal)) if (f.id) alive.set(f.id, f);
    }
    const results: CommitResult[] = [];
    for (const [i, { file }] of uploads.entries()) {
      const r = parsed[i];
      const made = r && alive.get(r.id);
      if (!made) {
        results.push({ ok: false, outcome: 'resend', message: r ? `${file.fileName} is no longer in Google Drive (deleted or in the trash)` : `not a receipt of Google Drive` });
        continue;
      }
      const sha = sha256Of(made);
      if (sha !== file.sha256) {
        results.push({ ok: false, outcome: 'resend', message: `Google Drive holds other bytes for ${file.fileName} (sha256 ${sha ?? 'unknown'})` });
        continue;
      }
      const placed = made.parents?.includes(target) ? made : await this.move(made, target, signal);
      results.push({ ok: true, item: toRemoteItem(placed) });
    }
    return results;
  }

  /**
   * Puts existing items into an album folder. Drive gives a file one parent: an item in no album
   * (the base folder) moves there; one already in another album is copied on the server (no bytes),
   * the copy naming its origin. Items already there (or copied before) are left alone.
   */
  async addToContainer(containerId: string, itemIds: readonly string[], signal?: AbortSignal): Promise<void> {
    const target = await this.folders.ensureLive(containerId, signal);
    const ids = [...new Set(itemIds)];
    const copied = await this.copiesIn(target, ids, signal);
    for (const id of ids) {
      if (copied.has(id)) continue;
      const file = await this.get(id, signal);
      if (file.parents?.includes(target) && !file.trashed) continue;
      if (this.folders.isBase(file.parents?.[0]) && !file.trashed) {
        await this.move(file, target, signal);
        continue;
      }
      const key = file.appProperties?.[KEYS.sha256] ?? file.sha256Checksum;
      const requestBody: DriveFile = { name: file.name, parents: [target], appProperties: { ...(key ? { [KEYS.sha256]: key } : {}), [KEYS.origin]: id } };
      await this.api.call((o) => this.api.drive.files.copy({ fileId: id, requestBody, fields: FILE_FIELDS }, o), signal);
    }
  }

  /** Takes items out of an album folder: a copy goes to the trash, an origin back to the base folder (kept). */
  async removeFromContainer(containerId: string, itemIds: readonly string[], signal?: AbortSignal): Promise<void> {
    const ids = [...new Set(itemIds)];
    const copies = await this.copiesIn(containerId, ids, signal);
    for (const copy of copies.values()) await this.trash(copy, signal);
    const base = await this.folders.baseId(signal);
    for (const id of ids) {
      if (copies.has(id)) continue;
      const file = await this.get(id, signal).catch((err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err)));
      if (file?.parents?.includes(containerId)) await this.move(file, base, signal);
    }
  }

  download(item: RemoteItem, write: (chunk: Uint8Array) => Promise<void>, signal?: AbortSignal, options?: DownloadOptions): Promise<number> {
    return downloadFile(this.api, item.id, write, signal, { from: options?.from });
  }

  /** Before a sync: the base folder (made again if the user removed it), live album folders, free storage. */
  async check(containerIds: readonly string[], signal?: AbortSignal): Promise<DestinationCheck> {
    this.folders.refresh();
    this.contents.clear();
    this.full = undefined;
    const containers: RemoteContainer[] = [];
    for await (const folder of this.folders.listAlbums(signal)) if (folder.id) containers.push(toContainer(folder));
    const live = new Set(containers.map((c) => c.id));
    const about = await this.storage(signal);
    return {
      goneContainers: containerIds.filter((id) => !live.has(id)),
      freeBytes: about.limit !== undefined ? Math.max(0, about.limit - about.usage) : undefined,
      notices: this.folders.takeNotices(),
      containers,
    };
  }

  /**
   * Into Drive's trash (recoverable for 30 days), with the copies made for other albums; permanently
   * only if built so. Only for mirror deletes, after the user confirmed the list.
   */
  async deleteItems(itemIds: readonly string[], options: DeleteOptions): Promise<string[]> {
    if (!options.mirrorDeletes) throw new Error('Photo Sync deletes files on Google Drive only for a sync folder with mirror deletes on; nothing was deleted.');
    const ids = [...new Set(itemIds)];
    if (ids.length === 0 || !(await options.confirm(ids))) return [];
    const { signal } = options;
    for (const id of ids) {
      const copies = await this.list(`trashed = false and ${appProperty(KEYS.origin, id)}`, signal);
      const files: DriveFile[] = [];
      for await (const copy of copies) files.push(copy);
      try {
        files.push(await this.get(id, signal));
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      for (const f of files) {
        if (this.permanentDeletes) await this.api.call((o) => this.api.drive.files.delete({ fileId: f.id ?? '' }, o), signal).catch((err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err)));
        else if (!f.trashed) await this.trash(f, signal);
      }
    }
    return ids;
  }

  // ---------------------------------------------------------------------------------------------

  private get(id: string, signal?: AbortSignal): Promise<DriveFile> {
    return this.api.call((o) => this.api.drive.files.get({ fileId: id, fields: FILE_FIELDS }, o), signal);
  }

  private list(q: string, signal?: AbortSignal): AsyncIterable<DriveFile> {
    return listAll((pageToken) => this.api.call((o) => this.api.drive.files.list({ q, spaces: 'drive', pageSize: 1000, pageToken, fields: LIST_FIELDS }, o), signal));
  }

  private async move(file: DriveFile, to: string, signal?: AbortSignal): Promise<DriveFile> {
    const from = (file.parents ?? []).filter((p) => p !== to).join(',');
    return this.api.call(
      (o) => this.api.drive.files.update({ fileId: file.id ?? '', addParents: to, removeParents: from || undefined, requestBody: file.trashed ? { trashed: false } : {}, fields: FILE_FIELDS }, o),
      signal,
    );
  }

  private async trash(file: DriveFile, signal?: AbortSignal): Promise<void> {
    await this.api.call((o) => this.api.drive.files.update({ fileId: file.id ?? '', requestBody: { trashed: true }, fields: 'id' }, o), signal);
  }

  /** Copies in `folder` of these items, by origin id. */
  private async copiesIn(folder: string, ids: readonly string[], signal?: AbortSignal): Promise<Map<string, DriveFile>> {
    const out = new Map<string, DriveFile>();
    for (let i = 0; i < ids.length; i += this.rules.maxBatch) {
      const origins = ids.slice(i, i + this.rules.maxBatch).map((id) => appProperty(KEYS.origin, id));
      for await (const f of this.list(`${quote(folder)} in parents and trashed = false and (${origins.join(' or ')})`, signal)) out.set(itemIdOf(f), f);
    }
    return out;
  }

  /** What a folder holds by content key, listed once per check cycle. */
  private contentsOf(folder: string, signal?: AbortSignal): Promise<Map<string, DriveFile>> {
    let contents = this.contents.get(folder);
    if (!contents) {
      contents = (async () => {
        const byKey = new Map<string, DriveFile>();
        for await (const f of this.list(`${quote(folder)} in parents and trashed = false and mimeType != ${quote(FOLDER_MIME)}`, signal)) {
          const key = f.appProperties?.[KEYS.sha256];
          if (key && sha256Of(f) === key) byKey.set(key, f);
        }
        return byKey;
      })();
      contents.catch(() => this.contents.delete(folder));
      this.contents.set(folder, contents);
    }
    return contents;
  }

  private async storage(signal?: AbortSignal): Promise<{ limit?: number; usage: number; trash: number }> {
    const about = await this.api.call((o) => this.api.drive.about.get({ fields: 'storageQuota(limit,usage,usageInDriveTrash)' }, o), signal);
    const q = about.storageQuota;
    return { limit: q?.limit ? Number(q.limit) : undefined, usage: Number(q?.usage ?? 0), trash: Number(q?.usageInDriveTrash ?? 0) };
  }

  /** Drive is full: how full, and how much this file needs, so the user knows what to free. */
  private async driveFull(err: GoogleApiError, file: LocalUpload, signal?: AbortSignal): Promise<GoogleApiError> {
    const s = await this.storage(signal).catch(() => undefined);
    const used = s?.limit !== undefined ? `${formatBytes(s.usage)} of ${formatBytes(s.limit)} used${s.trash ? `, ${formatBytes(s.trash)} of it in the trash` : ''}` : 'no space left';
    const free = s?.limit !== undefined ? Math.max(0, s.limit - s.usage) : 0;
    const message = `Google Drive is full (${used}): ${file.fileName} needs ${formatBytes(Math.max(1, file.size - free))} more. Free space in Google Drive${s?.trash ? ' or empty its trash' : ''}, then sync again — the files not uploaded wait for the next sync.`;
    return new GoogleApiError(403, 'PERMISSION_DENIED', message, err.reason, undefined, err.details);
  }
}

function receipt(r: DriveReceipt): Receipt {
  return { token: JSON.stringify(r) };
}

function parseReceipt(token: string): DriveReceipt | undefined {
  try {
    const r = JSON.parse(token) as Partial<DriveReceipt>;
    return typeof r.id === 'string' && r.id && typeof r.parent === 'string' ? { id: r.id, parent: r.parent } : undefined;
  } catch {
    return undefined;
  }
}

function parseState(text: string | undefined): DriveTransferState | undefined {
  if (!text) return undefined;
  try {
    const s = JSON.parse(text) as Partial<DriveTransferState>;
    return typeof s.id === 'string' && s.id ? { id: s.id, session: typeof s.session === 'string' ? s.session : undefined, offset: Number(s.offset) || 0 } : undefined;
  } catch {
    return undefined;
  }
}
