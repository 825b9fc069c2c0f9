// Two-way sync's remote half (after the upload pipeline did the upload half): per sync folder, items of
// its albums missing locally are downloaded into the sub-folder their album maps to (`download`), and
// files the user deleted locally are removed from their albums (`mirrorDeletes`) — only after the user
// confirmed the list, and with an explicit confirmation above a share of an album. Google Photos does
// not let an app delete media: a removed item stays in the library. Services that can delete (Drive,
// Flickr) delete through provider.deleteItems, into their trash.
//
// Never destructive on partial knowledge: a folder that is missing (an unplugged drive) is skipped
// whole; a verify that did not complete changes nothing. A file deleted locally is never downloaded
// again (the index keeps its row as "missing"); a file deleted remotely is never deleted locally.
import { setTimeout as sleep } from 'node:timers/promises';
import type { PhotoIndex } from '../../index/api';
import type { SyncFolder } from '../config';
import type { DownloadPipeline } from '../download/pipeline';
import type { PhotoProvider } from '../provider';
import type { TaskGroup } from '../../tasks/api';
import { restoreFindings } from '../verify/actions';
import { VerifyRun } from '../verify/run';
import type { Finding, VerifyReport } from '../verify/types';
import { twoWayOf, type RunLimits } from './settings';
import { TWO_WAY_CHECK_STOPPED, TWO_WAY_CHECK_UNFINISHED, TWO_WAY_NOT_CONFIRMED } from './stopText';
import { englishL10n } from '../../util/englishL10n';

/** Removals the user is asked about: per album, with whether they exceed the threshold. */
export interface RemovalBatch {
  album: { id: string; title: string };
  /** The album's items before the removal (as the index counts them). */
  albumItems: number;
  findings: Finding[];
  overThreshold: boolean;
}

export interface TwoWayOptions {
  provider: PhotoProvider;
  index: PhotoIndex;
  accountId: string;
  downloads: DownloadPipeline;
  folders: readonly SyncFolder[];
  limits: RunLimits;
  /** Operations already spent by this run (the uploads before). */
  spent?: number;
  /** Asks the user about exactly these removals; false removes nothing. */
  confirmRemovals(batches: readonly RemovalBatch[]): Promise<boolean>;
  /** What the verify of the remote side may spend (the quota left). */
  budget?: number;
  signal?: AbortSignal;
  onGroup?: (group: TaskGroup) => void;
}

export interface TwoWayReport {
  downloaded: string[];
  removed: { path: string; album: string }[];
  /** Deleted from the service itself (services that allow it), item ids. */
  deleted: string[];
  /** Operations left for the next run because of maxOperations. */
  remaining: number;
  /** Folders skipped as unavailable. */
  unavailable: string[];
  /** Why nothing (more) was done, when something stopped it. */
  stopped?: string;
  failed: string[];
  verify?: VerifyReport;
}

export async function syncRemoteSide(options: TwoWayOptions): Promise<TwoWayReport> {
  const { provider, index, limits } = options;
  const report: TwoWayReport = { downloaded: [], removed: [], deleted: [], remaining: 0, unavailable: [], failed: [] };
  const folders = options.folders.filter((f) => twoWayOf(f).download || twoWayOf(f).mirrorDeletes);
  if (folders.length === 0) return report;
  const verify = await new VerifyRun({ provider, index, accountId: options.accountId, folders }).run({ budget: options.budget, signal: options.signal });
  report.verify = verify;
  report.unavailable = verify.folders.filter((f) => !f.available).map((f) => f.path);
  if (!verify.complete) {
    report.stopped = englishL10n.t(TWO_WAY_CHECK_UNFINISHED, provider.displayName, verify.stopped ?? TWO_WAY_CHECK_STOPPED);
    return report;
  }
  const flags = new Map(folders.map((f) => [f.path.replace(/[\\/]+$/, ''), twoWayOf(f)]));
  const flagsOf = (f: Finding) => flags.get(f.folder) ?? { upload: true, download: false, mirrorDeletes: false };
  let budget = limits.maxOperations > 0 ? Math.max(0, limits.maxOperations - (options.spent ?? 0)) : Number.POSITIVE_INFINITY;
  let first = true;
  const pace = async () => {
    if (!first && limits.delayMs > 0) await sleep(limits.delayMs, undefined, { signal: options.signal });
    first = false;
  };

  // Downloads: only items the folder never had (added from elsewhere); a file deleted here stays deleted.
  const toDownload = verify.findings.filter((f) => f.kind === 'missing-locally' && flagsOf(f).download && !index.localFiles.byPath(f.path ?? ''));
  for (const f of toDownload) {
    if (budget <= 0) {
      report.remaining++;
      continue;
    }
    await pace();
    const { reports, skipped } = await restoreFindings(options.downloads, [f], { signal: options.signal, onGroup: options.onGroup });
    budget--;
    const placed = reports.flatMap((r) => r.files);
    if (placed.length) report.downloaded.push(...placed);
    else report.failed.push(...skipped, ...reports.flatMap((r) => r.failed.map((x) => `${x.name}: ${x.message}`)));
  }

  // Mirror deletes: files deleted here (the index remembers them) leave their albums.
  const deletedHere = verify.findings.filter((f) => f.kind === 'missing-locally' && flagsOf(f).mirrorDeletes && f.path && index.localFiles.byPath(f.path) && f.mediaItemId);
  const batches = removalBatches(index, deletedHere, limits.mirrorDeleteThreshold);
  if (batches.length === 0) return report;
  const allowed: RemovalBatch[] = [];
  for (const b of batches) {
    const room = Math.min(budget, b.findings.length);
    if (room < b.findings.length) report.remaining += b.findings.length - room;
    if (room > 0) allowed.push({ ...b, findings: b.findings.slice(0, room) });
    budget -= room;
  }
  if (allowed.length === 0) return report;
  if (!(await options.confirmRemovals(allowed))) {
    report.stopped = TWO_WAY_NOT_CONFIRMED;
    return report;
  }
  for (const b of allowed) {
    const ids = b.findings.map((f) => f.mediaItemId as string);
    try {
      for (const id of ids) {
        await pace();
        await provider.removeFromContainer(b.album.id, [id], options.signal);
      }
      if (provider.deleteItems) {
        report.deleted.push(...(await provider.deleteItems(ids, { mirrorDeletes: true, confirm: async () => true, signal: options.signal })));
      }
    } catch (err) {
      report.failed.push(`${b.album.title}: ${(err as Error).message}`);
      continue;
    }
    await index.write((w) => {
      w.mediaItems.removeFromAlbum(b.album.id, ids);
      for (const f of b.findings) if (f.path) w.localFiles.remove(f.path);
      for (const id of report.deleted) w.mediaItems.remove(id);
    });
    report.removed.push(...b.findings.map((f) => ({ path: f.path as string, album: b.album.title })));
  }
  return report;
}

function removalBatches(index: PhotoIndex, findings: readonly Finding[], threshold: number): RemovalBatch[] {
  const byAlbum = new Map<string, Finding[]>();
  for (const f of findings) {
    for (const albumId of index.mediaItems.albumsOf(f.mediaItemId as string)) byAlbum.set(albumId, [...(byAlbum.get(albumId) ?? []), f]);
  }
  return [...byAlbum].map(([id, list]) => {
    const albumItems = index.mediaItems.countInAlbum(id);
    return { album: { id, title: index.albums.get(id)?.title ?? id }, albumItems, findings: list, overThreshold: albumItems > 0 && list.length / albumItems > threshold };
  });
}
