import type * as vscode from 'vscode';
import type { GroupProgress, GroupResult, TaskGroup, TaskQueueApi } from '../tasks/api';
import { formatBytes, formatCount, formatDuration, formatTimeOfDay } from '../util/format';

export type ProgressVs = Pick<typeof vscode, 'window' | 'ProgressLocation'>;

/**
 * The progress line of a user action, e.g. "Uploading 134 of 2,000 · 412 MB of 5.1 GB · 3 min left".
 * When the queue is paused for a spent quota it says so instead of an ETA.
 */
export function formatGroupProgress(p: GroupProgress, paused?: { until: number; label: string }, timeZone?: string): string {
  // Before its first task is added a group has nothing to count: "Uploading…", not "Uploading 0 of 0".
  if (p.total === 0) return paused ? `${p.verb}… · paused until ${formatTimeOfDay(paused.until, timeZone)} (${paused.label})` : `${p.verb}…`;
  const parts = [`${p.verb} ${formatCount(p.done + p.failed + p.cancelled)} of ${formatCount(p.total)}`];
  if (p.bytesTotal > 0) parts.push(`${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}`);
  if (p.failed > 0) parts.push(`${formatCount(p.failed)} failed`);
  if (paused) parts.push(`paused until ${formatTimeOfDay(paused.until, timeZone)} (${paused.label})`);
  else if (p.etaMs !== undefined && !p.finished) parts.push(`${formatDuration(p.etaMs)} left`);
  return parts.join(' · ');
}

/** Share of the work done, 0–100, by bytes when the tasks have sizes, else by count. */
export function percentDone(p: GroupProgress): number {
  if (p.bytesTotal > 0) return Math.min(100, (100 * p.bytesDone) / p.bytesTotal);
  if (p.total > 0) return Math.min(100, (100 * (p.done + p.failed + p.cancelled)) / p.total);
  return 0;
}

/**
 * Shows ONE cancellable notification for a user action until its tasks have all settled. Cancelling
 * it cancels the group: queued tasks are dropped and running ones see their AbortSignal fire.
 */
export function showGroupProgress(
  vs: ProgressVs,
  group: TaskGroup,
  options: { queue?: Pick<TaskQueueApi, 'paused' | 'onDidChange'>; throttleMs?: number; timeZone?: string } = {},
): Thenable<GroupResult> {
  const throttleMs = options.throttleMs ?? 250;
  return vs.window.withProgress({ location: vs.ProgressLocation.Notification, title: group.title, cancellable: true }, async (progress, token) => {
    let reported = 0;
    let lastMessage = '';
    let timer: NodeJS.Timeout | undefined;
    let lastAt = 0;
    const report = () => {
      timer = undefined;
      lastAt = Date.now();
      const p = group.progress();
      const pct = percentDone(p);
      const message = formatGroupProgress(p, options.queue?.paused, options.timeZone);
      // Increments are cumulative in VS Code: report only the growth.
      const increment = Math.max(0, pct - reported);
      if (message === lastMessage && increment === 0) return;
      reported += increment;
      lastMessage = message;
      progress.report({ message, increment });
    };
    const schedule = () => {
      if (timer) return;
      const wait = Math.max(0, throttleMs - (Date.now() - lastAt));
      if (wait === 0) report();
      else timer = setTimeout(report, wait);
    };
    const subscriptions = [group.onProgress(schedule), token.onCancellationRequested(() => group.cancel())];
    if (options.queue) subscriptions.push(options.queue.onDidChange(schedule));
    report();
    try {
      const result = await group.finished;
      // VS Code keeps a finished progress notification on screen a moment: let it show the end
      // ("Uploading 3 of 3"), not a throttled earlier state. (A pending throttled report goes first.)
      clearTimeout(timer);
      report();
      return result;
    } finally {
      clearTimeout(timer);
      for (const s of subscriptions) s.dispose();
    }
  });
}
