// The download flow (source → folder), a sibling of the upload pipeline: list and plan, journal the
// plan in the index, fetch and place each item as a 'download' task of the shared queue (concurrency
// photoSync.concurrency.downloads, its progress, cancel and retries), record, and report. One pipeline
// per source account; where the items come from (an album, a year, a Picker session) is its source.
import fs from 'node:fs';
import { NameReservations } from '../../localfs/collisions';
import path from 'node:path';
import { cleanupStaleParts, discardStaged, syncFolders } from '../../localfs/placeFile';
import type { PhotoIndex } from '../../index/api';
import type { TaskGroup, TaskQueueApi } from '../../tasks/api';
import type { Logger } from '../../util/logger';
import type { PhotoProvider } from '../provider';
import { RunLeases } from '../runLease';
import { AddressBook } from './addresses';
import { downloadTaskId, placeTaskId, quotaKey, type DownloadContext } from './context';
import { Fetcher, type RunState } from './fetchTask';
import { RowWriter } from './rowWriter';
import { finishDownloads, journalDownloads } from './journal';
import { planDownload, type DownloadPlan, type PlanOptions } from './plan';
import { newDownloadReport, type DownloadReport } from './report';
import { planUnfinished } from './resume';
import type { DownloadSettings } from './settings';
import type { DownloadSource } from './source';
import { l10nOr, type SyncL10n } from '../l10n';
import { DOWNLOAD_ALREADY_RUNNING } from './stopText';
import { englishL10n } from '../../util/englishL10n';

export type { DownloadPlan } from './plan';
export type { DownloadReport } from './report';

export interface DownloadPipelineOptions {
  provider: PhotoProvider;
  /** Task titles and progress verbs in the user's language (default English). */
  l10n?: SyncL10n;
  /** Leases beside the index: one run per source and folder across windows (and within this one). */
  leases?: RunLeases;
  index: PhotoIndex;
  queue: TaskQueueApi;
  accountId: string;
  log: Logger;
  now?: () => number;
}

/** The download folder cannot be used at all (missing, not a folder, read-only). */
export class DownloadFolderError extends Error {
  override readonly name = 'DownloadFolderError';
}

export class DownloadPipeline {
  readonly ctx: DownloadContext;

  constructor(private readonly options: DownloadPipelineOptions) {
    this.ctx = { provider: options.provider, index: options.index, accountId: options.accountId, log: options.log, now: options.now ?? Date.now };
  }

  get provider(): PhotoProvider {
    return this.ctx.provider;
  }

  /** Lists the source and decides what to download into `root` (which must exist and be writable). */
  async plan(source: DownloadSource, root: string, settings: DownloadSettings, options: PlanOptions = {}): Promise<DownloadPlan> {
    await checkFolder(root);
    return planDownload(this.ctx, source, root, settings, options);
  }

  /**
   * What interrupted album and year downloads left unfinished, planned again without walking (see
   * resume.ts) — except what a run in progress (here or in another window) is doing.
   */
  planUnfinished(settings: DownloadSettings): Promise<DownloadPlan[]> {
    return planUnfinished(this.ctx, settings, (plan) => !this.busy(plan));
  }

  /**
   * Runs the plan in a queue group and resolves when every task settled. Cancelling the group (or VS
   * Code closing) leaves the rows pending: the next run or start finishes them.
   */
  async run(plan: DownloadPlan, options: { title?: string; onGroup?: (group: TaskGroup) => void } = {}): Promise<DownloadReport> {
    const lease = this.options.leases?.tryAcquire([this.leaseKey(plan)]);
    if (lease && 'busy' in lease) {
      const report = newDownloadReport(plan);
      report.stopped = englishL10n.t(DOWNLOAD_ALREADY_RUNNING, plan.source.title, plan.root);
      report.cancelled = true;
      return report;
    }
    try {
      return await this.runHeld(plan, options);
    } finally {
      if (lease && 'held' in lease) lease.held.release();
    }
  }

  /** Whether a run of this source into this folder is going on (in any window). */
  busy(plan: Pick<DownloadPlan, 'source' | 'root'>): boolean {
    const attempt = this.options.leases?.tryAcquire([this.leaseKey(plan)]);
    if (!attempt) return false;
    if ('held' in attempt) attempt.held.release();
    return 'busy' in attempt;
  }

  private leaseKey(plan: Pick<DownloadPlan, 'source' | 'root'>): string {
    return RunLeases.key('download', this.ctx.provider.id, this.ctx.accountId, plan.source.key, plan.root);
  }

  private async runHeld(plan: DownloadPlan, options: { title?: string; onGroup?: (group: TaskGroup) => void }): Promise<DownloadReport> {
    const { ctx } = this;
    const report = newDownloadReport(plan);
    await journalDownloads(ctx, plan);
    // Temp files a killed earlier run left beside these targets (their process is gone) are removed.
    for (const dir of new Set(plan.downloads.map((d) => path.dirname(d.target)))) await cleanupStaleParts(dir, { minAgeMs: 0 }).catch(() => undefined);
    if (plan.downloads.length === 0) {
      await finishDownloads(ctx, plan, report, undefined);
      return report;
    }
    // Progress counts files received (their place tasks are added as each arrives); bytes likewise.
    const l10n = l10nOr(this.options.l10n);
    const group = this.options.queue.group(options.title ?? l10n.t('Downloading “{0}”', plan.source.title), l10n.t('Downloading'), { countKinds: ['download'] });
    const state: RunState = {
      plan,
      report,
      names: new NameReservations(),
      addresses: new AddressBook(plan.source, plan.downloads.map((d) => d.item), ctx.now),
      staged: new Map(),
      folders: new Set(),
      unsynced: new Set(),
      rows: new RowWriter(ctx.index, plan.source.kind === 'picker' ? plan.source.key.slice('picker:'.length) : undefined),
      stoppedBy: new Set(),
      stop: (message) => {
        if (report.stopped) return;
        report.stopped = message;
        ctx.log.warn(`Download of “${plan.source.title}” stopped: ${message}`);
        // After the failing task settled as failed, not as cancelled.
        setImmediate(() => group.cancel());
      },
    };
    const fetcher = new Fetcher(ctx, state);
    const noting = <T>(work: () => Promise<T>) => async () => {
      try {
        return await work();
      } catch (err) {
        if (report.errors.length < 5) report.errors.push(err);
        throw err;
      }
    };
    // The downloads rows are the journal: a resume plans from them, so the queue need not journal these tasks.
    const common = { accountId: ctx.accountId, classify: fetcher.classify, quotaKey: quotaKey(ctx), journal: false };
    for (const p of plan.downloads) {
      const title = p.item.filename || p.item.id;
      group.add({
        ...common,
        id: downloadTaskId(p.id),
        kind: 'download',
        title,
        run: (task) =>
          noting(async () => {
            const fetched = await fetcher.download(p, task);
            // Added while this task still runs, so the group cannot settle in between. One try: a
            // failed commit leaves nothing to commit again (the next run downloads it anew).
            group.add({ ...common, id: placeTaskId(p.id), kind: 'place', title, maxAttempts: 1, run: (t) => noting(() => fetcher.place(p, fetched, t))() });
            return fetched;
          })(),
      });
    }
    // Every task is added before the first await: a group whose tasks all settled is finished.
    options.onGroup?.(group);
    const result = await group.finished;
    await state.rows.flush();
    await syncFolders(state.unsynced);
    report.cancelled = group.signal.aborted || result.cancelled > 0;
    report.interrupted = !group.signal.aborted && result.cancelled > 0;
    await finishDownloads(ctx, plan, report, result, state.stoppedBy);
    // Received files whose place task never ran (cancelled, stopped): nothing may keep them.
    for (const staged of state.staged.values()) await discardStaged(staged);
    return report;
  }
}

async function checkFolder(root: string): Promise<void> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(root);
  } catch {
    throw new DownloadFolderError(`The download folder ${root} does not exist (was it moved, or is its drive disconnected?). Choose another folder.`);
  }
  if (!stat.isDirectory()) throw new DownloadFolderError(`${root} is not a folder. Choose a folder to download into.`);
  try {
    await fs.promises.access(root, fs.constants.W_OK);
  } catch {
    throw new DownloadFolderError(`The download folder ${root} is read-only (or you may not write there). Choose another folder.`);
  }
}
