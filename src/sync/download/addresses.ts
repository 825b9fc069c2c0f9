// Fresh download addresses for a run's items. Addresses expire (Google's baseUrls after an hour); an
// item whose address is about to expire, or was refused, gets a fresh one before its fetch — never a
// failure. Items listed together expire together, so one refresh call takes the asking item plus the
// run's other unfetched items that expire soonest, up to the source's batch size (Google: batchGet,
// ≤ 50 ids): a run of thousands spends one request per 50 items an hour, not one per item.
import type { RemoteItem } from '../provider';
import type { DownloadSource } from './source';

/** An address this close to its expiry is refreshed before use: a large video takes minutes. */
export const EXPIRY_MARGIN_MS = 5 * 60 * 1000;

export class AddressBook {
  private readonly items = new Map<string, RemoteItem>();
  private readonly fetched = new Set<string>();
  private readonly inFlight = new Map<string, Promise<RemoteItem | Error>>();
  /** Refresh calls made (tests and the benchmark count them). */
  refreshCalls = 0;

  constructor(
    private readonly source: DownloadSource,
    items: Iterable<RemoteItem>,
    private readonly now: () => number,
  ) {
    for (const item of items) this.items.set(item.id, item);
  }

  /** The item with an address good for a while; `force` refreshes even an unexpired one (it was refused). */
  async usable(id: string, options: { force?: boolean; signal?: AbortSignal } = {}): Promise<RemoteItem> {
    const current = this.items.get(id);
    if (!current) throw new Error(`${id} is not part of this download.`);
    if (!options.force && this.fresh(current)) return current;
    const result = await (this.inFlight.get(id) ?? this.refreshAround(id, options.signal));
    if (result instanceof Error) throw result;
    return result;
  }

  /** The item is done: its address is no longer worth refreshing. */
  done(id: string): void {
    this.fetched.add(id);
  }

  private fresh(item: RemoteItem): boolean {
    const address = item.download;
    return address !== undefined && (address.expiresAt === undefined || address.expiresAt - EXPIRY_MARGIN_MS > this.now());
  }

  private refreshAround(id: string, signal: AbortSignal | undefined): Promise<RemoteItem | Error> {
    // The asking item, then the unfetched ones expiring soonest (an address already fresh costs
    // nothing extra in the same call and saves a later one).
    const others = [...this.items.values()]
      .filter((i) => i.id !== id && !this.fetched.has(i.id) && !this.inFlight.has(i.id))
      .sort((a, b) => (a.download?.expiresAt ?? 0) - (b.download?.expiresAt ?? 0))
      .slice(0, Math.max(0, this.source.refreshBatch - 1));
    const batch = [id, ...others.map((i) => i.id)];
    this.refreshCalls++;
    const call = this.source.refresh(batch, signal).then((found) => {
      for (const [key, value] of found) if (!(value instanceof Error)) this.items.set(key, value);
      return found;
    });
    let mine: Promise<RemoteItem | Error> | undefined;
    for (const key of batch) {
      const one = call.then(
        (found) => found.get(key) ?? new Error(`The service gave no fresh download address for ${this.items.get(key)?.filename ?? key}.`),
        (err: unknown) => Promise.reject(err),
      );
      const tracked = one.finally(() => this.inFlight.delete(key));
      tracked.catch(() => undefined); // awaited only by the items that ask
      this.inFlight.set(key, tracked);
      if (key === id) mine = tracked;
    }
    return mine as Promise<RemoteItem | Error>;
  }
}
