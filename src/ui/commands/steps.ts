// Steps the sync commands share: picking a folder or an album name, scanning with a cancellable
// notification, waiting for a run in another window, and running a plan with its progress.
import path from 'node:path';
import type { SyncFolder } from '../../sync/config';
import { cleanTitle, MAX_ALBUM_TITLE } from '../../sync/albums';
import type { SyncPlan } from '../../sync/plan';
import { publishLeaseProgress } from '../../sync/leaseProgress';
import type { HeldLeases, LeaseHolder } from '../../sync/runLease';
import type { SyncReport } from '../../sync/upload/pipeline';
import { formatCount } from '../../util/format';
import { showReport, type ReportAction } from '../syncReport';
import type { DestinationSession, SyncCommandDeps, SyncVsCode } from './deps';

export async function pickFolder(vs: SyncVsCode, title: string): Promise<string | undefined> {
  const picked = await vs.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, title, openLabel: vs.l10n.t('Select Folder') });
  return picked?.[0]?.fsPath;
}

export async function askAlbumTitle(vs: SyncVsCode, folderName: string, destination: string): Promise<string | undefined> {
  const value = await vs.window.showInputBox({
    title: vs.l10n.t('Album name'),
    value: cleanTitle(folderName, 'Photos'),
    prompt: vs.l10n.t('A new album in {0} (created on first upload, reused afterwards)', destination),
    ignoreFocusOut: true,
    validateInput: (v) => (!v.trim() ? vs.l10n.t('Enter an album name') : Array.from(v).length > MAX_ALBUM_TITLE ? vs.l10n.t('At most {0} characters', MAX_ALBUM_TITLE) : undefined),
  });
  return value?.trim() ? cleanTitle(value, folderName) : undefined;
}

/**
 * Runs `work` holding these folders' leases. While another VS Code window (or the command line)
 * syncs one of them, a notification says so with that run's progress, and this waits for it;
 * cancelling the notification gives up (undefined).
 */
export async function exclusively<T>(deps: SyncCommandDeps, session: DestinationSession, folders: readonly SyncFolder[], work: (lease: HeldLeases) => Promise<T>): Promise<T | undefined> {
  const { vs } = deps;
  const abort = new AbortController();
  let notice: { report(holder: LeaseHolder): void; close(): void } | undefined;
  try {
    return await session.pipeline.exclusive(
      folders,
      async (lease) => {
        notice?.close();
        return work(lease);
      },
      {
        signal: abort.signal,
        onBusy: (holder) => {
          notice ??= waitingNotice(vs, holder, () => abort.abort());
          notice.report(holder);
        },
      },
    );
  } catch (err) {
    if ((err as Error).name === 'AbortError') return undefined;
    throw err;
  } finally {
    notice?.close();
  }
}

function waitingNotice(vs: SyncVsCode, first: LeaseHolder, cancel: () => void): { report(holder: LeaseHolder): void; close(): void } {
  let close!: () => void;
  let report: (holder: LeaseHolder) => void = () => undefined;
  const closed = new Promise<void>((resolve) => (close = resolve));
  const who = first.label ? vs.l10n.t('in {0}', first.label) : vs.l10n.t('in another window');
  void vs.window.withProgress({ location: vs.ProgressLocation.Notification, title: vs.l10n.t('Syncing {0}', who), cancellable: true }, (progress, token) => {
    token.onCancellationRequested(cancel);
    report = (holder) => {
      const p = holder.progress;
      progress.report({ message: p ? vs.l10n.t('{0}: {1} of {2} — this window continues when it is done.', p.title, formatCount(p.done), formatCount(p.total)) : vs.l10n.t('this window continues when it is done.') });
    };
    report(first);
    return closed;
  });
  return { report: (h) => report(h), close };
}

export async function scanWithProgress(deps: SyncCommandDeps, session: DestinationSession, folders: readonly SyncFolder[], title: string): Promise<SyncPlan | undefined> {
  const { vs } = deps;
  try {
    return await vs.window.withProgress({ location: vs.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        const scans = await session.pipeline.scan(folders, abort.signal, (message) => progress.report({ message }));
        return session.pipeline.plan(scans);
      } finally {
        sub.dispose();
      }
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') return undefined;
    deps.log.error(err as Error);
    void vs.window.showErrorMessage(vs.l10n.t('Photo Sync could not scan: {0}', (err as Error).message));
    return undefined;
  }
}

/** Runs the plan with one progress notification, publishes its progress to other windows, and shows the result. */
export async function runWithProgress(deps: SyncCommandDeps, session: DestinationSession, plan: SyncPlan, title: string, lease?: HeldLeases, action?: ReportAction): Promise<SyncReport> {
  const report = await session.pipeline.run(plan, {
    title,
    onGroup: (group) => {
      void deps.showProgress(group);
      if (lease) publishLeaseProgress(lease, group, title);
    },
  });
  deps.refresh();
  void showReport(deps, report, session.pipeline.provider.displayName, action);
  return report;
}

export function folderName(folderPath: string): string {
  return path.basename(folderPath) || folderPath;
}
