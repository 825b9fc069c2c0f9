import { FlickrError, type Body } from './format';
import { param, type FlickrRequest } from './request';
import type { ApiKeyRecord, FlickrPhoto, FlickrPhotoset, FlickrState, Perms } from './state';

/** What a REST method sees: the caller (when signed with an access token), its app and arguments. */
export interface MethodContext {
  fs: FlickrState;
  req: FlickrRequest;
  nowMs: number;
  origin: string;
  app: ApiKeyRecord;
  caller?: { nsid: string; perms: Perms };
}

/** One REST method: the permission it needs and whether it must be POSTed (flickr.reflection.getMethodInfo). */
export interface MethodDef {
  perms: Perms;
  post: boolean;
  handle(m: MethodContext): Body;
}

export const arg = (m: MethodContext, name: string): string | undefined => param(m.req, name);

/** The caller's NSID for methods that need a signed-in user (the dispatcher has checked perms). */
export function me(m: MethodContext): string {
  if (!m.caller) throw new FlickrError(99, 'Insufficient permissions. Method requires read privileges; none granted.');
  return m.caller.nsid;
}

/** A photo the caller owns, or Flickr's "not found" under the method's own code. */
export function ownPhoto(m: MethodContext, id: string | undefined, code = 1, message = 'Photo not found'): FlickrPhoto {
  const photo = m.fs.photos.get(id ?? '');
  if (!photo || photo.owner !== m.caller?.nsid) throw new FlickrError(code, message);
  return photo;
}

export function ownSet(m: MethodContext, id: string | undefined): FlickrPhotoset {
  const set = m.fs.photosets.get(id ?? '');
  if (!set || set.owner !== m.caller?.nsid) throw new FlickrError(1, 'Photoset not found');
  return set;
}

export const unix = (ms: number): number => Math.floor(ms / 1000);

/** Deletes a photoset and takes it out of its owner's ordering. */
export function deleteSet(fs: FlickrState, set: FlickrPhotoset): void {
  fs.photosets.delete(set.id);
  fs.setOrder.set(set.owner, (fs.setOrder.get(set.owner) ?? []).filter((id) => id !== set.id));
}

/**
 * Takes a photo out of a set. A set cannot exist empty (photosets.create needs a primary photo),
 * so removing its last photo deletes it; a removed primary hands over to the set's first photo.
 * Both are inferred: the brief notes Flickr does not document them.
 */
export function removeFromSet(fs: FlickrState, set: FlickrPhotoset, photoId: string, nowMs: number): void {
  set.photoIds = set.photoIds.filter((id) => id !== photoId);
  set.updatedAt = nowMs;
  if (set.photoIds.length === 0) deleteSet(fs, set);
  else if (set.primary === photoId) set.primary = set.photoIds[0];
}

/** Deletes a photo everywhere: its sets, and its bytes once no other photo shares them. */
export function deletePhoto(fs: FlickrState, photo: FlickrPhoto, nowMs: number): void {
  fs.photos.delete(photo.id);
  for (const set of [...fs.photosets.values()]) if (set.photoIds.includes(photo.id)) removeFromSet(fs, set, photo.id, nowMs);
  if (![...fs.photos.values()].some((p) => p.sha256 === photo.sha256)) fs.blobs.delete(photo.sha256);
}

/** Parses a Flickr date argument: a Unix timestamp or a MySQL datetime (taken as UTC). */
export function parseFlickrDate(value: string): number | undefined {
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/.exec(value.trim());
  if (!m) return undefined;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  return Number.isNaN(ms) ? undefined : ms;
}

/** A time as MySQL writes it, which is how Flickr returns taken dates. */
export function mysqlDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}
