import type * as vscode from 'vscode';
import type { PhotoIndex } from '../index/api';
import { createIndexJournal } from '../tasks/indexJournal';
import { TaskQueue } from '../tasks/queue';
import type { GroupResult, TaskGroup } from '../tasks/api';
import type { Logger } from '../util/logger';
import { GOOGLE_PHOTOS_QUOTA } from '../destinations/googlePhotos/rules';
import { QueueStatusBar, type QuotaUse } from '../ui/statusBar';
import { bindConcurrencySettings, registerTaskCommands } from '../ui/taskCommands';
import { showGroupProgress } from '../ui/taskProgress';

export type TasksVs = Pick<typeof vscode, 'window' | 'commands' | 'workspace' | 'Uri' | 'StatusBarAlignment' | 'MarkdownString' | 'ProgressLocation' | 'l10n'>;

export interface TaskServices {
  readonly queue: TaskQueue;
  /** The index, opened on first use (activation stays fast; it starts opening right after). */
  index(): Promise<PhotoIndex>;
  /** The index if it is open already. */
  currentIndex(): PhotoIndex | undefined;
  /** Redraws the status bar (e.g. after the quota count changed). */
  refreshStatus(): void;
  /** Shows one cancellable notification for a user action until its tasks settle. */
  showProgress(group: TaskGroup): Thenable<GroupResult>;
  /** deactivate: stops the queue (unfinished work stays in the journal to resume) and saves the index. */
  shutdown(): Promise<void>;
}

/**
 * Builds the queue, the lazily opened index in global storage, the status bar item, the task
 * commands and the concurrency settings binding. Everything disposable goes on context.subscriptions.
 */
export function activateTasks(
  vs: TasksVs,
  context: Pick<vscode.ExtensionContext, 'globalStorageUri' | 'extensionUri' | 'subscriptions'>,
  log: Logger,
  channel: { show(preserveFocus?: boolean): void },
  ui: { signedIn?: () => boolean; statusCommand?: string; onGroup?: (group: TaskGroup) => void } = {},
): TaskServices {
  let opened: Promise<PhotoIndex> | undefined;
  let ready: PhotoIndex | undefined;
  // Modules ask for the index while activating; it opens (sql.js loaded, file read) only after
  // activation has returned, so the sidebar's first paint does not wait for it.
  const activated = new Promise<void>((resolve) => setTimeout(resolve, 0));
  const index = (): Promise<PhotoIndex> => {
    // The index's code is loaded then too (with the commands' code, dist/commands.js), not while activating.
    opened ??= activated.then(() => import('../index/openIndex.js')).then(({ openIndex }) => openIndex({
      storageDir: context.globalStorageUri.fsPath,
      // The bundle ships sql-wasm.wasm next to dist/extension.js.
      wasmDir: vs.Uri.joinPath(context.extensionUri, 'dist').fsPath,
      log,
      lockLabel: 'a VS Code window',
      onCorrupt: ({ movedTo }) =>
        void vs.window.showWarningMessage(
          vs.l10n.t('Photo Sync\'s index was damaged, so it was set aside ({0}) and a new one started. The next sync rebuilds it from Google Photos and your folders.', movedTo),
        ),
    })).then(
      (i) => {
        ready = i;
        // Finished journal rows are history after a week.
        void i.write((w) => w.tasks.prune(Date.now() - 7 * 24 * 60 * 60 * 1000)).catch((err: unknown) => log.warn(`Pruning the task journal failed: ${(err as Error).message}`));
        context.subscriptions.push({ dispose: () => void i.dispose() });
        context.subscriptions.push(i.onDidChange(() => statusBar.refresh()));
        return i;
      },
      (err: unknown) => {
        opened = undefined;
        log.error(`Could not open the Photo Sync index: ${(err as Error).message}`);
        throw err;
      },
    );
    return opened;
  };

  const queue = new TaskQueue({ log, journal: createIndexJournal(index) });
  const quota = (): QuotaUse | undefined => {
    const q = GOOGLE_PHOTOS_QUOTA;
    return ready ? { used: ready.quota.total(q.bucket, q.periodOf(Date.now())), limit: q.limit } : undefined;
  };
  const statusBar = new QueueStatusBar(vs, queue, { quota, signedIn: ui.signedIn, command: ui.statusCommand });
  context.subscriptions.push(
    statusBar,
    bindConcurrencySettings(vs, queue),
    ...registerTaskCommands(vs, { queue, log: channel }),
    { dispose: () => void queue.dispose() },
  );

  // Open soon, but after activation has returned.
  setTimeout(() => void index().catch(() => undefined), 0);

  return {
    queue,
    index,
    currentIndex: () => ready,
    refreshStatus: () => statusBar.refresh(),
    showProgress: (group) => {
      ui.onGroup?.(group);
      return showGroupProgress(vs, group, { queue });
    },
    shutdown: async () => {
      await queue.dispose();
      await ready?.dispose();
    },
  };
}
