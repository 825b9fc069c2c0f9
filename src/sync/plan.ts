// What a sync will do, decided before any request: which bytes go up (once per content), which
// already-uploaded items only join another album, what is skipped and why, and what it costs in
// requests against Google's 10,000/day quota.
import type { IndexReader } from '../index/api';
import { UPLOAD_TOKEN_TTL_MS } from '../index/api';
import type { SyncFolder } from './config';
import type { ScanResult, ScannedFile } from './scan';
import { spillTitle } from './albums';

export const DAILY_REQUEST_QUOTA = 10_000;

export type UploadReason = 'new' | 'changed' | 'retry' | 'resume';

export interface PlannedUpload {
  /** Upload journal id: one per account and content. */
  id: string;
  file: ScannedFile;
  folder: SyncFolder;
  sha256: string;
  albumTitle: string;
  reason: UploadReason;
  /** An upload token younger than a day from an interrupted run: commit it without sending bytes again. */
  reusableToken?: { token: string; issuedAt: number };
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
  batchCreates: number;
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
  /** Bytes Google refused to turn into an item before (e.g. a corrupt image); retried only once the file changes. */
  rejected: (SkippedFile & { message: string })[];
  /** Album titles that do not exist yet (created on first use). */
  albumsToCreate: string[];
  /** Album ids already known for titles used by this plan. */
  albumIds: Map<string, string>;
  warnings: string[];
  missingFolders: string[];
  cost: PlanCost;
  bytesToUpload: number;
}

export interface PlanOptions {
  accountId: string;
  provider: string;
  /** Most items a batchCreate / batchAdd call takes (Google: 50). */
  maxBatch: number;
  /** Most items an album holds (Google: 20,000). */
  maxAlbumItems: number;
  /** Files above this size use the resumable protocol (start + chunks). */
  resumableThreshold: number;
  chunkSize: number;
  now?: number;
}

/** Start of the journal message for items Google refused in batchCreate (not a transient error). */
export const REJECTED_PREFIX = 'Google Photos refused';

export function uploadId(accountId: string, sha256: string): string {
  return `${accountId}:${sha256}`;
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
    rejected: [],
    albumsToCreate: [],
    albumIds: new Map(),
    warnings: [],
    missingFolders: [],
    cost: { albumCreates: 0, uploadRequests: 0, batchCreates: 0, albumAdds: 0, total: 0 },
    bytesToUpload: 0,
  };
  const uploadBySha = new Map<string, PlannedUpload>();
  /** Items each album title will receive in this sync, to apply the 20,000 cap. */
  const incoming = new Map<string, number>();
  const albumFor = albumSpiller(index, options, incoming, plan);

  for (const { folder, scan } of scans) {
    if (scan.missing) plan.missingFolders.push(scan.root);
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
      }
      const sha256 = file.sha256;
      if (!sha256 || !file.albumTitle) {
        plan.unreadable.push(skipped);
        continue;
      }
      const baseTitle = file.albumTitle;

      // Content already in the library (this account): never send it again.
      const existing = index.mediaItems.bySha256(sha256, options.accountId)[0];
      if (existing) {
        const albums = new Set(index.mediaItems.albumsOf(existing.id));
        const inAlbumAlready = [...albums].some((id) => titleMatches(index, id, baseTitle));
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
      const id = uploadId(options.accountId, sha256);
      // A row whose file was edited mid-upload holds the new bytes under the old key: not ours.
      const row = index.uploads.get(id);
      const journal = row && (!row.sha256 || row.sha256 === sha256) ? row : undefined;
      if (journal?.state === 'committed' && journal.mediaItemId) {
        // Committed but the media item row is missing (e.g. index rebuilt): trust the journal.
        plan.adds.push({ file, folder, sha256, albumTitle: albumFor(baseTitle), mediaItemId: journal.mediaItemId });
        continue;
      }
      if (journal?.state === 'failed' && journal.sha256 === sha256 && journal.lastError?.startsWith(REJECTED_PREFIX)) {
        plan.rejected.push({ file, folder, message: journal.lastError });
        continue;
      }
      const known = index.localFiles.byPath(file.path);
      const reusable = journal ? index.uploads.reusableToken(id, now) : undefined;
      const reason: UploadReason = reusable ? 'resume' : journal ? 'retry' : known?.sha256 && known.sha256 !== sha256 ? 'changed' : 'new';
      const upload: PlannedUpload = { id, file, folder, sha256, albumTitle: albumFor(baseTitle), reason, reusableToken: reusable };
      uploadBySha.set(sha256, upload);
      plan.uploads.push(upload);
      if (!reusable) plan.bytesToUpload += file.size;
    }
  }

  plan.cost = estimateCost(plan, options);
  return plan;
}

function titleMatches(index: IndexReader, albumId: string, title: string): boolean {
  const album = index.albums.get(albumId);
  return !!album && (album.title === title || isSpillOf(album.title, title));
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
      if (already + adding < options.maxAlbumItems) {
        incoming.set(title, adding + 1);
        if (!id && !plan.albumsToCreate.includes(title)) plan.albumsToCreate.push(title);
        if (part > 1 && !warned.has(base)) {
          warned.add(base);
          plan.warnings.push(`Album "${base}" is full (Google allows ${options.maxAlbumItems.toLocaleString('en-US')} items); the rest go to "${title}".`);
        }
        return title;
      }
    }
  };
}

export function estimateCost(plan: Pick<SyncPlan, 'uploads' | 'adds' | 'albumsToCreate'>, options: Pick<PlanOptions, 'maxBatch' | 'resumableThreshold' | 'chunkSize'>): PlanCost {
  let uploadRequests = 0;
  const perAlbum = new Map<string, number>();
  for (const u of plan.uploads) {
    if (!u.reusableToken) {
      const size = u.file.size;
      // Raw: one request. Resumable: a start request plus one per chunk.
      uploadRequests += size > options.resumableThreshold ? 1 + Math.ceil(size / options.chunkSize) : 1;
    }
    perAlbum.set(u.albumTitle, (perAlbum.get(u.albumTitle) ?? 0) + 1);
  }
  let batchCreates = 0;
  for (const n of perAlbum.values()) batchCreates += Math.ceil(n / options.maxBatch);
  const addsPerAlbum = new Map<string, number>();
  for (const a of plan.adds) addsPerAlbum.set(a.albumTitle, (addsPerAlbum.get(a.albumTitle) ?? 0) + 1);
  let albumAdds = 0;
  for (const n of addsPerAlbum.values()) albumAdds += Math.ceil(n / options.maxBatch);
  const albumCreates = plan.albumsToCreate.length;
  return { albumCreates, uploadRequests, batchCreates, albumAdds, total: albumCreates + uploadRequests + batchCreates + albumAdds };
}

/** Days the requests need at Google's daily quota, counting what is left today. */
export function daysNeeded(requests: number, usedToday: number, dailyQuota = DAILY_REQUEST_QUOTA): number {
  if (requests <= 0) return 0;
  const leftToday = Math.max(0, dailyQuota - usedToday);
  if (requests <= leftToday) return 1;
  return (leftToday > 0 ? 1 : 0) + Math.ceil((requests - leftToday) / dailyQuota);
}

export function describeCost(plan: SyncPlan, usedToday: number): string {
  const total = plan.cost.total;
  const days = daysNeeded(total, usedToday);
  const left = Math.max(0, DAILY_REQUEST_QUOTA - usedToday);
  const base = `${total.toLocaleString('en-US')} request${total === 1 ? '' : 's'} of the ${DAILY_REQUEST_QUOTA.toLocaleString('en-US')}/day quota (${left.toLocaleString('en-US')} left today)`;
  return days > 1 ? `${base}; needs about ${days} days — Photo Sync pauses at the limit and continues after midnight Pacific time.` : `${base}.`;
}

/** The reusable-token window, re-exported so callers need not import the index for it. */
export const TOKEN_TTL_MS = UPLOAD_TOKEN_TTL_MS;
