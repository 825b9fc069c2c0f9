// After every task of a run settled: each planned file that did not make it gets its reason (the
// task's error, its journal row's, or "cancelled; it resumes"), and copies of uploaded bytes in the
// same album are done once their original is — and archived like it.
import type { GroupResult } from '../../tasks/api';
import type { SyncPlan } from '../plan';
import type { Archiver } from './archiveStep';
import type { UploadContext } from './context';
import { opId, taskIds } from './context';
import { failureReasons, RESUMES_NEXT_SYNC, type SyncReport } from './report';

export async function finishRun(ctx: UploadContext, plan: SyncPlan, report: SyncReport, result: GroupResult, commitOf: ReadonlyMap<string, string>, archiver: Archiver): Promise<void> {
  const { index } = ctx;
  const reasons = failureReasons(result);
  const updates: { path: string; message: string }[] = [];
  for (const u of plan.uploads) {
    const row = index.uploads.get(u.id);
    if (row?.state === 'committed' || index.localFiles.byPath(u.file.path)?.status === 'uploaded') continue;
    const commitReason = reasons.get(commitOf.get(u.id) ?? '');
    const message =
      reasons.get(taskIds.upload(u.id)) ??
      row?.lastError ??
      (commitReason ? `uploaded, but adding it to the album failed: ${commitReason}` : report.cancelled ? RESUMES_NEXT_SYNC : 'not uploaded');
    report.failed.push({ path: u.file.path, message });
    if (row?.state !== 'failed' && row?.state !== 'rejected' && !report.cancelled) updates.push({ path: u.file.path, message });
  }
  for (const a of plan.adds) {
    const status = index.localFiles.byPath(a.file.path)?.status;
    if (status === 'pending') report.failed.push({ path: a.file.path, message: report.cancelled ? RESUMES_NEXT_SYNC : 'could not be added to its album' });
  }
  const added = new Set(plan.adds.map((a) => a.file.path));
  for (const d of plan.duplicates) {
    if (added.has(d.file.path) || !d.file.sha256) continue;
    const item = index.mediaItems.bySha256(d.file.sha256, { accountId: ctx.accountId, provider: ctx.provider.id })[0];
    if (!item) continue;
    await index.write((w) => {
      w.localFiles.setStatus(d.file.path, 'uploaded');
      w.syncOps.update(opId(ctx, 'copy', d.file.path), { state: 'done' });
    });
    await archiver.archiveIfWanted(d.folder, d.file, item.id, report);
  }
  if (updates.length) {
    await index.write((w) => {
      for (const u of updates) w.localFiles.setStatus(u.path, 'failed', u.message);
    });
  }
}
