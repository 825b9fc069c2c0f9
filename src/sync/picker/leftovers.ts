// At start: Picker sessions an earlier window left behind. A session whose items were picked but not
// all downloaded (VS Code closed mid-way) is finished while the service still serves it; then every
// leftover session is deleted at the service, as Google asks. A session another window is using right
// now (its lease is held) is left alone.
import type { PickerSessionRecord } from '../../index/api';
import { RunLeases } from '../runLease';
import type { DownloadReport } from '../download/pipeline';
import type { DownloadSettings } from '../download/settings';
import type { RemoteItem } from '../provider';
import type { PickerFlowDeps } from './flow';
import { allPicked, pickedListSource, recordPicked, settleSession } from './record';
import { PickingSessionGoneError } from './service';
import type { TaskGroup } from '../../tasks/api';
import { l10nOr } from '../l10n';

export interface LeftoverOutcome {
  /** Sessions deleted at the service. */
  deleted: number;
  /** Imports finished now, with their reports. */
  finished: { sessionId: string; report: DownloadReport }[];
}

/** The lease of one import, keyed by its create request id (known before the session's id). */
export function pickerLeaseKey(requestId: string): string {
  return RunLeases.key('picker', requestId);
}

export async function finishLeftovers(
  deps: PickerFlowDeps & { leases?: RunLeases },
  settings: DownloadSettings,
  options: { onGroup?: (group: TaskGroup) => void } = {},
): Promise<LeftoverOutcome> {
  const outcome: LeftoverOutcome = { deleted: 0, finished: [] };
  for (const session of deps.index.picker.undeleted(deps.accountId)) {
    const lease = deps.leases?.tryAcquire([pickerLeaseKey(session.requestId ?? session.id)]);
    if (lease && 'busy' in lease) continue;
    try {
      await finishOne(deps, session, settings, options, outcome);
    } catch (err) {
      deps.log.warn(`Finishing the picking session ${session.id} left by an earlier window failed: ${(err as Error).message}`);
    } finally {
      if (lease && 'held' in lease) lease.held.release();
    }
  }
  return outcome;
}

async function finishOne(deps: PickerFlowDeps, session: PickerSessionRecord, settings: DownloadSettings, options: { onGroup?: (group: TaskGroup) => void }, outcome: LeftoverOutcome): Promise<void> {
  if (session.state === 'creating') {
    // The create may have reached the service: the same request id gives the same session back.
    if (session.requestId) {
      const info = await deps.service.create({ requestId: session.requestId, maxItemCount: 1 });
      await deps.service.delete(info.id);
      outcome.deleted++;
    }
    await deps.index.write((w) => w.picker.removeSession(session.id));
    return;
  }
  const pending = allPicked(deps.index.picker, session.id).filter((i) => i.downloadState === 'pending' || i.downloadState === 'downloading');
  const wasDownloading = session.mediaItemsSet && (session.state === 'picked' || session.state === 'downloading');
  if (wasDownloading && pending.length > 0 && session.targetFolder) {
    let items: RemoteItem[] | undefined;
    try {
      items = [];
      for await (const item of deps.service.list(session.id)) items.push(item);
    } catch (err) {
      if (!(err instanceof PickingSessionGoneError)) throw err;
      items = undefined;
    }
    if (items) {
      await recordPicked(deps.index, session.id, items, 'downloading');
      const plan = await deps.pipeline.plan(pickedListSource(deps.service, session.id, `Import of ${new Date(session.createdAt ?? Date.now()).toISOString().slice(0, 10)}`, items), session.targetFolder, settings);
      const report = await deps.pipeline.run(plan, { title: l10nOr(deps.l10n).t('Finishing an import from {0}', deps.service.displayName), onGroup: options.onGroup });
      outcome.finished.push({ sessionId: session.id, report });
      if (report.stopped !== undefined || (report.cancelled && (report.interrupted || deps.closing?.()))) {
        // Closing again, or stopped again (disk still full): the next start goes on.
        await settleSession(deps, session.id, 'downloading', report.stopped, false);
        return;
      }
      const state = report.cancelled ? 'cancelled' : report.failed.length || report.notReady.length ? 'partial' : 'downloaded';
      await settleSession(deps, session.id, state, report.stopped, true);
      outcome.deleted++;
      return;
    }
    const message = `The picking session ended before these items were downloaded; pick them again with Import from ${deps.service.displayName}.`;
    await deps.index.write((w) => {
      for (const i of pending) w.picker.updateItem(session.id, i.id, { downloadState: 'failed', lastError: message });
    });
    await settleSession(deps, session.id, 'partial', message, true);
    outcome.deleted++;
    return;
  }
  // Never picked (the user did not come back before VS Code closed), or already finished.
  const state = session.state === 'open' ? 'expired' : session.state;
  await settleSession(deps, session.id, state, session.state === 'open' ? 'Not picked before VS Code closed.' : session.lastError, true);
  outcome.deleted++;
}
