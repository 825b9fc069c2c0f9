// Sync Now's scan and run as one step: uploads of new content start while the folders are scanned
// (pipeline.sync), so the scan's notification and the upload's progress show at the same time. The
// scan's notification closes when the plan is made; `decide` then asks what it must (capacity, the
// quota across days) before the rest runs.
import type { SyncFolder } from '../../sync/config';
import { publishLeaseProgress } from '../../sync/leaseProgress';
import type { SyncPlan } from '../../sync/plan';
import type { HeldLeases } from '../../sync/runLease';
import type { SyncReport } from '../../sync/upload/pipeline';
import type { DestinationSession, SyncCommandDeps } from './deps';

export interface OverlappedResult {
  /** The plan that ran, or undefined when `decide` stopped the sync (uploads started during the scan resume next time). */
  plan?: SyncPlan;
  report?: SyncReport;
}

/** Undefined when the scan was cancelled or failed (the error is shown). */
export async function syncWithProgress(
  deps: SyncCommandDeps,
  session: DestinationSession,
  folders: readonly SyncFolder[],
  titles: { scan: string; run: string },
  lease: HeldLeases,
  decide: (plan: SyncPlan) => Promise<SyncPlan | undefined>,
  earlyLimit: number,
): Promise<OverlappedResult | undefined> {
  const { vs } = deps;
  const abort = new AbortController();
  let planned = false;
  let closeScan!: () => void;
  const scanClosed = new Promise<void>((resolve) => (closeScan = resolve));
  let report: ((message: string) => void) | undefined;
  void vs.window.withProgress({ location: vs.ProgressLocation.Notification, title: titles.scan, cancellable: true }, (progress, token) => {
    const sub = token.onCancellationRequested(() => abort.abort());
    report = (message) => progress.report({ message });
    return scanClosed.finally(() => sub.dispose());
  });
  let decided: SyncPlan | undefined;
  try {
    const { report: result } = await session.pipeline.sync(folders, {
      signal: abort.signal,
      title: titles.run,
      earlyLimit,
      onProgress: (message) => report?.(message),
      onGroup: (group) => {
        void deps.showProgress(group);
        publishLeaseProgress(lease, group, titles.run);
      },
      decide: async (plan) => {
        planned = true;
        closeScan();
        decided = await decide(plan);
        return decided;
      },
    });
    return { plan: decided, report: decided ? result : undefined };
  } catch (err) {
    if (planned) throw err;
    if ((err as Error).name === 'AbortError') return undefined;
    deps.log.error(err as Error);
    void vs.window.showErrorMessage(vs.l10n.t('Photo Sync could not scan: {0}', (err as Error).message));
    return undefined;
  } finally {
    closeScan();
  }
}
