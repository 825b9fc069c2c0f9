import type { PhotoIndex } from '../../index/api';
import type { Logger } from '../../util/logger';
import type { PhotoProvider } from '../provider';

/** What every step of the download pipeline shares for one source account. */
export interface DownloadContext {
  readonly provider: PhotoProvider;
  readonly index: PhotoIndex;
  readonly accountId: string;
  readonly log: Logger;
  readonly now: () => number;
}

/** One row per item and download folder: an item is stored once per folder, whichever source listed it. */
export function downloadId(provider: string, accountId: string, root: string, mediaItemId: string): string {
  return `${provider}:${accountId}:${mediaItemId}:${root}`;
}

/** The queue's task ids for a download row: receiving its bytes, then placing the file. */
export function downloadTaskId(rowId: string): string {
  return `download:${rowId}`;
}

export function placeTaskId(rowId: string): string {
  return `place:${rowId}`;
}

/** The quota a download's requests (listing, address refreshes) spend. */
export function quotaKey(ctx: DownloadContext): string {
  return `${ctx.provider.rules.quota.bucket}:${ctx.accountId}`;
}
