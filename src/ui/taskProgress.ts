import type * as vscode from 'vscode';
import type { GroupResult, TaskGroup, TaskQueueApi } from '../tasks/api';
import { formatGroupProgress, percentDone } from '../tasks/progressText';

export type ProgressVs = Pick<typeof vscode, 'window' | 'ProgressLocation'> & Partial<Pick<typeof vscode, 'l10n'>>;

export { formatGroupProgress, percentDone } from '../tasks/progressText';

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
      const message = formatGroupProgress(p, options.queue?.paused, options.timeZone, vs.l10n);
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
