// The Activity view: what the task queue does now — running and queued actions, actions paused until
// a quota resets — and recent actions that ended with failures, each failed task with its reason.
// Inline: Cancel (running, queued, paused), Resume Now (paused), Retry and Dismiss (failed).
import type * as vscode from 'vscode';
import type { GroupProgress, GroupResult, QueueSnapshot, TaskGroup, TaskQueueApi } from '../tasks/api';
import { formatGroupProgress } from '../tasks/progressText';
import { formatCount, formatTimeOfDay } from '../util/format';
import type { TreeNode } from './tree';
import { quotaWords } from '../tasks/quotaWords';
import { translateFailure } from '../sync/failureText';

export type ActivityVs = Pick<typeof vscode, 'TreeItem' | 'TreeItemCollapsibleState' | 'ThemeIcon' | 'MarkdownString' | 'EventEmitter' | 'l10n'>;

export const ACTIVITY_VIEW = 'photoSync.activity';
export const ACTIVITY_COMMANDS = {
  cancel: 'photoSync.activity.cancel',
  retry: 'photoSync.activity.retry',
  dismiss: 'photoSync.activity.dismiss',
  resume: 'photoSync.activity.resumeNow',
  show: 'photoSync.showActivity',
} as const;

/** Failed actions kept in the view (newest first). */
export const RECENT_FAILED = 20;

export interface FailedAction {
  groupId: string;
  title: string;
  /** "Uploading", "Downloading": what Retry can run again. */
  verb: string;
  at: number;
  failures: GroupResult['failed'];
  done: number;
}

/** A row of the Activity view; commands receive it. */
export interface ActivityNode extends TreeNode {
  groupId?: string;
  failed?: FailedAction;
}

export class ActivityTree implements vscode.TreeDataProvider<ActivityNode>, vscode.Disposable {
  private readonly changed: vscode.EventEmitter<ActivityNode | undefined>;
  readonly onDidChangeTreeData: vscode.Event<ActivityNode | undefined>;
  private readonly failed: FailedAction[] = [];
  private readonly subscription: { dispose(): void };
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly vs: ActivityVs,
    private readonly queue: Pick<TaskQueueApi, 'snapshot' | 'onDidChange'>,
    private readonly options: { timeZone?: string; throttleMs?: number; now?: () => number } = {},
  ) {
    this.changed = new vs.EventEmitter<ActivityNode | undefined>();
    this.onDidChangeTreeData = this.changed.event;
    this.subscription = queue.onDidChange(() => this.schedule());
  }

  /** Keeps an action's failures once it ends (every action shown with a progress notification comes here). */
  track(group: TaskGroup): void {
    void group.finished.then((result) => {
      if (result.failed.length === 0) return;
      const p = group.progress();
      this.failed.unshift({ groupId: group.id, title: group.title, verb: p.verb, at: (this.options.now ?? Date.now)(), failures: result.failed, done: result.done });
      this.failed.splice(RECENT_FAILED);
      this.refresh();
    });
  }

  dismiss(groupId: string): void {
    const i = this.failed.findIndex((f) => f.groupId === groupId);
    if (i >= 0) this.failed.splice(i, 1);
    this.refresh();
  }

  failedActions(): readonly FailedAction[] {
    return this.failed;
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: ActivityNode): vscode.TreeItem {
    return node.toTreeItem();
  }

  async getChildren(node?: ActivityNode): Promise<ActivityNode[]> {
    if (node) return ((await node.children?.()) ?? []) as ActivityNode[];
    return this.rows(this.queue.snapshot());
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.subscription.dispose();
    this.changed.dispose();
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.refresh();
    }, this.options.throttleMs ?? 500);
  }

  /** The top rows for a snapshot (exported through getChildren; tests call it with a snapshot). */
  rows(s: QueueSnapshot): ActivityNode[] {
    const vs = this.vs;
    const tz = this.options.timeZone;
    const out: ActivityNode[] = [];
    // A pause matters while work waits for it (not after that work was cancelled).
    for (const p of s.running + s.queued > 0 ? s.pauses : []) {
      const id = `photoSync.activity.pause:${p.key}`;
      out.push({
        id,
        toTreeItem() {
          const item = new vs.TreeItem(vs.l10n.t('Paused until {0}', formatTimeOfDay(p.until, tz)), vs.TreeItemCollapsibleState.None);
          item.id = id;
          item.description = quotaWords(p.label, vs.l10n);
          item.iconPath = new vs.ThemeIcon('debug-pause');
          item.contextValue = 'photoSync.activity.paused';
          item.tooltip = vs.l10n.t('The {0} is used up. The waiting tasks go on by themselves at {1}; Resume Now tries before that.', quotaWords(p.label, vs.l10n), formatTimeOfDay(p.until, tz));
          return item;
        },
      });
    }
    for (const g of s.groups.filter((x) => !x.finished)) out.push(groupNode(vs, g, s, tz));
    for (const f of this.failed) out.push(failedNode(vs, f, tz));
    // Nothing: the view's welcome content shows (Sync Now, or Add Folder to Sync when there is no folder yet).
    return out;
  }
}

/** "running", "queued" or "paused" for an action in a snapshot. */
export function groupState(g: GroupProgress, s: QueueSnapshot): 'running' | 'queued' | 'paused' {
  if (g.running > 0) return 'running';
  return s.paused ? 'paused' : 'queued';
}

function groupNode(vs: ActivityVs, g: GroupProgress, s: QueueSnapshot, tz: string | undefined): ActivityNode {
  const id = `photoSync.activity.group:${g.groupId}`;
  const state = groupState(g, s);
  return {
    id,
    groupId: g.groupId,
    toTreeItem() {
      const item = new vs.TreeItem(g.title, vs.TreeItemCollapsibleState.None);
      item.id = id;
      const left = g.total - g.done - g.failed - g.cancelled;
      item.description = state === 'paused' ? vs.l10n.t('paused · {0} waiting', formatCount(left)) : state === 'queued' ? vs.l10n.t('queued · {0}', formatCount(left)) : vs.l10n.t('{0} of {1}', formatCount(g.done), formatCount(g.total));
      item.iconPath = new vs.ThemeIcon(state === 'running' ? 'sync~spin' : state === 'paused' ? 'debug-pause' : 'watch');
      item.contextValue = `photoSync.activity.${state}`;
      item.tooltip = `${g.title}\n${formatGroupProgress(g, s.paused, tz, vs.l10n)}`;
      return item;
    },
  };
}

function failedNode(vs: ActivityVs, f: FailedAction, tz: string | undefined): ActivityNode {
  const id = `photoSync.activity.failed:${f.groupId}`;
  return {
    id,
    groupId: f.groupId,
    failed: f,
    toTreeItem() {
      const item = new vs.TreeItem(f.title, vs.TreeItemCollapsibleState.Collapsed);
      item.id = id;
      item.description = vs.l10n.t('{0} failed', formatCount(f.failures.length));
      item.iconPath = new vs.ThemeIcon('error');
      item.contextValue = f.verb === 'Uploading' ? 'photoSync.activity.failedRetry' : 'photoSync.activity.failed';
      item.tooltip = vs.l10n.t('{0}: {1} done, {2} failed (ended {3}){4}', f.title, formatCount(f.done), formatCount(f.failures.length), formatTimeOfDay(f.at, tz), f.verb === 'Uploading' ? '\nRetry syncs again: the failed files are planned anew.' : '');
      return item;
    },
    async children() {
      return f.failures.map((x) => {
        const rowId = `${id}:${x.taskId}`;
        return {
          id: rowId,
          toTreeItem() {
            const item = new vs.TreeItem(x.title, vs.TreeItemCollapsibleState.None);
            item.id = rowId;
            const reason = translateFailure(x.reason, vs.l10n);
            item.description = reason.split('\n')[0];
            item.tooltip = `${x.title}\n${reason}`;
            item.iconPath = new vs.ThemeIcon('error');
            item.contextValue = 'photoSync.activity.failedTask';
            return item;
          },
        };
      });
    },
  };
}
