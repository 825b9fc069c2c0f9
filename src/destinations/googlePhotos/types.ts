// Shapes of the Photos Library API v1, mirroring the discovery document's schemas (rev 20240605).
// int64 fields arrive as JSON strings, as the discovery document says.

export interface Album {
  id: string;
  /** At most 500 characters. */
  title?: string;
  productUrl?: string;
  isWriteable?: boolean;
  /** int64 as a string. */
  mediaItemsCount?: string;
  coverPhotoBaseUrl?: string;
  coverPhotoMediaItemId?: string;
}

export interface Photo {
  cameraMake?: string;
  cameraModel?: string;
  focalLength?: number;
  apertureFNumber?: number;
  isoEquivalent?: number;
  /** google-duration, e.g. "0.01s". */
  exposureTime?: string;
}

export interface Video {
  cameraMake?: string;
  cameraModel?: string;
  fps?: number;
  status?: 'UNSPECIFIED' | 'PROCESSING' | 'READY' | 'FAILED';
}

export interface MediaMetadata {
  /** RFC 3339. */
  creationTime?: string;
  /** int64 as a string. */
  width?: string;
  height?: string;
  photo?: Photo;
  video?: Video;
}

export interface MediaItem {
  id: string;
  description?: string;
  productUrl?: string;
  /** Needs a suffix (=d, =dv, =wW-hH); expires after about 60 minutes. */
  baseUrl?: string;
  mimeType?: string;
  filename?: string;
  mediaMetadata?: MediaMetadata;
}

/** google.rpc.Status, used inline for per-item results. */
export interface Status {
  code?: number;
  message?: string;
  details?: unknown[];
}

export interface SimpleMediaItem {
  uploadToken: string;
  /** At most 255 characters including the extension; overrides the upload's file name. */
  fileName?: string;
}

export interface NewMediaItem {
  /** Fewer than 1000 characters. */
  description?: string;
  simpleMediaItem: SimpleMediaItem;
}

export interface AlbumPosition {
  position: 'POSITION_TYPE_UNSPECIFIED' | 'FIRST_IN_ALBUM' | 'LAST_IN_ALBUM' | 'AFTER_MEDIA_ITEM' | 'AFTER_ENRICHMENT_ITEM';
  relativeMediaItemId?: string;
  relativeEnrichmentItemId?: string;
}

export interface NewMediaItemResult {
  uploadToken?: string;
  status?: Status;
  mediaItem?: MediaItem;
}

export interface MediaItemResult {
  status?: Status;
  mediaItem?: MediaItem;
}

export interface GoogleDate {
  year?: number;
  month?: number;
  day?: number;
}

export interface Filters {
  dateFilter?: { dates?: GoogleDate[]; ranges?: { startDate: GoogleDate; endDate: GoogleDate }[] };
  contentFilter?: { includedContentCategories?: string[]; excludedContentCategories?: string[] };
  mediaTypeFilter?: { mediaTypes: ('ALL_MEDIA' | 'VIDEO' | 'PHOTO')[] };
  featureFilter?: { includedFeatures: ('NONE' | 'FAVORITES')[] };
  includeArchivedMedia?: boolean;
  excludeNonAppCreatedData?: boolean;
}

/** `albumId` and `filters` exclude each other. */
export type SearchMediaItemsRequest = {
  pageSize?: number;
  orderBy?: string;
} & ({ albumId: string; filters?: never } | { albumId?: never; filters?: Filters });

/** google.rpc.Code names by number, for per-item statuses that carry only the number. */
export { rpcCodeName } from '../../google/rpcCodes';
