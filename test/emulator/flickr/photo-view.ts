import type { Json } from './format';
import type { FlickrAccount, FlickrPhoto, FlickrState } from './state';

/** Where the emulator serves photo bytes, standing in for live.staticflickr.com. */
export const STATIC_PREFIX = '/flickr/live';

interface SizeDef {
  suffix: string;
  label: string;
  edge: number;
  square?: boolean;
  /** The size's own secret (sizes h and k and up, misc.urls.html). */
  large?: boolean;
  /** The `url_*` extra that names it. */
  extra: string;
}

/** Flickr's size suffixes (https://www.flickr.com/services/api/misc.urls.html), smallest first. */
export const SIZES: SizeDef[] = [
  { suffix: 's', label: 'Square', edge: 75, square: true, extra: 'sq' },
  { suffix: 'q', label: 'Large Square', edge: 150, square: true, extra: 'q' },
  { suffix: 't', label: 'Thumbnail', edge: 100, extra: 't' },
  { suffix: 'm', label: 'Small', edge: 240, extra: 's' },
  { suffix: 'n', label: 'Small 320', edge: 320, extra: 'n' },
  { suffix: 'w', label: 'Small 400', edge: 400, extra: 'w' },
  { suffix: '', label: 'Medium', edge: 500, extra: 'm' },
  { suffix: 'z', label: 'Medium 640', edge: 640, extra: 'z' },
  { suffix: 'c', label: 'Medium 800', edge: 800, extra: 'c' },
  { suffix: 'b', label: 'Large', edge: 1024, extra: 'l' },
  { suffix: 'h', label: 'Large 1600', edge: 1600, large: true, extra: 'h' },
  { suffix: 'k', label: 'Large 2048', edge: 2048, large: true, extra: 'k' },
];

/** Free accounts display at most 1024 px (people.getLimits maxdisplaypx); pro accounts have no cap. */
export const maxDisplayPx = (account: FlickrAccount | undefined): number => (account?.accountType === 'pro' ? 0 : 1024);

export function canSee(photo: FlickrPhoto, viewer: string | undefined): boolean {
  return photo.owner === viewer || photo.isPublic;
}

/** The owner may fetch the original unless the account has originals switched off; others never here. */
export function canSeeOriginal(fs: FlickrState, photo: FlickrPhoto, viewer: string | undefined): boolean {
  return photo.owner === viewer && fs.account(photo.owner)?.originals !== false;
}

export interface SizeView {
  label: string;
  suffix: string;
  width: number;
  height: number;
  source: string;
  extra: string;
}

function fit(photo: FlickrPhoto, def: SizeDef): { width: number; height: number } {
  if (def.square) return { width: def.edge, height: def.edge };
  const scale = def.edge / Math.max(photo.width, photo.height);
  return { width: Math.max(1, Math.round(photo.width * scale)), height: Math.max(1, Math.round(photo.height * scale)) };
}

export function staticUrl(origin: string, photo: FlickrPhoto, suffix: string): string {
  if (suffix === 'o') return `${origin}${STATIC_PREFIX}/${photo.server}/${photo.id}_${photo.originalSecret}_o.${photo.originalFormat}`;
  const def = SIZES.find((s) => s.suffix === suffix);
  const secret = def?.large ? photo.largeSecret : photo.secret;
  return `${origin}${STATIC_PREFIX}/${photo.server}/${photo.id}_${secret}${suffix ? `_${suffix}` : ''}.jpg`;
}

/** The sizes a viewer is offered: renditions smaller than the photo, capped for free accounts, then Original. */
export function sizesFor(fs: FlickrState, origin: string, photo: FlickrPhoto, viewer: string | undefined): SizeView[] {
  const longest = Math.max(photo.width, photo.height);
  const cap = maxDisplayPx(fs.account(photo.owner));
  const out: SizeView[] = [];
  if (photo.media === 'photo' && longest > 0) {
    for (const def of SIZES) {
      if (!def.square && def.edge >= longest) continue;
      if (cap > 0 && def.edge > cap) continue;
      out.push({ label: def.label, suffix: def.suffix, ...fit(photo, def), source: staticUrl(origin, photo, def.suffix), extra: def.extra });
    }
  }
  if (canSeeOriginal(fs, photo, viewer)) {
    out.push({ label: 'Original', suffix: 'o', width: photo.width, height: photo.height, source: staticUrl(origin, photo, 'o'), extra: 'o' });
  }
  return out;
}

export const photoPage = (photo: FlickrPhoto): string => `https://www.flickr.com/photos/${photo.owner}/${photo.id}/`;

/** The standard photo list entry plus the `extras` the caller asked for. */
export function listEntry(fs: FlickrState, origin: string, photo: FlickrPhoto, viewer: string | undefined, extras: Set<string>): Record<string, Json> {
  const e: Record<string, Json> = {
    id: photo.id,
    secret: photo.secret,
    server: photo.server,
    farm: photo.farm,
    title: photo.title,
    ispublic: photo.isPublic ? 1 : 0,
    isfriend: photo.isFriend ? 1 : 0,
    isfamily: photo.isFamily ? 1 : 0,
  };
  if (extras.has('description')) e.description = { _content: photo.description };
  if (extras.has('license')) e.license = '0';
  if (extras.has('date_upload')) e.dateupload = String(photo.datePosted);
  if (extras.has('last_update')) e.lastupdate = String(photo.lastUpdate);
  if (extras.has('date_taken')) {
    e.datetaken = photo.dateTaken;
    e.datetakengranularity = photo.takenGranularity;
    e.datetakenunknown = photo.takenUnknown ? '1' : '0';
  }
  if (extras.has('owner_name')) e.ownername = fs.account(photo.owner)?.username ?? '';
  if (extras.has('original_format') && canSeeOriginal(fs, photo, viewer)) {
    e.originalsecret = photo.originalSecret;
    e.originalformat = photo.originalFormat;
  }
  if (extras.has('tags')) e.tags = photo.tags.filter((t) => !t.machine).map((t) => t.tag).join(' ');
  if (extras.has('machine_tags')) e.machine_tags = photo.tags.filter((t) => t.machine).map((t) => t.tag).join(' ');
  if (extras.has('o_dims') && canSeeOriginal(fs, photo, viewer)) {
    e.o_width = String(photo.width);
    e.o_height = String(photo.height);
  }
  if (extras.has('views')) e.views = '0';
  if (extras.has('media')) {
    e.media = photo.media;
    e.media_status = 'ready';
  }
  const sizes = sizesFor(fs, origin, photo, viewer);
  for (const s of sizes) {
    if (!extras.has(`url_${s.extra}`)) continue;
    e[`url_${s.extra}`] = s.source;
    e[`height_${s.extra}`] = s.height;
    e[`width_${s.extra}`] = s.width;
  }
  return e;
}

export function parseExtras(value: string | undefined): Set<string> {
  return new Set((value ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean));
}

/** page/per_page as Flickr reads them: defaults when missing or invalid, per_page capped at 500. */
export function paging(page: string | undefined, perPage: string | undefined, defaultPerPage: number): { page: number; perPage: number } {
  const p = Number.parseInt(page ?? '', 10);
  const pp = Number.parseInt(perPage ?? '', 10);
  return { page: p > 0 ? p : 1, perPage: Math.min(500, pp > 0 ? pp : defaultPerPage) };
}
