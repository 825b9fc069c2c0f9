// What Flickr accepts and how it limits use (upload.api.html, flickr.com/services/developer/api,
// flickrhelp "free account limits"): photos up to 200 MB and videos up to 1 GB of the types below,
// 3,600 API calls per hour per key, 1,000 photos and videos on a free account, albums (photosets)
// that cannot exist without a photo, uploads that create the photo at once (no receipt to expire).
import type { MediaTypes } from '../../metadata/mediaTypes';
import type { AcceptedType, ProviderRules } from '../../sync/provider';
import { PHOTO_BYTES_ENDPOINT } from '../../flickr/client';
import { classifyFlickrError } from './classify';
import { englishReason, REASON_TOO_LARGE_FLICKR_PHOTO, REASON_TOO_LARGE_FLICKR_VIDEO, REASON_UNSUPPORTED_FLICKR } from '../../sync/reasonText';
import { FLICKR_QUOTA } from './quota';

export { CALLS_PER_HOUR, FLICKR_QUOTA, PROVIDER_ID } from './quota';

export const PHOTO_LIMIT_BYTES = 200 * 1024 * 1024;
export const VIDEO_LIMIT_BYTES = 1024 * 1024 * 1024;
/** A free account holds at most this many photos and videos (since 2019). */
export const FREE_ACCOUNT_ITEMS = 1000;
/** Files at least this large (and every video) go up with `async=1` and are followed by ticket checks. */
export const ASYNC_UPLOAD_BYTES = 32 * 1024 * 1024;
/** Ticket checks an async upload is expected to cost (the checks are shared by uploads in flight). */
const TICKET_CHECKS_PER_UPLOAD = 2;

/** The photo and video types Flickr takes, by MIME type (JPEG, PNG, GIF, TIFF, HEIC; MP4, MOV). */
const PHOTO_MIMES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/tiff', 'image/heic', 'image/heif']);
const VIDEO_MIMES = new Set(['video/mp4', 'video/quicktime']);

export function flickrRules(mediaTypes: MediaTypes, options: { asyncThreshold?: number } = {}): ProviderRules {
  const quota = FLICKR_QUOTA;
  const asyncAt = options.asyncThreshold ?? ASYNC_UPLOAD_BYTES;
  return {
    accepts(fileName: string): AcceptedType | undefined {
      const type = mediaTypes.typeOf(fileName);
      if (!type) return undefined;
      if (type.kind === 'photo' && PHOTO_MIMES.has(type.mimeType)) return { ...type, limitBytes: PHOTO_LIMIT_BYTES };
      if (type.kind === 'video' && VIDEO_MIMES.has(type.mimeType)) return { ...type, limitBytes: VIDEO_LIMIT_BYTES };
      return undefined;
    },
    unsupportedReason: REASON_UNSUPPORTED_FLICKR,
    tooLargeReason: (type) => (type.kind === 'photo' ? englishReason(REASON_TOO_LARGE_FLICKR_PHOTO, '200 MB') : englishReason(REASON_TOO_LARGE_FLICKR_VIDEO, '1 GB')),
    // A commit puts up to 50 uploaded photos into their album; photosets.addPhoto takes one photo per call.
    maxBatch: 50,
    // Flickr documents a "set full" error (photosets.addPhoto code 10) but no number.
    maxContainerItems: Number.MAX_SAFE_INTEGER,
    emptyContainers: false,
    receiptLifetimeMs: undefined,
    quota,
    uploadRequests: (size) => (size >= asyncAt ? 1 + TICKET_CHECKS_PER_UPLOAD : 1),
    // One photosets.addPhoto per photo (an album's first photo is photosets.create instead).
    commitRequests: (items) => items,
    addRequests: (items) => items,
    classify: (err, now) => classifyFlickrError(err, now, quota),
    // Photo bytes come from the static photo servers, not the API.
    countsTowardQuota: (endpoint) => endpoint !== PHOTO_BYTES_ENDPOINT,
  };
}
