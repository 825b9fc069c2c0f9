import type { RequestContext } from '../context';
import type { Reply } from '../http';
import { thumbnail } from '../thumbnails';
import { SIZES } from './photo-view';
import { flickrOf } from './state';

function notFound(): Reply {
  return { status: 404, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: '<html><body><h1>404 Not Found</h1></body></html>\n' };
}

/**
 * GET {origin}/flickr/live/{server}/{id}_{secret}[_{suffix}].{ext}, standing in for
 * live.staticflickr.com: no sign-in, the secret in the URL is the access check (misc.urls.html).
 * `_o` serves the stored bytes unchanged (full EXIF); other sizes are JPEG renditions.
 */
export function staticPhoto(ctx: RequestContext): Reply {
  const fs = flickrOf(ctx.state);
  const m = /^\/live\/(\d+)\/(\d+)_([0-9a-f]+)(?:_([a-z0-9]+))?\.([a-z0-9]+)$/.exec(ctx.path);
  const photo = m ? fs.photos.get(m[2]) : undefined;
  if (!m || !photo || photo.server !== m[1]) {
    fs.count('static', false);
    return notFound();
  }
  const [, , , secret, suffix = '', ext] = m;
  const bytes = fs.blobs.get(photo.sha256);
  if (suffix === 'o') {
    if (secret !== photo.originalSecret || ext !== photo.originalFormat || !bytes) {
      fs.count('static', false);
      return notFound();
    }
    fs.count('static', true);
    return { status: 200, headers: { 'Content-Type': photo.mime, 'Cache-Control': 'public, max-age=315360000' }, body: bytes };
  }
  const def = SIZES.find((s) => s.suffix === suffix);
  const expected = def?.large ? photo.largeSecret : photo.secret;
  if (!def || secret !== expected || ext !== 'jpg' || !bytes || photo.media !== 'photo') {
    fs.count('static', false);
    return notFound();
  }
  const spec = def.square ? { width: def.edge, height: def.edge, crop: true } : { width: def.edge, height: def.edge, crop: false };
  fs.count('static', true);
  return { status: 200, headers: { 'Content-Type': 'image/jpeg', 'Cache-Control': 'public, max-age=315360000' }, body: thumbnail(`flickr:${photo.sha256}`, bytes, spec, { width: photo.width, height: photo.height }) };
}
