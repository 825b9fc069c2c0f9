import type { JournalRow, JournalState } from '../index/api';
import type { QueueSnapshot, TaskOutcome, TaskSpec } from './api';
import type { ClockTimer } from './clock';
import type { GroupMember, TaskGroupImpl } from './group';

/** A task the queue holds until it settles. */
export interface LiveTask extends GroupMember {
  readonly spec: TaskSpec;
  readonly group: TaskGroupImpl;
  readonly seq: number;
  readonly createdAt: number;
  readonly serialKey?: string;
  readonly quotaKey: string;
  readonly priority: number;
  attempts: number;
  controller: AbortController;
  retryTimer?: ClockTimer;
  lastError?: string;
  resolve(outcome: TaskOutcome): void;
  readonly outcome: Promise<TaskOutcome>;
}

/** Running and waiting tasks, in all and per kind. */
export function countLive(tasks: Iterable<LiveTask>): Pick<QueueSnapshot, 'running' | 'queued' | 'byKind'> {
  const byKind: QueueSnapshot['byKind'] = {};
  let running = 0;
  let queued = 0;
  for (const t of tasks) {
    const k = (byKind[t.kind] ??= { running: 0, queued: 0 });
    if (t.state === 'running') {
      k.running++;
      running++;
    } else {
      k.queued++;
      queued++;
    }
  }
  return { running, queued, byKind };
}

/** The task's journal row (a retrying task is journaled as queued: it runs again after a restart). */
export function journalRowOf(task: LiveTask, now: number): JournalRow {
  const state: JournalState = task.state === 'retrying' ? 'queued' : task.state;
  return {
    id: task.id,
    kind: task.kind,
    groupId: task.group.id,
    groupTitle: task.group.title,
    accountId: task.spec.accountId,
    title: task.title,
    state,
    payload: task.spec.payload === undefined ? undefined : JSON.stringify(task.spec.payload),
    dependsOn: [...(task.spec.dependsOn ?? [])],
    priority: task.priority,
    bytes: task.bytesTotal || undefined,
    attempts: task.attempts,
    lastError: task.lastError,
    createdAt: task.createdAt,
    updatedAt: now,
  };
}
