import type * as vscode from 'vscode';
import type { TaskQueueApi } from '../tasks/api';
import { SHOW_TASKS_COMMAND } from './statusBar';
import { formatCount } from '../util/format';
import { formatGroupProgress } from './taskProgress';
import { quotaWords } from '../tasks/quotaWords';

export type TaskCommandsVs = Pick<typeof vscode, 'window' | 'commands' | 'l10n'>;

export interface TaskCommandDeps {
  queue: TaskQueueApi;
  /** The "Photo Sync" LogOutputChannel. */
  log: { show(preserveFocus?: boolean): void };
}

/** photoSync.cancelTasks, photoSync.showLog and the status bar's details picker. */
export function registerTaskCommands(vs: TaskCommandsVs, deps: TaskCommandDeps): vscode.Disposable[] {
  const { queue } = deps;
  return [
    vs.commands.registerCommand('photoSync.cancelTasks', async () => {
      const s = queue.snapshot();
      const count = s.running + s.queued;
      if (count === 0) {
        void vs.window.showInformationMessage(vs.l10n.t('Photo Sync has no running tasks.'));
        return;
      }
      queue.cancelAll();
      void vs.window.showInformationMessage(count === 1 ? vs.l10n.t('Cancelled 1 running or waiting Photo Sync task.') : vs.l10n.t('Cancelled {0} running or waiting Photo Sync tasks.', formatCount(count)));
    }),
    vs.commands.registerCommand('photoSync.showLog', () => deps.log.show(false)),
    vs.commands.registerCommand(SHOW_TASKS_COMMAND, async () => {
      const s = queue.snapshot();
      type Pick = vscode.QuickPickItem & { run(): unknown };
      const items: Pick[] = s.groups.map((g) => ({
        label: vs.l10n.t('$(close) Cancel “{0}”', g.title),
        detail: formatGroupProgress(g, s.paused, undefined, vs.l10n),
        run: () => queue.cancelGroup(g.groupId),
      }));
      if (s.paused) items.push({ label: vs.l10n.t('$(debug-start) Resume Now'), detail: vs.l10n.t('Try again before the {0} resets.', quotaWords(s.paused.label, vs.l10n)), run: () => queue.resumeNow() });
      if (s.running + s.queued > 0) items.push({ label: vs.l10n.t('$(stop) Cancel All Tasks'), run: () => vs.commands.executeCommand('photoSync.cancelTasks') });
      items.push({ label: vs.l10n.t('$(output) Show Log'), run: () => deps.log.show(false) });
      const picked = await vs.window.showQuickPick(items, { title: vs.l10n.t('Photo Sync Tasks'), placeHolder: vs.l10n.t('{0} running, {1} waiting', formatCount(s.running), formatCount(s.queued)) });
      await picked?.run();
    }),
  ];
}

/** Applies photoSync.concurrency.uploads / .downloads now and whenever they change. */
export function bindConcurrencySettings(vs: Pick<typeof vscode, 'workspace'>, queue: Pick<TaskQueueApi, 'setConcurrency'>): vscode.Disposable {
  const apply = () => {
    const config = vs.workspace.getConfiguration('photoSync');
    queue.setConcurrency({
      upload: clamp(config.get<number>('concurrency.uploads', 4), 1, 16),
      download: clamp(config.get<number>('concurrency.downloads', 6), 1, 32),
    });
  };
  apply();
  return vs.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('photoSync.concurrency')) apply();
  });
}

function clamp(n: number, min: number, max: number): number {
  return Number.isFinite(n) ? Math.min(max, Math.max(min, Math.floor(n))) : min;
}

/**
 * Asks before resuming a large amount of work left unfinished by a crash or a closed window; a
 * small amount resumes without a question. Anything but "Resume" leaves it for later.
 */
export async function confirmResume(vs: Pick<typeof vscode, 'window' | 'l10n'>, count: number, noun: string, askAbove = 20): Promise<boolean> {
  if (count <= askAbove) return true;
  const answer = await vs.window.showInformationMessage(vs.l10n.t('Photo Sync stopped with {0} {1} unfinished. Resume them now?', formatCount(count), noun), vs.l10n.t('Resume'), vs.l10n.t('Later'));
  return answer === vs.l10n.t('Resume');
}
