// The Flickr REST methods the destination uses, typed as their JSON answers (response.json.html:
// attributes are keys, element text is `_content`; numbers may come as strings). Writes are POSTed.
import type { FlickrClient } from '../../flickr/client';

type Text = { _content?: string } | string | undefined;
type Num = number | string | undefined;

export const text = (value: Text): string => (typeof value === 'string' ? value : (value?._content ?? ''));
export const num = (value: Num): number => (value === undefined || value === '' ? 0 : Number(value) || 0);

export interface SetEntry {
  id: string;
  title: Text;
  photos?: Num;
  videos?: Num;
  count_photos?: Num;
  count_videos?: Num;
}

/** A photo in a list (getPhotos, search) with the extras the destination asks for. */
export interface PhotoEntry {
  id: string;
  title?: string;
  description?: Text;
  datetaken?: string;
  datetakenunknown?: Num;
  originalformat?: string;
  media?: string;
  url_o?: string;
  o_width?: Num;
  o_height?: Num;
  machine_tags?: string;
}

export interface PhotoInfo {
  id: string;
  title?: Text;
  description?: Text;
  originalformat?: string;
  media?: string;
  dates?: { taken?: string; takenunknown?: Num };
}

export interface Page<T> {
  items: T[];
  page: number;
  pages: number;
}

/** Extras that make a list entry a complete RemoteItem without a getInfo per photo. */
export const LIST_EXTRAS = 'description,date_taken,original_format,media,o_dims,url_o,machine_tags';

export class FlickrApi {
  constructor(
    readonly client: FlickrClient,
    /** The signed-in account (NSID). */
    readonly nsid: string,
  ) {}

  /** Every album of the account in its order (getList without `page` returns them all). */
  async photosets(signal?: AbortSignal): Promise<SetEntry[]> {
    const r = await this.client.call<{ photosets?: { photoset?: SetEntry[] } }>('flickr.photosets.getList', { user_id: this.nsid }, { signal });
    return r.photosets?.photoset ?? [];
  }

  async createPhotoset(title: string, primaryPhotoId: string, signal?: AbortSignal): Promise<{ id: string; url?: string }> {
    const r = await this.client.call<{ photoset: { id: string; url?: string } }>('flickr.photosets.create', { title, primary_photo_id: primaryPhotoId }, { post: true, signal });
    return r.photoset;
  }

  async addPhoto(photosetId: string, photoId: string, signal?: AbortSignal): Promise<void> {
    await this.client.call('flickr.photosets.addPhoto', { photoset_id: photosetId, photo_id: photoId }, { post: true, signal });
  }

  async removePhotos(photosetId: string, photoIds: readonly string[], signal?: AbortSignal): Promise<void> {
    await this.client.call('flickr.photosets.removePhotos', { photoset_id: photosetId, photo_ids: photoIds.join(',') }, { post: true, signal });
  }

  async photosetPhotos(photosetId: string, page: number, signal?: AbortSignal): Promise<Page<PhotoEntry>> {
    const r = await this.client.call<{ photoset: { photo?: PhotoEntry[]; page?: Num; pages?: Num } }>(
      'flickr.photosets.getPhotos',
      { photoset_id: photosetId, user_id: this.nsid, extras: LIST_EXTRAS, per_page: '500', page: String(page) },
      { signal },
    );
    return { items: r.photoset.photo ?? [], page: num(r.photoset.page) || page, pages: num(r.photoset.pages) || 1 };
  }

  /** The account's photos carrying a machine tag (`ns:pred=` for all values of a predicate). */
  async searchMachineTag(machineTag: string, page: number, signal?: AbortSignal): Promise<Page<PhotoEntry>> {
    const r = await this.client.call<{ photos: { photo?: PhotoEntry[]; page?: Num; pages?: Num } }>(
      'flickr.photos.search',
      { user_id: 'me', machine_tags: machineTag, extras: LIST_EXTRAS, per_page: '500', page: String(page), sort: 'date-posted-asc' },
      { signal },
    );
    return { items: r.photos.photo ?? [], page: num(r.photos.page) || page, pages: num(r.photos.pages) || 1 };
  }

  async info(photoId: string, signal?: AbortSignal): Promise<PhotoInfo> {
    return (await this.client.call<{ photo: PhotoInfo }>('flickr.photos.getInfo', { photo_id: photoId }, { signal })).photo;
  }

  async sizes(photoId: string, signal?: AbortSignal): Promise<{ label: string; source: string; media?: string }[]> {
    return (await this.client.call<{ sizes: { size?: { label: string; source: string; media?: string }[] } }>('flickr.photos.getSizes', { photo_id: photoId }, { signal })).sizes.size ?? [];
  }

  /** Sets the date taken (MySQL "YYYY-MM-DD HH:MM:SS", the owner's local time), granularity 0 = exact. */
  async setDateTaken(photoId: string, taken: string, signal?: AbortSignal): Promise<void> {
    await this.client.call('flickr.photos.setDates', { photo_id: photoId, date_taken: taken, date_taken_granularity: '0' }, { post: true, signal });
  }

  async deletePhoto(photoId: string, signal?: AbortSignal): Promise<void> {
    await this.client.call('flickr.photos.delete', { photo_id: photoId }, { post: true, signal });
  }

  /** Async upload tickets: complete 0 = pending, 1 = done (+ photoid), 2 = failed; invalid = not ours. */
  async checkTickets(ids: readonly string[], signal?: AbortSignal): Promise<{ id: string; complete?: Num; photoid?: string; invalid?: Num }[]> {
    const r = await this.client.call<{ uploader?: { ticket?: { id: string; complete?: Num; photoid?: string; invalid?: Num }[] } }>('flickr.photos.upload.checkTickets', { tickets: ids.join(',') }, { signal });
    return r.uploader?.ticket ?? [];
  }

  async isPro(signal?: AbortSignal): Promise<boolean> {
    const r = await this.client.call<{ user?: { ispro?: Num } }>('flickr.people.getUploadStatus', {}, { signal });
    return num(r.user?.ispro) === 1;
  }

  /** Public photos and videos of the account (a search with privacy_filter=1 reports the total). */
  async publicCount(signal?: AbortSignal): Promise<number> {
    const r = await this.client.call<{ photos: { total?: Num } }>('flickr.photos.search', { user_id: 'me', privacy_filter: '1', per_page: '1' }, { signal });
    return num(r.photos.total);
  }

  /** Photos and videos the account holds (people.getInfo's photos.count). */
  async itemCount(signal?: AbortSignal): Promise<number> {
    const r = await this.client.call<{ person?: { photos?: { count?: Text | Num | { _content?: Num } } } }>('flickr.people.getInfo', { user_id: this.nsid }, { signal });
    const count = r.person?.photos?.count;
    return typeof count === 'object' && count !== null ? num((count as { _content?: Num })._content) : num(count as Num);
  }
}
