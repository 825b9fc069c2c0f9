import { randomUUID } from 'node:crypto';
import { nullLogger, type Logger } from '../util/logger';
import { DEFAULT_CONCURRENCY } from './kinds';
import type {
  QueuePause,
  QueueSnapshot,
  TaskFactory,
  TaskGroup,
  TaskHandle,
  TaskJournal,
  TaskKind,
  TaskOutcome,
  TaskQueueApi,
  TaskQueueOptions,
  TaskSpec,
  TaskState,
} from './api';
import { backoffDelay } from './backoff';
import { systemClock, type Clock } from './clock';
import { TaskGroupImpl, type GroupHost } from './group';
import { JournalWriter } from './journalWriter';
import { countLive, journalRowOf, type LiveTask } from './liveTask';
import { QuotaPauses } from './pauses';
import { endedDependencies, specsToResume } from './resume';
import { classifyGeneric, type Classifier } from './outcome';
import { englishFailure, TASK_DEPENDENCY_FAILED, TASK_GAVE_UP } from './failureText';

export class TaskQueue implements TaskQueueApi, GroupHost {
  readonly clock: Clock;
  private readonly log: Logger;
  private readonly random: () => number;
  private readonly journal?: TaskJournal;
  private readonly backoff: { baseMs: number; maxMs: number };
  private readonly classify: Classifier;
  private concurrency: Record<TaskKind, number>;
  private readonly live = new Map<string, LiveTask>();
  /** Outcomes of settled tasks, for dependents added later. */
  private readonly settled = new Map<string, TaskOutcome>();
  private readonly groups = new Set<TaskGroupImpl>();
  private readonly busyKeys = new Set<string>();
  private readonly listeners = new Set<(s: QueueSnapshot) => void>();
  private readonly idleWaiters: (() => void)[] = [];
  private readonly journalWriter?: JournalWriter;
  private readonly pauses: QuotaPauses;
  private seq = 0;
  private disposed = false;

  constructor(options: TaskQueueOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? nullLogger;
    this.random = options.random ?? Math.random;
    this.journal = options.journal;
    this.backoff = { baseMs: options.backoff?.baseMs ?? 1000, maxMs: options.backoff?.maxMs ?? 64_000 };
    this.concurrency = { ...DEFAULT_CONCURRENCY, ...options.concurrency };
    if (options.journal) this.journalWriter = new JournalWriter(options.journal, this.log, options.minFlushIntervalMs ?? 1000);
    this.classify = options.classify ?? classifyGeneric;
    this.pauses = new QuotaPauses(this.clock, this.log, () => {
      this.changed();
      this.pump();
    });
  }

  get paused(): QueuePause | undefined {
    return this.pauses.latest();
  }

  group(title: string, verb: string, options?: { countKinds?: readonly TaskKind[] }): TaskGroup {
    return this.createGroup(title, verb, options?.countKinds);
  }

  private createGroup(title: string, verb: string, countKinds?: readonly TaskKind[]): TaskGroupImpl {
    const group = new TaskGroupImpl(randomUUID(), title, verb, this, countKinds);
    this.groups.add(group);
    void group.finished.then(() => {
      this.groups.delete(group);
      // Forget the outcomes of a finished action unless live work still depends on them.
      const needed = new Set([...this.live.values()].flatMap((t) => t.spec.dependsOn ?? []));
      for (const id of group.members.keys()) if (!needed.has(id)) this.settled.delete(id);
      this.changed();
    });
    return group;
  }

  setConcurrency(concurrency: Partial<Record<TaskKind, number>>): void {
    for (const [kind, n] of Object.entries(concurrency) as [TaskKind, number][]) if (Number.isFinite(n) && n >= 1) this.concurrency[kind] = Math.floor(n);
    this.pump();
  }

  add<R>(group: TaskGroupImpl, spec: TaskSpec<R>): TaskHandle<R> {
    const id = spec.id ?? randomUUID();
    const existing = this.live.get(id);
    if (existing) return this.handle(existing) as TaskHandle<R>;
    let resolve!: (o: TaskOutcome) => void;
    const outcome = new Promise<TaskOutcome>((r) => (resolve = r));
    const task: LiveTask = {
      id,
      kind: spec.kind,
      title: spec.title,
      spec: spec as TaskSpec,
      group,
      seq: ++this.seq,
      createdAt: this.clock.now(),
      serialKey: spec.serialKey,
      quotaKey: spec.quotaKey ?? spec.accountId ?? '',
      priority: spec.priority ?? 0,
      attempts: 0,
      controller: new AbortController(),
      state: 'queued',
      bytesTotal: spec.bytes ?? 0,
      bytesDone: 0,
      resolve,
      outcome,
    };
    group.members.set(id, task);
    if (group.signal.aborted || this.disposed) {
      this.finish(task, { state: 'cancelled' });
      return this.handle(task) as TaskHandle<R>;
    }
    this.live.set(id, task);
    this.journalRecord(task);
    group.changed();
    this.changed();
    this.pumpSoon();
    return this.handle(task) as TaskHandle<R>;
  }

  cancelGroup(groupId: string): void {
    for (const g of this.groups) if (g.id === groupId) g.cancel();
  }

  cancelMembers(group: TaskGroupImpl): void {
    for (const task of [...this.live.values()]) if (task.group === group) this.cancelTask(task);
  }

  cancelAll(): void {
    for (const group of [...this.groups]) group.cancel();
    for (const task of [...this.live.values()]) this.cancelTask(task);
  }

  resumeNow(): void {
    if (this.pauses.size === 0) return;
    this.log.info('Queue resumed.');
    this.pauses.endAll();
  }

  snapshot(): QueueSnapshot {
    return { ...countLive(this.live.values()), paused: this.paused, pauses: this.pauses.list(), groups: [...this.groups].map((g) => g.progress()) };
  }

  onDidChange(listener: (s: QueueSnapshot) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  async pendingFromJournal(): Promise<number> {
    return this.journal ? (await this.journal.unfinished()).length : 0;
  }

  async resumeFromJournal(factories: Partial<Record<TaskKind, TaskFactory>>, title = 'Resuming unfinished work'): Promise<TaskGroup | undefined> {
    if (!this.journal) return undefined;
    const rows = (await this.journal.unfinished()).filter((r) => !this.live.has(r.id));
    if (rows.length === 0) return undefined;
    const ended = await endedDependencies(this.journal, rows, (id) => this.settled.has(id) || this.live.has(id));
    for (const [id, outcome] of ended) this.settled.set(id, outcome);
    const group = this.createGroup(title, 'Resuming');
    const { specs, notResumable } = specsToResume(rows, factories, this.log);
    for (const row of notResumable) this.journalWriter?.record({ ...row, state: 'cancelled', updatedAt: this.clock.now(), lastError: 'not resumable' });
    for (const spec of specs) group.add(spec);
    const closed = notResumable.length;
    this.log.info(`Journal of the last session: ${rows.length - closed} task(s) resumed, ${closed} closed as not resumable.`);
    if (group.members.size === 0) group.cancel();
    return group;
  }

  idle(): Promise<void> {
    if (this.live.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    await this.flushJournal();
    // From here the journal keeps what it says: unfinished rows stay unfinished for the next start.
    this.disposed = true;
    this.pauses.dispose();
    for (const task of [...this.live.values()]) this.cancelTask(task);
    await Promise.all([...this.live.values()].map((t) => t.outcome));
  }

  // ---------------------------------------------------------------------------------------------

  private handle(task: LiveTask): TaskHandle {
    return {
      id: task.id,
      kind: task.kind,
      get state(): TaskState {
        return task.state;
      },
      outcome: task.outcome,
      cancel: () => this.cancelTask(task),
    };
  }

  private cancelTask(task: LiveTask): void {
    if (!this.live.has(task.id)) return;
    if (task.state === 'running') {
      // The run settles on its own once the abort reaches its fetch; finish() runs then.
      task.controller.abort(new DOMException('Cancelled', 'AbortError'));
      return;
    }
    if (task.retryTimer) this.clock.clearTimeout(task.retryTimer);
    this.finish(task, { state: 'cancelled' });
  }

  private pumpScheduled = false;

  /** One pump for everything that changed in this turn (adding 1,000 tasks is not 1,000 pumps). */
  private pumpSoon(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    queueMicrotask(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /** Starts every task that may run now. */
  private pump(): void {
    if (this.disposed) return;
    const running = new Map<TaskKind, number>();
    const waiting = new Set<TaskKind>();
    for (const t of this.live.values()) {
      if (t.state === 'running') running.set(t.kind, (running.get(t.kind) ?? 0) + 1);
      else if (t.state === 'queued') waiting.add(t.kind);
    }
    // Every kind with queued tasks is at its concurrency: nothing can start (the usual case mid-run).
    if (![...waiting].some((kind) => (running.get(kind) ?? 0) < this.concurrency[kind])) return;
    const ready: LiveTask[] = [];
    let mixedPriorities = false;
    for (const t of this.live.values()) {
      if (t.state !== 'queued' || (running.get(t.kind) ?? 0) >= this.concurrency[t.kind]) continue;
      if (ready.length > 0 && t.priority !== ready[0].priority) mixedPriorities = true;
      ready.push(t);
    }
    // `live` keeps creation (seq) order: only differing priorities need a sort (a pump per task
    // start and end over thousands of queued tasks made sorting every time the queue's main cost).
    if (mixedPriorities) ready.sort((a, b) => b.priority - a.priority || a.seq - b.seq);
    for (const task of ready) {
      if (this.pauses.has(task.quotaKey)) continue;
      if ((running.get(task.kind) ?? 0) >= this.concurrency[task.kind]) continue;
      if (task.serialKey && this.busyKeys.has(task.serialKey)) continue;
      const deps = this.dependencyState(task);
      if (deps === 'waiting') continue;
      if (deps === 'broken') {
        this.finish(task, { state: 'failed', error: new Error(TASK_DEPENDENCY_FAILED), reason: TASK_DEPENDENCY_FAILED });
        continue;
      }
      running.set(task.kind, (running.get(task.kind) ?? 0) + 1);
      void this.start(task);
    }
  }

  private dependencyState(task: LiveTask): 'ready' | 'waiting' | 'broken' {
    let broken = false;
    for (const dep of task.spec.dependsOn ?? []) {
      if (this.live.has(dep)) return 'waiting';
      const outcome = this.settled.get(dep);
      if (!outcome || outcome.state !== 'done') broken = true;
    }
    return broken && task.spec.waitFor !== 'settled' ? 'broken' : 'ready';
  }

  private async start(task: LiveTask): Promise<void> {
    task.state = 'running';
    task.attempts++;
    if (task.serialKey) this.busyKeys.add(task.serialKey);
    if (task.controller.signal.aborted) task.controller = new AbortController();
    if (task.group.signal.aborted) task.controller.abort(task.group.signal.reason);
    this.journalRecord(task);
    task.group.changed();
    this.changed();
    const dependencies = new Map<string, TaskOutcome>();
    for (const dep of task.spec.dependsOn ?? []) dependencies.set(dep, this.settled.get(dep) ?? { state: 'cancelled' });
    let outcome: TaskOutcome | undefined;
    try {
      const value = await task.spec.run({
        taskId: task.id,
        signal: task.controller.signal,
        attempt: task.attempts,
        dependencies,
        reportBytes: (done, total) => {
          task.bytesDone = done;
          if (total !== undefined) task.bytesTotal = total;
          task.group.changed();
        },
        log: this.log,
        clock: this.clock,
      });
      outcome = { state: 'done', value };
    } catch (err) {
      outcome = this.afterFailure(task, err);
    } finally {
      if (task.serialKey) this.busyKeys.delete(task.serialKey);
    }
    if (outcome) this.finish(task, outcome);
    else {
      this.journalRecord(task);
      task.group.changed();
      this.changed();
    }
    this.pumpSoon();
    // The end of every task forces the index save (shared with whatever else ends meanwhile).
    if (!this.disposed) await this.flushJournal();
  }

  /** Decides what a failed run means; undefined = the task stays live (retry or quota wait). */
  private afterFailure(task: LiveTask, err: unknown): TaskOutcome | undefined {
    const message = err instanceof Error ? err.message : String(err);
    if (task.controller.signal.aborted) return { state: 'cancelled' };
    const outcome = (task.spec.classify ?? this.classify)(err, this.clock.now());
    switch (outcome.kind) {
      case 'cancelled':
        return { state: 'cancelled' };
      case 'quota': {
        // Not the task's fault: it runs again after the reset without using up an attempt.
        task.attempts--;
        task.state = 'queued';
        task.lastError = message;
        this.pauses.start(task.quotaKey, outcome.until, outcome.label);
        return undefined;
      }
      case 'retry': {
        const maxAttempts = task.spec.maxAttempts ?? 6;
        if (task.attempts >= maxAttempts) return fail(englishFailure(TASK_GAVE_UP, message, task.attempts), err);
        const delay = backoffDelay(task.attempts, { ...this.backoff, retryAfterMs: outcome.afterMs, random: this.random });
        task.state = 'retrying';
        task.lastError = message;
        this.log.warn(`${task.title}: ${message}; retry ${task.attempts} in ${Math.round(delay / 100) / 10} s`);
        task.retryTimer = this.clock.setTimeout(() => {
          task.retryTimer = undefined;
          if (!this.live.has(task.id)) return;
          task.state = 'queued';
          this.changed();
          this.pump();
        }, delay);
        return undefined;
      }
      case 'needs-user':
        return fail(outcome.message ?? message, err);
      default:
        return fail(message, err);
    }
  }

  private finish(task: LiveTask, outcome: TaskOutcome): void {
    task.state = outcome.state;
    if (outcome.state === 'failed') {
      task.reason = outcome.reason;
      task.lastError = outcome.reason;
      this.log.error(`${task.title} failed: ${outcome.reason}`);
    }
    this.live.delete(task.id);
    this.settled.set(task.id, outcome);
    this.journalRecord(task);
    task.resolve(outcome);
    task.group.changed();
    this.changed();
    if (this.live.size === 0) for (const w of this.idleWaiters.splice(0)) w();
    this.pumpSoon();
  }

  private changed(): void {
    if (this.listeners.size === 0) return;
    const s = this.snapshot();
    for (const l of [...this.listeners]) l(s);
  }

  // Journal ----------------------------------------------------------------------------------------

  private journalRecord(task: LiveTask): void {
    if (!this.journalWriter || this.disposed || task.spec.journal === false) return;
    this.journalWriter.record(journalRowOf(task, this.clock.now()));
  }

  private flushJournal(): Promise<void> {
    return this.journalWriter?.flush(this.disposed) ?? Promise.resolve();
  }
}

function fail(reason: string, err: unknown): TaskOutcome {
  return { state: 'failed', error: err instanceof Error ? err : new Error(reason), reason };
}
