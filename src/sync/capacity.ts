// A destination that caps how many items an account holds (Flickr's free accounts: 1,000 photos
// and videos; 50 that are not public): how much of a plan fits, and the plan cut down to that.
import { estimateCost, type SyncPlan } from './plan';
import type { Capacity, ProviderRules } from './provider';

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
