// What a sync will do, decided before any request: which bytes go up (once per content), which
// already-uploaded items only join another album, what is skipped and why, and what it costs in
// requests against the destination's quota.
import type { IndexReader } from '../index/api';
import { periodsNeeded } from '../tasks/quotaPolicy';
import type { SyncFolder } from './config';
import type { ProviderRules, Receipt } from './provider';
import type { ScanResult, ScannedFile } from './scan';
import { spillTitle } from './albums';

export type UploadReason = 'new' | 'changed' | 'retry' | 'resume';

export interface PlannedUpload {
  /** Upload journal id: one per destination, account and content. */
  id: string;
  file: ScannedFile;
  folder: SyncFolder;
  sha256: string;
  albumTitle: string;
  reason: UploadReason;
  /** A receipt still committable from an interrupted run: commit it without sending the bytes again. */
  reusableReceipt?: Receipt;
}

/** A file whose bytes are (or will be) in the library, to be put into one more album. */
export interface PlannedAdd {
  file: ScannedFile;
  folder: SyncFolder;
  sha256: string;
  albumTitle: string;
  /** Known when the bytes were uploaded by an earlier sync; otherwise taken from this run's upload. */
  mediaItemId?: string;
}

export interface SkippedFile {
  file: ScannedFile;
  folder: SyncFolder;
}

export interface PlanCost {
  albumCreates: number;
  uploadRequests: number;
  commits: number;
  albumAdds: number;
  total: number;
}

export interface SyncPlan {
  accountId: string;
  uploads: PlannedUpload[];
  adds: PlannedAdd[];
  /** Content already in the library and in its album: nothing to do (may still be archived). */
  alreadyUploaded: { file: ScannedFile; folder: SyncFolder; mediaItemId: string }[];
  /** Same bytes as another file of this sync: sent once. */
  duplicates: SkippedFile[];
  excluded: SkippedFile[];
  unsupported: SkippedFile[];
  tooLarge: SkippedFile[];
  empty: SkippedFile[];
  unreadable: SkippedFile[];
  /** Files that look damaged (sync/damage.ts), with the reason in file.reason: never sent. */
  damaged: SkippedFile[];
  /** Bytes the service refused before (e.g. a corrupt image); retried only once the file changes. */
  rejected: (SkippedFile & { message: string })[];
  /** Album titles that do not exist yet (created on first use). */
  albumsToCreate: string[];
  /** Album ids already known for titles used by this plan. */
  albumIds: Map<string, string>;
  warnings: string[];
  missingFolders: string[];
  cost: PlanCost;
  bytesToUpload: number;
  /** Files of these folders already moved to their archive folders after upload (backed up). */
  archived: number;
}

export interface PlanOptions {
  accountId: string;
  /** PhotoProvider.id. */
  provider: string;
  rules: Pick<ProviderRules, 'maxContainerItems' | 'uploadRequests' | 'receiptLifetimeMs' | 'commitRequests' | 'addRequests'>;
  /** Items per commit / add call (≤ the provider's maxBatch). */
  batchSize: number;
  now?: number;
}

/** A receipt this close to its expiry is not reused: the commit might not reach the service in time. */
export const RECEIPT_MARGIN_MS = 60 * 60 * 1000;

/** The uploads journal key: one row per destination, account and content. */
export function uploadId(provider: string, accountId: string, sha256: string): string {
  return `${provider}:${accountId}:${sha256}`;
}

/** The app-created album this account already has for a title, newest record first. */
export function knownAlbumId(index: IndexReader, title: string, accountId: string, provider: string): string | undefined {
  const albums = index.albums.byTitle(title, { accountId, provider }).filter((a) => a.appCreated);
  return albums[0]?.id;
}

export function buildPlan(scans: readonly { folder: SyncFolder; scan: ScanResult }[], index: IndexReader, options: PlanOptions): SyncPlan {
  const now = options.now ?? Date.now();
  const plan: SyncPlan = {
    accountId: options.accountId,
    uploads: [],
    adds: [],
    alreadyUploaded: [],
    duplicates: [],
    excluded: [],
    unsupported: [],
    tooLarge: [],
    empty: [],
    unreadable: [],
    damaged: [],
    rejected: [],
    albumsToCreate: [],
    albumIds: new Map(),
    warnings: [],
    missingFolders: [],
    cost: { albumCreates: 0, uploadRequests: 0, commits: 0, albumAdds: 0, total: 0 },
    bytesToUpload: 0,
    archived: 0,
  };
  const uploadBySha = new Map<string, PlannedUpload>();
  /** Items each album title will receive in this sync, to apply the 20,000 cap. */
  const incoming = new Map<string, number>();
  const albumFor = albumSpiller(index, options, incoming, plan);
  const contentOf = contentLookup(index, options, scans);
  const titleOf = albumTitles(index);

  for (const { folder, scan } of scans) {
    if (scan.missing) plan.missingFolders.push(scan.root);
    // What the scan could not read (a folder without permission, a broken or looping link): said, not silently left out.
    else if (scan.problems.length) plan.warnings.push(...scan.problems.slice(0, 5), ...(scan.problems.length > 5 ? [`… and ${scan.problems.length - 5} more problems scanning ${scan.root}.`] : []));
    for (const file of scan.files) {
      const skipped = { file, folder };
      switch (file.status) {
        case 'excluded':
          plan.excluded.push(skipped);
          continue;
        case 'unsupported':
          plan.unsupported.push(skipped);
          continue;
        case 'too-large':
          plan.tooLarge.push(skipped);
          continue;
        case 'empty':
          plan.empty.push(skipped);
          continue;
        case 'unreadable':
          plan.unreadable.push(skipped);
          continue;
        case 'damaged':
          plan.damaged.push(skipped);
          continue;
      }
      const sha256 = file.sha256;
      if (!sha256 || !file.albumTitle) {
        plan.unreadable.push(skipped);
        continue;
      }
      const baseTitle = file.albumTitle;

      // Content already at the destination (this account): never send it again.
      const existing = contentOf(sha256);
      if (existing) {
        const inAlbumAlready = existing.albumIds.some((id) => titleMatches(titleOf(id), baseTitle));
        if (inAlbumAlready) plan.alreadyUploaded.push({ file, folder, mediaItemId: existing.id });
        else plan.adds.push({ file, folder, sha256, albumTitle: albumFor(baseTitle), mediaItemId: existing.id });
        continue;
      }
      const planned = uploadBySha.get(sha256);
      if (planned) {
        // The same bytes twice in this sync: one upload; another album gets it by batchAdd.
        plan.duplicates.push(skipped);
        if (planned.albumTitle !== baseTitle && !isSpillOf(planned.albumTitle, baseTitle)) plan.adds.push({ file, folder, sha256, albumTitle: albumFor(baseTitle) });
        continue;
      }
      const id = uploadId(options.provider, options.accountId, sha256);
      // A row whose file was edited mid-upload holds the new bytes under the old key: not ours.
      const row = index.uploads.get(id);
      const journal = row && (!row.sha256 || row.sha256 === sha256) ? row : undefined;
      if (journal?.state === 'committed' && journal.mediaItemId) {
        // Committed but the media item row is missing (e.g. index rebuilt): trust the journal.
        plan.adds.push({ file, folder, sha256, albumTitle: albumFor(baseTitle), mediaItemId: journal.mediaItemId });
        continue;
      }
      if (journal?.state === 'rejected' && journal.sha256 === sha256) {
        plan.rejected.push({ file, folder, message: journal.lastError ?? 'refused by the service' });
        continue;
      }
      const known = index.localFiles.byPath(file.path);
      const reusable = journal ? index.uploads.reusableReceipt(id, now, RECEIPT_MARGIN_MS) : undefined;
      const reason: UploadReason = reusable ? 'resume' : journal ? 'retry' : known?.sha256 && known.sha256 !== sha256 ? 'changed' : 'new';
      const upload: PlannedUpload = { id, file, folder, sha256, albumTitle: albumFor(baseTitle), reason, reusableReceipt: reusable };
      uploadBySha.set(sha256, upload);
      plan.uploads.push(upload);
      if (!reusable) plan.bytesToUpload += file.size;
    }
  }

  plan.cost = estimateCost(plan, options);
  return plan;
}

function titleMatches(albumTitle: string | undefined, title: string): boolean {
  return albumTitle !== undefined && (albumTitle === title || isSpillOf(albumTitle, title));
}

/** Plans of more candidates than this read every content of the account at once instead of one query each. */
const BULK_LOOKUP_FROM = 200;

/** The item a content already is at the destination (this account), with its albums. */
function contentLookup(index: IndexReader, options: PlanOptions, scans: readonly { scan: ScanResult }[]): (sha256: string) => { id: string; albumIds: string[] } | undefined {
  const filter = { accountId: options.accountId, provider: options.provider };
  let candidates = 0;
  for (const { scan } of scans) for (const f of scan.files) if (f.status === 'candidate') candidates++;
  if (candidates >= BULK_LOOKUP_FROM) {
    const all = index.mediaItems.contentAlbums(filter);
    return (sha256) => all.get(sha256);
  }
  return (sha256) => {
    const item = index.mediaItems.bySha256(sha256, filter)[0];
    return item && { id: item.id, albumIds: index.mediaItems.albumsOf(item.id) };
  };
}

/** Album titles by id, each read once per plan. */
function albumTitles(index: IndexReader): (albumId: string) => string | undefined {
  const titles = new Map<string, string | undefined>();
  return (albumId) => {
    if (!titles.has(albumId)) titles.set(albumId, index.albums.get(albumId)?.title);
    return titles.get(albumId);
  };
}

function isSpillOf(candidate: string, base: string): boolean {
  return candidate.startsWith(`${base} (`) && /^ \(\d+\)$/.test(candidate.slice(base.length));
}

/**
 * Returns the album title an item goes to, moving to "Name (2)", "Name (3)"… once an album holds
 * the maximum (counted from the index plus what this sync adds). Records album ids and creations.
 */
function albumSpiller(index: IndexReader, options: PlanOptions, incoming: Map<string, number>, plan: SyncPlan): (base: string) => string {
  const warned = new Set<string>();
  return (base) => {
    for (let part = 1; ; part++) {
      const title = spillTitle(base, part);
      let id = plan.albumIds.get(title);
      if (!id && !plan.albumsToCreate.includes(title)) {
        id = knownAlbumId(index, title, options.accountId, options.provider);
        if (id) plan.albumIds.set(title, id);
      }
      const already = id ? Math.max(index.mediaItems.countInAlbum(id), index.albums.get(id)?.itemCount ?? 0) : 0;
      const adding = incoming.get(title) ?? 0;
      const max = options.rules.maxContainerItems;
      if (already + adding < max) {
        incoming.set(title, adding + 1);
        if (!id && !plan.albumsToCreate.includes(title)) plan.albumsToCreate.push(title);
        if (part > 1 && !warned.has(base)) {
          warned.add(base);
          plan.warnings.push(`Album "${base}" is full (${max.toLocaleString('en-US')} items at most); the rest go to "${title}".`);
        }
        return title;
      }
    }
  };
}

export function estimateCost(plan: Pick<SyncPlan, 'uploads' | 'adds' | 'albumsToCreate'>, options: Pick<PlanOptions, 'rules' | 'batchSize'>): PlanCost {
  let uploadRequests = 0;
  const perAlbum = new Map<string, number>();
  for (const u of plan.uploads) {
    if (!u.reusableReceipt) uploadRequests += options.rules.uploadRequests(u.file.size);
    perAlbum.set(u.albumTitle, (perAlbum.get(u.albumTitle) ?? 0) + 1);
  }
  const { rules, batchSize } = options;
  let commits = 0;
  for (const n of perAlbum.values()) commits += rules.commitRequests?.(n, batchSize) ?? Math.ceil(n / batchSize);
  const addsPerAlbum = new Map<string, number>();
  for (const a of plan.adds) addsPerAlbum.set(a.albumTitle, (addsPerAlbum.get(a.albumTitle) ?? 0) + 1);
  let albumAdds = 0;
  for (const n of addsPerAlbum.values()) albumAdds += rules.addRequests?.(n, batchSize) ?? Math.ceil(n / batchSize);
  const albumCreates = plan.albumsToCreate.length;
  return { albumCreates, uploadRequests, commits, albumAdds, total: albumCreates + uploadRequests + commits + albumAdds };
}

/** "1,234 requests of the 10,000/day quota (9,000 left today)", and how many periods it needs. */
export function describeCost(plan: SyncPlan, used: number, quota: { limit: number; period: 'day' | 'hour'; resetText: string }): string {
  const total = plan.cost.total;
  const periods = periodsNeeded(total, used, quota.limit);
  const left = Math.max(0, quota.limit - used);
  const per = quota.period === 'day' ? 'day' : 'hour';
  const now = quota.period === 'day' ? 'today' : 'this hour';
  const base = `${total.toLocaleString('en-US')} request${total === 1 ? '' : 's'} of the ${quota.limit.toLocaleString('en-US')}/${per} quota (${left.toLocaleString('en-US')} left ${now})`;
  return periods > 1 ? `${base}; needs about ${periods} ${per}s — Photo Sync pauses at the limit and continues after ${quota.resetText}.` : `${base}.`;
}
