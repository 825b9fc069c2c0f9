import { FlickrError, type Json } from './format';
import { arg, deletePhoto, mysqlDate, ownPhoto, parseFlickrDate, unix, type MethodContext, type MethodDef } from './methods';
import { canSee, canSeeOriginal, listEntry, paging, parseExtras, photoPage, sizesFor } from './photo-view';
import type { FlickrPhoto, TagRecord } from './state';
import { machineTagFilter, parseTags, tagFilter } from './tags';
import { settleTickets } from './tickets';

/** A photo the caller may see; the `secret` argument skips the check, as documented. */
function visiblePhoto(m: MethodContext, notVisible: FlickrError): FlickrPhoto {
  const photo = m.fs.photos.get(arg(m, 'photo_id') ?? '');
  if (!photo) throw new FlickrError(1, 'Photo not found');
  if (!canSee(photo, m.caller?.nsid) && arg(m, 'secret') !== photo.secret) throw notVisible;
  return photo;
}

function tagView(photo: FlickrPhoto, owner: string, t: TagRecord, i: number): Record<string, Json> {
  return { id: `${photo.owner.split('@')[0]}-${photo.id}-${i + 1}`, author: photo.owner, authorname: owner, raw: t.raw, _content: t.tag, machine_tag: t.machine ? 1 : 0 };
}

function infoView(m: MethodContext, photo: FlickrPhoto): Record<string, Json> {
  const owner = m.fs.account(photo.owner);
  const mine = photo.owner === m.caller?.nsid;
  const view: Record<string, Json> = {
    id: photo.id,
    secret: photo.secret,
    server: photo.server,
    farm: photo.farm,
    dateuploaded: String(photo.datePosted),
    isfavorite: 0,
    license: '0',
    safety_level: String(photo.safetyLevel - 1),
    rotation: 0,
  };
  if (canSeeOriginal(m.fs, photo, m.caller?.nsid)) {
    view.originalsecret = photo.originalSecret;
    view.originalformat = photo.originalFormat;
  }
  return {
    ...view,
    owner: { nsid: photo.owner, username: owner?.username ?? '', realname: owner?.fullname ?? '', location: '', iconserver: '0', iconfarm: 0 },
    title: { _content: photo.title },
    description: { _content: photo.description },
    visibility: { ispublic: photo.isPublic ? 1 : 0, isfriend: photo.isFriend ? 1 : 0, isfamily: photo.isFamily ? 1 : 0 },
    dates: { posted: String(photo.datePosted), taken: photo.dateTaken, takengranularity: photo.takenGranularity, takenunknown: photo.takenUnknown ? '1' : '0', lastupdate: String(photo.lastUpdate) },
    views: '0',
    editability: { cancomment: mine ? 1 : 0, canaddmeta: mine ? 1 : 0 },
    usage: { candownload: 1, canblog: 0, canprint: 0, canshare: 1 },
    comments: { _content: '0' },
    notes: { note: [] },
    tags: { tag: photo.tags.map((t, i) => tagView(photo, owner?.username ?? '', t, i)) },
    urls: { url: [{ type: 'photopage', _content: photoPage(photo) }] },
    media: photo.media,
  };
}

const SORTS: Record<string, (a: FlickrPhoto, b: FlickrPhoto) => number> = {
  'date-posted-asc': (a, b) => a.datePosted - b.datePosted || Number(a.id) - Number(b.id),
  'date-posted-desc': (a, b) => b.datePosted - a.datePosted || Number(b.id) - Number(a.id),
  'date-taken-asc': (a, b) => a.dateTaken.localeCompare(b.dateTaken) || Number(a.id) - Number(b.id),
  'date-taken-desc': (a, b) => b.dateTaken.localeCompare(a.dateTaken) || Number(b.id) - Number(a.id),
};

/** flickr.photos.search's privacy levels. */
function privacyLevel(p: FlickrPhoto): number {
  if (p.isPublic) return 1;
  if (p.isFriend && p.isFamily) return 4;
  if (p.isFriend) return 2;
  if (p.isFamily) return 3;
  return 5;
}

function search(m: MethodContext): Json {
  const filters: ((p: FlickrPhoto) => boolean)[] = [];
  const userId = arg(m, 'user_id');
  if (userId !== undefined) {
    const nsid = userId === 'me' ? m.caller?.nsid : userId;
    if (!nsid || !m.fs.account(nsid)) throw new FlickrError(2, 'Unknown user');
    filters.push((p) => p.owner === nsid);
  }
  const tags = arg(m, 'tags');
  if (tags) {
    const f = tagFilter(tags, arg(m, 'tag_mode'));
    filters.push((p) => f(p.tags));
  }
  const machine = arg(m, 'machine_tags');
  if (machine) {
    const f = machineTagFilter(machine, arg(m, 'machine_tag_mode'));
    filters.push((p) => f(p.tags));
  }
  const text = arg(m, 'text')?.toLowerCase();
  if (text) filters.push((p) => [p.title, p.description, ...p.tags.map((t) => t.raw)].some((s) => s.toLowerCase().includes(text)));
  for (const [name, test] of [
    ['min_upload_date', (p: FlickrPhoto, t: number) => p.datePosted * 1000 >= t],
    ['max_upload_date', (p: FlickrPhoto, t: number) => p.datePosted * 1000 <= t],
    ['min_taken_date', (p: FlickrPhoto, t: number) => p.dateTaken >= mysqlDate(t)],
    ['max_taken_date', (p: FlickrPhoto, t: number) => p.dateTaken <= mysqlDate(t)],
  ] as const) {
    const value = arg(m, name);
    const t = value === undefined ? undefined : parseFlickrDate(value);
    if (t !== undefined) filters.push((p) => test(p, t));
  }
  if (filters.length === 0) throw new FlickrError(3, 'Parameterless searches have been disabled. Please use flickr.photos.getRecent instead.');
  const media = arg(m, 'media') ?? 'all';
  if (media === 'photos' || media === 'videos') filters.push((p) => p.media === (media === 'photos' ? 'photo' : 'video'));
  // privacy_filter (1 public, 2 friends, 3 family, 4 friends & family, 5 private) applies to the caller's own photos only.
  const privacy = Number(arg(m, 'privacy_filter') ?? '0');
  if (privacy >= 1 && privacy <= 5 && m.caller) filters.push((p) => p.owner !== m.caller?.nsid || privacyLevel(p) === privacy);

  const viewer = m.caller?.nsid;
  const found = [...m.fs.photos.values()].filter((p) => canSee(p, viewer) && filters.every((f) => f(p)));
  found.sort(SORTS[arg(m, 'sort') ?? ''] ?? SORTS['date-posted-desc']);
  const { page, perPage } = paging(arg(m, 'page'), arg(m, 'per_page'), 100);
  const extras = parseExtras(arg(m, 'extras'));
  const photo = found.slice((page - 1) * perPage, page * perPage).map((p) => ({ ...listEntry(m.fs, m.origin, p, viewer, extras), owner: p.owner }));
  return { page, pages: Math.max(1, Math.ceil(found.length / perPage)), perpage: perPage, total: found.length, photo };
}

export const PHOTO_METHODS: Record<string, MethodDef> = {
  'flickr.photos.getInfo': {
    perms: 'none',
    post: false,
    handle: (m) => ({ photo: infoView(m, visiblePhoto(m, new FlickrError(1, 'Photo not found'))) }),
  },

  'flickr.photos.getSizes': {
    perms: 'none',
    post: false,
    handle: (m) => {
      const photo = visiblePhoto(m, new FlickrError(2, 'Permission denied'));
      const size = sizesFor(m.fs, m.origin, photo, m.caller?.nsid).map((s) => ({
        label: s.label,
        width: s.width,
        height: s.height,
        source: s.source,
        url: `${photoPage(photo)}sizes/${s.suffix === '' ? 'm' : s.suffix === 's' ? 'sq' : s.suffix}/`,
        media: photo.media,
      }));
      return { sizes: { canblog: 0, canprint: 0, candownload: 1, size } };
    },
  },

  'flickr.photos.setDates': {
    perms: 'write',
    post: true,
    handle: (m) => {
      const photo = ownPhoto(m, arg(m, 'photo_id'));
      const posted = arg(m, 'date_posted');
      const taken = arg(m, 'date_taken');
      const granularity = arg(m, 'date_taken_granularity');
      if (posted === undefined && taken === undefined && granularity === undefined) throw new FlickrError(2, 'Not enough arguments');
      if (granularity !== undefined && !['0', '4', '6', '8'].includes(granularity)) throw new FlickrError(3, 'Invalid granularity');
      if (posted !== undefined && (!/^\d+$/.test(posted) || Number(posted) * 1000 > m.nowMs)) throw new FlickrError(4, 'Invalid date_posted');
      let takenText: string | undefined;
      if (taken !== undefined) {
        const ms = /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$/.test(taken) ? parseFlickrDate(taken) : undefined;
        if (ms === undefined) throw new FlickrError(5, 'Invalid Date Taken Format');
        if (ms > m.nowMs + 86_400_000) throw new FlickrError(6, 'Invalid Date Taken');
        takenText = mysqlDate(ms);
      }
      if (posted !== undefined) photo.datePosted = Number(posted);
      if (takenText !== undefined) {
        photo.dateTaken = takenText;
        photo.takenUnknown = false;
      }
      if (granularity !== undefined) photo.takenGranularity = Number(granularity);
      photo.lastUpdate = unix(m.nowMs);
      return {};
    },
  },

  'flickr.photos.setMeta': {
    perms: 'write',
    post: true,
    handle: (m) => {
      const photo = ownPhoto(m, arg(m, 'photo_id'));
      const title = arg(m, 'title');
      const description = arg(m, 'description');
      if (title === undefined && description === undefined) throw new FlickrError(2, 'At least one of title or description must be set');
      if (title !== undefined) photo.title = title;
      if (description !== undefined) photo.description = description;
      photo.lastUpdate = unix(m.nowMs);
      return {};
    },
  },

  'flickr.photos.setTags': {
    perms: 'write',
    post: true,
    handle: (m) => {
      const photo = ownPhoto(m, arg(m, 'photo_id'));
      photo.tags = parseTags(arg(m, 'tags'));
      photo.lastUpdate = unix(m.nowMs);
      return {};
    },
  },

  'flickr.photos.delete': {
    perms: 'delete',
    post: true,
    handle: (m) => {
      deletePhoto(m.fs, ownPhoto(m, arg(m, 'photo_id')), m.nowMs);
      return {};
    },
  },

  'flickr.photos.search': {
    perms: 'none',
    post: false,
    handle: (m) => ({ photos: search(m) }),
  },

  'flickr.photos.upload.checkTickets': {
    perms: 'none',
    post: false,
    handle: (m) => {
      settleTickets(m.fs, m.nowMs);
      const ids = (arg(m, 'tickets') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      const ticket = ids.map((id): Json => {
        const t = m.fs.tickets.get(id);
        if (!t || t.apiKey !== m.app.key) return { id, invalid: 1 };
        if (t.status === 'pending') return { id, complete: 0 };
        if (t.status === 'failed') return { id, complete: 2 };
        return { id, complete: 1, photoid: t.photoId ?? '', imported: String(unix(t.completeAt)) };
      });
      return { uploader: { ticket } };
    },
  },
};
