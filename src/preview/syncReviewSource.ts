// The review of a sync (or of Upload Folder's one-off upload) as a ReviewSource: the plan made from
// the scans, "Exclude" applied to those scans and saved in the folder's rules, and "Upload These"
// running the plan narrowed to exactly the files sent.
import type * as vscode from 'vscode';
import type { SyncFolder } from '../sync/config';
import type { SyncPlan } from '../sync/plan';
import type { ExcludeRule, ReviewDateFlag, ReviewRow } from '../webview/protocol';
import { flagReviewDates } from './reviewDates';
import { applyExclude, restrictPlan, reviewRows, type ReviewScan } from './reviewPlan';
import type { ReviewFile, ReviewPlanData, ReviewSource } from './reviewSession';

export interface SyncReviewDeps {
  title: string;
  /** The scans already made (the review shows them before anything else happens). */
  scans: ReviewScan[];
  /** pipeline.plan: plans the scans against the index. */
  plan(scans: readonly ReviewScan[]): SyncPlan;
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

  async plan(signal: AbortSignal): Promise<ReviewPlanData> {
    signal.throwIfAborted();
    await (this.deps.yieldNow ?? defaultYield)();
    this.current = this.current ?? this.deps.initialPlan ?? this.deps.plan(this.deps.scans);
    await (this.deps.yieldNow ?? defaultYield)();
    return reviewRows(this.deps.scans, this.current, this.deps.quota(), this.deps.l10n);
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
