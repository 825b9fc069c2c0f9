// The two edits the pre-upload review makes to a plan (its rows: reviewRows.ts): applying a new exclude glob to the scans already made (no
// second walk, no second hash), and narrowing the plan to exactly the files the user sent.
import path from 'node:path';
import { FolderFilters } from '../sync/filters';
import type { SyncPlan } from '../sync/plan';
import type { ReviewScan } from './reviewRows';
import type { ReviewFile } from './reviewSession';

export { excludeReason, reviewRows, type ReviewQuota, type ReviewScan } from './reviewRows';

/**
 * Adds `glob` to the folder's exclude rules and applies it to the scans already made: every file it
 * matches becomes "excluded" with the rule as the reason. Returns how many files changed.
 */
export function applyExclude(scans: readonly ReviewScan[], folderIndex: number, glob: string): number {
  const target = scans[folderIndex];
  if (!target) throw new Error('Unknown folder');
  if (!target.folder.exclude.includes(glob)) target.folder.exclude.push(glob);
  const filters = new FolderFilters(target.folder);
  let changed = 0;
  for (const file of target.scan.files) {
    if (file.status === 'excluded') continue;
    const verdict = filters.file(file.rel);
    if (verdict.ok) continue;
    file.status = 'excluded';
    file.reason = `exclude rule ${glob}`;
    changed++;
  }
  return changed;
}

/**
 * The plan narrowed to the files the user sent with "Upload These": their uploads, the album adds of
 * their duplicates, and the album adds of bytes already in the library (shown as such in the review);
 * nothing else is sent. Album creations are kept only for albums still used.
 */
export function restrictPlan(plan: SyncPlan, files: readonly ReviewFile[]): SyncPlan {
  const chosen = new Set(files.map((f) => path.resolve(f.path)));
  const uploads = plan.uploads.filter((u) => chosen.has(path.resolve(u.file.path)));
  const shas = new Set(uploads.map((u) => u.sha256));
  const adds = plan.adds.filter((a) => a.mediaItemId || shas.has(a.sha256));
  const used = new Set([...uploads.map((u) => u.albumTitle), ...adds.map((a) => a.albumTitle)]);
  const bytesToUpload = uploads.reduce((n, u) => n + (u.reusableReceipt ? 0 : u.file.size), 0);
  return { ...plan, uploads, adds, albumsToCreate: plan.albumsToCreate.filter((t) => used.has(t)), bytesToUpload };
}
