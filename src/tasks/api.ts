/**
 * The public contract of the task queue: every long operation runs as a task with per-kind
 * concurrency, priorities, dependencies, retries decided by a classifier the caller gives (each
 * destination classifies its own errors into neutral Outcomes), a pause per quota until the quota's
 * reset, AbortSignal cancellation, progress (counts and bytes) per user action, and a journal so
 * unfinished work resumes after a crash.
 *
 * Plain TypeScript, no runtime vscode import. Entry point: `new TaskQueue(options)` in ./queue
 * (re-exported from here). src/ui/taskProgress.ts and src/ui/statusBar.ts adapt it to VS Code.
 */
import type { Logger } from '../util/logger';
import type { JournalRow } from '../index/api';
import type { Clock } from './clock';
import type { Classifier } from './outcome';

export type { Clock } from './clock';
export type { Classifier, Outcome } from './outcome';

export { TASK_KINDS, DEFAULT_CONCURRENCY, type TaskKind } from './kinds';
import type { TaskKind } from './kinds';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** What a running task receives. */
export interface TaskContext {
  readonly taskId: string;
  /** Aborted when the task, its group or the whole queue is cancelled; pass it to fetch. */
  readonly signal: AbortSignal;
  /** 1 on the first run, 2 on the first retry, … */
  readonly attempt: number;
  /** Outcomes of the tasks listed in `dependsOn` (a done task's value is what its run returned). */
  readonly dependencies: ReadonlyMap<string, TaskOutcome>;
  /** Reports bytes done so far for this task (absolute, not a delta); `total` updates the expected size. */
  reportBytes(done: number, total?: number): void;
  readonly log: Logger;
  readonly clock: Clock;
}

export interface TaskSpec<R = unknown> {
  /** Stable id (journal key). Generated when absent. Re-adding an id that is still live returns the live handle. */
  id?: string;
  kind: TaskKind;
  /** Shown in logs and details, e.g. "IMG_0001.jpg". */
  title: string;
  accountId?: string;
  /** Expected bytes, for the group's byte progress and ETA. */
  bytes?: number;
  /** Higher runs first among ready tasks of a kind. Default 0. */
  priority?: number;
  /** Task ids that must settle first (e.g. a commit's uploads). */
  dependsOn?: readonly string[];
  /**
   * 'success' (default): if a dependency fails or is cancelled, this task fails with
   * "dependency failed" without running. 'settled': run anyway and look at ctx.dependencies
   * (batchCreate commits whichever uploads succeeded).
   */
  waitFor?: 'success' | 'settled';
  /** Tasks with the same key never run at the same time (e.g. a service's writes for one account). */
  serialKey?: string;
  /** Decides what a failed run means; default: the queue's classifier. */
  classify?: Classifier;
  /**
   * The quota this task spends (e.g. "google-photos:<account>"). When a task of a key reports the
   * quota spent, every task of that key waits for the reset; other keys go on. Default: accountId.
   */
  quotaKey?: string;
  /** Journaled with the task so a factory can rebuild it after a crash. */
  payload?: JsonValue;
  /**
   * False for tasks whose work keeps its own journal (the download pipeline's rows): the queue does not
   * journal them, which saves index writes per task. Default true.
   */
  journal?: boolean;
  /** Attempts before a retryable error fails the task. Default 6. */
  maxAttempts?: number;
  run(ctx: TaskContext): Promise<R>;
}

export type TaskState = 'queued' | 'running' | 'retrying' | 'done' | 'failed' | 'cancelled';

export type TaskOutcome<R = unknown> =
  | { state: 'done'; value: R }
  | { state: 'failed'; error: Error; reason: string }
  | { state: 'cancelled' };

export interface TaskHandle<R = unknown> {
  readonly id: string;
  readonly kind: TaskKind;
  readonly state: TaskState;
  /** Settles (never rejects) when the task is done, failed or cancelled. */
  readonly outcome: Promise<TaskOutcome<R>>;
  cancel(): void;
}

/** Counts and bytes of a user action, for the notification and the status bar. */
export interface GroupProgress {
  groupId: string;
  title: string;
  /** Verb for the message, e.g. "Uploading". */
  verb: string;
  total: number;
  done: number;
  failed: number;
  cancelled: number;
  running: number;
  bytesTotal: number;
  bytesDone: number;
  /** Estimated ms left from the byte (or count) rate so far; undefined until measurable. */
  etaMs?: number;
  finished: boolean;
}

export interface GroupResult {
  done: number;
  failed: { taskId: string; title: string; reason: string }[];
  cancelled: number;
}

/** A user action: the tasks behind one notification. */
export interface TaskGroup {
  readonly id: string;
  readonly title: string;
  readonly signal: AbortSignal;
  add<R>(spec: TaskSpec<R>): TaskHandle<R>;
  progress(): GroupProgress;
  onProgress(listener: (p: GroupProgress) => void): { dispose(): void };
  /** Aborts the group's running tasks and drops its queued ones. */
  cancel(): void;
  /** Settles when every task added so far (and any added before it settles) has settled. */
  readonly finished: Promise<GroupResult>;
}

export interface QueuePause {
  reason: 'quota';
  /** The quota key whose tasks wait (see TaskSpec.quotaKey). */
  key: string;
  /** Epoch ms when those tasks resume by themselves (the quota's reset). */
  until: number;
  /** For messages: "daily quota", "hourly limit". */
  label: string;
}

export interface QueueSnapshot {
  running: number;
  queued: number;
  byKind: Partial<Record<TaskKind, { running: number; queued: number }>>;
  /** The pause ending last, if any quota is spent (what the status bar shows). */
  paused?: QueuePause;
  pauses: QueuePause[];
  groups: GroupProgress[];
}

/** Persists task state; the index implements it (see createIndexJournal in ./indexJournal). */
export interface TaskJournal {
  /** Upserts rows; may batch (the index saves debounced). */
  record(rows: readonly JournalRow[]): Promise<void>;
  /** Rows still queued or running, oldest first. */
  unfinished(): Promise<JournalRow[]>;
  /** One row (to learn how a finished dependency ended when resuming). */
  get(id: string): Promise<JournalRow | undefined>;
  /** Called at the end of each task: forces the index save. */
  flush(): Promise<void>;
}

/** Rebuilds a task of one kind from its journal row after a crash; undefined drops the row. */
export type TaskFactory = (row: JournalRow) => TaskSpec | undefined;

export interface TaskQueueOptions {
  concurrency?: Partial<Record<TaskKind, number>>;
  clock?: Clock;
  /** For backoff jitter; default Math.random. */
  random?: () => number;
  log?: Logger;
  journal?: TaskJournal;
  /** Forced journal saves at task ends are at least this far apart (real time). Default 1000 ms. */
  minFlushIntervalMs?: number;
  /** Backoff: first delay (default 1000 ms), cap (default 64,000 ms). Retry-After wins when larger. */
  backoff?: { baseMs?: number; maxMs?: number };
  /** Classifier for tasks that bring none; default classifyGeneric (cancel, network retry, else fatal). */
  classify?: Classifier;
}

export interface TaskQueueApi {
  /**
   * Starts a user action; `verb` is the progress message's first word ("Uploading"). `countKinds`
   * limits the "134 of 2,000" counts to those kinds (e.g. ['upload'] so commit tasks do not
   * inflate the count); bytes always sum over every task.
   */
  group(title: string, verb: string, options?: { countKinds?: readonly TaskKind[] }): TaskGroup;
  /** Changes concurrency (settings changed); takes effect for the next task started. */
  setConcurrency(concurrency: Partial<Record<TaskKind, number>>): void;
  /** The pause ending last, if any. */
  readonly paused: QueuePause | undefined;
  /** Ends every pause early (e.g. the user asked to retry now). */
  resumeNow(): void;
  snapshot(): QueueSnapshot;
  onDidChange(listener: (s: QueueSnapshot) => void): { dispose(): void };
  /** Cancels one user action by its id (from a snapshot). */
  cancelGroup(groupId: string): void;
  /** Cancels everything running or queued (photoSync.cancelTasks). */
  cancelAll(): void;
  /** Unfinished journal rows, to ask the user before resuming a large amount of work. */
  pendingFromJournal(): Promise<number>;
  /**
   * Re-queues unfinished journal rows through the factories (one per kind) into one group.
   * Rows whose kind has no factory, or whose factory returns undefined, are marked cancelled.
   */
  resumeFromJournal(factories: Partial<Record<TaskKind, TaskFactory>>, title?: string): Promise<TaskGroup | undefined>;
  /** Resolves when nothing is running or queued. */
  idle(): Promise<void>;
  /**
   * Shutting down (deactivate): saves the journal, then aborts running requests and stops, leaving
   * unfinished rows unfinished so the next start resumes them. Not a user cancel (that is cancelAll).
   */
  dispose(): Promise<void>;
}

export { TaskQueue } from './queue';
export { createIndexJournal } from './indexJournal';
export { ManualClock, systemClock } from './clock';
export { classifyGeneric, isAbortError, isNetworkError } from './outcome';
export { dailyQuota, hourlyQuota, calendarDay, nextMidnight, periodsNeeded, type QuotaPolicy } from './quotaPolicy';
