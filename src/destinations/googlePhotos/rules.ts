// What Google Photos accepts and how it limits use (upload guide, Library API limits): photos up to
// 200 MB and videos up to 20 GB of the listed types, 50 items per batch call, 20,000 items per
// album, 10,000 requests per day per project reset at midnight Pacific, upload tokens that live a day.
import { classifyGoogleError } from '../../google/errors';
import { MEDIA_BYTES_ENDPOINT } from '../../google/http';
import type { MediaTypes } from '../../metadata/mediaTypes';
import { RAW_EXTENSIONS } from '../../metadata/mediaTypes';
import { dailyQuota } from '../../tasks/quotaPolicy';
import type { AcceptedType, ProviderRules } from '../../sync/provider';
import { MAX_BATCH } from './library';
import { englishReason, REASON_TOO_LARGE_GOOGLE_PHOTOS_PHOTO, REASON_TOO_LARGE_GOOGLE_PHOTOS_VIDEO, REASON_UNSUPPORTED_GOOGLE_PHOTOS } from '../../sync/reasonText';
import { QUOTA_RESET_PACIFIC_MIDNIGHT } from '../../tasks/quotaWords';

export const PROVIDER_ID = 'google-photos';
export const PHOTO_LIMIT_BYTES = 200 * 1024 * 1024;
export const VIDEO_LIMIT_BYTES = 20 * 1024 * 1024 * 1024;
export const MAX_ALBUM_ITEMS = 20_000;
export const DAILY_REQUESTS = 10_000;
/** Upload tokens live one day. */
export const UPLOAD_TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** Photo types Google lists (AVIF, BMP, GIF, HEIC, ICO, JPG, PNG, TIFF, WEBP) by MIME type. */
const PHOTO_MIMES = new Set([
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/heic',
  'image/heif',
  'image/heic-sequence',
  'image/heif-sequence',
  'image/webp',
  'image/tiff',
  'image/avif',
  'image/bmp',
  'image/x-ms-bmp',
  'image/vnd.microsoft.icon',
  'image/x-icon',
  'image/x-adobe-dng',
]);

/** Video containers Google lists (3GP, 3G2, ASF, AVI, DIVX, M2T, M2TS, M4V, MKV, MMV, MOD, MOV, MP4, MPG, MTS, TOD, WMV). */
const VIDEO_MIMES = new Set([
  'video/mp4',
  'video/quicktime',
  'video/x-m4v',
  'video/3gpp',
  'video/3gpp2',
  'video/x-msvideo',
  'video/x-matroska',
  'video/x-ms-wmv',
  'video/x-ms-asf',
  'video/mpeg',
  'video/mp2t',
  // DIVX and MMV have no registered type; metadata/mediaTypes names them so.
  'video/divx',
  'video/x-mmv',
]);
const RAW_MIMES = new Set(Object.values(RAW_EXTENSIONS));

export interface TransferSizes {
  /** Files above this go resumable (start + chunks). */
  resumableThreshold: number;
  chunkSize: number;
}

export const DEFAULT_TRANSFER_SIZES: TransferSizes = { resumableThreshold: 8 * 1024 * 1024, chunkSize: 8 * 1024 * 1024 };

export const GOOGLE_PHOTOS_QUOTA = dailyQuota(PROVIDER_ID, DAILY_REQUESTS, 'America/Los_Angeles', QUOTA_RESET_PACIFIC_MIDNIGHT);

export function googlePhotosRules(mediaTypes: MediaTypes, sizes: TransferSizes = DEFAULT_TRANSFER_SIZES): ProviderRules {
  const quota = GOOGLE_PHOTOS_QUOTA;
  return {
    accepts(fileName: string): AcceptedType | undefined {
      const type = mediaTypes.typeOf(fileName);
      if (!type) return undefined;
      if (type.kind === 'photo' && (PHOTO_MIMES.has(type.mimeType) || RAW_MIMES.has(type.mimeType))) return { ...type, limitBytes: PHOTO_LIMIT_BYTES };
      if (type.kind === 'video' && VIDEO_MIMES.has(type.mimeType)) return { ...type, limitBytes: VIDEO_LIMIT_BYTES };
      return undefined;
    },
    unsupportedReason: REASON_UNSUPPORTED_GOOGLE_PHOTOS,
    tooLargeReason: (type) => (type.kind === 'photo' ? englishReason(REASON_TOO_LARGE_GOOGLE_PHOTOS_PHOTO, '200 MB') : englishReason(REASON_TOO_LARGE_GOOGLE_PHOTOS_VIDEO, '20 GB')),
    maxBatch: MAX_BATCH,
    maxContainerItems: MAX_ALBUM_ITEMS,
    emptyContainers: true,
    receiptLifetimeMs: UPLOAD_TOKEN_LIFETIME_MS,
    quota,
    uploadRequests: (size) => (size > sizes.resumableThreshold ? 1 + Math.ceil(size / sizes.chunkSize) : 1),
    classify: (err, now) => classifyGoogleError(err, now, quota),
    // baseUrl byte downloads count against a separate, larger quota; the Picker API has its own
    // (100,000 requests a minute), not the Library API's 10,000 a day.
    countsTowardQuota: (endpoint) => endpoint !== MEDIA_BYTES_ENDPOINT && !endpoint.startsWith('picker.'),
  };
}
