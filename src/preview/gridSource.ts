// What the thumbnail grid needs from wherever its items come from. The wiring implements it for a
// Google Photos album (items page by page from the index, thumbnails fetched with the token) and
// uses localFolderSource for a folder on disk.
import type { ItemKind } from '../webview/protocol';

export interface SourceItem {
  id: string;
  name: string;
  detail?: string;
  kind: ItemKind;
  mimeType?: string;
  /**
   * Identity of the bytes, for the thumbnail cache: the sha256 when known, else something that
   * changes when the file does (path + size + mtime). Two items with one key share a thumbnail.
   */
  cacheKey: string;
  /** The item no longer exists (e.g. the file was deleted since the listing). */
  gone?: boolean;
}

/** Bytes the host turns into a cached thumbnail. */
export type ThumbnailInput =
  /** A ready JPEG (an EXIF-embedded thumbnail, or one Google sized for us). */
  | { kind: 'jpeg'; bytes: Uint8Array }
  /** A whole image the webview decodes and downscales (createImageBitmap + OffscreenCanvas). */
  | { kind: 'decode'; bytes: Uint8Array; mimeType: string; orientation?: ExifOrientation };

/** EXIF orientation 1–8 (1 = upright), for an embedded thumbnail that is stored unrotated. */
export type ExifOrientation = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

/** Thrown by a source when the item's file or remote item no longer exists. */
export class ItemGoneError extends Error {
  constructor(readonly itemId: string, message = 'The file no longer exists') {
    super(message);
    this.name = 'ItemGoneError';
  }
}

/** Thrown by a source when no thumbnail can be made; the message is shown on hover. */
export class NoThumbnailError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoThumbnailError';
  }
}

export interface GridSource {
  readonly title: string;
  count(signal: AbortSignal): Promise<number>;
  /** Items [offset, offset + limit) in display order. */
  page(offset: number, limit: number, signal: AbortSignal): Promise<SourceItem[]>;
  /** Bytes for the item's thumbnail, at most `size` px on the longest side when the source can size them. */
  thumbnail(item: SourceItem, size: number, signal: AbortSignal): Promise<ThumbnailInput>;
  /** Absolute path of the full image on disk (downloaded first for a remote item), for VS Code's image preview. */
  fullImage(item: SourceItem, signal: AbortSignal): Promise<string>;
}

export function kindOfMime(mimeType: string | undefined | null): ItemKind {
  if (mimeType?.startsWith('image/')) return 'image';
  if (mimeType?.startsWith('video/')) return 'video';
  return 'other';
}

/** Image types Chromium's createImageBitmap decodes (so the webview can make their thumbnail). */
export const BROWSER_DECODABLE = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/bmp', 'image/avif', 'image/x-icon']);
