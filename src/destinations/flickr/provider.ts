// Flickr behind the pipelines' PhotoProvider interface. Albums are photosets, which cannot exist
// empty (photosets.create needs its primary photo): rules.emptyContainers is false, so the pipeline
// creates one around its first item. An upload creates the photo at once, so a receipt is the photo
// id and never expires; a commit only puts photos into their album.
import type { Capacity, CommitResult, DeleteOptions, LocalUpload, PhotoProvider, ProviderRules, Receipt, RemoteContainer, RemoteItem, TransferProgress } from '../../sync/provider';
import { ContainerGoneError } from '../../sync/provider';
import { FlickrApiError } from '../../flickr/errors';
import type { FlickrClient } from '../../flickr/client';
import type { Logger } from '../../util/logger';
import { num, text, type FlickrApi, type PhotoEntry, type PhotoInfo } from './api';
import { FlickrSyncError } from './classify';
import { FLICKR_DELETE_REFUSED, FLICKR_NEEDS_FIRST_PHOTO, FLICKR_ORIGINAL_UNAVAILABLE } from '../../sync/destinationText';
import { englishL10n } from '../../util/englishL10n';
import { FREE_ACCOUNT_ITEMS, PROVIDER_ID } from './rules';
import { CAPACITY_FREE_FLICKR_ACCOUNT, CAPACITY_NOT_PUBLIC, CAPACITY_PHOTOS_AND_VIDEOS } from '../../sync/capacity';
import type { FlickrUploads, FlickrPrivacy } from './uploads';

/** Free accounts may keep at most this many photos that are not public (Flickr's rules of May 2022). */
export const FREE_NON_PUBLIC_ITEMS = 50;
/** photosets.addPhoto takes one photo per call: a few go at once, so a commit is not one round trip per photo. */
const ADDS_AT_ONCE = 4;
/** photosets.removePhotos takes a comma list; kept short so one refusal names few photos. */
const REMOVE_BATCH = 50;

export interface FlickrProviderOptions {
  api: FlickrApi;
  client: FlickrClient;
  uploads: FlickrUploads;
  rules: ProviderRules;
  privacy: FlickrPrivacy;
  log: Logger;
}

export class FlickrProvider implements PhotoProvider {
  readonly id = PROVIDER_ID;
  readonly displayName = 'Flickr';
  readonly rules: ProviderRules;
  private readonly api: FlickrApi;
  /** Photos this session uploaded or listed: a commit trusts these without asking Flickr again. */
  private readonly known = new Set<string>();
  /** Original-size URLs seen in listings (url_o), so a download needs no getSizes call. */
  private readonly originals = new Map<string, string>();

  constructor(private readonly options: FlickrProviderOptions) {
    this.api = options.api;
    this.rules = options.rules;
  }

  async *listContainers(signal?: AbortSignal): AsyncIterable<RemoteContainer> {
    for (const set of await this.api.photosets(signal)) {
      const count = set.photos !== undefined ? num(set.photos) + num(set.videos) : num(set.count_photos) + num(set.count_videos);
      yield { id: set.id, title: text(set.title), itemCount: count, writable: true, url: this.albumUrl(set.id) };
    }
  }

  async createContainer(title: string, options: { firstItemId?: string; signal?: AbortSignal } = {}): Promise<RemoteContainer> {
    if (!options.firstItemId) throw new FlickrSyncError('needsFirstPhoto', englishL10n.t(FLICKR_NEEDS_FIRST_PHOTO, title));
    const set = await this.api.createPhotoset(title, options.firstItemId, options.signal);
    return { id: set.id, title, itemCount: 1, writable: true, url: this.albumUrl(set.id) };
  }

  /** An album's photos, or (no id) every photo Photo Sync uploaded to this account (by its machine tag). */
  async *listItems(containerId: string | undefined, signal?: AbortSignal): AsyncIterable<RemoteItem> {
    for (let page = 1, pages = 1; page <= pages; page++) {
      const result = containerId ? await this.listAlbumPage(containerId, page, signal) : await this.api.searchMachineTag('photosync:sha256=', page, signal);
      pages = result.pages;
      for (const photo of result.items) yield this.fromEntry(photo);
    }
  }

  async getItems(ids: readonly string[], signal?: AbortSignal): Promise<Map<string, RemoteItem | Error>> {
    const found = new Map<string, RemoteItem | Error>();
    for (const id of new Set(ids)) {
      try {
        found.set(id, fromInfo(await this.api.info(id, signal)));
        this.known.add(id);
      } catch (err) {
        if (err instanceof FlickrApiError && err.code === 1) found.set(id, err);
        else throw err;
      }
    }
    return found;
  }

  async uploadBytes(file: LocalUpload, onProgress?: TransferProgress, signal?: AbortSignal): Promise<Receipt> {
    if (file.size === 0) throw new FlickrApiError('upload', 4, `${file.fileName} is empty (0 bytes)`);
    const photoId = await this.options.uploads.upload(file, onProgress, signal);
    this.known.add(photoId);
    // The photo exists now: the receipt is its id, and it does not expire.
    return { token: photoId };
  }

  /** The photos exist already: a commit checks photos from an earlier session are still there and puts them into the album. */
  async commit(containerId: string | undefined, uploads: readonly { receipt: Receipt; file: LocalUpload }[], signal?: AbortSignal): Promise<CommitResult[]> {
    return inParallel(uploads, ADDS_AT_ONCE, async ({ receipt, file }): Promise<CommitResult> => {
      const photoId = receipt.token;
      try {
        if (!this.known.has(photoId)) {
          await this.api.info(photoId, signal);
          this.known.add(photoId);
        }
        if (containerId) await this.add(containerId, photoId, signal);
        return { ok: true, item: { id: photoId, filename: file.fileName, mimeType: file.mimeType, description: file.description } };
      } catch (err) {
        if (!(err instanceof FlickrApiError)) throw err;
        // getInfo 1 / addPhoto 2: the photo is gone (deleted on Flickr since): send the bytes again.
        if ((err.method === 'flickr.photos.getInfo' && err.code === 1) || (err.method === 'flickr.photosets.addPhoto' && err.code === 2)) {
          this.known.delete(photoId);
          await this.options.uploads.forget(photoId);
          return { ok: false, outcome: 'resend', message: `Flickr has no photo ${photoId} any more (${err.flickrMessage})` };
        }
        throw err;
      }
    });
  }

  async addToContainer(containerId: string, itemIds: readonly string[], signal?: AbortSignal): Promise<void> {
    await inParallel([...new Set(itemIds)], ADDS_AT_ONCE, (id) => this.add(containerId, id, signal));
  }

  async removeFromContainer(containerId: string, itemIds: readonly string[], signal?: AbortSignal): Promise<void> {
    const ids = [...new Set(itemIds)];
    for (let i = 0; i < ids.length; i += REMOVE_BATCH) {
      try {
        await this.api.removePhotos(containerId, ids.slice(i, i + REMOVE_BATCH), signal);
      } catch (err) {
        // Flickr deletes an album whose last photo leaves it: nothing left to remove from.
        if (err instanceof FlickrApiError && err.code === 1) return;
        throw err;
      }
    }
  }

  /** Streams the original (as uploaded, full EXIF). Where Flickr offers no original, nothing smaller is saved in its place. */
  async download(item: RemoteItem, write: (chunk: Uint8Array) => Promise<void>, signal?: AbortSignal): Promise<number> {
    let url = this.originals.get(item.id);
    if (!url) {
      url = (await this.api.sizes(item.id, signal)).find((s) => s.label === 'Original')?.source;
      if (!url) {
        throw new FlickrSyncError(
          'originalUnavailable',
          englishL10n.t(FLICKR_ORIGINAL_UNAVAILABLE, item.filename || item.id),
        );
      }
    }
    const response = await this.options.client.photoBytes(url, signal);
    let total = 0;
    if (!response.body) return total;
    const reader = response.body.getReader();
    try {
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        total += next.value.byteLength;
        await write(next.value);
      }
    } catch (err) {
      await reader.cancel().catch(() => undefined);
      throw err;
    }
    return total;
  }

  /**
   * How many more photos and videos the account may hold: free accounts 1,000 in all, and (when
   * uploads are not public) 50 that are not public; the tighter of the two. Pro accounts: no cap.
   */
  async capacity(signal?: AbortSignal): Promise<Capacity | undefined> {
    if (await this.api.isPro(signal)) return undefined;
    const total: Capacity = { limit: FREE_ACCOUNT_ITEMS, used: await this.api.itemCount(signal), account: CAPACITY_FREE_FLICKR_ACCOUNT, items: CAPACITY_PHOTOS_AND_VIDEOS };
    if (this.options.privacy === 'public') return total;
    const nonPublic: Capacity = { limit: FREE_NON_PUBLIC_ITEMS, used: Math.max(0, total.used - (await this.api.publicCount(signal))), account: CAPACITY_FREE_FLICKR_ACCOUNT, items: CAPACITY_NOT_PUBLIC };
    return nonPublic.limit - nonPublic.used < total.limit - total.used ? nonPublic : total;
  }

  /** Deletes photos from Flickr (seed 004's delete_file): only with mirror deletes on, after the user confirmed the list. */
  async deleteItems(itemIds: readonly string[], options: DeleteOptions): Promise<string[]> {
    if (!options.mirrorDeletes) throw new FlickrSyncError('deleteRefused', FLICKR_DELETE_REFUSED);
    const ids = [...new Set(itemIds)];
    if (ids.length === 0 || !(await options.confirm(ids))) return [];
    const deleted: string[] = [];
    for (const id of ids) {
      try {
        await this.api.deletePhoto(id, options.signal);
      } catch (err) {
        // Deleted on Flickr already: the wish is fulfilled.
        if (!(err instanceof FlickrApiError && err.code === 1)) throw err;
      }
      this.known.delete(id);
      await this.options.uploads.forget(id);
      deleted.push(id);
      this.options.log.info(`Deleted photo ${id} on Flickr.`);
    }
    return deleted;
  }

  /** The album's page on Flickr (www.flickr.com/photos/{nsid}/albums/{id}). */
  private albumUrl(id: string): string {
    return `https://www.flickr.com/photos/${encodeURIComponent(this.api.nsid)}/albums/${encodeURIComponent(id)}`;
  }

  private async add(containerId: string, photoId: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.api.addPhoto(containerId, photoId, signal);
    } catch (err) {
      if (!(err instanceof FlickrApiError)) throw err;
      // 3: in the album already — what was wanted.
      if (err.code === 3) return;
      if (err.code === 1) throw new ContainerGoneError(containerId, `Flickr has no album ${containerId} any more (deleted on Flickr?).`);
      throw err;
    }
  }

  private async listAlbumPage(containerId: string, page: number, signal?: AbortSignal) {
    try {
      return await this.api.photosetPhotos(containerId, page, signal);
    } catch (err) {
      if (err instanceof FlickrApiError && err.code === 1) throw new ContainerGoneError(containerId, `Flickr has no album ${containerId} any more (deleted on Flickr?).`);
      throw err;
    }
  }

  private fromEntry(photo: PhotoEntry): RemoteItem {
    this.known.add(photo.id);
    if (photo.url_o) this.originals.set(photo.id, photo.url_o);
    const format = photo.originalformat;
    return {
      id: photo.id,
      filename: format ? `${photo.title ?? photo.id}.${format}` : (photo.title ?? photo.id),
      mimeType: mimeOf(photo.media, format),
      creationTime: takenTime(photo.datetaken, photo.datetakenunknown),
      description: text(photo.description) || undefined,
      width: photo.o_width !== undefined ? num(photo.o_width) : undefined,
      height: photo.o_height !== undefined ? num(photo.o_height) : undefined,
    };
  }
}

function fromInfo(info: PhotoInfo): RemoteItem {
  const title = text(info.title) || info.id;
  return {
    id: info.id,
    filename: info.originalformat ? `${title}.${info.originalformat}` : title,
    mimeType: mimeOf(info.media, info.originalformat),
    creationTime: takenTime(info.dates?.taken, info.dates?.takenunknown),
    description: text(info.description) || undefined,
  };
}

const FORMAT_MIMES: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', tif: 'image/tiff', tiff: 'image/tiff', heic: 'image/heic', mp4: 'video/mp4', mov: 'video/quicktime' };

function mimeOf(media: string | undefined, format: string | undefined): string {
  return (format && FORMAT_MIMES[format.toLowerCase()]) ?? (media === 'video' ? 'video/mp4' : 'image/jpeg');
}

/** Flickr's date taken is the owner's local wall time without a zone: kept as such ("YYYY-MM-DDTHH:MM:SS"). */
function takenTime(taken: string | undefined, unknown: string | number | undefined): string | undefined {
  if (!taken || num(unknown) === 1) return undefined;
  return taken.replace(' ', 'T');
}

/** Runs `work` over `items`, at most `limit` at a time; results in the items' order. After a failure nothing new starts, and the first failure is thrown. */
async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let stopped = false;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length && !stopped) {
      const i = next++;
      try {
        results[i] = await work(items[i]);
      } catch (err) {
        stopped = true;
        throw err;
      }
    }
  });
  const settled = await Promise.allSettled(lanes);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return results;
}
