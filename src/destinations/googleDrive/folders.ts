// The base folder ("Photo Sync", seed 004's DRIVE_FOLDER_NAME) and the album folders under it. The
// base folder is created once and found again by its id (kept in the index), else by its role tag
// (another machine's, or ours after the index was lost); one the user trashed or deleted in Drive's
// web UI is never written into: a new one is made, once per check, and the user is told. Album
// folders are the base folder's live sub-folders; one trashed since is reported gone.
import type { DriveApi } from './client';
import { appProperty, FOLDER_FIELDS, FOLDER_MIME, KEYS, listAll, quote, type DriveFile } from './items';
import type { Logger } from '../../util/logger';
import { GoogleApiError } from '../../google/errors';
import { DRIVE_FOLDER_DELETED, DRIVE_FOLDER_LOST_MADE_NEW, DRIVE_FOLDER_LOST_USES_OTHER, DRIVE_FOLDER_TRASHED } from '../../sync/destinationText';
import { englishL10n } from '../../util/englishL10n';

/** Where the provider keeps what it must find again (the index's destination_state, per account). */
export interface DriveStateStore {
  get(key: string): string | undefined;
  set(key: string, value: string | undefined): Promise<void>;
}

export const BASE_FOLDER_KEY = 'baseFolder';
export const DEFAULT_BASE_FOLDER_NAME = 'Photo Sync';

export function isNotFound(err: unknown): boolean {
  return err instanceof GoogleApiError && err.httpStatus === 404;
}

export class DriveFolders {
  private base: Promise<string> | undefined;
  /** Album folders seen alive (listed or made) since the last check. */
  private readonly live = new Set<string>();
  private notices: string[] = [];

  constructor(
    private readonly api: DriveApi,
    private readonly store: DriveStateStore,
    private readonly baseName: string,
    private readonly log: Logger,
    private readonly nextId: (signal?: AbortSignal) => Promise<string>,
  ) {}

  /** Forgets what was verified: the next call looks at Drive again (each sync starts so). */
  refresh(): void {
    this.base = undefined;
    this.live.clear();
  }

  /** What the user should hear about since the last call (a base folder made again). */
  takeNotices(): string[] {
    const out = this.notices;
    this.notices = [];
    return out;
  }

  /** The base folder's id, verified once per check: found by id, else by its tag, else created. */
  baseId(signal?: AbortSignal): Promise<string> {
    this.base ??= this.resolveBase(signal).catch((err: unknown) => {
      this.base = undefined;
      throw err;
    });
    return this.base;
  }

  isBase(id: string | undefined | null): boolean {
    return !!id && id === this.store.get(BASE_FOLDER_KEY);
  }

  /** The live album folders under the base folder. */
  async *listAlbums(signal?: AbortSignal): AsyncIterable<DriveFile> {
    const base = await this.baseId(signal);
    const q = `${quote(base)} in parents and mimeType = ${quote(FOLDER_MIME)} and trashed = false`;
    const folders = listAll((pageToken) => this.api.call((o) => this.api.drive.files.list({ q, spaces: 'drive', pageSize: 1000, pageToken, fields: `nextPageToken,files(${FOLDER_FIELDS})` }, o), signal));
    for await (const f of folders) {
      if (f.id) this.live.add(f.id);
      yield f;
    }
  }

  async createAlbum(title: string, signal?: AbortSignal): Promise<DriveFile> {
    const base = await this.baseId(signal);
    const id = await this.nextId(signal);
    const folder = await this.create({ id, name: title, mimeType: FOLDER_MIME, parents: [base], appProperties: { [KEYS.role]: 'album' } }, signal);
    if (folder.id) this.live.add(folder.id);
    return folder;
  }

  /**
   * The album folder `id` if it is still a live folder under the base folder; a folder trashed or
   * deleted in Drive's web UI throws: nothing is ever uploaded into the trash.
   */
  async ensureLive(id: string, signal?: AbortSignal): Promise<string> {
    if (this.live.has(id)) return id;
    const base = await this.baseId(signal);
    if (id === base) return id;
    let folder: DriveFile;
    try {
      folder = await this.api.call((o) => this.api.drive.files.get({ fileId: id, fields: FOLDER_FIELDS }, o), signal);
    } catch (err) {
      if (isNotFound(err)) throw new FolderGoneError(id, 'was deleted in Google Drive');
      throw err;
    }
    if (folder.trashed) throw new FolderGoneError(id, `“${folder.name}” is in the Google Drive trash`);
    if (folder.mimeType !== FOLDER_MIME) throw new FolderGoneError(id, `“${folder.name}” is not a folder`);
    this.live.add(id);
    return id;
  }

  private async resolveBase(signal?: AbortSignal): Promise<string> {
    const stored = this.store.get(BASE_FOLDER_KEY);
    let lost: string | undefined;
    if (stored) {
      try {
        const folder = await this.api.call((o) => this.api.drive.files.get({ fileId: stored, fields: FOLDER_FIELDS }, o), signal);
        if (!folder.trashed && folder.mimeType === FOLDER_MIME) return this.named(folder, signal);
        lost = DRIVE_FOLDER_TRASHED;
      } catch (err) {
        if (!isNotFound(err)) throw err;
        lost = DRIVE_FOLDER_DELETED;
      }
    }
    // Made by Photo Sync on another machine, or by this one before its index was lost.
    const q = `${appProperty(KEYS.role, 'base')} and mimeType = ${quote(FOLDER_MIME)} and trashed = false`;
    const found = await this.api.call((o) => this.api.drive.files.list({ q, spaces: 'drive', orderBy: 'createdTime', pageSize: 10, fields: `files(${FOLDER_FIELDS})` }, o), signal);
    const existing = found.files?.find((f) => f.id);
    if (existing?.id) {
      await this.store.set(BASE_FOLDER_KEY, existing.id);
      if (lost) this.tell(englishL10n.t(DRIVE_FOLDER_LOST_USES_OTHER, this.baseName, lost, existing.name ?? ''));
      return this.named(existing, signal);
    }
    const id = await this.nextId(signal);
    const made = await this.create({ id, name: this.baseName, mimeType: FOLDER_MIME, appProperties: { [KEYS.role]: 'base' } }, signal);
    if (!made.id) throw new Error('Google Drive made the base folder without an id.');
    await this.store.set(BASE_FOLDER_KEY, made.id);
    if (lost) this.tell(englishL10n.t(DRIVE_FOLDER_LOST_MADE_NEW, this.baseName, lost, this.baseName));
    else this.log.info(`Created the Google Drive folder “${this.baseName}”.`);
    return made.id;
  }

  /** The base folder keeps the name the setting gives it. */
  private async named(folder: DriveFile, signal?: AbortSignal): Promise<string> {
    const id = folder.id ?? '';
    if (folder.name !== this.baseName) {
      await this.api.call((o) => this.api.drive.files.update({ fileId: id, requestBody: { name: this.baseName }, fields: 'id' }, o), signal);
      this.log.info(`Renamed the Google Drive folder “${folder.name}” to “${this.baseName}” (photoSync.drive.folderName).`);
    }
    return id;
  }

  /** A folder create with a pre-generated id: a retry after a lost answer finds the one made (409). */
  private async create(requestBody: DriveFile, signal?: AbortSignal): Promise<DriveFile> {
    try {
      return await this.api.call((o) => this.api.drive.files.create({ requestBody, fields: FOLDER_FIELDS }, o), signal);
    } catch (err) {
      if (err instanceof GoogleApiError && err.httpStatus === 409 && requestBody.id) {
        return this.api.call((o) => this.api.drive.files.get({ fileId: requestBody.id ?? '', fields: FOLDER_FIELDS }, o), signal);
      }
      throw err;
    }
  }

  private tell(message: string): void {
    this.log.warn(message);
    this.notices.push(message);
  }
}

/** An album folder that is gone (trashed or deleted by the user) was named as an upload's target. */
export class FolderGoneError extends Error {
  override readonly name = 'FolderGoneError';
  constructor(
    readonly folderId: string,
    why: string,
  ) {
    super(`The album folder ${why}; Photo Sync does not upload into it. Sync again: the folder is made again.`);
  }
}
