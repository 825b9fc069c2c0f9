import { createHash } from 'node:crypto';
import type { RequestContext } from '../context';
import { invalidArgument, notFound, type Reply } from '../http';
import type { MediaItemRecord } from '../state';
import { albumItemIds, decodePageToken, looksLikeId, mediaItemJson, page, pageSize, visibleAlbum, visibleItem, type Caller } from './common';
import type { LibraryArgs } from './routes';

const MAX_DESCRIPTION = 1000;

function appItems(ctx: RequestContext, caller: Caller): MediaItemRecord[] {
  return [...ctx.state.mediaItems.values()].filter((m) => m.userSub === caller.userSub && m.createdBy.has(caller.clientId));
}

const newestFirst = (a: MediaItemRecord, b: MediaItemRecord): number => b.creationTime - a.creationTime || (a.id < b.id ? -1 : 1);

function listBody(ctx: RequestContext, result: { items: MediaItemRecord[]; nextPageToken?: string }): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (result.items.length > 0) body.mediaItems = result.items.map((m) => mediaItemJson(ctx, m));
  if (result.nextPageToken) body.nextPageToken = result.nextPageToken;
  return body;
}

export function listMediaItems(ctx: RequestContext, caller: Caller, { query }: LibraryArgs): Reply {
  const size = pageSize(query.get('pageSize'), 25, 100);
  const offset = decodePageToken(query.get('pageToken') ?? undefined, 'list');
  return { status: 200, body: listBody(ctx, page(appItems(ctx, caller).sort(newestFirst), offset, size, 'list')) };
}

interface DateParts {
  year?: number;
  month?: number;
  day?: number;
}

function dateParts(d: unknown): { year: number; month: number; day: number } {
  const p = (d ?? {}) as DateParts;
  const year = Number(p.year ?? 0);
  const month = Number(p.month ?? 0);
  const day = Number(p.day ?? 0);
  const valid = year >= 0 && year <= 9999 && month >= 0 && month <= 12 && day >= 0 && day <= 31 && !(year === 0 && month === 0 && day === 0) && !(month === 0 && day !== 0 && year !== 0) && !(day !== 0 && year === 0 && month === 0);
  if (!valid) throw invalidArgument('Invalid date in dateFilter.');
  return { year, month, day };
}

/** Items' dates are compared in UTC calendar terms. */
function ymd(ms: number): { year: number; month: number; day: number } {
  const d = new Date(ms);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function matchesDate(item: MediaItemRecord, d: { year: number; month: number; day: number }): boolean {
  const t = ymd(item.creationTime);
  return (d.year === 0 || d.year === t.year) && (d.month === 0 || d.month === t.month) && (d.day === 0 || d.day === t.day);
}

function rangeKey(d: { year: number; month: number; day: number }, end: boolean): number {
  const month = d.month === 0 ? (end ? 12 : 1) : d.month;
  const day = d.day === 0 ? (end ? 31 : 1) : d.day;
  return d.year * 10000 + month * 100 + day;
}

function inRange(item: MediaItemRecord, start: { year: number; month: number; day: number }, end: { year: number; month: number; day: number }): boolean {
  const t = ymd(item.creationTime);
  const key = t.year * 10000 + t.month * 100 + t.day;
  return key >= rangeKey(start, false) && key <= rangeKey(end, true);
}

type Filters = {
  dateFilter?: { dates?: unknown[]; ranges?: { startDate?: unknown; endDate?: unknown }[] };
  contentFilter?: { includedContentCategories?: string[]; excludedContentCategories?: string[] };
  mediaTypeFilter?: { mediaTypes?: string[] };
  featureFilter?: { includedFeatures?: string[] };
  includeArchivedMedia?: boolean;
  excludeNonAppCreatedData?: boolean;
};

function applyFilters(items: MediaItemRecord[], filters: Filters): MediaItemRecord[] {
  let out = items;
  const df = filters.dateFilter;
  if (df) {
    const dates = (df.dates ?? []).map(dateParts);
    const ranges = (df.ranges ?? []).map((r) => ({ start: dateParts(r.startDate), end: dateParts(r.endDate) }));
    if (dates.length > 5) throw invalidArgument('A maximum of 5 dates can be included per request.');
    if (ranges.length > 5) throw invalidArgument('A maximum of 5 date ranges can be included per request.');
    if (dates.length + ranges.length > 0) {
      out = out.filter((m) => m.hasCaptureTime && (dates.some((d) => matchesDate(m, d)) || ranges.some((r) => inRange(m, r.start, r.end))));
    }
  }
  const cf = filters.contentFilter;
  if (cf) {
    const inc = cf.includedContentCategories ?? [];
    const exc = cf.excludedContentCategories ?? [];
    if (inc.length > 10 || exc.length > 10) throw invalidArgument('A maximum of 10 content categories can be included or excluded per request.');
    if (inc.some((c) => exc.includes(c))) throw invalidArgument('A content category cannot be both included and excluded.');
    // The emulator classifies nothing: only "NONE" (no category) can match an included category.
    if (inc.length > 0 && !inc.includes('NONE')) out = [];
  }
  const mt = filters.mediaTypeFilter?.mediaTypes;
  if (mt) {
    if (mt.length !== 1) throw invalidArgument('mediaTypeFilter.mediaTypes must contain exactly one media type.');
    if (mt[0] === 'PHOTO') out = out.filter((m) => !m.video);
    if (mt[0] === 'VIDEO') out = out.filter((m) => m.video);
  }
  const ff = filters.featureFilter?.includedFeatures ?? [];
  // Apps cannot favourite; nothing they created is a favourite.
  if (ff.includes('FAVORITES')) out = [];
  return out;
}

export function searchMediaItems(ctx: RequestContext, caller: Caller, { body }: LibraryArgs): Reply {
  const size = pageSize(body.pageSize, 25, 100);
  const { pageToken: _token, pageSize: _size, ...query } = body;
  const fingerprint = createHash('sha1').update(JSON.stringify(query)).digest('hex').slice(0, 16);
  const offset = decodePageToken(typeof body.pageToken === 'string' && body.pageToken !== '' ? body.pageToken : undefined, fingerprint);
  const albumId = typeof body.albumId === 'string' && body.albumId !== '' ? body.albumId : undefined;
  const filters = body.filters as Filters | undefined;
  if (albumId && filters) throw invalidArgument('The albumId and filters cannot both be set.');
  const orderBy = typeof body.orderBy === 'string' ? body.orderBy.trim() : '';
  if (orderBy && !filters?.dateFilter) throw invalidArgument('The orderBy field only works when a dateFilter is used.');
  if (orderBy && orderBy !== 'MediaMetadata.creation_time' && orderBy !== 'MediaMetadata.creation_time desc') throw invalidArgument(`Invalid orderBy: ${orderBy}`);

  let items: MediaItemRecord[];
  if (albumId) {
    const album = visibleAlbum(ctx, caller, albumId);
    if (!album) throw notFound();
    items = albumItemIds(album)
      .map((id) => visibleItem(ctx, caller, id))
      .filter((m): m is MediaItemRecord => m !== undefined);
  } else {
    items = applyFilters(appItems(ctx, caller), filters ?? {}).sort(newestFirst);
    if (orderBy === 'MediaMetadata.creation_time') items.reverse();
  }
  return { status: 200, body: listBody(ctx, page(items, offset, size, fingerprint)) };
}

export function getMediaItem(ctx: RequestContext, caller: Caller, { pathParams }: LibraryArgs): Reply {
  const id = pathParams.mediaItemId;
  if (!looksLikeId(id)) throw invalidArgument('Invalid media item ID.');
  const item = visibleItem(ctx, caller, id);
  if (!item) throw notFound();
  return { status: 200, body: mediaItemJson(ctx, item) };
}

export function batchGetMediaItems(ctx: RequestContext, caller: Caller, { query }: LibraryArgs): Reply {
  const ids = query.getAll('mediaItemIds');
  if (ids.length === 0) throw invalidArgument('Request must contain at least one media item ID.');
  if (ids.length > 50) throw invalidArgument('Request must contain at most 50 media item IDs.');
  if (new Set(ids).size !== ids.length) throw invalidArgument('Request must not contain repeated media item IDs.');
  const mediaItemResults = ids.map((id) => {
    if (!looksLikeId(id)) return { status: { code: 3, message: 'Invalid media item ID.' } };
    const item = visibleItem(ctx, caller, id);
    return item ? { mediaItem: mediaItemJson(ctx, item) } : { status: { code: 5, message: 'Requested entity was not found.' } };
  });
  return { status: 200, body: { mediaItemResults } };
}

export function patchMediaItem(ctx: RequestContext, caller: Caller, { pathParams, query, body }: LibraryArgs): Reply {
  const item = visibleItem(ctx, caller, pathParams.id);
  if (!item) throw notFound();
  const mask = query.get('updateMask');
  if (!mask) throw invalidArgument('updateMask is required.');
  for (const f of mask.split(',').map((s) => s.trim())) {
    if (f !== 'description') throw invalidArgument(`Invalid updateMask field: ${f}. Only description can be updated.`);
  }
  const description = typeof body.description === 'string' ? body.description : '';
  if (description.length >= MAX_DESCRIPTION) throw invalidArgument(`Description must be shorter than ${MAX_DESCRIPTION} characters.`);
  item.description = description === '' ? undefined : description;
  return { status: 200, body: mediaItemJson(ctx, item) };
}
