import { createHash } from 'node:crypto';
import exifr from 'exifr';
import type { RequestContext } from '../context';
import type { Reply } from '../http';
import { dimensionsOf as imageSize, sniffMime } from '../media-probe';
import { FlickrError, uploadReply } from './format';
import { mysqlDate, unix } from './methods';
import { param, readFlickrRequest, type FlickrRequest } from './request';
import { FREE_ITEM_LIMIT, flickrOf, hex, MAX_PHOTO_BYTES, MAX_VIDEO_BYTES, permsLevel, type FlickrPhoto, type FlickrState } from './state';
import { parseTags } from './tags';
import { storePhoto } from './tickets';
import { invalidKey, isOAuth, problemReply, rateLimited, takeCall, verifyOAuth } from './verify';

/** Types Flickr takes as photos or videos, by sniffed content, with the original format it reports. */
const FORMATS: Record<string, { format: string; media: 'photo' | 'video' }> = {
  'image/jpeg': { format: 'jpg', media: 'photo' },
  'image/png': { format: 'png', media: 'photo' },
  'image/gif': { format: 'gif', media: 'photo' },
  'image/tiff': { format: 'tif', media: 'photo' },
  'image/heic': { format: 'heic', media: 'photo' },
  'video/mp4': { format: 'mp4', media: 'video' },
  'video/quicktime': { format: 'mov', media: 'video' },
};

/** EXIF DateTimeOriginal (else CreateDate) as Flickr keeps it: local time, no zone, MySQL format. */
async function exifTaken(bytes: Buffer): Promise<string | undefined> {
  let tags: Record<string, unknown> | undefined;
  try {
    tags = (await exifr.parse(bytes, { reviveValues: false, translateValues: false })) as Record<string, unknown> | undefined;
  } catch {
    return undefined;
  }
  const value = tags?.DateTimeOriginal ?? tags?.CreateDate;
  const m = typeof value === 'string' ? /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(value) : null;
  return m && m[1] !== '0000' ? `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}` : undefined;
}

const flag = (value: string | undefined, fallback: boolean): boolean => (value === '0' ? false : value === '1' ? true : fallback);
const level = (value: string | undefined, allowed: string[], fallback: number): number => (value !== undefined && allowed.includes(value) ? Number(value) : fallback);

async function newPhoto(fs: FlickrState, req: FlickrRequest, owner: string, bytes: Buffer, mime: string, nowMs: number): Promise<FlickrPhoto> {
  const kind = FORMATS[mime];
  const taken = kind.media === 'photo' ? await exifTaken(bytes) : undefined;
  const size = kind.media === 'photo' ? imageSize(bytes) : { width: 0, height: 0 };
  return {
    id: fs.newPhotoId(),
    owner,
    secret: hex(5),
    originalSecret: hex(5),
    largeSecret: hex(5),
    server: '65535',
    farm: 66,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    size: bytes.length,
    mime,
    originalFormat: kind.format,
    media: kind.media,
    width: size.width,
    height: size.height,
    title: param(req, 'title') ?? '',
    description: param(req, 'description') ?? '',
    tags: parseTags(param(req, 'tags')),
    isPublic: flag(param(req, 'is_public'), true),
    isFriend: flag(param(req, 'is_friend'), false),
    isFamily: flag(param(req, 'is_family'), false),
    safetyLevel: level(param(req, 'safety_level'), ['1', '2', '3'], 1),
    contentType: level(param(req, 'content_type'), ['1', '2', '3'], 1),
    hidden: level(param(req, 'hidden'), ['1', '2'], 1),
    datePosted: unix(nowMs),
    // misc.dates.html: taken comes from EXIF when present, else it is the upload time.
    dateTaken: taken ?? mysqlDate(nowMs),
    takenGranularity: 0,
    takenUnknown: taken === undefined,
    lastUpdate: unix(nowMs),
  };
}

/**
 * POST https://up.flickr.com/services/upload/ (upload.api.html, upload.async.html): multipart, every
 * field but `photo` signed, answered in the REST XML format — `<photoid>` or, with async=1, `<ticketid>`.
 */
export async function upload(ctx: RequestContext): Promise<Reply> {
  const fs = flickrOf(ctx.state);
  const req = await readFlickrRequest(ctx, 'up.flickr.com', MAX_VIDEO_BYTES + 1024 * 1024);
  const now = ctx.state.clock.now();
  const async = param(req, 'async') === '1';
  const countAs = async ? 'upload.async' : 'upload';
  const fail = (code: number, message: string): Reply => {
    fs.count(countAs, false);
    return uploadReply(undefined, new FlickrError(code, message));
  };

  const oauth = isOAuth(req);
  const key = oauth ? param(req, 'oauth_consumer_key') : param(req, 'api_key');
  if (key !== undefined && !takeCall(fs, key, now)) {
    fs.count(countAs, false);
    return rateLimited();
  }
  if (!oauth) {
    if (!fs.apiKeys.has(key ?? '')) return fail(invalidKey(key).code, invalidKey(key).message);
    return fail(99, 'Insufficient permissions. Method requires write privileges; none granted.');
  }
  const v = verifyOAuth(fs, req, 'upload', now);
  if (!v.ok) {
    if ('problem' in v) {
      fs.count(countAs, false);
      return problemReply(v);
    }
    return fail(v.code, v.message);
  }
  const access = v.access!;
  if (permsLevel(access.perms) < permsLevel('write')) return fail(99, `Insufficient permissions. Method requires write privileges; ${access.perms} granted.`);

  if (req.tooLarge) return fail(8, 'Filesize was too large');
  const file = req.files.get('photo');
  if (!file) return fail(2, 'No photo specified');
  if (file.bytes.length === 0) return fail(4, 'Filesize was zero');
  const mime = sniffMime(file.bytes);
  if (!mime || !FORMATS[mime]) return fail(5, 'Filetype was not recognised');
  if (file.bytes.length > (FORMATS[mime].media === 'video' ? MAX_VIDEO_BYTES : MAX_PHOTO_BYTES)) return fail(8, 'Filesize was too large');
  const account = fs.account(access.nsid);
  const queued = [...fs.tickets.values()].filter((t) => t.nsid === access.nsid && t.status === 'pending').length;
  if (account?.accountType !== 'pro' && fs.itemCount(access.nsid) + queued >= FREE_ITEM_LIMIT) {
    return fail(6, 'Upload limit reached. For more info, visit flickr.com/pro');
  }

  const photo = await newPhoto(fs, req, access.nsid, file.bytes, mime, now);
  if (async) {
    const willFail = fs.faults.failTickets > 0;
    if (willFail) fs.faults.failTickets--;
    const id = fs.newTicketId();
    fs.tickets.set(id, { id, apiKey: v.app.key, nsid: access.nsid, createdAt: now, completeAt: now + fs.ticketDelayMs, status: 'pending', pending: { photo, bytes: file.bytes }, willFail });
    fs.count(countAs, true);
    return uploadReply({ ticketid: { _content: id } });
  }
  storePhoto(fs, photo, file.bytes);
  fs.count(countAs, true);
  return uploadReply({ photoid: { secret: photo.secret, originalsecret: photo.originalSecret, _content: photo.id } });
}
