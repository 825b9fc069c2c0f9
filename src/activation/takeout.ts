// Wires Import Google Takeout… and Check Capture Dates… (the metadata doctor) for the extension.
import type * as vscode from 'vscode';
import type { PhotoIndex } from '../index/api';
import type { TaskQueueApi } from '../tasks/api';
import type { Logger } from '../util/logger';
import { readSyncFolders } from '../ui/syncFolders';
import type { LibraryTree } from '../ui/tree';

export const TAKEOUT_COMMANDS = { importTakeout: 'photoSync.importTakeout', fixDates: 'photoSync.fixDates' } as const;

export interface TakeoutModuleDeps {
  vs: Pick<typeof vscode, 'window' | 'workspace' | 'Uri' | 'ProgressLocation' | 'commands' | 'l10n'>;
  log: Logger;
  index: () => PhotoIndex | undefined;
  openIndex: () => Promise<PhotoIndex>;
  queue: TaskQueueApi;
  tree: LibraryTree;
}

export function activateTakeout(deps: TakeoutModuleDeps): vscode.Disposable {
  const { vs, log } = deps;
  const refresh = () => deps.tree.refresh();
  const run = (what: string, work: () => Promise<unknown>) =>
    work().catch((err: unknown) => {
      log.error(err as Error);
      void vs.window.showErrorMessage(vs.l10n.t('{0} failed: {1}', what, (err as Error).message));
    });
  const disposables = [
    vs.commands.registerCommand(TAKEOUT_COMMANDS.importTakeout, (uri?: vscode.Uri, uris?: vscode.Uri[]) =>
      run(vs.l10n.t('Import Google Takeout'), async () => (await import('../ui/commands/importTakeout.js')).importTakeoutCommand({ vs, log, openIndex: deps.openIndex, queue: deps.queue, refresh }, uri, uris)),
    ),
    vs.commands.registerCommand(TAKEOUT_COMMANDS.fixDates, (arg?: unknown) =>
      run(vs.l10n.t('Check Capture Dates'), async () => {
        const index = deps.index() ?? (await deps.openIndex().catch(() => undefined));
        // Loaded on first use, not at activation (as Import Google Takeout).
        const { fixDatesCommand } = await import('../ui/commands/fixDates.js');
        return fixDatesCommand({ vs, log, folders: () => readSyncFolders(vs, log), index: () => index, refresh }, arg);
      }),
    ),
  ];
  return { dispose: () => disposables.forEach((d) => d.dispose()) };
}
