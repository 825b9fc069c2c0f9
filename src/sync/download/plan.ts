// Walks a source and decides per item: download it, already here (index row + the file on disk with
// its recorded size and hash), not ready yet (a video still processing), or unavailable. A walk that
// goes newest first stops at the mark the last complete walk left: everything older than that was
// downloaded then (items added later with an older capture time need a full walk — the result offers it).
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelay } from '../../tasks/backoff';
import { hashFrom } from '../../metadata/safeRewrite';
import { renderLayout } from '../../localfs/layout';
import type { DownloadRecord } from '../../index/api';
import type { RemoteItem } from '../provider';
import { downloadId, type DownloadContext } from './context';
import type { DownloadSettings } from './settings';
import type { DownloadSource } from './source';
import { DOWNLOAD_QUOTA_SPENT } from './stopText';
import { englishL10n } from '../../util/englishL10n';

export interface PlannedDownload {
  /** Download row id. */
  id: string;
  item: RemoteItem;
  /** Where the layout puts it (the run may number it " (1)" when the name is taken). */
  target: string;
}

export interface DownloadPlan {
  source: DownloadSource;
  /** The download folder. */
  root: string;
  settings: DownloadSettings;
  downloads: PlannedDownload[];
  /** Already in the folder, unchanged. */
  already: number;
  /** The service cannot give their bytes yet (videos still processing): tried again next time. */
  notReady: { item: RemoteItem; reason: string }[];
  /** Never downloadable (processing failed at the service). */
  unavailable: { item: RemoteItem; reason: string }[];
  /** Items the walk saw. */
  listed: number;
  /** The walk stopped where an earlier complete walk ended (see the top of this file). */
  stoppedAt?: string;
  /** Newest capture time of the walk (RFC 3339), for the album-link folder and the next mark. */
  newest?: string;
  warnings: string[];
}

export interface PlanOptions {
  signal?: AbortSignal;
  /** Pause before walking again after a transient listing failure (default: backoff from 1 s). */
  retryDelayMs?: (attempt: number, afterMs?: number) => number;
  /** Walk everything, ignoring the mark of the last complete walk. */
  full?: boolean;
  onProgress?: (listed: number) => void;
}

/** Lists the source and plans the download into `root`. */
export async function planDownload(ctx: DownloadContext, source: DownloadSource, root: string, settings: DownloadSettings, options: PlanOptions = {}): Promise<DownloadPlan> {
  const plan: DownloadPlan = { source, root: path.resolve(root), settings, downloads: [], already: 0, notReady: [], unavailable: [], listed: 0, warnings: [] };
  const mark = options.full ? undefined : ctx.index.downloads.sourceRun({ provider: ctx.provider.id, accountId: ctx.accountId, source: source.key, root: plan.root })?.newestComplete;
  const seen = new Set<string>();
  for await (const item of walkWithRetries(ctx, source, seen, options)) {
    plan.listed++;
    if (plan.listed % 100 === 0) options.onProgress?.(plan.listed);
    if (item.creationTime && (!plan.newest || item.creationTime > plan.newest)) plan.newest = item.creationTime;
    const id = downloadId(ctx.provider.id, ctx.accountId, plan.root, item.id);
    const row = ctx.index.downloads.get(id);
    const present = row?.state === 'downloaded' && (await stillThere(row));
    if (present) {
      plan.already++;
      if (source.newestFirst && mark && item.creationTime && item.creationTime < mark) {
        plan.stoppedAt = mark;
        break;
      }
      continue;
    }
    if (item.status === 'processing') {
      plan.notReady.push({ item, reason: 'still being processed by the service (a new video); downloaded on a later run' });
      continue;
    }
    if (item.status === 'failed') {
      plan.unavailable.push({ item, reason: 'the service could not process it and offers no download' });
      continue;
    }
    plan.downloads.push({ id, item, target: targetOf(plan, item, ctx.now()) });
  }
  options.onProgress?.(plan.listed);
  return plan;
}

/** Listing failures the service calls transient walk again (skipping what was seen), up to 5 times. */
async function* walkWithRetries(ctx: DownloadContext, source: DownloadSource, seen: Set<string>, options: PlanOptions): AsyncIterable<RemoteItem> {
  for (let attempt = 1; ; attempt++) {
    try {
      for await (const item of source.list(options.signal)) {
        if (seen.has(item.id)) continue; // a repeated walk, or an item repeated across pages
        seen.add(item.id);
        yield item;
      }
      return;
    } catch (err) {
      const outcome = ctx.provider.rules.classify(err, ctx.now());
      if (outcome.kind === 'quota') throw new QuotaSpentError(outcome.until, outcome.label, err);
      if (outcome.kind !== 'retry' || attempt >= 5 || options.signal?.aborted) throw err;
      const delay = options.retryDelayMs?.(attempt, outcome.afterMs) ?? backoffDelay(attempt, { baseMs: 1000, maxMs: 30_000, retryAfterMs: outcome.afterMs, random: Math.random });
      ctx.log.warn(`Listing “${source.title}” failed (${(err as Error).message}); walking again in ${Math.round(delay / 100) / 10} s.`);
      await sleep(delay, undefined, { signal: options.signal });
    }
  }
}

/** The service's request quota is spent: listing can go on only after its reset. */
export class QuotaSpentError extends Error {
  override readonly name = 'QuotaSpentError';
  constructor(
    readonly until: number,
    readonly label: string,
    cause: unknown,
  ) {
    super(englishL10n.t(DOWNLOAD_QUOTA_SPENT, label, new Date(until).toISOString().slice(0, 16).replace('T', ' ')), { cause });
  }
}

/** Where the layout puts an item; an item without a capture time goes under the day it is downloaded. */
export function targetOf(plan: Pick<DownloadPlan, 'root' | 'settings' | 'source' | 'warnings'>, item: RemoteItem, now: number): string {
  let captureTime = item.creationTime;
  if (!captureTime || Number.isNaN(Date.parse(captureTime))) {
    captureTime = new Date(now).toISOString();
    plan.warnings.push(`${item.filename || item.id} has no capture time; it was filed under today.`);
  }
  return renderLayout(plan.root, plan.settings.layout, {
    filename: item.filename,
    captureTime,
    album: plan.source.album?.title ?? plan.source.title,
    fallbackFilename: `${item.id.slice(0, 40)}${extensionOf(item.mimeType)}`,
  });
}

/** The file a downloaded row names is still there, with the size and content that were written. */
export async function stillThere(row: DownloadRecord): Promise<boolean> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(row.localPath);
  } catch {
    return false;
  }
  if (!stat.isFile() || (row.bytes !== undefined && stat.size !== row.bytes)) return false;
  // The mtime we set is the cheap proof nobody touched it; otherwise the content decides.
  if (row.mtimeMs !== undefined && Math.trunc(stat.mtimeMs) === Math.trunc(row.mtimeMs)) return true;
  if (!row.sha256) return false;
  return (await hashFrom(row.localPath, 0)).sha256 === row.sha256;
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'image/heic': '.heic',
  'image/heif': '.heif',
  'image/avif': '.avif',
  'image/bmp': '.bmp',
  'image/tiff': '.tif',
  'video/mp4': '.mp4',
  'video/quicktime': '.mov',
  'video/3gpp': '.3gp',
  'video/x-msvideo': '.avi',
  'video/x-matroska': '.mkv',
};

function extensionOf(mimeType: string): string {
  return EXTENSIONS[mimeType] ?? '';
}
