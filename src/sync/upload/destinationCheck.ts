// Before a sync is planned, the destination says what changed on its side that the index cannot
// know: containers the user deleted or trashed there (a Drive folder removed in the web UI) and how
// much storage is left. A removed container is forgotten (it is made again on first use, never
// written into); its items that went with it are forgotten too, so their files are uploaded again
// instead of being counted as backed up. Services without `check` skip all of this.
import { setTimeout as sleep } from 'node:timers/promises';
import { formatBytes } from '../../util/format';
import { englishReason } from '../reasonText';
import { PLAN_STORAGE_SHORT } from '../warningText';
import type { SyncPlan } from '../plan';
import { uploadId } from '../plan';
import type { AlbumResolver } from './albumResolver';
import type { UploadContext } from './context';

export interface CheckResult {
  notices: string[];
  freeBytes?: number;
}

const CHECK_ATTEMPTS = 4;

export async function checkDestination(ctx: UploadContext, albums: AlbumResolver, signal?: AbortSignal): Promise<CheckResult | undefined> {
  const { provider, index, accountId } = ctx;
  const check = provider.check?.bind(provider);
  if (!check) return undefined;
  const known = index.albums.listWithCounts({ accountId, provider: provider.id }, { limit: 1_000_000 }).items.map((a) => a.id);
  const result = await withRetries(ctx, () => check(known, signal), signal);
  if (result.goneContainers.length) await forgetContainers(ctx, result.goneContainers, signal);
  albums.forgetGone(result.goneContainers);
  if (result.containers) await albums.adopt(result.containers);
  return { notices: result.notices, freeBytes: result.freeBytes };
}

/**
 * The check runs before the task queue, so it retries what the service calls transient itself (a
 * rate limit, a 5xx) and turns what only the user can fix into the service's words for it.
 */
async function withRetries<T>(ctx: UploadContext, run: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      const outcome = ctx.provider.rules.classify(err, ctx.now());
      if (outcome.kind === 'retry' && attempt < CHECK_ATTEMPTS) {
        await sleep(outcome.afterMs ?? 250 * 2 ** attempt, undefined, { signal });
        continue;
      }
      if (outcome.kind === 'needs-user' && outcome.message) throw new Error(`${ctx.provider.displayName}: ${outcome.message}`, { cause: err });
      throw err;
    }
  }
}

/** Removes gone containers from the index, and the items in them the service no longer has. */
async function forgetContainers(ctx: UploadContext, gone: readonly string[], signal?: AbortSignal): Promise<void> {
  const { provider, index, accountId } = ctx;
  const itemIds = new Set<string>();
  for (const albumId of gone) {
    for (let offset = 0; ; offset += 1000) {
      const page = index.mediaItems.inAlbum(albumId, { offset, limit: 1000 });
      for (const item of page.items) itemIds.add(item.id);
      if (offset + page.items.length >= page.total || page.items.length === 0) break;
    }
  }
  const found = itemIds.size ? await provider.getItems([...itemIds], signal) : new Map();
  const lost = [...found].filter(([, v]) => v instanceof Error).map(([id]) => id);
  await index.write((w) => {
    for (const id of lost) {
      const item = w.mediaItems.get(id);
      w.mediaItems.remove(id);
      // The upload journal must not vouch for it either: the file is planned as new content again.
      const row = item?.sha256 ? w.uploads.get(uploadId(provider.id, accountId, item.sha256)) : undefined;
      if (row && row.mediaItemId === id) w.uploads.update(row.id, { state: 'failed', mediaItemId: undefined, lastError: `no longer in ${provider.displayName}; uploaded again` });
    }
    for (const albumId of gone) w.albums.remove(albumId);
  });
  ctx.log.warn(`${gone.length} album${gone.length === 1 ? '' : 's'} removed in ${provider.displayName} will be made again; ${lost.length} item${lost.length === 1 ? '' : 's'} that went with ${gone.length === 1 ? 'it' : 'them'} will be uploaded again.`);
}

/** The check's notices and a storage warning, on the plan the user sees. */
export function applyCheck(plan: SyncPlan, check: CheckResult | undefined, displayName: string): void {
  if (!check) return;
  plan.warnings.push(...check.notices);
  if (check.freeBytes !== undefined && plan.bytesToUpload > check.freeBytes) {
    plan.warnings.push(englishReason(PLAN_STORAGE_SHORT, displayName, formatBytes(check.freeBytes), formatBytes(plan.bytesToUpload), formatBytes(plan.bytesToUpload - check.freeBytes)));
  }
}
