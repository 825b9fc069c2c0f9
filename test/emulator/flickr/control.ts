import { createHash, randomBytes } from 'node:crypto';
import jpeg from 'jpeg-js';
import type { RequestContext } from '../context';
import { invalidArgument, notFound, type Reply } from '../http';
import type { EmulatorState } from '../state';
import { deletePhoto, deleteSet, mysqlDate, unix } from './methods';
import { finish, settleTickets, storePhoto } from './tickets';
import { flickrOf, hex, type FlickrPhoto, type FlickrState } from './state';
import type { FlickrFaultSpec, FlickrSnapshot } from './client';

/** GET {control}/state → `flickr`: everything a test may assert on. */
export function flickrSnapshot(state: EmulatorState): FlickrSnapshot {
  const fs = flickrOf(state);
  const now = state.clock.now();
  settleTickets(fs, now);
  const iso = (ms: number): string => state.clock.iso(ms);
  const setsOf = (id: string): string[] => [...fs.photosets.values()].filter((s) => s.photoIds.includes(id)).map((s) => s.id);
  return {
    apiKeys: [...fs.apiKeys.values()].map((k) => ({ ...k })),
    accounts: fs.accounts.map((a) => ({ ...a, itemCount: fs.itemCount(a.nsid) })),
    requestTokens: [...fs.requestTokens.values()].map((t) => ({ token: t.token, apiKey: t.apiKey, callback: t.callback, state: t.state, perms: t.perms ?? null, nsid: t.nsid ?? null })),
    tokens: [...fs.accessTokens.values()].map((t) => ({ token: t.token, apiKey: t.apiKey, nsid: t.nsid, perms: t.perms, revoked: t.revoked, createdAt: iso(t.createdAt) })),
    photos: [...fs.photos.values()].map((p) => ({
      id: p.id,
      owner: p.owner,
      sha256: p.sha256,
      size: fs.blobs.get(p.sha256)?.length ?? 0,
      title: p.title,
      description: p.description,
      tags: p.tags.map((t) => t.tag),
      date_taken: p.dateTaken,
      date_taken_unknown: p.takenUnknown,
      date_taken_granularity: p.takenGranularity,
      date_posted: p.datePosted,
      is_public: p.isPublic,
      media: p.media,
      original_format: p.originalFormat,
      width: p.width,
      height: p.height,
      photosetIds: setsOf(p.id),
    })),
    photosets: [...fs.setOrder.entries()].flatMap(([, ids]) => ids.map((id) => fs.photosets.get(id))).filter((s) => s !== undefined).map((s) => ({
      id: s.id,
      owner: s.owner,
      title: s.title,
      description: s.description,
      primary: s.primary,
      photoIds: [...s.photoIds],
    })),
    tickets: [...fs.tickets.values()].map((t) => ({ id: t.id, apiKey: t.apiKey, nsid: t.nsid, status: t.status, photoId: t.photoId ?? null })),
    requestCounts: Object.fromEntries([...fs.counts].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, { ...v }])),
    rateLimit: { perHour: fs.callsPerHour, lastHour: Object.fromEntries([...fs.calls].map(([k, times]) => [k, times.filter((t) => t > now - 3_600_000).length])) },
    ticketDelayMs: fs.ticketDelayMs,
    faults: { signatureInvalid: fs.faults.signatureInvalid, failTickets: fs.faults.failTickets, methodErrors: fs.faults.methodErrors.filter((f) => f.remaining > 0).map((f) => ({ ...f })) },
  };
}

let baseJpeg: Buffer | undefined;

/** A small JPEG made distinct by a random comment segment right after SOI (encoding each one is slow). */
function uniqueJpeg(): Buffer {
  baseJpeg ??= Buffer.from(jpeg.encode({ width: 8, height: 8, data: Buffer.alloc(8 * 8 * 4, 0x80) }, 90).data);
  const comment = Buffer.from(`site upload ${randomBytes(12).toString('hex')}`);
  const segment = Buffer.concat([Buffer.from([0xff, 0xfe, 0, comment.length + 2]), comment]);
  return Buffer.concat([baseJpeg.subarray(0, 2), segment, baseJpeg.subarray(2)]);
}

/** A photo put on Flickr some other way (the website, another app). */
function sitePhoto(fs: FlickrState, owner: string, title: string, nowMs: number): { photo: FlickrPhoto; bytes: Buffer } {
  const bytes = uniqueJpeg();
  const photo: FlickrPhoto = {
    id: fs.newPhotoId(), owner, secret: hex(5), originalSecret: hex(5), largeSecret: hex(5), server: '65535', farm: 66,
    sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, mime: 'image/jpeg', originalFormat: 'jpg', media: 'photo',
    width: 8, height: 8, title, description: '', tags: [], isPublic: true, isFriend: false, isFamily: false, safetyLevel: 1, contentType: 1, hidden: 1,
    datePosted: unix(nowMs), dateTaken: mysqlDate(nowMs), takenGranularity: 0, takenUnknown: true, lastUpdate: unix(nowMs),
  };
  return { photo, bytes };
}

function applyFault(fs: FlickrState, spec: FlickrFaultSpec): unknown {
  const times = (n: unknown): number => (Number.isInteger(n) && (n as number) > 0 ? (n as number) : 1);
  switch (spec.type) {
    case 'signatureInvalid':
      fs.faults.signatureInvalid += times(spec.times);
      return { signatureInvalid: fs.faults.signatureInvalid };
    case 'failTickets':
      fs.faults.failTickets += times(spec.times);
      return { failTickets: fs.faults.failTickets };
    case 'ticketDelay':
      if (!(spec.ms >= 0)) throw invalidArgument('ticketDelay needs ms >= 0');
      fs.ticketDelayMs = spec.ms;
      return { ticketDelayMs: spec.ms };
    case 'rateLimit':
      if (!Number.isInteger(spec.perHour) || spec.perHour < 0) throw invalidArgument('rateLimit needs perHour >= 0');
      fs.callsPerHour = spec.perHour;
      return { perHour: spec.perHour };
    case 'error':
      if (typeof spec.method !== 'string' || !Number.isInteger(spec.code)) throw invalidArgument('error fault needs method and code');
      fs.faults.methodErrors.push({ method: spec.method, code: spec.code, message: spec.message ?? (spec.code === 105 ? 'Service currently unavailable' : spec.code === 106 ? 'Write operation failed' : 'Error'), remaining: times(spec.times) });
      return { scheduled: spec };
    case 'clear':
      fs.faults = { signatureInvalid: 0, failTickets: 0, methodErrors: [] };
      return { cleared: true };
    default:
      throw invalidArgument(`Unknown Flickr fault type ${JSON.stringify((spec as { type?: unknown }).type)}`);
  }
}

/** `{control}/flickr/…`: test-only switches for the Flickr emulator (see README). */
export async function handleFlickrControl(ctx: RequestContext, path: string): Promise<Reply> {
  const fs = flickrOf(ctx.state);
  const now = ctx.state.clock.now();
  const ok = (body: unknown): Reply => ({ status: 200, body });
  if (ctx.method === 'GET' && (path === '' || path === '/' || path === '/state')) return ok(flickrSnapshot(ctx.state));
  if (ctx.method !== 'POST') throw notFound(`No control endpoint ${ctx.method} /flickr${path}`);
  const body = await ctx.json();
  if (path === '/keys') {
    const key = typeof body.key === 'string' ? body.key : hex(16);
    const secret = typeof body.secret === 'string' ? body.secret : hex(8);
    if (!/^[0-9a-f]{32}$/.test(key) || !/^[0-9a-f]{16}$/.test(secret)) throw invalidArgument('Flickr keys are 32 lowercase hex digits and secrets 16');
    fs.apiKeys.set(key, { key, secret, name: typeof body.name === 'string' ? body.name : 'Another app' });
    return ok(fs.apiKeys.get(key));
  }
  if (path === '/accounts') {
    const account = fs.account(typeof body.nsid === 'string' ? body.nsid : fs.accounts[0].nsid);
    if (!account) throw notFound(`No Flickr account ${String(body.nsid)}`);
    if (body.accountType === 'free' || body.accountType === 'pro') account.accountType = body.accountType;
    if (typeof body.originals === 'boolean') account.originals = body.originals;
    return ok({ ...account });
  }
  if (path === '/photos') {
    const owner = fs.account(typeof body.nsid === 'string' ? body.nsid : fs.accounts[0].nsid);
    const count = Number(body.count ?? 1);
    if (!owner || !Number.isInteger(count) || count < 1 || count > 5000) throw invalidArgument('Body must be {"count":1..5000[,"nsid":…,"title":…]}');
    const ids: string[] = [];
    for (let i = 1; i <= count; i++) {
      const { photo, bytes } = sitePhoto(fs, owner.nsid, `${typeof body.title === 'string' ? body.title : 'Uploaded on the website'} ${i}`, now);
      storePhoto(fs, photo, bytes);
      ids.push(photo.id);
    }
    return ok({ photoIds: ids });
  }
  if (path === '/faults') {
    const list = Array.isArray(body.faults) ? (body.faults as FlickrFaultSpec[]) : [body as unknown as FlickrFaultSpec];
    return ok({ applied: list.map((spec) => applyFault(fs, spec)) });
  }
  const m = /^\/(tokens|photosets|photos|tickets)\/([^/]+)\/(revoke|delete|fail)$/.exec(path);
  const id = m ? decodeURIComponent(m[2]) : '';
  if (m?.[1] === 'tokens' && m[3] === 'revoke') {
    const token = fs.accessTokens.get(id);
    if (!token) throw notFound(`No Flickr access token ${id}`);
    token.revoked = true; // the user removed the app under "Apps you're using"
    return ok({ revoked: id });
  }
  if (m?.[1] === 'photosets' && m[3] === 'delete') {
    const set = fs.photosets.get(id);
    if (!set) throw notFound(`No photoset ${id}`);
    deleteSet(fs, set); // deleted on Flickr's website: the photos stay
    return ok({ deleted: id });
  }
  if (m?.[1] === 'photos' && m[3] === 'delete') {
    const photo = fs.photos.get(id);
    if (!photo) throw notFound(`No photo ${id}`);
    deletePhoto(fs, photo, now);
    return ok({ deleted: id });
  }
  if (m?.[1] === 'tickets' && m[3] === 'fail') {
    settleTickets(fs, now);
    const ticket = fs.tickets.get(id);
    if (!ticket || ticket.status !== 'pending') throw notFound(`No pending ticket ${id}`);
    finish(fs, ticket, 'failed');
    return ok({ failed: id });
  }
  throw notFound(`No control endpoint POST /flickr${path}`);
}
