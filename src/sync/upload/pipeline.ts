// The upload flow (folder → destination): scan and record, plan, journal, then run the plan through
// the task queue — albums, parallel uploads, batched commits, adds, archive moves — and report.
// One pipeline per destination account; the parts it wires live beside it, each doing one thing.
import path from 'node:path';
import type { PhotoIndex } from '../../index/api';
import type { TaskGroup, TaskQueueApi } from '../../tasks/api';
import type { Logger } from '../../util/logger';
import type { SyncFolder } from '../config';
import { buildPlan, buildPlanInChunks, type ChunkedPlanOptions, type SyncPlan } from '../plan';
import type { PhotoProvider } from '../provider';
import { RunLeases, type HeldLeases, type LeaseHolder } from '../runLease';
import { AlbumAdder } from './addTask';
import { AlbumResolver } from './albumResolver';
import { Archiver } from './archiveStep';
import { Committer } from './commitTask';
import type { UploadContext } from './context';
import { applyCheck, checkDestination, type CheckResult } from './destinationCheck';
import { finishRun } from './finish';
import { addTasks } from './graph';
import { journalPlan } from './journal';
import { newReport, type SyncReport } from './report';
import { unfinishedScans } from './resumePlanner';
import { countArchived, scanAndRecord, type HashedFileSink, type ScanStep } from './scanRecorder';
import { Uploader } from './uploadTask';
import { EarlyUploads } from './earlyUploads';
import { OverlappedRun, type StartedRun } from './overlappedRun';
import { l10nOr, type SyncL10n } from '../l10n';

export type { SyncReport } from './report';
export type { ScanStep } from './scanRecorder';

export interface UploadPipelineOptions {
  provider: PhotoProvider;
  /** Task titles and progress verbs in the user's language (default English). */
  l10n?: SyncL10n;
  index: PhotoIndex;
  queue: TaskQueueApi;
  accountId: string;
  log: Logger;
  /** Items per commit / add call (≤ provider.rules.maxBatch). The benchmark's baseline sets 1. */
  batchSize?: number;
  /** `photoSync.upload.description` template. */
  description?: string;
  /** Read capture dates of new files even when the album rule does not use them. */
  readDates?: boolean;
  /** Who holds a run's leases, in words for other windows ("VS Code window", "photo-sync command line"). */
  leaseLabel?: string;
  now?: () => number;
}

export interface SyncOptions {
  signal?: AbortSignal;
  onGroup?: (group: TaskGroup) => void;
  onProgress?: (message: string) => void;
  /** The run's title (progress notification, other windows). */
  title?: string;
  /** Sees the plan after the scan: the plan to run (maybe cut), or undefined to stop. */
  decide?: (plan: SyncPlan) => Promise<SyncPlan | undefined> | SyncPlan | undefined;
  /** Uploads started during the scan at most (0: none; the scan and plan come first). Default: no limit. */
  earlyLimit?: number;
  /**
   * Cancelling the run's group during the scan stops the uploads but not the scan: the plan is made
   * and its run reports every file as waiting for the next sync. Default: the scan stops too.
   */
  scanOutlivesGroup?: boolean;
}

export class UploadPipeline {
  readonly ctx: UploadContext;
  /** Leases beside the index: one run per destination account and folder across windows and processes. */
  readonly leases: RunLeases;
  private readonly albums: AlbumResolver;
  private readonly uploader: Uploader;
  private readonly archiver: Archiver;
  private readonly committer: Committer;
  private readonly adder: AlbumAdder;
  /** What the destination said before the next plan (containers removed there, free storage). */
  private checked: CheckResult | undefined;

  constructor(private readonly options: UploadPipelineOptions) {
    const { provider } = options;
    this.ctx = {
      provider,
      index: options.index,
      accountId: options.accountId,
      log: options.log,
      batchSize: Math.max(1, Math.min(options.batchSize ?? provider.rules.maxBatch, provider.rules.maxBatch)),
      description: options.description,
      now: options.now ?? Date.now,
      l10n: options.l10n,
    };
    this.leases = new RunLeases(storageDirOf(options.index), { log: options.log, label: options.leaseLabel ?? 'another Photo Sync' });
    this.albums = new AlbumResolver(this.ctx, this.leases);
    this.uploader = new Uploader(this.ctx);
    this.archiver = new Archiver(this.ctx);
    this.committer = new Committer(this.ctx, this.albums, this.uploader, this.archiver);
    this.adder = new AlbumAdder(this.ctx, this.albums, this.archiver);
  }

  get provider(): PhotoProvider {
    return this.ctx.provider;
  }

  /**
   * Scans the folders and records what was found in the index (`record: false`: a dry run, nothing
   * written); then asks the destination what changed on its side (containers the user removed there,
   * free storage) for the plan.
   */
  async scan(folders: readonly SyncFolder[], signal?: AbortSignal, onProgress?: (message: string) => void, options: { record?: boolean; sink?: HashedFileSink } = {}): Promise<ScanStep[]> {
    const scans = await scanAndRecord(this.ctx, folders, { readDates: this.options.readDates, signal, onProgress, record: options.record, sink: options.sink });
    if (options.record !== false) this.checked = await checkDestination(this.ctx, this.albums, signal);
    return scans;
  }

  plan(scans: readonly ScanStep[]): SyncPlan {
    const plan = buildPlan(scans, this.ctx.index, {
      accountId: this.ctx.accountId,
      provider: this.ctx.provider.id,
      rules: this.ctx.provider.rules,
      batchSize: this.ctx.batchSize,
      now: this.ctx.now(),
    });
    plan.archived = countArchived(this.ctx, scans.map((s) => s.folder));
    applyCheck(plan, this.checked, this.ctx.provider.displayName);
    this.checked = undefined;
    return plan;
  }

  /** plan() in chunks that let the event loop turn (the review of 100,000 files); `chunked.onChunk` sees each chunk. */
  async planInChunks(scans: readonly ScanStep[], chunked: ChunkedPlanOptions = {}): Promise<SyncPlan> {
    const options = { accountId: this.ctx.accountId, provider: this.ctx.provider.id, rules: this.ctx.provider.rules, batchSize: this.ctx.batchSize, now: this.ctx.now() };
    const plan = await buildPlanInChunks(scans, this.ctx.index, options, chunked);
    plan.archived = countArchived(this.ctx, scans.map((s) => s.folder));
    applyCheck(plan, this.checked, this.ctx.provider.displayName);
    this.checked = undefined;
    return plan;
  }

  /**
   * Runs the plan in a queue group and resolves when every task settled. Cancelling the group (or
   * VS Code closing) leaves the journal consistent: the next run resumes it.
   */
  async run(plan: SyncPlan, options: { title?: string; onGroup?: (group: TaskGroup) => void; started?: StartedRun } = {}): Promise<SyncReport> {
    const report = newReport(plan);
    const { started } = options;
    this.albums.remember(plan.albumIds);
    try {
      await journalPlan(this.ctx, plan, this.albums, started && ((sha) => started.early.has(sha)));
    } catch (err) {
      started?.stop();
      throw err;
    }
    if (plan.uploads.length === 0 && plan.adds.length === 0) {
      // Nothing to send: only archiving of files already confirmed. (An empty group never settles.)
      started?.open();
      for (const a of plan.alreadyUploaded) await this.archiver.archiveIfWanted(a.folder, a.file, a.mediaItemId, report);
      if (started) await started.group.finished;
      await this.ctx.index.flush();
      return report;
    }
    const l10n = l10nOr(this.ctx.l10n);
    const title = options.title ?? l10n.t('Uploading to {0}', this.ctx.provider.displayName);
    // Progress counts files sent (album creates and commits are not what the user counts).
    const group = started?.group ?? this.options.queue.group(title, l10n.t('Uploading'), { countKinds: plan.uploads.length ? ['upload'] : ['album'] });
    const commitOf = addTasks(this.ctx, plan, group, { albums: this.albums, uploader: this.uploader, committer: this.committer, adder: this.adder }, report);
    // Every task is added before the first await: a group whose tasks all settled is finished.
    if (started) started.open();
    else options.onGroup?.(group);
    for (const a of plan.alreadyUploaded) await this.archiver.archiveIfWanted(a.folder, a.file, a.mediaItemId, report);
    const result = await group.finished;
    if (started) for (const err of started.early.errors) if (report.errors.length < 5 && !report.errors.includes(err)) report.errors.push(err);
    report.cancelled = group.signal.aborted || result.cancelled > 0;
    await this.ctx.index.flush();
    await finishRun(this.ctx, plan, report, result, commitOf, this.archiver);
    if (this.ctx.index.needsRebuild && !report.cancelled && report.failed.length === 0) await this.ctx.index.markRebuilt();
    await this.ctx.index.flush();
    return report;
  }

  /**
   * Scan → plan → run, for Sync Now and the command line. Uploads of content this account has never
   * seen start while the scan goes on (`earlyUploads.ts`); commits, album adds and archive moves are
   * planned after the scan and wait for them as for any upload. `decide` sees the plan before the rest
   * runs (undefined: stop there; uploads already started are cancelled and resume with the next sync).
   */
  async sync(folders: readonly SyncFolder[], options: SyncOptions = {}): Promise<{ plan: SyncPlan; report: SyncReport }> {
    if (!this.startsEarly(options)) {
      const plan = this.plan(await this.scan(folders, options.signal, options.onProgress));
      const decided = options.decide ? await options.decide(plan) : plan;
      if (!decided) return { plan, report: { ...newReport(plan), cancelled: true } };
      return { plan: decided, report: await this.run(decided, { title: options.title, onGroup: options.onGroup }) };
    }
    const l10n = l10nOr(this.ctx.l10n);
    const overlap = new OverlappedRun(this.options.queue, options.title ?? l10n.t('Uploading to {0}', this.ctx.provider.displayName), options.signal, options.onGroup, options.scanOutlivesGroup, l10n);
    const early = new EarlyUploads(this.ctx, () => overlap.group(), { uploader: this.uploader, albums: this.albums }, { limit: options.earlyLimit ?? Number.POSITIVE_INFINITY, signal: overlap.signal, stopped: () => overlap.cancelled });
    let plan: SyncPlan;
    let decided: SyncPlan | undefined;
    try {
      plan = this.plan(await this.scan(folders, overlap.signal, options.onProgress, { sink: early }));
      // Content whose upload started during the scan is new to this account, whatever its journal row says now.
      for (const u of plan.uploads) if (early.has(u.sha256) && (u.reason === 'retry' || u.reason === 'resume')) u.reason = 'new';
      decided = options.decide ? await options.decide(plan) : plan;
    } catch (err) {
      await overlap.stop(() => early.drain());
      throw err;
    }
    const started = overlap.started(early);
    if (!decided) {
      await overlap.stop(() => early.drain());
      return { plan, report: { ...newReport(plan), cancelled: true } };
    }
    return { plan: decided, report: await this.run(decided, { title: options.title, onGroup: options.onGroup, started }) };
  }

  /** Uploads start during the scan where nothing the plan alone knows can hold them back. */
  private startsEarly(options: SyncOptions): boolean {
    const { provider } = this.ctx;
    if (options.earlyLimit === 0) return false;
    // A destination check may forget containers and items; uploads into a container need it first;
    // a capped account is fitted to its capacity after the plan.
    return !provider.check && !provider.rules.uploadsIntoContainer && !provider.capacity;
  }

  /**
   * What an interrupted run left unfinished, planned again without scanning (undefined when nothing
   * is). Archive moves it left half-done are finished first. `folders` gives files their folder's rules.
   */
  async planUnfinished(folders: readonly SyncFolder[]): Promise<SyncPlan | undefined> {
    const report = newReport(buildPlan([], this.ctx.index, { accountId: this.ctx.accountId, provider: this.ctx.provider.id, rules: this.ctx.provider.rules, batchSize: this.ctx.batchSize }));
    await this.archiver.resume(folders, report);
    const scans = await unfinishedScans(this.ctx, folders);
    if (scans.length === 0) return undefined;
    this.checked = await checkDestination(this.ctx, this.albums);
    return this.plan(scans);
  }

  /**
   * Runs `work` holding the leases of these folders and of the destination account, so no other
   * window or process uploads to that account at the same time; while another holds one, `onBusy` is
   * told (with its published progress) and this waits. The account's lease matters where folders
   * overlap (one window syncs a folder, another its sub-folder) or hold copies of the same bytes: two
   * runs at once would each plan the shared contents and send their bytes twice.
   */
  async exclusive<T>(folders: readonly SyncFolder[], work: (lease: HeldLeases) => Promise<T>, options: { signal?: AbortSignal; onBusy?: (holder: LeaseHolder) => void } = {}): Promise<T> {
    const keys = [RunLeases.accountKey(this.ctx.provider.id, this.ctx.accountId), ...folders.map((f) => RunLeases.runKey(this.ctx.provider.id, this.ctx.accountId, f.path))];
    const lease = await this.leases.acquire(keys, options);
    try {
      // The previous holder saved before letting go; plan from what it saved, not from our copy.
      await this.ctx.index.refresh();
      return await work(lease);
    } finally {
      // Saved before the lease goes, so the next holder plans from this run's receipts.
      await this.ctx.index.flush().catch((err: unknown) => this.ctx.log.error(`Saving the index failed: ${(err as Error).message}`));
      lease.release();
    }
  }
}

function storageDirOf(index: PhotoIndex): string {
  return path.dirname(index.filePath);
}
