// What the journal of an earlier session says about its unfinished tasks: how the dependencies that
// ended before the crash ended, and which rows a factory can turn back into a task.
import type { JournalRow } from '../index/api';
import type { Logger } from '../util/logger';
import type { TaskFactory, TaskJournal, TaskKind, TaskOutcome, TaskSpec } from './api';
import { TASK_FAILED_NO_REASON } from './failureText';

/** How a finished dependency ended, as its journal row says (no row: it never ran, so cancelled). */
export function outcomeOfRow(row: JournalRow | undefined): TaskOutcome {
  if (row?.state === 'done') return { state: 'done', value: undefined };
  if (row?.state === 'failed') return { state: 'failed', error: new Error(row.lastError ?? TASK_FAILED_NO_REASON), reason: row.lastError ?? TASK_FAILED_NO_REASON };
  return { state: 'cancelled' };
}

/** Outcomes of the dependencies of `rows` that are neither resumed nor `known` to this session. */
export async function endedDependencies(journal: TaskJournal, rows: readonly JournalRow[], known: (id: string) => boolean): Promise<Map<string, TaskOutcome>> {
  const resumed = new Set(rows.map((r) => r.id));
  const ended = new Map<string, TaskOutcome>();
  for (const dep of new Set(rows.flatMap((r) => r.dependsOn))) {
    if (resumed.has(dep) || known(dep)) continue;
    ended.set(dep, outcomeOfRow(await journal.get(dep)));
  }
  return ended;
}

/** The specs to queue again (with the row's id, dependencies and priority), and the rows no factory takes. */
export function specsToResume(rows: readonly JournalRow[], factories: Partial<Record<TaskKind, TaskFactory>>, log: Logger): { specs: TaskSpec[]; notResumable: JournalRow[] } {
  const specs: TaskSpec[] = [];
  const notResumable: JournalRow[] = [];
  for (const row of rows) {
    let spec: TaskSpec | undefined;
    try {
      spec = factories[row.kind as TaskKind]?.(row);
    } catch (err) {
      log.warn(`Cannot resume task ${row.title}: ${(err as Error).message}`);
    }
    if (spec) specs.push({ ...spec, id: row.id, dependsOn: spec.dependsOn ?? row.dependsOn, priority: spec.priority ?? row.priority });
    else notResumable.push(row);
  }
  return { specs, notResumable };
}
