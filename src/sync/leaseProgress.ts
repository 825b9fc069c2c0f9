// Publishes a running group's progress beside its run lease, so a VS Code window or a command line
// waiting for the same folders can show how far the run is ("Syncing in another window: 12 of 40").
import type { TaskGroup } from '../tasks/api';
import type { HeldLeases } from './runLease';

/** Writes the group's counts to the lease now and at most every `everyMs` while it runs. */
export function publishLeaseProgress(lease: HeldLeases, group: TaskGroup, title: string, everyMs = 500): void {
  // Others poll it twice a second: no need to write it more often.
  let timer: NodeJS.Timeout | undefined;
  const publish = () => {
    timer = undefined;
    const p = group.progress();
    lease.report({ title, done: p.done + p.failed + p.cancelled, total: p.total });
  };
  publish();
  const sub = group.onProgress(() => (timer ??= setTimeout(publish, everyMs)));
  void group.finished.then(() => {
    sub.dispose();
    clearTimeout(timer);
  });
}
