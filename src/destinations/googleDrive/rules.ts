// What Google Drive accepts and how it limits use (Drive API v3: manage-uploads, limits,
// handle-errors; brief shared/reference/google-drive-api.md): any bytes up to 5,120 GB per file,
// one parent folder per file, no request batching of media, 12,000 queries a minute per project
// (per-user rate limits answer 403 userRateLimitExceeded or 429, retried with backoff), and a full
// Drive answers 403 storageQuotaExceeded. Uploads create the file in the folder they name, so the
// pipelines make the album folder first and the commit only confirms what the upload made.
import { classifyGoogleError, GoogleApiError } from '../../google/errors';
import type { MediaTypes } from '../../metadata/mediaTypes';
import { hourlyQuota, type QuotaPolicy } from '../../tasks/quotaPolicy';
import type { AcceptedType, ProviderRules } from '../../sync/provider';
import { englishReason, REASON_TOO_LARGE_DRIVE, REASON_UNSUPPORTED_DRIVE } from '../../sync/reasonText';
import { perMinuteLabel } from '../../tasks/quotaWords';
import { DRIVE_NO_ACCESS } from '../../sync/destinationText';

export const PROVIDER_ID = 'google-drive';
/** `mediaUpload.maxSize` of files.create in the discovery document: 5,120 GB. */
export const MAX_FILE_BYTES = 5_497_558_138_880;
/** Drive shows folders of any size; the pipelines spill past this to keep one folder listable in a few pages. */
export const MAX_FOLDER_ITEMS = 100_000;
/** Receipts confirmed per commit: one files.list whose query names each file's content key. */
export const MAX_BATCH = 40;
/** Drive's documented limit is 12,000 queries per 60 s per project; counted per hour (the queue's shortest period). */
export const QUERIES_PER_MINUTE = 12_000;

export const DRIVE_QUOTA: QuotaPolicy = {
  ...hourlyQuota(PROVIDER_ID, QUERIES_PER_MINUTE * 60),
  label: perMinuteLabel(QUERIES_PER_MINUTE),
};

export interface DriveTransferSizes {
  /** Files above this go resumable; at or below, one multipart request (Drive: "5 MB or less"). */
  resumableThreshold: number;
  /** Resumable chunk size, a multiple of 256 KiB. */
  chunkSize: number;
}

export const DRIVE_CHUNK_GRANULARITY = 256 * 1024;
export const DEFAULT_DRIVE_TRANSFER_SIZES: DriveTransferSizes = { resumableThreshold: 5 * 1024 * 1024, chunkSize: 8 * 1024 * 1024 };

/** Reasons Drive gives for its rate limits: they pass with backoff. */
const RATE_LIMITED = new Set(['userRateLimitExceeded', 'rateLimitExceeded']);
/** The project's daily courtesy limit: nothing of this quota runs until it resets. */
const DAILY_LIMIT = new Set(['dailyLimitExceeded']);
/** Storage full: Drive's reason, and the older one PyDrive users report for the same message. */
export const STORAGE_FULL = new Set(['storageQuotaExceeded', 'quotaExceeded']);

export function isStorageFull(err: unknown): boolean {
  return err instanceof GoogleApiError && err.httpStatus === 403 && !!err.reason && STORAGE_FULL.has(err.reason);
}

export function driveRules(mediaTypes: MediaTypes, sizes: DriveTransferSizes = DEFAULT_DRIVE_TRANSFER_SIZES): ProviderRules {
  const quota = DRIVE_QUOTA;
  return {
    // Drive keeps any bytes; Photo Sync syncs photos and videos (the same scan rules as for Google Photos).
    accepts(fileName: string): AcceptedType | undefined {
      const type = mediaTypes.typeOf(fileName);
      return type && { ...type, limitBytes: MAX_FILE_BYTES };
    },
    unsupportedReason: REASON_UNSUPPORTED_DRIVE,
    tooLargeReason: () => englishReason(REASON_TOO_LARGE_DRIVE, '5,120 GB'),
    maxBatch: MAX_BATCH,
    maxContainerItems: MAX_FOLDER_ITEMS,
    emptyContainers: true,
    uploadsIntoContainer: true,
    // Uploads create the file: there is no token that could expire.
    receiptLifetimeMs: undefined,
    quota,
    remoteChecksum: 'sha256',
    uploadRequests: (size) => (size > sizes.resumableThreshold ? 1 + Math.ceil(size / sizes.chunkSize) : 1),
    classify: (err, now) => classifyDriveError(err, now, quota),
    // Byte downloads count against Drive's rate limits like any query.
    countsTowardQuota: () => true,
  };
}

export function classifyDriveError(err: unknown, now: number, quota: QuotaPolicy) {
  if (err instanceof GoogleApiError && err.reason) {
    if (DAILY_LIMIT.has(err.reason)) return { kind: 'quota' as const, until: quota.resetsAt(now), label: quota.label };
    if (RATE_LIMITED.has(err.reason)) return { kind: 'retry' as const, afterMs: err.retryAfterMs };
    // The message of a DriveFullError says how much is needed; only the user can free it.
    if (isStorageFull(err)) return { kind: 'needs-user' as const, message: err.message };
    if (err.reason === 'insufficientPermissions' || err.reason === 'ACCESS_TOKEN_SCOPE_INSUFFICIENT') {
      return { kind: 'needs-user' as const, message: DRIVE_NO_ACCESS };
    }
  }
  return classifyGoogleError(err, now, quota);
}
