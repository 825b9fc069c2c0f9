// What a sync will do and what it did, in plain words: the preview before an upload and the summary
// after it. The VS Code messages (ui/syncReport.ts) and the command line print the same sentences.
import path from 'node:path';
import type * as vscode from 'vscode';
import type { SyncPlan } from './plan';
import { periodsNeeded, type QuotaPolicy } from '../tasks/quotaPolicy';
import type { SyncReport } from './upload/report';
import { formatBytes, formatCount as n } from '../util/format';
import { translatePlanWarning } from './warningText';

type L10n = Pick<typeof vscode.l10n, 't'>;

export function summarizeReport(report: SyncReport, destination: string, l10n: L10n): string {
  const parts: string[] = [];
  if (report.uploaded || !report.added) parts.push(report.uploaded === 1 ? l10n.t('Uploaded 1 file') : l10n.t('Uploaded {0} files', n(report.uploaded)));
  if (report.added) parts.push(report.added === 1 ? l10n.t('1 file already in {0} added to its album', destination) : l10n.t('{0} files already in {1} added to their albums', n(report.added), destination));
  if (report.alreadyUploaded) parts.push(l10n.t('{0} already in {1}', n(report.alreadyUploaded), destination));
  if (report.archived) parts.push(describeArchived(report.archived, report.archiveRenames, l10n));
  if (report.failed.length) parts.push(report.failed.length > 1 ? l10n.t('{0} failed: {1} …', n(report.failed.length), report.failed[0].message) : l10n.t('1 failed: {0}', report.failed[0].message));
  if (report.archiveProblems.length) parts.push(l10n.t('{0} not archived ({1})', n(report.archiveProblems.length), report.archiveProblems[0].reason));
  if (report.warnings.length) parts.push(translatePlanWarning(report.warnings[0], l10n));
  // Messages quoted here may end in their own full stop (a service's refusal): one stop, not two.
  const summary = l10n.t('{0}.', parts.join(l10n.t('; ')).replace(/[.\s]*$/, ''));
  return report.cancelled ? l10n.t('Stopped; the rest continues on the next sync. {0}', summary) : summary;
}

/** "moved 2 to the archive (IMG_0105.jpg as “IMG_0105 (2).jpg”: the name was already taken there)", naming the first few clashes. */
function describeArchived(archived: number, renames: SyncReport['archiveRenames'], l10n: L10n): string {
  if (!renames.length) return l10n.t('moved {0} to the archive', n(archived));
  const named = renames.slice(0, 2).map((r) => l10n.t('{0} as “{1}”', path.basename(r.path), path.basename(r.movedTo))).join(l10n.t(', '));
  if (renames.length === 1) return l10n.t('moved {0} to the archive ({1}: the name was already taken there)', n(archived), named);
  if (renames.length === 2) return l10n.t('moved {0} to the archive ({1}: the names were already taken there)', n(archived), named);
  return l10n.t('moved {0} to the archive ({1} and {2} more (see the log): the names were already taken there)', n(archived), named, n(renames.length - 2));
}

/** The preview shown before an upload: counts per outcome and the request cost. */
export function describePlan(plan: SyncPlan, quotaUsed: number, quota: QuotaPolicy, l10n: L10n): { message: string; detail: string } {
  const fresh = plan.uploads.filter((u) => u.reason === 'new').length;
  const changed = plan.uploads.filter((u) => u.reason === 'changed').length;
  const resumed = plan.uploads.length - fresh - changed;
  const albums = [...new Set([...plan.uploads.map((u) => u.albumTitle), ...plan.adds.map((a) => a.albumTitle)])];
  const count = plan.uploads.length;
  const size = formatBytes(plan.bytesToUpload);
  const message =
    albums.length === 1
      ? count === 1
        ? l10n.t('Upload 1 file ({0}) to “{1}”?', size, albums[0])
        : l10n.t('Upload {0} files ({1}) to “{2}”?', n(count), size, albums[0])
      : count === 1
        ? l10n.t('Upload 1 file ({0}) to {1} albums?', size, n(albums.length))
        : l10n.t('Upload {0} files ({1}) to {2} albums?', n(count), size, n(albums.length));
  const more = (list: string[], max: number) => list.slice(0, max).join(', ') + (list.length > max ? ', …' : '');
  const lines = [
    l10n.t('New: {0}', n(fresh)),
    l10n.t('Changed: {0}', n(changed)),
    ...(resumed ? [l10n.t('Retried or resumed: {0}', n(resumed))] : []),
    plan.adds.length
      ? l10n.t('Already uploaded: {0} (+{1} added to another album without uploading again)', n(plan.alreadyUploaded.length), n(plan.adds.length))
      : l10n.t('Already uploaded: {0}', n(plan.alreadyUploaded.length)),
    l10n.t('Duplicates (same bytes as another file): {0}', n(plan.duplicates.length)),
    l10n.t('Excluded by rules: {0}', n(plan.excluded.length)),
    l10n.t('Unsupported, too large or empty: {0}', n(plan.unsupported.length + plan.tooLarge.length + plan.empty.length)),
    ...(plan.unreadable.length ? [l10n.t('Unreadable: {0}', n(plan.unreadable.length))] : []),
    ...(plan.damaged?.length ? [l10n.t('Damaged (not uploaded): {0} — {1}', n(plan.damaged.length), more(plan.damaged.map((d) => d.file.rel), 3))] : []),
    ...(plan.albumsToCreate.length ? [l10n.t('New albums: {0}', more(plan.albumsToCreate, 5))] : []),
    '',
    l10n.t('Cost: {0}', describeCost(plan, quotaUsed, quota, l10n)),
    ...plan.warnings.map((w) => translatePlanWarning(w, l10n)),
  ];
  return { message, detail: lines.join('\n') };
}

/** "1,234 requests of the 10,000/day quota (9,000 left today)", and how many periods it needs. */
export function describeCost(plan: SyncPlan, used: number, quota: { limit: number; period: 'day' | 'hour'; resetText: string }, l10n: L10n): string {
  const total = plan.cost.total;
  const periods = periodsNeeded(total, used, quota.limit);
  const [count, limit, left] = [total, quota.limit, Math.max(0, quota.limit - used)].map((v) => n(v));
  if (periods > 1) {
    return quota.period === 'day'
      ? l10n.t('{0} requests of the {1}/day quota ({2} left today); needs about {3} days — Photo Sync pauses at the limit and continues after {4}.', count, limit, left, periods, quota.resetText)
      : l10n.t('{0} requests of the {1}/hour quota ({2} left this hour); needs about {3} hours — Photo Sync pauses at the limit and continues after {4}.', count, limit, left, periods, quota.resetText);
  }
  if (quota.period === 'day') return total === 1 ? l10n.t('1 request of the {0}/day quota ({1} left today).', limit, left) : l10n.t('{0} requests of the {1}/day quota ({2} left today).', count, limit, left);
  return total === 1 ? l10n.t('1 request of the {0}/hour quota ({1} left this hour).', limit, left) : l10n.t('{0} requests of the {1}/hour quota ({2} left this hour).', count, limit, left);
}
