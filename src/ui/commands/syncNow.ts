// Sync Now: every sync folder to its destination — per destination: scan, plan, ask first only
// when the quota needs more than one period, run.
import type { SyncFolder } from '../../sync/config';
import type { SyncReport } from '../../sync/upload/pipeline';
import { periodsNeeded } from '../../tasks/quotaPolicy';
import { formatCount } from '../../util/format';
import { readSyncFolders } from '../syncFolders';
import { describePlan, showReport } from '../syncReport';
import type { SyncCommandDeps } from './deps';
import { SYNC_COMMANDS } from './deps';
import { fitCapacity } from './capacity';
import { exclusively } from './steps';
import { syncWithProgress } from './syncOverlap';
import type { SyncPlan } from '../../sync/plan';
import { limitUploads, parseRunLimits } from '../../sync/twoWay/settings';
import { byAccount, reportSignedOut } from './folderAccounts';

/** Syncs every folder; returns the report of each destination that ran. */
export async function syncNow(deps: SyncCommandDeps): Promise<SyncReport[] | undefined> {
  const { vs } = deps;
  const folders = readSyncFolders(vs, deps.log);
  if (folders.length === 0) {
    const add = await vs.window.showInformationMessage(vs.l10n.t('No folders to sync yet. Add a photo folder to back it up.'), vs.l10n.t('Add Folder to Sync…'));
    if (add) await vs.commands.executeCommand(SYNC_COMMANDS.addFolder);
    return undefined;
  }
  const reports: SyncReport[] = [];
  for (const [destination, group] of byDestination(folders)) {
    if (!deps.destinations.some((d) => d.id === destination)) {
      await syncDestination(deps, destination, group);
      continue;
    }
    // Each account's folders with that account's session, quota count and run lease; a folder whose
    // account is signed out is said so (with Sign In / Choose Account…) and the others still sync.
    const { groups, signedOut } = byAccount(deps, destination, group);
    for (const f of signedOut) reportSignedOut(deps, f);
    for (const g of groups) {
      const report = await syncDestination(deps, destination, g.folders, g.account, groups.length > 1 || (deps.accounts?.(destination).length ?? 0) > 1);
      if (report) reports.push(report);
    }
  }
  return reports.length ? reports : undefined;
}

function byDestination(folders: readonly SyncFolder[]): Map<string, SyncFolder[]> {
  const out = new Map<string, SyncFolder[]>();
  for (const f of folders) out.set(f.destination, [...(out.get(f.destination) ?? []), f]);
  return out;
}

async function syncDestination(deps: SyncCommandDeps, destination: string, folders: SyncFolder[], account?: string, severalAccounts = false): Promise<SyncReport | undefined> {
  const { vs } = deps;
  const known = deps.destinations.find((d) => d.id === destination);
  if (!known) {
    void vs.window.showWarningMessage(vs.l10n.t('Photo Sync settings: {0} name{1} the destination "{2}", which Photo Sync does not know; {3} not synced.', folders.map((f) => f.path).join(', '), folders.length === 1 ? 's' : '', destination, folders.length === 1 ? 'it was' : 'they were'));
    return undefined;
  }
  const session = await deps.session(destination, account);
  if (!session) return undefined;
  const provider = session.pipeline.provider;
  // "Google Photos (you@gmail.com)" where more than one account is signed in.
  const where = severalAccounts && session.accountLabel ? `${provider.displayName} (${session.accountLabel})` : provider.displayName;
  let spent = 0;
  const report = await exclusively(deps, session, folders, async (lease) => {
    const limits = parseRunLimits((key) => vs.workspace.getConfiguration('photoSync').get(key));
    let upToDate: SyncPlan | undefined;
    // Between the scan and the rest of the run: what the plan says, and what must be asked first.
    // Uploads of new content have started during the scan (within today's quota; none when
    // photoSync.sync.maxOperations caps the run: the cap picks which files go).
    const decide = async (scanned: SyncPlan): Promise<SyncPlan | undefined> => {
      let plan = scanned;
      deps.refresh();
      for (const missing of plan.missingFolders) void vs.window.showWarningMessage(vs.l10n.t('Sync folder {0} is missing (disconnected drive?). Nothing in it was changed.', missing));
      if (plan.uploads.length === 0 && plan.adds.length === 0) {
        upToDate = plan;
        // Confirmed files still in an archiving folder (a run stopped mid-move): moved now.
        return plan.alreadyUploaded.some((a) => a.folder.afterUpload === 'archive') ? plan : undefined;
      }
      // Destinations that cap an account's items (free Flickr accounts) say how much fits first.
      const fitted = await fitCapacity(deps, session, plan);
      if (!fitted) return undefined;
      plan = fitted;
      // Two-way settings: folders with upload off only download; photoSync.sync.maxOperations caps the run.
      const left = limitUploads(plan, limits.maxOperations);
      spent = plan.uploads.length + plan.adds.length;
      if (left) void vs.window.showInformationMessage(vs.l10n.t('photoSync.sync.maxOperations: this run uploads {0}; {1} more wait for the next Sync Now.', formatCount(spent), formatCount(left)));
      if (spent === 0) return undefined;
      const used = session.quotaUsed();
      if (periodsNeeded(plan.cost.total, used, provider.rules.quota.limit) > 1) {
        const preview = describePlan(plan, used, provider.rules.quota, vs.l10n);
        const go = await vs.window.showWarningMessage(preview.message, { modal: true, detail: preview.detail }, vs.l10n.t('Start'));
        if (go !== vs.l10n.t('Start')) return undefined;
      }
      return plan;
    };
    const earlyLimit = limits.maxOperations > 0 ? 0 : Math.max(0, provider.rules.quota.limit - session.quotaUsed());
    const result = await syncWithProgress(deps, session, folders, { scan: vs.l10n.t('Scanning folders for {0}', where), run: vs.l10n.t('Syncing folders to {0}', where) }, lease, decide, earlyLimit);
    if (upToDate) {
      for (const p of result?.report?.archiveProblems ?? []) deps.log.warn(`Not archived: ${p.path} ${p.reason}.`);
      const backedUp = upToDate.alreadyUploaded.length + upToDate.archived;
      const archived = upToDate.archived ? vs.l10n.t(' ({0} of them in the archive)', formatCount(upToDate.archived)) : '';
      void vs.window.showInformationMessage(backedUp === 1 ? vs.l10n.t('Everything is up to date: 1 file backed up to {0}{1}.', where, archived) : vs.l10n.t('Everything is up to date: {0} files backed up to {1}{2}.', formatCount(backedUp), where, archived));
      return undefined;
    }
    if (!result?.report) return undefined;
    deps.refresh();
    void showReport(deps, result.report, provider.displayName);
    return result.report;
  });
  // Two-way sync's remote half for these folders, with the same account as their uploads.
  await deps.remoteSide?.(destination, folders, spent, account ?? session.accountId);
  return report;
}
