// Where the items of a download come from: an album or a year of what the app created (listed through
// the provider), or the items a user picked in the service's own UI (a Picker session). Each knows how
// to give fresh download addresses for its items when theirs expired.
import type { DateRange, PhotoProvider, RemoteItem } from '../provider';
import type { PickingService } from '../picker/service';

export type SourceKind = 'album' | 'year' | 'picker';

export interface DownloadSource {
  kind: SourceKind;
  /** "album:<id>", "year:2024", "picker:<sessionId>": download rows and walk marks are keyed by it. */
  key: string;
  /** For messages, the sidebar and the layout's {album} token. */
  title: string;
  /** The album, for the album-link tree. */
  album?: { id: string; title: string };
  /** True when `list` walks newest first, so a walk may stop where the last complete walk ended. */
  newestFirst: boolean;
  list(signal?: AbortSignal): AsyncIterable<RemoteItem>;
  /** The same items with fresh download addresses (an Error for one that is gone). */
  refresh(ids: readonly string[], signal?: AbortSignal): Promise<Map<string, RemoteItem | Error>>;
  /** How many ids one refresh call handles well (the service's batch size). */
  refreshBatch: number;
}

export function albumSource(provider: PhotoProvider, album: { id: string; title: string }): DownloadSource {
  return {
    kind: 'album',
    key: `album:${album.id}`,
    title: album.title,
    album,
    newestFirst: false,
    list: (signal) => provider.listItems(album.id, signal),
    refresh: (ids, signal) => provider.getItems(ids, signal),
    refreshBatch: provider.rules.maxBatch,
  };
}

export function yearSource(provider: PhotoProvider, year: number): DownloadSource {
  const range: DateRange = { from: `${year}-01-01`, to: `${year}-12-31` };
  return {
    kind: 'year',
    key: `year:${year}`,
    title: String(year),
    newestFirst: true,
    list: (signal) => (provider.listItemsByDate ? provider.listItemsByDate(range, signal) : byDate(provider.listItems(undefined, signal), range)),
    refresh: (ids, signal) => provider.getItems(ids, signal),
    refreshBatch: provider.rules.maxBatch,
  };
}

/** The items picked in a session; a refresh lists the session again (its addresses are the only ones). */
export function pickedSource(service: PickingService, sessionId: string, title: string): DownloadSource {
  return {
    kind: 'picker',
    key: `picker:${sessionId}`,
    title,
    newestFirst: false,
    list: (signal) => service.list(sessionId, signal),
    async refresh(ids, signal) {
      const wanted = new Set(ids);
      const found = new Map<string, RemoteItem | Error>();
      for await (const item of service.list(sessionId, signal)) if (wanted.has(item.id)) found.set(item.id, item);
      for (const id of ids) if (!found.has(id)) found.set(id, new Error(`${id} is no longer among the items picked in this session.`));
      return found;
    },
    refreshBatch: Number.POSITIVE_INFINITY,
  };
}

/** A provider without date search: every item, filtered by capture day and sorted newest first. */
async function* byDate(items: AsyncIterable<RemoteItem>, range: DateRange): AsyncIterable<RemoteItem> {
  const kept: RemoteItem[] = [];
  for await (const item of items) {
    const day = item.creationTime?.slice(0, 10);
    if (day && day >= range.from && day <= range.to) kept.push(item);
  }
  kept.sort((a, b) => (b.creationTime ?? '').localeCompare(a.creationTime ?? ''));
  yield* kept;
}
