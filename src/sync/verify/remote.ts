// Verify's remote side: the destination's items by id (getItems, at most the provider's batch size per
// call) and the listings of the folder's albums. What was learnt is kept in a checkpoint, so a verify
// stopped by a 429, the quota or a cancel continues where it stopped instead of asking again.
import { setTimeout as sleep } from 'node:timers/promises';
import { ContainerGoneError, type PhotoProvider, type RemoteItem } from '../provider';
import { englishDetail, STOP_BUDGET_SPENT, STOP_CANCELLED, STOP_QUOTA_SPENT, STOP_SERVICE_ERROR } from './detailText';

/** Everything the remote side learnt so far. */
export interface RemoteCheckpoint {
  /** Item id → the item, or 'gone' (the service answered not found). */
  items: Map<string, RemoteItem | 'gone'>;
  /** Album id → the ids it lists, or 'gone' (the album no longer exists). */
  albums: Map<string, Set<string> | 'gone'>;
  /** Album id → the items it lists (for items only the album has). */
  listed: Map<string, RemoteItem[]>;
  requests: number;
}

export function emptyCheckpoint(): RemoteCheckpoint {
  return { items: new Map(), albums: new Map(), listed: new Map(), requests: 0 };
}

/** Google's album listing pages hold at most 100 items. */
export const LISTING_PAGE = 100;

/** Requests the remote side still needs: a getItems call per batch, a listing page per 100 items of each album. */
export function estimateRequests(provider: PhotoProvider, ids: readonly string[], albums: readonly { id: string; items: number }[], cp: RemoteCheckpoint): number {
  const toGet = ids.filter((id) => !cp.items.has(id)).length;
  const batch = Math.max(1, provider.rules.maxBatch);
  let n = Math.ceil(toGet / batch);
  for (const a of albums) if (!cp.albums.has(a.id)) n += Math.max(1, Math.ceil(a.items / LISTING_PAGE));
  return n;
}

/** A run stopped early; the message is English, from detailText.ts's STOP_* templates (shown through translateStopReason). */
export class VerifyStopped extends Error {
  override readonly name = 'VerifyStopped';
  constructor(
    readonly by: 'cancelled' | 'quota' | 'error',
    message: string,
  ) {
    super(message);
  }

  static cancelled(): VerifyStopped {
    return new VerifyStopped('cancelled', englishDetail(STOP_CANCELLED));
  }
}

export interface RemoteOptions {
  provider: PhotoProvider;
  signal?: AbortSignal;
  /** Requests this verify may still send (what is left of the quota period). */
  budget: number;
  /** Attempts for a transient failure before stopping (default 3). */
  attempts?: number;
  retryDelayMs?: number;
  now?: () => number;
  onProgress?: (done: number, total: number) => void;
}

/** Asks the destination about `ids` and lists `albumIds`, skipping what the checkpoint knows. Throws VerifyStopped. */
export async function checkRemote(ids: readonly string[], albumIds: readonly string[], cp: RemoteCheckpoint, options: RemoteOptions): Promise<void> {
  const { provider } = options;
  const todo = [...new Set(ids)].filter((id) => !cp.items.has(id));
  const albums = [...new Set(albumIds)].filter((id) => !cp.albums.has(id));
  const batch = Math.max(1, provider.rules.maxBatch);
  const total = Math.ceil(todo.length / batch) + albums.length;
  let done = 0;
  const spend = (n: number) => {
    if (cp.requests + n > options.budget) throw new VerifyStopped('quota', englishDetail(STOP_BUDGET_SPENT, provider.displayName));
  };
  for (let i = 0; i < todo.length; i += batch) {
    const ids = todo.slice(i, i + batch);
    spend(1);
    const found = await attempt(options, () => provider.getItems(ids, options.signal));
    cp.requests++;
    for (const id of ids) {
      const r = found.get(id);
      if (r === undefined || r instanceof Error) {
        if (isNotFound(r)) cp.items.set(id, 'gone');
        // Another error for one id (permission, invalid): left unchecked, reported as such.
      } else cp.items.set(id, r);
    }
    options.onProgress?.(++done, total);
  }
  for (const albumId of albums) {
    spend(1);
    const listed = await attempt(options, async () => {
      const items: RemoteItem[] = [];
      try {
        for await (const item of provider.listItems(albumId, options.signal)) items.push(item);
      } catch (err) {
        if (err instanceof ContainerGoneError || isNotFound(err)) return 'gone' as const;
        throw err;
      }
      return items;
    });
    cp.requests += listed === 'gone' ? 1 : Math.max(1, Math.ceil(listed.length / LISTING_PAGE));
    cp.albums.set(albumId, listed === 'gone' ? 'gone' : new Set(listed.map((i) => i.id)));
    if (listed !== 'gone') cp.listed.set(albumId, listed);
    options.onProgress?.(++done, total);
  }
}

async function attempt<T>(options: RemoteOptions, call: () => Promise<T>): Promise<T> {
  const tries = options.attempts ?? 3;
  for (let n = 1; ; n++) {
    if (options.signal?.aborted) throw VerifyStopped.cancelled();
    try {
      return await call();
    } catch (err) {
      if (options.signal?.aborted || (err as Error).name === 'AbortError') throw VerifyStopped.cancelled();
      const outcome = options.provider.rules.classify(err, (options.now ?? Date.now)());
      if (outcome.kind === 'quota') throw new VerifyStopped('quota', englishDetail(STOP_QUOTA_SPENT, options.provider.displayName, (err as Error).message));
      if (outcome.kind !== 'retry' || n >= tries) throw new VerifyStopped('error', englishDetail(STOP_SERVICE_ERROR, options.provider.displayName, (err as Error).message));
      await sleep(Math.min(options.retryDelayMs ?? 1000 * n, outcome.afterMs ?? Infinity), undefined, { signal: options.signal }).catch(() => undefined);
    }
  }
}

/** The service says this id or album does not exist (any more). */
export function isNotFound(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const e = err as Error & { httpStatus?: number; status?: unknown; code?: unknown };
  return e.httpStatus === 404 || e.status === 'NOT_FOUND' || e.status === 404 || /not (be )?found|does not exist|no longer exists/i.test(e.message);
}
