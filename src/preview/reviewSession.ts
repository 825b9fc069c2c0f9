// The host side of the pre-upload review: streams the plan's rows to the webview in chunks (the
// event loop breathes between them, so 100,000 files freeze nothing), applies "Exclude" by asking
// the source for a new plan, and hands the reviewed files to the source on "Upload These".
import path from 'node:path';
import type * as vscode from 'vscode';
import { englishL10n } from '../util/englishL10n';
import type { Logger } from '../util/logger';
import type { Messenger } from '../webview/messenger';
import { UPLOADABLE_ACTIONS, type ExcludeRule, type HostToWebview, type ReviewDateFlag, type ReviewRow, type ReviewSummary, type WebviewToHost } from '../webview/protocol';

export interface ReviewPlanData {
  /** Absolute sync folder roots; rows refer to them by index. */
  folders: string[];
  rows: ReviewRow[];
  summary: ReviewSummary;
}

export interface ReviewFile {
  /** Absolute sync folder root. */
  folder: string;
  relPath: string;
  /** Absolute path of the file. */
  path: string;
}

/** Where a source that plans in chunks hands the rows as they are planned (in their final order). */
export interface ReviewStream {
  /** Before the first row: the folders, how many rows the plan will have, the summary so far. */
  begin(folders: string[], total: number, summary: ReviewSummary): Promise<void>;
  /** The next rows (appended) and the counts so far. */
  rows(rows: ReviewRow[], summary: ReviewSummary): Promise<void>;
}

export interface ReviewSource {
  readonly title: string;
  /** The plan; a source that plans in chunks also streams its rows through `stream` as they are made. */
  plan(signal: AbortSignal, stream?: ReviewStream): Promise<ReviewPlanData>;
  /** Adds the rules to the folders' exclude patterns and plans again. */
  exclude(rules: ExcludeRule[], signal: AbortSignal): Promise<ReviewPlanData>;
  /** The user pressed "Upload These" on exactly these files (new or changed ones of the current plan). */
  upload(files: ReviewFile[]): Promise<void> | void;
  /**
   * The metadata doctor over these rows (new and changed files): flags handed to `onFlags` in
   * batches, all of them returned. Optional: a source without it shows no date markers.
   */
  flagDates?(folders: readonly string[], rows: readonly ReviewRow[], signal: AbortSignal, onFlags: (flags: ReviewDateFlag[]) => Promise<void>): Promise<ReviewDateFlag[]>;
}

export interface ReviewSessionDeps {
  messenger: Messenger<HostToWebview, WebviewToHost>;
  log: Logger;
  signal: AbortSignal;
  /** Rows per message. Default 2000. */
  chunkSize?: number;
  /** Called once the upload was handed over (the panel closes itself then). */
  onUploadStarted?: () => void;
  /** "Check Capture Dates…" pressed in the review for this sync folder (runs photoSync.fixDates). */
  checkDates?: (folder: string) => void;
  /** vscode.l10n: what the review shows, in the user's language (English without it; the log stays English). */
  l10n?: Pick<typeof vscode.l10n, 't'>;
}

export class ReviewSession {
  private plan: ReviewPlanData | undefined;
  private version = 0;
  private loading: Promise<ReviewPlanData> | undefined;
  /** The doctor's verdict per file ("folder\0relPath" → reason, or null for a good date): each file is checked once per review. */
  private readonly dates = new Map<string, string | null>();
  private dating: AbortController | undefined;

  constructor(private readonly source: ReviewSource, private readonly deps: ReviewSessionDeps) {
    const m = deps.messenger;
    m.onNotification('ready', () => void this.start());
    m.onRequest('exclude', (p, signal) => this.exclude(p.rules, signal));
    m.onRequest('upload', (p) => this.upload(p.version, p.files));
    m.onNotification('checkDates', (p) => {
      const folder = this.plan?.folders[p.folder];
      if (folder !== undefined) deps.checkDates?.(folder);
    });
  }

  /** For the wiring: show a plan made elsewhere (e.g. after settings changed). */
  async showPlan(plan: ReviewPlanData): Promise<number> {
    this.plan = plan;
    this.version++;
    void this.stream(plan, this.version);
    return this.version;
  }

  private async start(): Promise<void> {
    void this.deps.messenger.notify('initReview', { title: this.source.title });
    try {
      if (!this.plan && !this.loading) {
        // The first plan: its rows go to the webview as they are planned.
        const version = ++this.version;
        const streamed = { rows: 0, begun: false };
        this.loading = this.source.plan(this.deps.signal, this.streamTo(version, streamed));
        const plan = await this.loading;
        if (version !== this.version) return; // another plan is shown meanwhile
        this.plan = plan;
        if (!streamed.begun) await this.stream(plan, version);
        else if (streamed.rows === plan.rows.length) await this.finish(plan, version, streamed.rows);
        else await this.stream(plan, ++this.version); // streamed rows that are not the plan's: send it whole
        return;
      }
      // After the page reloaded (panel hidden and shown), send the plan we have again; a reload while
      // the plan streams gets the whole plan once it is made, under a new version.
      if (this.plan) return await this.stream(this.plan, this.version);
      const plan = await this.loading!;
      this.plan ??= plan;
      await this.stream(this.plan, ++this.version);
    } catch (e) {
      if (!this.deps.signal.aborted) this.notifyError((l10n) => l10n.t('Could not plan the upload: {0}', e instanceof Error ? e.message : String(e)));
    }
  }

  /** Sends the rows of plan `version` as a chunked source makes them; nothing once it is superseded or closed. */
  private streamTo(version: number, streamed: { rows: number; begun: boolean }): ReviewStream {
    const { messenger, signal } = this.deps;
    const live = () => !signal.aborted && version === this.version;
    return {
      begin: async (folders, total, summary) => {
        if (!live()) return;
        streamed.begun = true;
        await messenger.notify('reviewPlan', { version, title: this.source.title, folders, total, summary });
      },
      rows: async (rows, summary) => {
        if (!live() || !streamed.begun) return;
        const start = streamed.rows;
        streamed.rows += rows.length;
        await messenger.notify('reviewRows', { version, start, rows, done: false, summary });
      },
    };
  }

  /** The last (empty) chunk of a streamed plan, with the final counts and cost; then the date markers. */
  private async finish(plan: ReviewPlanData, version: number, start: number): Promise<void> {
    const { messenger, signal } = this.deps;
    if (signal.aborted || version !== this.version) return;
    await messenger.notify('reviewRows', { version, start, rows: [], done: true, summary: plan.summary });
    if (this.source.flagDates && !signal.aborted && version === this.version) await this.flagDates(plan, version);
  }

  private async stream(plan: ReviewPlanData, version: number): Promise<void> {
    const { messenger, signal } = this.deps;
    const chunk = this.deps.chunkSize ?? 2000;
    await messenger.notify('reviewPlan', { version, title: this.source.title, folders: plan.folders, total: plan.rows.length, summary: plan.summary });
    for (let start = 0; start < plan.rows.length || start === 0; start += chunk) {
      if (signal.aborted || version !== this.version) return;
      const rows = plan.rows.slice(start, start + chunk);
      // One chunk in flight at a time: the webview takes each in before the next is sent.
      await messenger.notify('reviewRows', { version, start, rows, done: start + chunk >= plan.rows.length });
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (this.source.flagDates && !signal.aborted && version === this.version) await this.flagDates(plan, version);
  }

  /** The date markers, after the rows: known verdicts at once, then the files not checked yet. */
  private async flagDates(plan: ReviewPlanData, version: number): Promise<void> {
    const { messenger, signal } = this.deps;
    this.dating?.abort();
    const own = new AbortController();
    this.dating = own;
    const both = AbortSignal.any([signal, own.signal]);
    const key = (r: { folder: number; relPath: string }) => `${plan.folders[r.folder]}\0${r.relPath}`;
    const known: ReviewDateFlag[] = [];
    const unknown: ReviewRow[] = [];
    for (const r of plan.rows) {
      if (!UPLOADABLE_ACTIONS.has(r.action)) continue;
      const verdict = this.dates.get(key(r));
      if (verdict === undefined) unknown.push(r);
      else if (verdict !== null) known.push({ folder: r.folder, relPath: r.relPath, reason: verdict });
    }
    const current = () => !both.aborted && version === this.version;
    await messenger.notify('reviewDates', { version, flags: known, done: unknown.length === 0 });
    if (!unknown.length) return;
    try {
      const flags = await this.source.flagDates!(plan.folders, unknown, both, async (batch) => {
        if (current()) await messenger.notify('reviewDates', { version, flags: batch, done: false });
      });
      for (const r of unknown) this.dates.set(key(r), null);
      for (const f of flags) this.dates.set(key(f), f.reason);
      if (current()) await messenger.notify('reviewDates', { version, flags: [], done: true });
    } catch (e) {
      if (!both.aborted) this.deps.log.warn(`Review: could not check capture dates: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async exclude(rules: unknown, signal: AbortSignal): Promise<{ version: number }> {
    const plan = this.plan;
    if (!plan) throw new Error(this.l10n.t('There is no plan yet'));
    const valid = Array.isArray(rules)
      ? rules.filter((r): r is ExcludeRule => typeof r?.glob === 'string' && r.glob.length > 0 && plan.folders.includes(r.folder))
      : [];
    if (valid.length === 0) throw new Error(this.l10n.t('Nothing to exclude'));
    const both = AbortSignal.any([signal, this.deps.signal]);
    const next = await this.source.exclude(valid, both);
    return { version: await this.showPlan(next) };
  }

  private async upload(version: number, files: unknown): Promise<{ accepted: number }> {
    const plan = this.plan;
    if (!plan || version !== this.version) throw new Error(this.l10n.t('The plan changed while you reviewed it: look at it again'));
    const uploadable = new Set<string>();
    for (const r of plan.rows) if (UPLOADABLE_ACTIONS.has(r.action)) uploadable.add(`${r.folder}\0${r.relPath}`);
    const chosen: ReviewFile[] = [];
    for (const f of Array.isArray(files) ? files : []) {
      if (typeof f?.relPath !== 'string' || !uploadable.delete(`${f.folder}\0${f.relPath}`)) continue; // unknown, not uploadable, or twice
      const folder = plan.folders[f.folder];
      chosen.push({ folder, relPath: f.relPath, path: path.join(folder, ...f.relPath.split('/')) });
    }
    if (chosen.length === 0) throw new Error(this.l10n.t('None of these files is new or changed'));
    await this.source.upload(chosen);
    // After the answer has gone out: the callback may close the panel.
    if (this.deps.onUploadStarted) setImmediate(this.deps.onUploadStarted);
    return { accepted: chosen.length };
  }

  private get l10n(): Pick<typeof vscode.l10n, 't'> {
    return this.deps.l10n ?? englishL10n;
  }

  /** A notice in the webview (translated) and the same words in English in the log. */
  private notifyError(message: (l10n: Pick<typeof vscode.l10n, 't'>) => string): void {
    if (this.deps.signal.aborted) return;
    this.deps.log.warn(`Review: ${message(englishL10n)}`);
    void this.deps.messenger.notify('notice', { message: message(this.l10n), severity: 'error' });
  }
}
