// Sync Now's second half for folders with `download` or `mirrorDeletes` on: what the folder's albums
// have that the folder lacks comes down; what the user deleted locally leaves its albums — after a
// confirmation of exactly that list, and a second, explicit one when a run would empty more than
// photoSync.sync.mirrorDeleteThreshold of an album (the classic way sync tools destroy data).
import path from 'node:path';
import type { SyncFolder } from '../../sync/config';
import { syncRemoteSide, type RemovalBatch } from '../../sync/twoWay/run';
import { parseRunLimits, twoWayOf } from '../../sync/twoWay/settings';
import { translateTwoWayStop } from '../../sync/twoWay/stopText';
import type { VerifyCommandDeps } from './verify';
import { formatCount } from '../../util/format';

/** `account`: the account these folders sync with (Sync Now runs one account's folders at a time). */
export async function syncRemoteChanges(deps: VerifyCommandDeps, destination: string, folders: readonly SyncFolder[], spent: number, account?: string): Promise<void> {
  const { vs } = deps;
  const wanted = folders.filter((f) => twoWayOf(f).download || twoWayOf(f).mirrorDeletes);
  if (wanted.length === 0) return;
  const session = await deps.session(destination, account);
  if (!session) return;
  const provider = session.pipeline.provider;
  const config = vs.workspace.getConfiguration('photoSync');
  const limits = parseRunLimits((key) => config.get(key));
  const left = Math.max(0, session.quota.limit - session.quotaUsed());
  const report = await vs.window.withProgress({ location: vs.ProgressLocation.Notification, title: vs.l10n.t('Two-way sync with {0}', provider.displayName), cancellable: true }, async (progress, token) => {
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    progress.report({ message: vs.l10n.t('checking what changed on each side…') });
    try {
      return await syncRemoteSide({
        provider,
        index: session.index,
        accountId: session.accountId,
        downloads: session.downloads,
        folders: wanted,
        limits,
        spent,
        budget: left,
        signal: abort.signal,
        onGroup: (g) => void deps.sync.showProgress(g),
        confirmRemovals: (batches) => confirmRemovals(deps, provider.displayName, batches, limits.mirrorDeleteThreshold, !provider.deleteItems),
      });
    } finally {
      sub.dispose();
    }
  });
  deps.sync.refresh();
  for (const folder of report.unavailable) void vs.window.showWarningMessage(vs.l10n.t('Sync folder {0} is unavailable (disconnected drive?): nothing was downloaded into it and nothing was removed from its albums.', folder));
  const parts: string[] = [];
  const { l10n } = vs;
  const n = formatCount;
  if (report.downloaded.length) parts.push(report.downloaded.length === 1 ? l10n.t('downloaded 1 file from {0}', provider.displayName) : l10n.t('downloaded {0} files from {1}', n(report.downloaded.length), provider.displayName));
  if (report.removed.length) {
    const from = new Set(report.removed.map((r) => r.album)).size === 1 ? l10n.t('“{0}”', report.removed[0].album) : l10n.t('their albums');
    const still = provider.deleteItems ? '' : l10n.t(' (still in your {0} library: apps cannot delete there)', provider.displayName);
    parts.push(report.removed.length === 1 ? l10n.t('removed 1 item you deleted locally from {0}{1}', from, still) : l10n.t('removed {0} items you deleted locally from {1}{2}', n(report.removed.length), from, still));
  }
  if (report.remaining) parts.push(report.remaining === 1 ? l10n.t('1 operation left for the next run (photoSync.sync.maxOperations)') : l10n.t('{0} operations left for the next run (photoSync.sync.maxOperations)', n(report.remaining)));
  if (report.failed.length) parts.push(l10n.t('not done: {0}', report.failed.join('; ')));
  if (report.stopped) parts.push(translateTwoWayStop(report.stopped, l10n));
  if (parts.length) void vs.window.showInformationMessage(vs.l10n.t('Two-way sync: {0}.', parts.join('; ')));
}

async function confirmRemovals(deps: VerifyCommandDeps, service: string, batches: readonly RemovalBatch[], threshold: number, keepsInLibrary: boolean): Promise<boolean> {
  const { vs } = deps;
  const n = batches.reduce((k, b) => k + b.findings.length, 0);
  const lines = batches.map((b) => vs.l10n.t('“{0}” ({1} of {2}): {3}', b.album.title, formatCount(b.findings.length), formatCount(b.albumItems), b.findings.map((f) => path.basename(f.path ?? '')).join(', ')));
  const what = keepsInLibrary ? vs.l10n.t('{0} does not let apps delete photos or videos: they stay in your library; only the albums lose them.', service) : vs.l10n.t('They go to the trash of {0}.', service);
  const question = n === 1 ? vs.l10n.t('Remove 1 item you deleted locally from {0}?', service) : vs.l10n.t('Remove {0} items you deleted locally from {1}?', formatCount(n), service);
  const go = await vs.window.showWarningMessage(question, { modal: true, detail: `${lines.join('\n')}\n\n${what}` }, vs.l10n.t('Remove'));
  if (go !== vs.l10n.t('Remove')) return false;
  const big = batches.filter((b) => b.overThreshold);
  if (big.length === 0) return true;
  const pct = Math.round(threshold * 100);
  const again = await vs.window.showWarningMessage(
    vs.l10n.t('This removes more than {0}% of {1}. Remove anyway?', pct, big.map((b) => `“${b.album.title}”`).join(', ')),
    { modal: true, detail: vs.l10n.t('If the files vanished by mistake (an emptied folder, a drive mounted elsewhere), cancel: nothing is removed, and Verify Backup can re-download them. The share is photoSync.sync.mirrorDeleteThreshold.') },
    vs.l10n.t('Remove Anyway'),
  );
  return again === vs.l10n.t('Remove Anyway');
}
