// The index lookups of a plan, each read once per plan, folder or album instead of once per file:
// the destination's contents with their albums, album titles and fill levels, a receipt still usable.
import type { IndexReader, UploadRecord } from '../index/api';
import type { PlanOptions, SyncPlan } from './plan';
import type { Receipt } from './provider';
import { spillTitle } from './albums';
import { englishReason } from './reasonText';
import { PLAN_ALBUM_FULL } from './warningText';
import { formatCount } from '../util/format';

/** A receipt this close to its expiry is not reused: the commit might not reach the service in time. */
export const RECEIPT_MARGIN_MS = 60 * 60 * 1000;

/** The app-created album this account already has for a title, newest record first. */
export function knownAlbumId(index: IndexReader, title: string, accountId: string, provider: string): string | undefined {
  const albums = index.albums.byTitle(title, { accountId, provider }).filter((a) => a.appCreated);
  return albums[0]?.id;
}

/** The row's receipt while it can still be committed (as UploadsReader.reusableReceipt, from a row already read). */
export function reusableReceipt(row: UploadRecord, now: number): Receipt | undefined {
  if (!row.receipt) return undefined;
  if (row.receiptExpiresAt !== undefined && now + RECEIPT_MARGIN_MS >= row.receiptExpiresAt) return undefined;
  return { token: row.receipt, expiresAt: row.receiptExpiresAt };
}

export function titleMatches(albumTitle: string | undefined, title: string): boolean {
  return albumTitle !== undefined && (albumTitle === title || isSpillOf(albumTitle, title));
}

/** Album titles by id, each read once per plan. */
export function albumTitles(index: IndexReader): (albumId: string) => string | undefined {
  const titles = new Map<string, string | undefined>();
  return (albumId) => {
    if (!titles.has(albumId)) titles.set(albumId, index.albums.get(albumId)?.title);
    return titles.get(albumId);
  };
}

export function isSpillOf(candidate: string, base: string): boolean {
  return candidate.startsWith(`${base} (`) && /^ \(\d+\)$/.test(candidate.slice(base.length));
}

/**
 * Returns the album title an item goes to, moving to "Name (2)", "Name (3)"… once an album holds
 * the maximum (counted from the index plus what this sync adds). Records album ids and creations.
 */
export function albumSpiller(index: IndexReader, options: PlanOptions, incoming: Map<string, number>, plan: SyncPlan): (base: string) => string {
  const warned = new Set<string>();
  /** Items each known album holds, read once per album (not once per file). */
  const held = new Map<string, number>();
  const holds = (id: string) => {
    let n = held.get(id);
    if (n === undefined) held.set(id, (n = Math.max(index.mediaItems.countInAlbum(id), index.albums.get(id)?.itemCount ?? 0)));
    return n;
  };
  return (base) => {
    for (let part = 1; ; part++) {
      const title = spillTitle(base, part);
      let id = plan.albumIds.get(title);
      if (!id && !plan.albumsToCreate.includes(title)) {
        id = knownAlbumId(index, title, options.accountId, options.provider);
        if (id) plan.albumIds.set(title, id);
      }
      const already = id ? holds(id) : 0;
      const adding = incoming.get(title) ?? 0;
      const max = options.rules.maxContainerItems;
      if (already + adding < max) {
        incoming.set(title, adding + 1);
        if (!id && !plan.albumsToCreate.includes(title)) plan.albumsToCreate.push(title);
        if (part > 1 && !warned.has(base)) {
          warned.add(base);
          plan.warnings.push(englishReason(PLAN_ALBUM_FULL, base, formatCount(max), title));
        }
        return title;
      }
    }
  };
}
