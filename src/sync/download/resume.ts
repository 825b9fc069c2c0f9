// What an interrupted album or year download left unfinished (VS Code closed, a crash), planned again
// from its journal rows without walking the source: the items get fresh addresses from the service in
// batches; an item the service no longer has is marked failed with that reason. Temp files the dead
// process left are removed. (Picker imports are finished by sync/picker/leftovers.ts.)
import path from 'node:path';
import { cleanupStaleParts } from '../../localfs/placeFile';
import type { DownloadRecord } from '../../index/api';
import type { RemoteItem } from '../provider';
import type { DownloadContext } from './context';
import type { DownloadPlan, PlannedDownload } from './plan';
import type { DownloadSettings } from './settings';
import { albumSource, yearSource, type DownloadSource } from './source';

/** Plans for the unfinished album and year downloads of the context's account, one per source and folder. */
export async function planUnfinished(ctx: DownloadContext, settings: DownloadSettings, free: (plan: Pick<DownloadPlan, 'source' | 'root'>) => boolean = () => true): Promise<DownloadPlan[]> {
  const rows: DownloadRecord[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = ctx.index.downloads.unfinished({ provider: ctx.provider.id, accountId: ctx.accountId }, { offset, limit: 1000 });
    rows.push(...page.items);
    if (rows.length >= page.total || page.items.length === 0) break;
  }
  const groups = new Map<string, DownloadRecord[]>();
  for (const row of rows) {
    if (!row.source || !row.root || row.source.startsWith('picker:')) continue;
    const key = `${row.source}\u0000${row.root}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const plans: DownloadPlan[] = [];
  for (const group of groups.values()) {
    const { source: key, root } = group[0] as Required<Pick<DownloadRecord, 'source' | 'root'>>;
    const source = sourceFor(ctx, key, root);
    if (!source || !free({ source, root })) continue;
    // Temp files live beside their target; those of a process that is gone are removed.
    for (const dir of new Set(group.map((r) => path.dirname(r.localPath)))) await cleanupStaleParts(dir, { minAgeMs: 0 }).catch(() => undefined);
    const found = new Map<string, RemoteItem | Error>();
    const ids = group.map((r) => r.mediaItemId);
    for (let i = 0; i < ids.length; i += source.refreshBatch) {
      for (const [id, item] of await source.refresh(ids.slice(i, i + source.refreshBatch))) found.set(id, item);
    }
    const downloads: PlannedDownload[] = [];
    const gone: { row: DownloadRecord; message: string }[] = [];
    for (const row of group) {
      const item = found.get(row.mediaItemId);
      if (item && !(item instanceof Error)) downloads.push({ id: row.id, item, target: row.localPath });
      else gone.push({ row, message: item instanceof Error ? item.message : 'The service no longer has this item.' });
    }
    if (gone.length) {
      await ctx.index.write((w) => {
        for (const g of gone) w.downloads.update(g.row.id, { state: 'failed', lastError: g.message });
      });
    }
    if (downloads.length === 0) continue;
    const newest = downloads.reduce<string | undefined>((max, d) => (d.item.creationTime && (!max || d.item.creationTime > max) ? d.item.creationTime : max), undefined);
    plans.push({ source, root, settings, downloads, already: 0, notReady: [], unavailable: [], listed: downloads.length, newest, warnings: [] });
  }
  return plans;
}

function sourceFor(ctx: DownloadContext, key: string, root: string): DownloadSource | undefined {
  const run = ctx.index.downloads.sourceRun({ provider: ctx.provider.id, accountId: ctx.accountId, source: key, root });
  if (key.startsWith('album:')) {
    const id = key.slice('album:'.length);
    return albumSource(ctx.provider, { id, title: ctx.index.albums.get(id)?.title ?? run?.title ?? 'Album' });
  }
  if (key.startsWith('year:')) {
    const year = Number(key.slice('year:'.length));
    return Number.isInteger(year) ? yearSource(ctx.provider, year) : undefined;
  }
  return undefined;
}
