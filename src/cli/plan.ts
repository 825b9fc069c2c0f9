// The plan before a run and the summary after it, in the same sentences VS Code shows
// (sync/reportText.ts), plus what a terminal and a script need: each file of a dry run, each failure.
import path from 'node:path';
import type { DestinationKind } from '../destinations/factory';
import type { SyncPlan } from '../sync/plan';
import { describePlan, summarizeReport } from '../sync/reportText';
import type { SyncReport } from '../sync/upload/report';
import { englishL10n } from '../util/englishL10n';
import { formatCount } from '../util/format';
import type { Output } from './output';

/** Files a dry run lists by name on a terminal (all of them with --json). */
const LISTED = 20;

export function printPlan(out: Output, plan: SyncPlan, quotaUsed: number, kind: DestinationKind, dryRun: boolean): void {
  const preview = describePlan(plan, quotaUsed, kind.quota, englishL10n);
  const files = [
    ...plan.uploads.map((u) => ({ action: 'upload', path: u.file.path, album: u.albumTitle, bytes: u.file.size, reason: u.reason })),
    ...plan.adds.map((a) => ({ action: 'add', path: a.file.path, album: a.albumTitle, bytes: 0, reason: 'already uploaded' })),
  ];
  out.event('plan', {
    dryRun,
    uploads: plan.uploads.length,
    adds: plan.adds.length,
    alreadyUploaded: plan.alreadyUploaded.length,
    duplicates: plan.duplicates.length,
    excluded: plan.excluded.length,
    unsupported: plan.unsupported.length + plan.tooLarge.length + plan.empty.length,
    unreadable: plan.unreadable.length,
    bytes: plan.bytesToUpload,
    albumsToCreate: plan.albumsToCreate,
    cost: plan.cost,
    quota: { used: quotaUsed, limit: kind.quota.limit, period: kind.quota.period },
    missingFolders: plan.missingFolders,
    files: dryRun ? files : undefined,
  });
  for (const w of plan.warnings) out.warn(w);
  if (plan.uploads.length === 0 && plan.adds.length === 0) {
    const backedUp = plan.alreadyUploaded.length + plan.archived;
    const archived = plan.archived ? ` (${formatCount(plan.archived)} of them in the archive)` : '';
    out.info(`${dryRun ? 'Dry run: nothing to do. ' : ''}Everything is up to date: ${formatCount(backedUp)} file${backedUp === 1 ? '' : 's'} backed up to ${kind.displayName}${archived}.`);
    return;
  }
  if (!dryRun) {
    out.info(`${preview.message.replace(/\?$/, '.')} ${preview.detail.split('\n').find((l) => l.startsWith('Cost:')) ?? ''}`.trim());
    return;
  }
  out.info(`Dry run — nothing is sent and nothing is changed. ${preview.message.replace(/\?$/, '.')}`);
  for (const line of preview.detail.split('\n')) out.info(line ? `  ${line}` : '');
  out.info('');
  for (const f of files.slice(0, LISTED)) out.info(`  ${f.action === 'upload' ? 'upload' : 'add   '}  ${f.path}  →  “${f.album}”`);
  if (files.length > LISTED) out.info(`  … and ${formatCount(files.length - LISTED)} more (--json lists them all)`);
}

/** The summary of one run; files that failed are listed (also with --quiet: cron mails them). */
export function printReport(out: Output, report: SyncReport, destination: string, failed: SyncReport['failed'], waiting: SyncReport['failed']): void {
  const shown: SyncReport = { ...report, failed: report.failed.filter((f) => failed.includes(f)) };
  const summary = summarizeReport(shown, destination, englishL10n);
  out.event('summary', {
    uploaded: report.uploaded,
    added: report.added,
    alreadyUploaded: report.alreadyUploaded,
    duplicates: report.duplicates,
    skipped: report.skipped,
    archived: report.archived,
    albumsCreated: report.albumsCreated,
    failed: shown.failed,
    archiveProblems: report.archiveProblems,
    waiting: report.failed.filter((f) => waiting.includes(f)).length,
    cancelled: report.cancelled,
    warnings: report.warnings,
  });
  for (const f of shown.failed) out.event('failed', { path: f.path, message: f.message });
  if (shown.failed.length || report.archiveProblems.length) out.notice(summary);
  else out.info(summary);
  for (const f of shown.failed) out.notice(`  failed: ${f.path} — ${f.message}`);
  for (const p of report.archiveProblems) out.notice(`  not archived: ${p.path} — ${p.reason}`);
  for (const r of report.archiveRenames) out.info(`  archived under a new name: ${r.path} → ${path.basename(r.movedTo)}`);
  for (const w of report.warnings) out.warn(w);
}
