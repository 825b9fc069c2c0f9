import type * as vscode from 'vscode';
import type { QueueSnapshot, TaskQueueApi } from '../tasks/api';
import { formatGroupProgress } from './taskProgress';
import { formatCount, formatTimeOfDay } from '../util/format';
import { quotaWords } from '../tasks/quotaWords';

export type StatusBarVs = Pick<typeof vscode, 'window' | 'StatusBarAlignment' | 'MarkdownString' | 'l10n'>;

export interface QuotaUse {
  used: number;
  limit: number;
}

export const SHOW_TASKS_COMMAND = 'photoSync.showTaskDetails';

/**
 * The queue in the status bar while it is busy or paused: "$(cloud-upload) 3 · 1,204/10,000" (tasks
 * running or waiting · requests used today), or "$(debug-pause) paused until 09:00 (daily quota)".
 * Hidden when idle. Clicking opens the details (cancel, log).
 */
export class QueueStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscription: { dispose(): void };
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly vs: StatusBarVs,
    private readonly queue: Pick<TaskQueueApi, 'snapshot' | 'onDidChange'>,
    private readonly options: {
      quota?: () => QuotaUse | undefined;
      timeZone?: string;
      throttleMs?: number;
      /** Given: the item always shows — "signed out" or "idle" when nothing runs. Else it hides when idle. */
      signedIn?: () => boolean;
      /** What a click runs (default: the task details picker). */
      command?: string;
    } = {},
  ) {
    this.item = vs.window.createStatusBarItem('photoSync.queue', vs.StatusBarAlignment.Left, 10);
    this.item.name = 'Photo Sync Tasks';
    this.item.command = options.command ?? SHOW_TASKS_COMMAND;
    this.subscription = queue.onDidChange(() => this.schedule());
    this.update(queue.snapshot());
  }

  /** Redraws now (also after the quota changed). */
  refresh(): void {
    this.update(this.queue.snapshot());
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.subscription.dispose();
    this.item.dispose();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refresh();
    }, this.options.throttleMs ?? 200);
  }

  private update(s: QueueSnapshot): void {
    const active = s.running + s.queued;
    const quota = this.options.quota?.();
    const quotaText = quota ? ` · ${formatCount(quota.used)}/${formatCount(quota.limit)}` : '';
    // A pause with nothing waiting (the work was cancelled) is no news.
    if (s.paused && active > 0) {
      this.item.text = this.vs.l10n.t('$(debug-pause) Photo Sync paused until {0} ({1})', formatTimeOfDay(s.paused.until, this.options.timeZone), quotaWords(s.paused.label, this.vs.l10n));
    } else if (active > 0) {
      this.item.text = active === 1 ? this.vs.l10n.t('$(cloud-upload) 1 task{0}', quotaText) : this.vs.l10n.t('$(cloud-upload) {0} tasks{1}', formatCount(active), quotaText);
    } else if (!this.options.signedIn) {
      this.item.hide();
      return;
    } else if (!this.options.signedIn()) {
      this.item.text = this.vs.l10n.t('$(account) Photo Sync: signed out');
      this.item.tooltip = this.vs.l10n.t('Photo Sync is not signed in to any service. Click to open Photo Sync.');
      this.item.show();
      return;
    } else {
      this.item.text = this.vs.l10n.t('$(check) Photo Sync');
      this.item.tooltip = new this.vs.MarkdownString([this.vs.l10n.t('**Photo Sync**: idle'), '', ...(quota ? [`Requests today: ${formatCount(quota.used)} of ${formatCount(quota.limit)}`, ''] : []), this.vs.l10n.t('Click to open Activity.')].join('\n'));
      this.item.show();
      return;
    }
    this.item.tooltip = this.tooltip(s, quota);
    this.item.show();
  }

  private tooltip(s: QueueSnapshot, quota: QuotaUse | undefined): vscode.MarkdownString {
    const lines = ['**Photo Sync**', ''];
    for (const p of s.pauses) lines.push(this.vs.l10n.t('Paused: the {0} is used up. Resumes at {1}.', quotaWords(p.label, this.vs.l10n), formatTimeOfDay(p.until, this.options.timeZone)), '');
    for (const g of s.groups) lines.push(`- ${g.title}: ${formatGroupProgress(g, s.paused, this.options.timeZone, this.vs.l10n)}`);
    lines.push('', this.vs.l10n.t('{0} running, {1} waiting', formatCount(s.running), formatCount(s.queued)));
    if (quota) lines.push('', this.vs.l10n.t('Requests today: {0} of {1}', formatCount(quota.used), formatCount(quota.limit)));
    lines.push('', this.options.command ? this.vs.l10n.t('Click to open Activity (cancel, retry).') : this.vs.l10n.t('Click for details or to cancel.'));
    return new this.vs.MarkdownString(lines.join('\n'));
  }
}
