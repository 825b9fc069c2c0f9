// A Google Photos album as a grid source. The wiring passes the index's album pages and two
// functions that use the signed-in session: one fetches a sized thumbnail (baseUrl=w…-h…), one
// downloads the full image to a file for VS Code's image preview.
import { kindOfMime, type GridSource, type SourceItem } from './gridSource';

/** The fields of an index media item record the grid shows (structurally MediaItemRecord). */
export interface AlbumMediaItem {
  id: string;
  filename: string;
  mimeType: string;
  /** RFC 3339. */
  creationTime?: string;
  sha256?: string;
}

export interface AlbumSourceOptions {
  title: string;
  /** Items in the album: index.mediaItems.countInAlbum(albumId). */
  count(): number | Promise<number>;
  /** Album order: index.mediaItems.inAlbum(albumId, { offset, limit }).items (limit ≤ 1000). */
  page(offset: number, limit: number): AlbumMediaItem[] | Promise<AlbumMediaItem[]>;
  /** JPEG bytes at most `size` px on the longest side. Throw ItemGoneError when Google no longer has the item. */
  fetchThumbnail(item: AlbumMediaItem, size: number, signal: AbortSignal): Promise<Uint8Array>;
  /** Downloads the full image (or reuses a download) and returns its path. */
  downloadFull(item: AlbumMediaItem, signal: AbortSignal): Promise<string>;
}

/** The index allows at most 1000 rows a page. */
const INDEX_PAGE_LIMIT = 1000;

export function albumSource(options: AlbumSourceOptions): GridSource {
  // The grid hands back SourceItems; keep the records they came from to call the fetchers with.
  const records = new Map<string, AlbumMediaItem>();
  const recordOf = (item: SourceItem): AlbumMediaItem =>
    records.get(item.id) ?? { id: item.id, filename: item.name, mimeType: item.mimeType ?? 'image/jpeg' };

  return {
    title: options.title,
    async count() {
      return options.count();
    },
    async page(offset, limit) {
      const out: SourceItem[] = [];
      for (let at = offset; at < offset + limit; at += INDEX_PAGE_LIMIT) {
        const rows = await options.page(at, Math.min(INDEX_PAGE_LIMIT, offset + limit - at));
        for (const r of rows) {
          records.set(r.id, r);
          out.push({
            id: r.id,
            name: r.filename,
            detail: r.creationTime ? r.creationTime.slice(0, 10) : undefined,
            kind: kindOfMime(r.mimeType),
            mimeType: r.mimeType,
            // Same bytes, same thumbnail: the sha256 when we know it (uploads), else the remote id.
            cacheKey: r.sha256 ? `sha256:${r.sha256}` : `remote:${r.id}`,
          });
        }
        if (rows.length < Math.min(INDEX_PAGE_LIMIT, offset + limit - at)) break;
      }
      return out;
    },
    async thumbnail(item, size, signal) {
      return { kind: 'jpeg', bytes: await options.fetchThumbnail(recordOf(item), size, signal) };
    },
    fullImage(item, signal) {
      return options.downloadFull(recordOf(item), signal);
    },
  };
}
