// A destination that caps how many items an account holds (Flickr's free accounts: 1,000 photos
// and videos; 50 that are not public): how much of a plan fits, and the plan cut down to that.
import { estimateCost, type SyncPlan } from './plan';
import type { Capacity, ProviderRules } from './provider';
import type { SyncL10n } from './l10n';

// Capacity.account / .items as the destinations write them (English, as the log and the command line
// show them); the UI translates them with capacityWords().
export const CAPACITY_FREE_FLICKR_ACCOUNT = 'free Flickr account';
export const CAPACITY_PHOTOS_AND_VIDEOS = 'photos and videos';
export const CAPACITY_NOT_PUBLIC = 'photos and videos that are not public';

const CAPACITY_WORDS: Record<string, (l10n: SyncL10n) => string> = {
  [CAPACITY_FREE_FLICKR_ACCOUNT]: (l10n) => l10n.t(CAPACITY_FREE_FLICKR_ACCOUNT),
  [CAPACITY_PHOTOS_AND_VIDEOS]: (l10n) => l10n.t(CAPACITY_PHOTOS_AND_VIDEOS),
  [CAPACITY_NOT_PUBLIC]: (l10n) => l10n.t(CAPACITY_NOT_PUBLIC),
};

/** The capacity's account and item words in the user's language (words no message knows stay as they are). */
export function capacityWords(capacity: Capacity, l10n: SyncL10n): { account: string; items: string } {
  const word = (w: string) => (Object.hasOwn(CAPACITY_WORDS, w) ? CAPACITY_WORDS[w](l10n) : w);
  return { account: word(capacity.account), items: word(capacity.items) };
}

/** Items the account may still take (never below zero). */
export function roomLeft(capacity: Capacity): number {
  return Math.max(0, capacity.limit - capacity.used);
}

/**
 * The plan with only its first `room` uploads (new items); adds of content already at the destination
 * stay, adds waiting for an upload that was cut go with it. The files cut stay "to upload" for the next sync.
 */
export function trimToRoom(plan: SyncPlan, room: number, options: { rules: Pick<ProviderRules, 'uploadRequests' | 'maxContainerItems' | 'receiptLifetimeMs' | 'commitRequests' | 'addRequests'>; batchSize: number }): SyncPlan {
  const uploads = plan.uploads.slice(0, Math.max(0, room));
  const kept = new Set(uploads.map((u) => u.sha256));
  const adds = plan.adds.filter((a) => a.mediaItemId !== undefined || kept.has(a.sha256));
  const titles = new Set([...uploads, ...adds].map((x) => x.albumTitle));
  const trimmed: SyncPlan = {
    ...plan,
    uploads,
    adds,
    albumsToCreate: plan.albumsToCreate.filter((t) => titles.has(t)),
    bytesToUpload: uploads.reduce((n, u) => n + (u.reusableReceipt ? 0 : u.file.size), 0),
  };
  trimmed.cost = estimateCost(trimmed, options);
  return trimmed;
}
