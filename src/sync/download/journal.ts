// The index side of a download run: a row per planned item before the first byte (so a crash or a
// closed window resumes them), the library items and album membership the listing revealed, and at
// the end each row's outcome and the walk's mark.
import type { GroupResult } from '../../tasks/api';
import type { MediaItemRecord } from '../../index/api';
import type { RemoteItem } from '../provider';
import { downloadTaskId, placeTaskId, type DownloadContext } from './context';
import type { DownloadPlan } from './plan';
import type { DownloadReport } from './report';

/** The queue's reason for a task whose dependency did not finish (src/tasks/queue.ts). */
const DEPENDENCY_NOT_DONE = 'A task it depends on did not finish.';

export async function journalDownloads(ctx: DownloadContext, plan: DownloadPlan): Promise<void> {
  const { provider, accountId } = ctx;
  const now = ctx.now();
  await ctx.index.write((w) => {
    // upsert keeps an existing row's created_at itself (no read of the row here: one query per item less).
    for (const p of plan.downloads) {
      w.downloads.upsert({
        id: p.id,
        accountId,
        provider: provider.id,
        mediaItemId: p.item.id,
        localPath: p.target,
        root: plan.root,
        source: plan.source.key,
        state: 'pending',
      });
    }
    // Items the app created are library items: the index learns them (and the album's members).
    if (plan.source.kind !== 'picker') {
      const items = [...plan.downloads.map((d) => d.item), ...plan.notReady.map((n) => n.item)];
      w.mediaItems.upsertMany(items.map((i) => mediaItemRecord(ctx, i, w.mediaItems.get(i.id))));
      const album = plan.source.album;
      if (album && w.albums.get(album.id)) w.mediaItems.addToAlbum(album.id, items.map((i) => i.id));
    }
    const key = { provider: provider.id, accountId, source: plan.source.key, root: plan.root };
    const run = w.downloads.sourceRun(key);
    w.downloads.upsertSourceRun({ ...key, title: plan.source.title, newestComplete: run?.newestComplete, listedAt: now, completedAt: run?.completedAt });
  });
}

/**
 * Rows of failed tasks get their reason; cancelled ones stay pending (the next run finishes them), and
 * so do those whose own task met what stopped the run (`stoppedBy`: a full disk, the folder gone,
 * signed out) — Retry and the next start bring them once that is put right.
 * A walk that ended with everything it saw downloaded moves the mark to its newest capture time.
 */
export async function finishDownloads(ctx: DownloadContext, plan: DownloadPlan, report: DownloadReport, result: GroupResult | undefined, stoppedBy: ReadonlySet<string> = new Set()): Promise<void> {
  const failedReasons = new Map((result?.failed ?? []).map((f) => [f.taskId, f.reason]));
  const picker = plan.source.kind === 'picker' ? plan.source.key.slice('picker:'.length) : undefined;
  await ctx.index.write((w) => {
    for (const p of plan.downloads) {
      const row = w.downloads.get(p.id);
      if (!row || row.state === 'downloaded' || row.state === 'skipped') continue;
      // A failed download fails its place task too: the download's reason says why. A place task that
      // failed only because its download was cancelled is still to do.
      const placeReason = failedReasons.get(placeTaskId(p.id));
      const reason = failedReasons.get(downloadTaskId(p.id)) ?? (placeReason === DEPENDENCY_NOT_DONE ? undefined : placeReason);
      if (reason !== undefined && !stoppedBy.has(p.id)) {
        w.downloads.update(p.id, { state: 'failed', lastError: reason });
        if (picker) w.picker.updateItem(picker, p.item.id, { downloadState: 'failed', lastError: reason });
        report.failed.push({ name: p.item.filename || p.item.id, message: reason });
      } else {
        // Cancelled or stopped: still to do.
        w.downloads.update(p.id, { state: 'pending' });
      }
    }
    for (const n of plan.notReady) if (picker) w.picker.updateItem(picker, n.item.id, { downloadState: 'skipped', lastError: n.reason });
    for (const n of plan.unavailable) if (picker) w.picker.updateItem(picker, n.item.id, { downloadState: 'failed', lastError: n.reason });
    const complete = !report.cancelled && !report.stopped && report.failed.length === 0 && report.notReady.length === 0;
    if (complete && plan.newest) {
      const key = { provider: ctx.provider.id, accountId: ctx.accountId, source: plan.source.key, root: plan.root };
      const run = w.downloads.sourceRun(key);
      const newest = run?.newestComplete && run.newestComplete > plan.newest ? run.newestComplete : plan.newest;
      w.downloads.upsertSourceRun({ ...key, title: plan.source.title, newestComplete: newest, listedAt: run?.listedAt, completedAt: ctx.now() });
    }
  });
  await ctx.index.flush();
}

function mediaItemRecord(ctx: DownloadContext, item: RemoteItem, known: MediaItemRecord | undefined): MediaItemRecord {
  return {
    // What this machine uploaded keeps its facts (the original's sha256, its size).
    ...known,
    id: item.id,
    accountId: ctx.accountId,
    provider: ctx.provider.id,
    filename: item.filename,
    mimeType: item.mimeType,
    creationTime: item.creationTime ?? known?.creationTime,
    description: item.description ?? known?.description,
    cameraMake: item.cameraMake ?? known?.cameraMake,
    cameraModel: item.cameraModel ?? known?.cameraModel,
    width: item.width ?? known?.width,
    height: item.height ?? known?.height,
    appCreated: true,
    productUrl: item.webUrl ?? known?.productUrl,
  };
}
