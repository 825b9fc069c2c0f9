// Run limits and guards of two-way sync (seed 004's `max` and `wait`): `photoSync.sync.maxOperations`
// (0 = unlimited), `photoSync.sync.delayMs`, `photoSync.sync.mirrorDeleteThreshold` (the share of an
// album a run may remove without an explicit confirmation).
export interface RunLimits {
  /** Uploads, downloads and removals one run does at most; 0 = no limit. */
  maxOperations: number;
  /** Pause between operations (a metered or shared link). */
  delayMs: number;
  /** Removing more than this share of an album's items needs an explicit confirmation (0–1). */
  mirrorDeleteThreshold: number;
}

export const DEFAULT_LIMITS: RunLimits = { maxOperations: 0, delayMs: 0, mirrorDeleteThreshold: 0.25 };

export function parseRunLimits(get: (key: string) => unknown): RunLimits {
  const num = (key: string, fallback: number, min: number, max: number) => {
    const v = get(key);
    return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : fallback;
  };
  return {
    maxOperations: Math.floor(num('sync.maxOperations', DEFAULT_LIMITS.maxOperations, 0, Number.MAX_SAFE_INTEGER)),
    delayMs: Math.floor(num('sync.delayMs', DEFAULT_LIMITS.delayMs, 0, 600_000)),
    mirrorDeleteThreshold: num('sync.mirrorDeleteThreshold', DEFAULT_LIMITS.mirrorDeleteThreshold, 0, 1),
  };
}

/** Folder flags with their defaults: upload on, download and mirror deletes off. */
export function twoWayOf(folder: { upload?: boolean; download?: boolean; mirrorDeletes?: boolean }): { upload: boolean; download: boolean; mirrorDeletes: boolean } {
  return { upload: folder.upload !== false, download: folder.download === true, mirrorDeletes: folder.mirrorDeletes === true };
}

/**
 * Drops from a sync plan the uploads of folders whose `upload` is off, then keeps at most
 * `maxOperations` uploads and album adds (0 = all). Returns how many were left for the next run.
 */
export function limitUploads(plan: { uploads: { folder: { upload?: boolean } }[]; adds: { folder: { upload?: boolean } }[] }, maxOperations: number): number {
  plan.uploads = plan.uploads.filter((u) => u.folder.upload !== false);
  plan.adds = plan.adds.filter((a) => a.folder.upload !== false);
  if (maxOperations <= 0) return 0;
  const total = plan.uploads.length + plan.adds.length;
  plan.uploads = plan.uploads.slice(0, maxOperations);
  plan.adds = plan.adds.slice(0, Math.max(0, maxOperations - plan.uploads.length));
  return total - plan.uploads.length - plan.adds.length;
}
