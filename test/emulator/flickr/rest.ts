import type { RequestContext } from '../context';
import type { Reply } from '../http';
import { FlickrError, restReply } from './format';
import type { MethodContext, MethodDef } from './methods';
import { PEOPLE_METHODS } from './methods-people';
import { PHOTO_METHODS } from './methods-photos';
import { PHOTOSET_METHODS } from './methods-photosets';
import { param, readFlickrRequest } from './request';
import { flickrOf, permsLevel, type Perms } from './state';
import { invalidKey, isOAuth, problemReply, rateLimited, takeCall, verifyOAuth } from './verify';

export const METHODS: Record<string, MethodDef> = { ...PEOPLE_METHODS, ...PHOTOSET_METHODS, ...PHOTO_METHODS };

const MAX_REST_BYTES = 10 * 1024 * 1024;

/**
 * https://api.flickr.com/services/rest: `method=flickr.x.y`, answered as XML (format=rest, the
 * default), JSONP (format=json) or plain JSON (format=json&nojsoncallback=1). Method errors are
 * HTTP 200 with stat "fail"; OAuth-layer refusals are `oauth_problem=…` with a 4xx status.
 */
export async function rest(ctx: RequestContext): Promise<Reply> {
  const fs = flickrOf(ctx.state);
  const now = ctx.state.clock.now();
  const req = await readFlickrRequest(ctx, 'api.flickr.com', MAX_REST_BYTES);
  const format = param(req, 'format');
  const noJsonCallback = param(req, 'nojsoncallback') === '1';
  const method = param(req, 'method') ?? '';
  const def = METHODS[method];
  const countAs = def ? method : 'rest.unknownMethod';
  const fail = (code: number, message: string): Reply => {
    fs.count(countAs, false);
    return restReply(format, noJsonCallback, undefined, new FlickrError(code, message));
  };

  if (format !== undefined && format !== 'json' && format !== 'rest') return fail(111, `Format "${format}" not found`);
  const oauth = isOAuth(req);
  const key = oauth ? param(req, 'oauth_consumer_key') : param(req, 'api_key');
  if (key !== undefined && !takeCall(fs, key, now)) {
    fs.count(countAs, false);
    return rateLimited();
  }

  let app = fs.apiKeys.get(key ?? '');
  let caller: MethodContext['caller'];
  if (oauth) {
    const v = verifyOAuth(fs, req, 'rest', now);
    if (!v.ok) {
      if ('problem' in v) {
        fs.count(countAs, false);
        return problemReply(v);
      }
      return fail(v.code, v.message);
    }
    app = v.app;
    if (v.access) caller = { nsid: v.access.nsid, perms: v.access.perms };
  } else if (!app) {
    const bad = invalidKey(key);
    return fail(bad.code, bad.message);
  }
  if (!app) return fail(100, 'Invalid API Key (Key not found)');

  if (!def) return fail(112, `Method "${method}" not found`);
  // ept/uploadr.py#5: Flickr refuses setters sent with GET.
  if (def.post && req.method !== 'POST') return fail(116, 'The POST method is now required for all setters');
  const granted: Perms = caller?.perms ?? 'none';
  if (permsLevel(def.perms) > permsLevel(granted)) return fail(99, `Insufficient permissions. Method requires ${def.perms} privileges; ${granted} granted.`);

  const injected = fs.faults.methodErrors.find((f) => f.remaining > 0 && (f.method === method || f.method === '*'));
  if (injected) {
    injected.remaining--;
    return fail(injected.code, injected.message);
  }
  try {
    const body = def.handle({ fs, req, nowMs: now, origin: ctx.origin, app, caller });
    fs.count(countAs, true);
    return restReply(format, noJsonCallback, body);
  } catch (err) {
    if (err instanceof FlickrError) return fail(err.code, err.message);
    throw err;
  }
}
