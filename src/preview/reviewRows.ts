// A sync plan as the pre-upload review shows it: one row per file with its planned action, target
// album and why; the folders the rules skipped as rows of their own; counts and the request cost.
// Rows are made chunk by chunk as the plan is built (buildPlanInChunks), in the scan's order, so the
// review streams them to the webview while the rest is still being planned.
import path from 'node:path';
import picomatch from 'picomatch';
import type * as vscode from 'vscode';
import type { SyncFolder } from '../sync/config';
import { PLAN_LISTS, type PlanChunk, type PlanMarks, type PlannedUpload, type SyncPlan } from '../sync/plan';
import type { ScanResult, ScannedFile } from '../sync/scan';
import { REVIEW_ACTIONS, type ReviewAction, type ReviewRow, type ReviewSummary } from '../webview/protocol';
import { englishL10n } from '../util/englishL10n';
import { translateReason } from '../sync/reasonText';

type L10n = Pick<typeof vscode.l10n, 't'>;

export interface ReviewScan {
  folder: SyncFolder;
  scan: ScanResult;
}

export interface ReviewQuota {
  used: number;
  limit: number;
}

// Made on first use (the first Intl object in a process loads locale data; activation needs none).
let collatorMade: Intl.Collator | undefined;
const collator = { compare: (a: string, b: string) => (collatorMade ??= new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' })).compare(a, b) };

type Made = { file: ScannedFile; row: ReviewRow };

/** Makes rows from the plan's entries, a slice at a time (a chunk's entries are the tails of the plan's lists). */
export class ReviewRowMaker {
  readonly folders: string[];
  private readonly folderOf: Map<SyncFolder, number>;
  /** Every upload seen so far, by content: a duplicate names its original (always planned before it). */
  private readonly uploadBySha = new Map<string, PlannedUpload>();
  /** The album a duplicate is also added to (an add without an item id), until its row is made. */
  private readonly duplicateAlbum = new Map<string, string>();
  /** Counts per action of the rows made so far. */
  readonly counts = Object.fromEntries(REVIEW_ACTIONS.map((a) => [a, 0])) as Record<ReviewAction, number>;

  /** `l10n`: VS Code's for the reasons the review shows (the reasons the scan wrote stay as written). */
  constructor(
    private readonly scans: readonly ReviewScan[],
    private readonly l10n: L10n = englishL10n,
  ) {
    this.folders = scans.map((s) => s.scan.root);
    this.folderOf = new Map(scans.map((s, i) => [s.folder, i]));
  }

  /** Rows a complete review will have: one per file, one per skipped folder. */
  get total(): number {
    return this.scans.reduce((n, { scan }) => n + scan.files.length + scan.skippedFolders.length, 0);
  }

  /** The rows of a chunk just planned, in the scan's order; the folder's skipped folders first. */
  chunkRows(chunk: PlanChunk, plan: SyncPlan): ReviewRow[] {
    const made = this.make(plan, chunk.since, undefined);
    const order = new Map<ScannedFile, number>(chunk.files.map((f, i) => [f, i]));
    made.sort((a, b) => (order.get(a.file) ?? -1) - (order.get(b.file) ?? -1));
    const rows = chunk.first ? this.skippedFolderRows(this.folderOf.get(chunk.folder) ?? 0) : [];
    for (const m of made) rows.push(m.row);
    return rows;
  }

  /** The rows of a plan's entries from `since` up to `until` (default: the lists' ends). */
  make(plan: SyncPlan, since: PlanMarks | undefined, until: PlanMarks | undefined): Made[] {
    const out: Made[] = [];
    const l10n = this.l10n;
    const slice = <K extends (typeof PLAN_LISTS)[number]>(k: K) => plan[k].slice(since?.[k] ?? 0, until?.[k] ?? plan[k].length) as SyncPlan[K];
    const push = (file: ScannedFile, folder: SyncFolder, action: ReviewAction, album?: string, reason?: string) => {
      const i = this.folderOf.get(folder) ?? 0;
      this.counts[action]++;
      out.push({ file, row: { folder: i, relPath: toRel(this.folders[i], file.path), action, album, reason, size: file.size } });
    };
    for (const u of slice('uploads')) {
      this.uploadBySha.set(u.sha256, u);
      const why = u.reason === 'resume' ? l10n.t('an interrupted upload: only the commit is left') : u.reason === 'retry' ? l10n.t('an earlier upload did not finish: sent again') : undefined;
      push(u.file, u.folder, u.reason === 'changed' ? 'changed' : 'new', u.albumTitle, why);
    }
    // Adds without an item id belong to a duplicate (its row says so; planned in the same chunk); with one, the bytes are there already.
    const duplicateAlbum = this.duplicateAlbum;
    for (const a of slice('adds')) {
      if (a.mediaItemId) push(a.file, a.folder, 'uploaded', a.albumTitle, l10n.t('already in the library: added to “{0}” without uploading again', a.albumTitle));
      else duplicateAlbum.set(a.file.path, a.albumTitle);
    }
    for (const a of slice('alreadyUploaded')) push(a.file, a.folder, 'uploaded', a.file.albumTitle, l10n.t('already uploaded'));
    for (const d of slice('duplicates')) {
      const original = d.file.sha256 ? this.uploadBySha.get(d.file.sha256) : undefined;
      const of = original ? this.describeOther(original, d.folder) : l10n.t('another file of this sync');
      const album = duplicateAlbum.get(d.file.path);
      duplicateAlbum.delete(d.file.path);
      push(d.file, d.folder, 'duplicate', album ?? original?.albumTitle, album ? l10n.t('same bytes as {0}: uploaded once, also added to “{1}”', of, album) : l10n.t('same bytes as {0}: uploaded once', of));
    }
    for (const e of slice('excluded')) push(e.file, e.folder, 'excluded', undefined, excludeReason(e.folder, toRel(e.folder.path, e.file.path), shown(e.file.reason, l10n), l10n));
    for (const f of slice('unsupported')) push(f.file, f.folder, 'unsupported', undefined, shown(f.file.reason, l10n));
    for (const f of slice('tooLarge')) push(f.file, f.folder, 'too-large', undefined, shown(f.file.reason, l10n));
    for (const f of slice('rejected')) push(f.file, f.folder, 'unsupported', undefined, l10n.t('refused by the service before: {0} (sent again once the file changes)', f.message));
    for (const f of slice('damaged')) push(f.file, f.folder, 'damaged', undefined, stripPrefix(f.file.reason, l10n));
    for (const f of slice('empty')) push(f.file, f.folder, 'damaged', undefined, shown(f.file.reason, l10n) ?? l10n.t('the file is empty (0 bytes)'));
    for (const f of slice('unreadable')) push(f.file, f.folder, 'damaged', undefined, shown(f.file.reason, l10n) ?? l10n.t('cannot be read'));
    return out;
  }

  /** One row per sub-folder the rules skipped, by name. */
  skippedFolderRows(i: number): ReviewRow[] {
    const { folder, scan } = this.scans[i];
    const rows = [...scan.skippedFolders].sort((a, b) => collator.compare(a, b)).map((rel) => ({ folder: i, relPath: `${rel}/`, action: 'excluded' as const, reason: skippedFolderReason(folder, rel, this.l10n), size: 0 }));
    this.counts.excluded += rows.length;
    return rows;
  }

  summary(plan: SyncPlan, quota: ReviewQuota): ReviewSummary {
    return { counts: { ...this.counts }, requests: plan.cost.total, quotaUsedToday: quota.used, quotaPerDay: quota.limit, bytesToUpload: plan.bytesToUpload };
  }

  private describeOther(original: PlannedUpload, folder: SyncFolder): string {
    const i = this.folderOf.get(original.folder) ?? 0;
    const rel = toRel(this.folders[i], original.file.path);
    return original.folder === folder ? rel : path.join(this.folders[i], rel);
  }
}

/** Every row of a finished plan at once (folder by folder: skipped folders, then the files in the scan's order). */
export function reviewRows(scans: readonly ReviewScan[], plan: SyncPlan, quota: ReviewQuota, l10n: L10n = englishL10n): { folders: string[]; rows: ReviewRow[]; summary: ReviewSummary } {
  const maker = new ReviewRowMaker(scans, l10n);
  const byFile = new Map<ScannedFile, ReviewRow>();
  for (const m of maker.make(plan, undefined, undefined)) byFile.set(m.file, m.row);
  const rows: ReviewRow[] = [];
  scans.forEach(({ scan }, i) => {
    rows.push(...maker.skippedFolderRows(i));
    for (const f of scan.files) {
      const row = byFile.get(f);
      if (row) rows.push(row);
    }
  });
  return { folders: maker.folders, rows, summary: maker.summary(plan, quota) };
}

/**
 * The rows of a finished plan in chunks, handed to `emit` in the review's order, the event loop
 * turning in between (a plan made before the review opened, e.g. Upload Folder's).
 */
export async function streamPlanRows(scans: readonly ReviewScan[], plan: SyncPlan, chunk: number, step: () => Promise<void>, emit: (rows: ReviewRow[], maker: ReviewRowMaker) => Promise<void>, l10n: L10n = englishL10n): Promise<void> {
  const maker = new ReviewRowMaker(scans, l10n);
  const byFile = new Map<ScannedFile, ReviewRow>();
  const ends = Object.fromEntries(PLAN_LISTS.map((k) => [k, plan[k].length])) as PlanMarks;
  // The lists in order (uploads before the duplicates that name them), a slice at a time.
  for (const k of PLAN_LISTS) {
    for (let at = 0; at < ends[k]; at += chunk) {
      for (const m of maker.make(plan, { ...ends, [k]: at }, { ...ends, [k]: Math.min(at + chunk, ends[k]) })) byFile.set(m.file, m.row);
      await step();
    }
  }
  for (let i = 0; i < scans.length; i++) {
    const files = scans[i].scan.files;
    for (let at = 0; at < files.length || at === 0; at += chunk) {
      const rows = at === 0 ? maker.skippedFolderRows(i) : [];
      for (const f of files.slice(at, at + chunk)) {
        const row = byFile.get(f);
        if (row) rows.push(row);
      }
      await emit(rows, maker);
      await step();
    }
  }
}

export function toRel(root: string, file: string): string {
  // The common case without path.relative (slow over 100,000 files): the file lies below the root.
  if (file.startsWith(root) && file[root.length] === path.sep) {
    const rel = file.slice(root.length + 1);
    return path.sep === '/' ? rel : rel.split(path.sep).join('/');
  }
  return path.relative(root, file).split(path.sep).join('/');
}

function stripPrefix(reason: string | undefined, l10n: L10n): string {
  return reason ? translateReason(reason, l10n, { withoutDamagedPrefix: true }) : l10n.t('looks damaged');
}

/** A reason the scanner stored in English, in the user's language (sync/reasonText.ts). */
function shown(reason: string | undefined, l10n: L10n): string | undefined {
  return reason === undefined ? undefined : translateReason(reason, l10n);
}

/** Names the rule: the exclude glob that matched, the include list, or a hidden file. */
export function excludeReason(folder: SyncFolder, rel: string, fallback?: string, l10n: L10n = englishL10n): string {
  const name = rel.slice(rel.lastIndexOf('/') + 1);
  if (name.startsWith('.')) return l10n.t('a hidden file');
  const options = { dot: true, nocase: true };
  for (const glob of folder.exclude) {
    const subject = glob.includes('/') ? rel : name;
    if (picomatch.isMatch(subject, glob, options)) return l10n.t('exclude rule {0}', glob);
  }
  if (folder.include.length) return l10n.t('not matched by the include rules ({0})', folder.include.join(', '));
  return fallback ?? l10n.t('excluded by the folder rules');
}

function skippedFolderReason(folder: SyncFolder, rel: string, l10n: L10n): string {
  const name = rel.slice(rel.lastIndexOf('/') + 1);
  const rule = folder.excludeFolders.find((r) => new RegExp(r).test(name));
  if (rule) return l10n.t('folder skipped with everything in it: excludeFolders rule {0}', rule);
  return folder.archivePath ? l10n.t('the archive folder (already uploaded)') : l10n.t('folder skipped by the folder rules');
}
