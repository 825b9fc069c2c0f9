// The review of a sync (or of Upload Folder's one-off upload) as a ReviewSource: the plan made from
// the scans, "Exclude" applied to those scans and saved in the folder's rules, and "Upload These"
// running the plan narrowed to exactly the files sent.
import type * as vscode from 'vscode';
import type { SyncFolder } from '../sync/config';
import type { ChunkedPlanOptions, SyncPlan } from '../sync/plan';
import type { ExcludeRule, ReviewDateFlag, ReviewRow } from '../webview/protocol';
import { flagReviewDates } from './reviewDates';
import { applyExclude, restrictPlan } from './reviewPlan';
import { ReviewRowMaker, streamPlanRows, type ReviewScan } from './reviewRows';
import type { ReviewFile, ReviewPlanData, ReviewSource, ReviewStream } from './reviewSession';

export interface SyncReviewDeps {
  title: string;
  /** The scans already made (the review shows them before anything else happens). */
  scans: ReviewScan[];
  /** pipeline.plan: plans the scans against the index. */
  plan(scans: readonly ReviewScan[]): SyncPlan;
  /** pipeline.planInChunks: the same plan in chunks, the event loop turning in between (used when given). */
  planInChunks?(scans: readonly ReviewScan[], chunked: ChunkedPlanOptions): Promise<SyncPlan>;
  /** The plan already made from these scans, shown first instead of planning again. */
  initialPlan?: SyncPlan;
  /** Requests used in the current quota period and its limit. */
  quota(): { used: number; limit: number };
  /** Saves the new exclude glob in the folder's settings (nothing for a one-off upload's folder). */
  saveExclude(folder: SyncFolder, glob: string): Promise<void>;
  /** Runs the narrowed plan (under the folders' lease, with progress and the report). */
  run(plan: SyncPlan, folders: readonly SyncFolder[]): Promise<void>;
  /** The Takeout capture time the index knows for an imported file (evidence for the date check). */
  takeoutTakenAt?: (file: string) => Date | undefined;
  /** For tests: "now" and the time zone of the date check. */
  dateCheck?: { now?: Date; timeZone?: string };
  /** Lets the event loop turn between chunks of work (setImmediate). */
  yieldNow?: () => Promise<void>;
  /** vscode.l10n: the reasons the review shows, in the user's language (English without it). */
  l10n?: Pick<typeof vscode.l10n, 't'>;
}

/**
 * Files planned (and rows made) between two turns of the event loop: small enough that a chunk takes
 * a few milliseconds of CPU, so even a machine busy with other work keeps the window responsive.
 */
const REVIEW_CHUNK = 500;

export class SyncReviewSource implements ReviewSource {
  readonly title: string;
  private current: SyncPlan | undefined;

  constructor(private readonly deps: SyncReviewDeps) {
    this.title = deps.title;
  }

  /** The plan shown now (after the last Exclude). */
  get currentPlan(): SyncPlan | undefined {
    return this.current;
  }

  async plan(signal: AbortSignal, stream?: ReviewStream): Promise<ReviewPlanData> {
    const step = async () => {
      await (this.deps.yieldNow ?? defaultYield)();
      signal.throwIfAborted();
    };
    await step();
    const quota = this.deps.quota();
    const rows: ReviewRow[] = [];
    const maker = new ReviewRowMaker(this.deps.scans, this.deps.l10n);
    const made = this.current ?? this.deps.initialPlan;
    if (made || !this.deps.planInChunks) {
      // A plan made before (Upload Folder's, or the one shown): its rows in chunks.
      const plan = made ?? this.deps.plan(this.deps.scans);
      this.current = plan;
      let used = maker;
      await streamPlanRows(this.deps.scans, plan, REVIEW_CHUNK, step, async (chunk, m) => {
        if (used !== m) await stream?.begin(m.folders, m.total, m.summary(plan, quota));
        used = m;
        for (const r of chunk) rows.push(r);
        await stream?.rows(chunk, m.summary(plan, quota));
      }, this.deps.l10n);
      return { folders: used.folders, rows, summary: used.summary(plan, quota) };
    }
    // Planned in chunks: each chunk's rows go out as soon as it is planned, the counts growing with them.
    await stream?.begin(maker.folders, maker.total, { counts: { ...maker.counts }, requests: 0, quotaUsedToday: quota.used, quotaPerDay: quota.limit, bytesToUpload: 0 });
    const plan = await this.deps.planInChunks(this.deps.scans, {
      signal,
      chunkSize: REVIEW_CHUNK,
      yieldNow: this.deps.yieldNow,
      onChunk: async (chunk, partial) => {
        const next = maker.chunkRows(chunk, partial);
        for (const r of next) rows.push(r);
        await stream?.rows(next, maker.summary(partial, quota));
      },
    });
    this.current = plan;
    return { folders: maker.folders, rows, summary: maker.summary(plan, quota) };
  }

  async exclude(rules: ExcludeRule[], signal: AbortSignal): Promise<ReviewPlanData> {
    this.current = undefined;
    this.deps.initialPlan = undefined;
    for (const rule of rules) {
      const i = this.deps.scans.findIndex((s) => s.scan.root === rule.folder);
      if (i < 0) continue;
      applyExclude(this.deps.scans, i, rule.glob);
      await this.deps.saveExclude(this.deps.scans[i].folder, rule.glob);
    }
    return this.plan(signal);
  }

  flagDates(folders: readonly string[], rows: readonly ReviewRow[], signal: AbortSignal, onFlags: (flags: ReviewDateFlag[]) => Promise<void>): Promise<ReviewDateFlag[]> {
    return flagReviewDates(folders, rows, { signal, onFlags, takeoutTakenAt: this.deps.takeoutTakenAt, ...this.deps.dateCheck });
  }

  async upload(files: ReviewFile[]): Promise<void> {
    if (!this.current) throw new Error('There is no plan yet');
    const narrowed = restrictPlan(this.current, files);
    // Not awaited: the panel closes and the progress notification takes over.
    void this.deps.run(
      narrowed,
      this.deps.scans.map((s) => s.folder),
    );
  }
}

function defaultYield(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
