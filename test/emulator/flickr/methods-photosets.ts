import { FlickrError, type Json } from './format';
import { arg, deleteSet, me, ownPhoto, ownSet, removeFromSet, unix, type MethodContext, type MethodDef } from './methods';
import { canSee, listEntry, paging, parseExtras } from './photo-view';
import type { FlickrPhoto, FlickrPhotoset } from './state';

/** One set as getList and getInfo describe it. */
function setView(m: MethodContext, set: FlickrPhotoset): Record<string, Json> {
  const primary = m.fs.photos.get(set.primary);
  const photos = set.photoIds.map((id) => m.fs.photos.get(id)).filter((p): p is FlickrPhoto => p !== undefined);
  const videos = photos.filter((p) => p.media === 'video').length;
  return {
    id: set.id,
    owner: set.owner,
    username: m.fs.account(set.owner)?.username ?? '',
    primary: set.primary,
    secret: primary?.secret ?? '',
    server: primary?.server ?? '0',
    farm: primary?.farm ?? 0,
    count_views: '0',
    count_comments: '0',
    count_photos: photos.length - videos,
    count_videos: videos,
    title: { _content: set.title },
    description: { _content: set.description },
    can_comment: 0,
    date_create: String(unix(set.createdAt)),
    date_update: String(unix(set.updatedAt)),
    photos: photos.length - videos,
    videos,
  };
}

/** The set's owner: an explicit user_id must match it, as Flickr checks the pair. */
function visibleSet(m: MethodContext): FlickrPhotoset {
  const set = m.fs.photosets.get(arg(m, 'photoset_id') ?? '');
  if (!set) throw new FlickrError(1, 'Photoset not found');
  const userId = arg(m, 'user_id');
  if (userId !== undefined && userId !== set.owner) throw new FlickrError(1, 'Photoset not found');
  return set;
}

function photoIdsArg(m: MethodContext): string[] {
  return (arg(m, 'photo_ids') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

export const PHOTOSET_METHODS: Record<string, MethodDef> = {
  'flickr.photosets.getList': {
    perms: 'none',
    post: false,
    handle: (m) => {
      const nsid = arg(m, 'user_id') ?? m.caller?.nsid;
      if (!nsid || !m.fs.account(nsid)) throw new FlickrError(1, 'User not found');
      const all = (m.fs.setOrder.get(nsid) ?? []).map((id) => m.fs.photosets.get(id)).filter((s): s is FlickrPhotoset => s !== undefined);
      // Without page, Flickr returns every set in the user's order.
      if (arg(m, 'page') === undefined) {
        return { photosets: { page: 1, pages: 1, perpage: all.length, total: all.length, photoset: all.map((s) => setView(m, s)) } };
      }
      const { page, perPage } = paging(arg(m, 'page'), arg(m, 'per_page'), 500);
      const slice = all.slice((page - 1) * perPage, page * perPage);
      return { photosets: { page, pages: Math.max(1, Math.ceil(all.length / perPage)), perpage: perPage, total: all.length, photoset: slice.map((s) => setView(m, s)) } };
    },
  },

  'flickr.photosets.getInfo': {
    perms: 'none',
    post: false,
    handle: (m) => ({ photoset: setView(m, visibleSet(m)) }),
  },

  'flickr.photosets.create': {
    perms: 'write',
    post: true,
    handle: (m) => {
      const nsid = me(m);
      const title = arg(m, 'title');
      if (!title) throw new FlickrError(1, 'No title specified');
      const primary = ownPhoto(m, arg(m, 'primary_photo_id'), 2, 'Photo not found');
      const set: FlickrPhotoset = {
        id: m.fs.newSetId(),
        owner: nsid,
        title,
        description: arg(m, 'description') ?? '',
        primary: primary.id,
        photoIds: [primary.id],
        createdAt: m.nowMs,
        updatedAt: m.nowMs,
      };
      m.fs.photosets.set(set.id, set);
      // New sets go first in the user's ordering (photosets.create docs).
      m.fs.setOrder.set(nsid, [set.id, ...(m.fs.setOrder.get(nsid) ?? [])]);
      return { photoset: { id: set.id, url: `https://www.flickr.com/photos/${nsid}/sets/${set.id}/` } };
    },
  },

  'flickr.photosets.addPhoto': {
    perms: 'write',
    post: true,
    handle: (m) => {
      const set = ownSet(m, arg(m, 'photoset_id'));
      const photo = ownPhoto(m, arg(m, 'photo_id'), 2, 'Photo not found');
      if (set.photoIds.includes(photo.id)) throw new FlickrError(3, 'Photo already in set');
      set.photoIds.push(photo.id);
      set.updatedAt = m.nowMs;
      return {};
    },
  },

  'flickr.photosets.removePhoto': {
    perms: 'write',
    post: true,
    handle: (m) => {
      const set = ownSet(m, arg(m, 'photoset_id'));
      const photo = ownPhoto(m, arg(m, 'photo_id'), 2, 'Photo not found');
      if (!set.photoIds.includes(photo.id)) throw new FlickrError(3, 'Photo not in set');
      removeFromSet(m.fs, set, photo.id, m.nowMs);
      return {};
    },
  },

  'flickr.photosets.removePhotos': {
    perms: 'write',
    post: true,
    handle: (m) => {
      const set = ownSet(m, arg(m, 'photoset_id'));
      const ids = photoIdsArg(m);
      for (const id of ids) ownPhoto(m, id, 2, 'Photo not found');
      for (const id of ids) if (m.fs.photosets.has(set.id) && set.photoIds.includes(id)) removeFromSet(m.fs, set, id, m.nowMs);
      return {};
    },
  },

  'flickr.photosets.editPhotos': {
    perms: 'write',
    post: true,
    handle: (m) => {
      const set = ownSet(m, arg(m, 'photoset_id'));
      const ids = photoIdsArg(m);
      if (ids.length === 0) throw new FlickrError(5, 'Empty photos list');
      const primary = ownPhoto(m, arg(m, 'primary_photo_id'), 3, 'Primary photo not found');
      for (const id of ids) ownPhoto(m, id, 2, 'Photo not found');
      if (!ids.includes(primary.id)) throw new FlickrError(4, 'Primary photo not in list');
      set.photoIds = [...new Set(ids)];
      set.primary = primary.id;
      set.updatedAt = m.nowMs;
      return {};
    },
  },

  'flickr.photosets.delete': {
    perms: 'write',
    post: true,
    handle: (m) => {
      deleteSet(m.fs, ownSet(m, arg(m, 'photoset_id')));
      return {};
    },
  },

  'flickr.photosets.getPhotos': {
    perms: 'none',
    post: false,
    handle: (m) => {
      const set = visibleSet(m);
      const viewer = m.caller?.nsid;
      const media = arg(m, 'media') ?? 'all';
      const photos = set.photoIds
        .map((id) => m.fs.photos.get(id))
        .filter((p): p is FlickrPhoto => p !== undefined && canSee(p, viewer))
        .filter((p) => media === 'all' || (media === 'photos' ? p.media === 'photo' : media === 'videos' ? p.media === 'video' : true));
      const { page, perPage } = paging(arg(m, 'page'), arg(m, 'per_page'), 500);
      const extras = parseExtras(arg(m, 'extras'));
      const slice = photos.slice((page - 1) * perPage, page * perPage).map((p) => ({
        ...listEntry(m.fs, m.origin, p, viewer, extras),
        isprimary: p.id === set.primary ? '1' : '0',
      }));
      return {
        photoset: {
          id: set.id,
          primary: set.primary,
          owner: set.owner,
          ownername: m.fs.account(set.owner)?.username ?? '',
          photo: slice,
          page,
          per_page: perPage,
          perpage: perPage,
          pages: Math.max(1, Math.ceil(photos.length / perPage)),
          title: set.title,
          total: photos.length,
        },
      };
    },
  },
};
