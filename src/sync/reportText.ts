// What a sync will do and what it did, in plain words: the preview before an upload and the summary
// after it. The VS Code messages (ui/syncReport.ts) and the command line print the same sentences.
import path from 'node:path';
import { describeCost, type SyncPlan } from './plan';
import type { QuotaPolicy } from '../tasks/quotaPolicy';
import type { SyncReport } from './upload/report';
import { formatBytes, formatCount as n } from '../util/format';

export function summarizeReport(report: SyncReport, destination: string): string {
  const parts: string[] = [];
  const files = (k: number) => `${n(k)} file${k === 1 ? '' : 's'}`;
  if (report.uploaded || !report.added) parts.push(`Uploaded ${files(report.uploaded)}`);
  if (report.added) parts.push(`${files(report.added)} already in ${destination} added to ${report.added === 1 ? 'its album' : 'their albums'}`);
  if (report.alreadyUploaded) parts.push(`${n(report.alreadyUploaded)} already in ${destination}`);
  if (report.archived) parts.push(`moved ${n(report.archived)} to the archive${describeRenames(report.archiveRenames)}`);
  if (report.failed.length) parts.push(`${n(report.failed.length)} failed: ${report.failed[0].message}${report.failed.length > 1 ? ' …' : ''}`);
  if (report.archiveProblems.length) parts.push(`${n(report.archiveProblems.length)} not archived (${report.archiveProblems[0].reason})`);
  if (report.warnings.length) parts.push(report.warnings[0]);
  // Messages quoted here may end in their own full stop (a service's refusal): one stop, not two.
  const summary = parts.join('; ').replace(/[.\s]*$/, '') + '.';
  return report.cancelled ? `Stopped; the rest continues on the next sync. ${summary}` : summary;
}

/** " (IMG_0105.jpg as “IMG_0105 (2).jpg”: the name was taken there)", naming the first few clashes. */
function describeRenames(renames: SyncReport['archiveRenames']): string {
  if (!renames.length) return '';
  const named = renames.slice(0, 2).map((r) => `${path.basename(r.path)} as “${path.basename(r.movedTo)}”`);
  const more = renames.length > 2 ? ` and ${n(renames.length - 2)} more (see the log)` : '';
  return ` (${named.join(', ')}${more}: ${renames.length === 1 ? 'the name was' : 'the names were'} already taken there)`;
}

/** The preview shown before an upload: counts per outcome and the request cost. */
export function describePlan(plan: SyncPlan, quotaUsed: number, quota: QuotaPolicy): { message: string; detail: string } {
  const fresh = plan.uploads.filter((u) => u.reason === 'new').length;
  const changed = plan.uploads.filter((u) => u.reason === 'changed').length;
  const resumed = plan.uploads.length - fresh - changed;
  const albums = [...new Set([...plan.uploads.map((u) => u.albumTitle), ...plan.adds.map((a) => a.albumTitle)])];
  const where = albums.length === 1 ? `“${albums[0]}”` : `${albums.length} albums`;
  const message = `Upload ${n(plan.uploads.length)} file${plan.uploads.length === 1 ? '' : 's'} (${formatBytes(plan.bytesToUpload)}) to ${where}?`;
  const lines = [
    `New: ${n(fresh)}`,
    `Changed: ${n(changed)}`,
    ...(resumed ? [`Retried or resumed: ${n(resumed)}`] : []),
    `Already uploaded: ${n(plan.alreadyUploaded.length)}${plan.adds.length ? ` (+${n(plan.adds.length)} added to another album without uploading again)` : ''}`,
    `Duplicates (same bytes as another file): ${n(plan.duplicates.length)}`,
    `Excluded by rules: ${n(plan.excluded.length)}`,
    `Unsupported, too large or empty: ${n(plan.unsupported.length + plan.tooLarge.length + plan.empty.length)}`,
    ...(plan.unreadable.length ? [`Unreadable: ${n(plan.unreadable.length)}`] : []),
    ...(plan.damaged?.length ? [`Damaged (not uploaded): ${n(plan.damaged.length)} — ${plan.damaged.slice(0, 3).map((d) => d.file.rel).join(', ')}${plan.damaged.length > 3 ? ', …' : ''}`] : []),
    ...(plan.albumsToCreate.length ? [`New albums: ${plan.albumsToCreate.slice(0, 5).join(', ')}${plan.albumsToCreate.length > 5 ? ', …' : ''}`] : []),
    '',
    `Cost: ${describeCost(plan, quotaUsed, quota)}`,
    ...plan.warnings,
  ];
  return { message, detail: lines.join('\n') };
}
