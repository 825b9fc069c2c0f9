import type { GroupProgress, GroupResult, TaskGroup, TaskHandle, TaskKind, TaskSpec } from './api';
import type { Clock } from './clock';
import { TASK_FAILED_NO_REASON } from './failureText';

/** What the group needs to know about each of its tasks. */
export interface GroupMember {
  readonly id: string;
  readonly kind: TaskKind;
  readonly title: string;
  state: 'queued' | 'running' | 'retrying' | 'done' | 'failed' | 'cancelled';
  bytesTotal: number;
  bytesDone: number;
  reason?: string;
}

export interface GroupHost {
  add<R>(group: TaskGroupImpl, spec: TaskSpec<R>): TaskHandle<R>;
  cancelMembers(group: TaskGroupImpl): void;
  readonly clock: Clock;
}

export class TaskGroupImpl implements TaskGroup {
  readonly members = new Map<string, GroupMember>();
  private readonly controller = new AbortController();
  private readonly listeners = new Set<(p: GroupProgress) => void>();
  private readonly startedAt: number;
  private resolveFinished!: (r: GroupResult) => void;
  readonly finished: Promise<GroupResult>;
  private settled = false;

  constructor(
    readonly id: string,
    readonly title: string,
    readonly verb: string,
    private readonly host: GroupHost,
    private readonly countKinds?: readonly TaskKind[],
  ) {
    this.startedAt = host.clock.now();
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get isFinished(): boolean {
    return this.settled;
  }

  add<R>(spec: TaskSpec<R>): TaskHandle<R> {
    return this.host.add(this, spec);
  }

  cancel(): void {
    if (!this.controller.signal.aborted) this.controller.abort(new DOMException('Cancelled by the user', 'AbortError'));
    this.host.cancelMembers(this);
    this.changed();
  }

  onProgress(listener: (p: GroupProgress) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  progress(): GroupProgress {
    const counted = [...this.members.values()].filter((m) => !this.countKinds || this.countKinds.includes(m.kind));
    const all = [...this.members.values()];
    const count = (state: GroupMember['state']) => counted.filter((m) => m.state === state).length;
    const bytesTotal = all.reduce((sum, m) => sum + m.bytesTotal, 0);
    const bytesDone = all.reduce((sum, m) => sum + (m.state === 'done' ? m.bytesTotal : Math.min(m.bytesDone, m.bytesTotal || m.bytesDone)), 0);
    const total = counted.length;
    const done = count('done');
    const failed = count('failed');
    const cancelled = count('cancelled');
    return {
      groupId: this.id,
      title: this.title,
      verb: this.verb,
      total,
      done,
      failed,
      cancelled,
      running: count('running'),
      bytesTotal,
      bytesDone,
      etaMs: this.eta(bytesDone, bytesTotal, done + failed + cancelled, total),
      finished: this.settled,
    };
  }

  /** Called by the queue after any member changed. */
  changed(): void {
    const all = [...this.members.values()];
    const open = all.some((m) => m.state === 'queued' || m.state === 'running' || m.state === 'retrying');
    if (!this.settled && !open && (all.length > 0 || this.controller.signal.aborted)) {
      this.settled = true;
      this.resolveFinished(this.result());
    }
    if (this.listeners.size === 0) return;
    const p = this.progress();
    for (const l of [...this.listeners]) l(p);
  }

  private result(): GroupResult {
    const all = [...this.members.values()];
    return {
      done: all.filter((m) => m.state === 'done').length,
      failed: all.filter((m) => m.state === 'failed').map((m) => ({ taskId: m.id, title: m.title, reason: m.reason ?? TASK_FAILED_NO_REASON })),
      cancelled: all.filter((m) => m.state === 'cancelled').length,
    };
  }

  /** Remaining time at the rate so far: bytes when the tasks have sizes, else task counts. */
  private eta(bytesDone: number, bytesTotal: number, finished: number, total: number): number | undefined {
    const elapsed = this.host.clock.now() - this.startedAt;
    if (elapsed < 1000) return undefined;
    if (bytesTotal > 0 && bytesDone > 0) return Math.round(((bytesTotal - bytesDone) * elapsed) / bytesDone);
    if (finished > 0 && total > finished) return Math.round(((total - finished) * elapsed) / finished);
    return undefined;
  }
}
