// What a sync will do, decided before any request: which bytes go up (once per content), which
// already-uploaded items only join another album, what is skipped and why, and what it costs in
// requests against the destination's quota.
import type { IndexReader } from '../index/api';
import type { SyncFolder } from './config';
import type { ProviderRules, Receipt } from './provider';
import type { ScanResult, ScannedFile } from './scan';
import { albumSpiller, albumTitles, isSpillOf, reusableReceipt, titleMatches } from './planLookups';
import { englishReason } from './reasonText';
import { PLAN_MORE_SCAN_PROBLEMS } from './warningText';
import { formatCount } from '../util/format';

export { knownAlbumId, RECEIPT_MARGIN_MS } from './planLookups';

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

/** The uploads journal key: one row per destination, account and content. */
export function uploadId(provider: string, accountId: string, sha256: string): string {
  return `${provider}:${accountId}:${sha256}`;
}

export function buildPlan(scans: readonly { folder: SyncFolder; scan: ScanResult }[], index: IndexReader, options: PlanOptions): SyncPlan {
  const planner = new Planner(index, options);
  for (const { folder, scan } of scans) {
    planner.beginFolder(scan);
    for (let i = 0; i < scan.files.length; i += PLAN_CHUNK) planner.planFiles(scan.files.slice(i, i + PLAN_CHUNK), folder);
  }
  return planner.finish();
}

/** Files planned per chunk: one journal query each, and the event loop turns between chunks. */
export const PLAN_CHUNK = 2000;

/** The plan's lists of files, each file in exactly one (an album add of a duplicate aside). */
export const PLAN_LISTS = ['uploads', 'adds', 'alreadyUploaded', 'duplicates', 'excluded', 'unsupported', 'tooLarge', 'empty', 'unreadable', 'damaged', 'rejected'] as const;
export type PlanList = (typeof PLAN_LISTS)[number];
/** How long each list was before a chunk: the chunk's entries are the lists' tails from there. */
export type PlanMarks = Record<PlanList, number>;

export interface PlanChunk {
  folder: SyncFolder;
  scan: ScanResult;
  /** The chunk's files, in the scan's order; [] for a folder without files. */
  files: readonly ScannedFile[];
  /** The folder's first chunk. */
  first: boolean;
  /** The lists' lengths before this chunk. */
  since: PlanMarks;
}

export interface ChunkedPlanOptions {
  signal?: AbortSignal;
  /** Files per chunk (default PLAN_CHUNK). */
  chunkSize?: number;
  /** Lets the event loop turn between chunks (default setImmediate). */
  yieldNow?: () => Promise<void>;
  /** Each chunk once planned (the review streams its rows from it); awaited before the next. */
  onChunk?: (chunk: PlanChunk, plan: SyncPlan) => void | Promise<void>;
}

/**
 * buildPlan in chunks of files that yield to the event loop in between, so planning 100,000 files
 * freezes nothing; the same plan as buildPlan. Throws the signal's reason once it is aborted.
 */
export async function buildPlanInChunks(scans: readonly { folder: SyncFolder; scan: ScanResult }[], index: IndexReader, options: PlanOptions, chunked: ChunkedPlanOptions = {}): Promise<SyncPlan> {
  const size = Math.max(1, chunked.chunkSize ?? PLAN_CHUNK);
  const yieldNow = chunked.yieldNow ?? (() => new Promise<void>((resolve) => setImmediate(resolve)));
  const step = async () => {
    await yieldNow();
    chunked.signal?.throwIfAborted();
  };
  await step();
  const planner = new Planner(index, options);
  for (const { folder, scan } of scans) {
    planner.beginFolder(scan);
    for (let i = 0; i < scan.files.length || i === 0; i += size) {
      await step();
      const files = scan.files.slice(i, i + size);
      const since = planner.marks();
      planner.planFiles(files, folder);
      // The cost so far, for a review whose counts grow as rows arrive.
      if (chunked.onChunk) planner.plan.cost = estimateCost(planner.plan, options);
      await chunked.onChunk?.({ folder, scan, files, first: i === 0, since }, planner.plan);
    }
  }
  await step();
  return planner.finish();
}

/** Plans file by file; the index is read a chunk of files at a time (a few queries per chunk), never one query per file. */
class Planner {
  readonly plan: SyncPlan;
  private readonly now: number;
  private readonly uploadBySha = new Map<string, PlannedUpload>();
  private readonly albumFor: (base: string) => string;
  private readonly titleOf: (albumId: string) => string | undefined;

  constructor(
    private readonly index: IndexReader,
    private readonly options: PlanOptions,
  ) {
    this.now = options.now ?? Date.now();
    this.plan = {
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
    /** Items each album title will receive in this sync, to apply the 20,000 cap. */
    const incoming = new Map<string, number>();
    this.albumFor = albumSpiller(index, options, incoming, this.plan);
    this.titleOf = albumTitles(index);
  }

  marks(): PlanMarks {
    return Object.fromEntries(PLAN_LISTS.map((k) => [k, this.plan[k].length])) as PlanMarks;
  }

  beginFolder(scan: ScanResult): void {
    const plan = this.plan;
    if (scan.missing) plan.missingFolders.push(scan.root);
    // What the scan could not read (a folder without permission, a broken or looping link): said, not silently left out.
    else if (scan.problems.length) plan.warnings.push(...scan.problems.slice(0, 5), ...(scan.problems.length > 5 ? [englishReason(PLAN_MORE_SCAN_PROBLEMS, formatCount(scan.problems.length - 5), scan.root)] : []));
  }

  planFiles(files: readonly ScannedFile[], folder: SyncFolder): void {
    const { plan, options, index } = this;
    // What the index knows of this chunk's files, at most one query each and only for what needs it:
    // the contents already at the destination (with their albums) for every candidate; the upload
    // journal's rows only for contents not there (an unchanged, backed-up folder reads no journal row);
    // the files' last recorded bytes only for files that will be uploaded (read after the loop).
    const shas = new Set<string>();
    for (const f of files) if (f.status === 'candidate' && f.sha256 && f.albumTitle) shas.add(f.sha256);
    const contents = shas.size ? index.mediaItems.contentAlbums({ accountId: options.accountId, provider: options.provider }, [...shas]) : new Map<string, { readonly id: string; readonly albumIds: readonly string[] }>();
    const missing: string[] = [];
    for (const sha of shas) if (!contents.has(sha)) missing.push(uploadId(options.provider, options.accountId, sha));
    const journals = index.uploads.getMany(missing);
    const uploads: PlannedUpload[] = [];
    for (const file of files) {
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
      const existing = contents.get(sha256);
      if (existing) {
        const inAlbumAlready = existing.albumIds.some((id) => titleMatches(this.titleOf(id), baseTitle));
        if (inAlbumAlready) plan.alreadyUploaded.push({ file, folder, mediaItemId: existing.id });
        else plan.adds.push({ file, folder, sha256, albumTitle: this.albumFor(baseTitle), mediaItemId: existing.id });
        continue;
      }
      const planned = this.uploadBySha.get(sha256);
      if (planned) {
        // The same bytes twice in this sync: one upload; another album gets it by batchAdd.
        plan.duplicates.push(skipped);
        if (planned.albumTitle !== baseTitle && !isSpillOf(planned.albumTitle, baseTitle)) plan.adds.push({ file, folder, sha256, albumTitle: this.albumFor(baseTitle) });
        continue;
      }
      const id = uploadId(options.provider, options.accountId, sha256);
      // A row whose file was edited mid-upload holds the new bytes under the old key: not ours.
      const row = journals.get(id);
      const journal = row && (!row.sha256 || row.sha256 === sha256) ? row : undefined;
      if (journal?.state === 'committed' && journal.mediaItemId) {
        // Committed but the media item row is missing (e.g. index rebuilt): trust the journal.
        plan.adds.push({ file, folder, sha256, albumTitle: this.albumFor(baseTitle), mediaItemId: journal.mediaItemId });
        continue;
      }
      if (journal?.state === 'rejected' && journal.sha256 === sha256) {
        plan.rejected.push({ file, folder, message: journal.lastError ?? 'refused by the service' });
        continue;
      }
      const reusable = journal ? reusableReceipt(journal, this.now) : undefined;
      const reason: UploadReason = reusable ? 'resume' : journal ? 'retry' : 'new';
      const upload: PlannedUpload = { id, file, folder, sha256, albumTitle: this.albumFor(baseTitle), reason, reusableReceipt: reusable };
      this.uploadBySha.set(sha256, upload);
      plan.uploads.push(upload);
      uploads.push(upload);
      if (!reusable) plan.bytesToUpload += file.size;
    }
    // A new upload of a path whose recorded bytes differ: 'changed' (one query for the chunk's uploads).
    const fresh = uploads.filter((u) => u.reason === 'new');
    if (fresh.length === 0) return;
    const knownFiles = index.localFiles.getMany(fresh.map((u) => u.file.path));
    for (const u of fresh) {
      const known = knownFiles.get(u.file.path);
      if (known?.sha256 && known.sha256 !== u.sha256) u.reason = 'changed';
    }
  }

  finish(): SyncPlan {
    this.plan.cost = estimateCost(this.plan, this.options);
    return this.plan;
  }

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
