import { bearerOf, liveAccessToken } from './auth';
import { appendFreeBox } from './bmff';
import type { RequestContext } from './context';
import { stripGps } from './exif';
import type { Reply } from './http';
import type { Service } from './routes';
import { SCOPE } from './scopes';
import { MEDIA_FETCH_LOG_MAX } from './baseurls';
import { videoStatus, type AccessTokenRecord, type BaseUrlRecord } from './state';
import { thumbnail, type SizeSpec } from './thumbnails';

function textError(status: number, message: string, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'Content-Type': 'text/html; charset=UTF-8', ...headers }, body: `<html><head><title>Error ${status}</title></head><body><p>${message}</p></body></html>\n` };
}

/** Video types in ISO media boxes: their transcode marker goes into a box, so the file stays valid. */
const ISO_VIDEO = /^video\/(mp4|quicktime|3gpp2?|x-m4v)$/;

/**
 * What `=dv` serves: "a high quality, transcoded version of the original video" (reference §2.6),
 * never the uploaded bytes. The emulator does not re-encode; a marker naming the original makes
 * the bytes (and their sha256) differ from it, as a real transcode's do.
 */
export function transcodedVideo(original: Buffer, sha256: string, mimeType: string): Buffer {
  const marker = `photo-sync emulator transcode of sha256:${sha256}`;
  return ISO_VIDEO.test(mimeType) ? appendFreeBox(original, marker) : Buffer.concat([original, Buffer.from(marker, 'utf8')]);
}

type Rendition = { kind: 'download' } | { kind: 'video' } | { kind: 'size'; spec: SizeSpec };

/** Parses the part after "=": "d", "dv", "w200-h100", "w200-h100-c", "s300". */
function parseParams(params: string | undefined): Rendition | undefined {
  if (params === undefined || params === '') return { kind: 'size', spec: { crop: false } };
  const parts = params.split('-');
  if (parts.length === 1 && parts[0] === 'd') return { kind: 'download' };
  if (parts.length === 1 && parts[0] === 'dv') return { kind: 'video' };
  const spec: SizeSpec = { crop: false };
  for (const p of parts) {
    let m: RegExpExecArray | null;
    if ((m = /^w(\d{1,5})$/.exec(p))) spec.width = Math.max(1, Number(m[1]));
    else if ((m = /^h(\d{1,5})$/.exec(p))) spec.height = Math.max(1, Number(m[1]));
    else if ((m = /^s(\d{1,5})$/.exec(p))) spec.width = spec.height = Math.max(1, Number(m[1]));
    else if (p === 'c') spec.crop = true;
    else if (p === 'd') continue;
    else return undefined;
  }
  return { kind: 'size', spec };
}

/** GET {origin}/lh3/{lr|pr}/{key}={params}: the bytes behind a baseUrl; every fetch of a known address is logged (state.mediaFetches). */
function serve(ctx: RequestContext): Reply {
  const m = /^\/(lr|pr)\/([A-Za-z0-9_-]+)(?:=(.*))?$/.exec(ctx.path);
  if (!m) return textError(404, 'Not Found');
  const record = ctx.state.baseUrls.get(m[2]);
  if (!record || record.kind !== (m[1] === 'lr' ? 'library' : 'picker')) return textError(404, 'Not Found');
  const token = liveAccessToken(ctx.state, bearerOf(ctx.req, ctx.url));
  const reply = serveRecord(ctx, record, token, m[3]);
  const log = ctx.state.mediaFetches;
  log.push({ mediaItemId: record.mediaItemId, kind: record.kind, params: m[3] ?? '', owner: record.userSub, obtainedBy: record.obtainedBy ?? null, bearer: token?.userSub ?? null, status: reply.status, at: ctx.state.clock.now() });
  if (log.length > MEDIA_FETCH_LOG_MAX) log.splice(0, log.length - MEDIA_FETCH_LOG_MAX);
  return reply;
}

function serveRecord(ctx: RequestContext, record: BaseUrlRecord, token: AccessTokenRecord | undefined, params: string | undefined): Reply {
  if (record.expiresAt <= ctx.state.clock.now()) return textError(403, 'Forbidden: this base URL has expired; fetch the media item again for a fresh one.');
  if (record.kind === 'picker') {
    // Picker baseUrls need the user's token with the Picker scope (reference §3).
    if (!token) return textError(401, 'Unauthorized', { 'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/"' });
    if (token.userSub !== record.userSub || !token.scopes.includes(SCOPE.picker)) return textError(403, 'Forbidden');
  } else if (token && token.userSub !== record.userSub) {
    // A library address works without a token (reference §2), but an app's items belong to the user
    // who created them: another user's token does not open them.
    return textError(403, 'Forbidden');
  }
  const item = ctx.state.mediaItems.get(record.mediaItemId);
  const bytes = item ? ctx.state.blobs.get(item.sha256) : undefined;
  if (!item || !bytes) return textError(404, 'Not Found');
  const rendition = parseParams(params);
  if (!rendition) return textError(400, 'Bad Request: unsupported image parameters.');
  // RFC 6266: an ASCII fallback plus the UTF-8 name (Node refuses raw non-ASCII header bytes).
  const asciiName = item.filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const disposition = `inline; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(item.filename)}`;
  if (rendition.kind === 'video') {
    if (!item.video) return textError(404, 'Not Found: =dv applies to videos only.');
    // "Attempting to download a video not in the READY state may fail" (discovery Video.status): here it always does.
    if (videoStatus(item, ctx.state.clock.now()) !== 'READY') return textError(404, 'Not Found: the video is still processing; download it once its status is READY.');
    return { status: 200, headers: { 'Content-Type': item.mimeType, 'Content-Disposition': disposition }, body: transcodedVideo(bytes, item.sha256, item.mimeType) };
  }
  if (rendition.kind === 'download' && !item.video) {
    const out = item.mimeType === 'image/jpeg' ? stripGps(bytes) : bytes;
    return { status: 200, headers: { 'Content-Type': item.mimeType, 'Content-Disposition': disposition }, body: out };
  }
  const spec = rendition.kind === 'size' ? rendition.spec : { crop: false };
  const image = thumbnail(item.sha256, item.video ? Buffer.alloc(0) : bytes, spec, { width: item.width, height: item.height });
  return { status: 200, headers: { 'Content-Type': 'image/jpeg', 'Cache-Control': 'private, max-age=3600' }, body: image };
}

export const mediaService: Service = {
  prefix: '/lh3',
  resolve: (method, path) => {
    if (method !== 'GET' && method !== 'HEAD') return undefined;
    if (path.startsWith('/lr/')) return { op: 'media.library', handle: serve };
    if (path.startsWith('/pr/')) return { op: 'media.picker', handle: serve };
    return undefined;
  },
};
