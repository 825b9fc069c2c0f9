import type { Reply } from '../http';
import type { FlickrRequest } from './request';
import { hmacSha1, percentEncode, signatureBaseString, signatureMatches } from './signature';
import { TIMESTAMP_WINDOW_S, type AccessTokenRecord, type ApiKeyRecord, type FlickrState, type RequestTokenRecord } from './state';

/** Which Flickr front door a request came through; each reports failures its own way. */
export type Door = 'request_token' | 'access_token' | 'rest' | 'upload';

export type Verified =
  | { ok: true; app: ApiKeyRecord; access?: AccessTokenRecord; request?: RequestTokenRecord }
  /** OAuth-layer refusal: `oauth_problem=…` as a form-encoded body (every door, RFC 5849 §3.2 statuses). */
  | { ok: false; problem: string; status: number; extra?: string }
  /** Flickr API error, answered in the door's own format (REST JSON/XML, upload XML). */
  | { ok: false; code: number; message: string };

const REQUIRED = ['oauth_consumer_key', 'oauth_signature_method', 'oauth_signature', 'oauth_timestamp', 'oauth_nonce'];
const DOOR_REQUIRED: Record<Door, string[]> = {
  request_token: ['oauth_callback'],
  access_token: ['oauth_token', 'oauth_verifier'],
  rest: [],
  // sybrenstuvel/flickrapi#46: an upload without oauth_token is refused as parameter_absent.
  upload: ['oauth_token'],
};

/** Flickr's wording for a key it cannot use. */
export function invalidKey(key: string | undefined): { ok: false; code: number; message: string } {
  const format = key !== undefined && /^[0-9a-f]{32}$/.test(key);
  return { ok: false, code: 100, message: `Invalid API Key (${format ? 'Key not found' : 'Key has invalid format'})` };
}

/** `oauth_problem=…` replies; debug_sbs is appended raw, as Flickr does (sybrenstuvel/flickrapi#147). */
export function problemReply(v: { problem: string; status: number; extra?: string }): Reply {
  const body = `oauth_problem=${v.problem}${v.extra ?? ''}`;
  return { status: v.status, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body };
}

/** True when the request carries OAuth parameters, so the OAuth layer judges it. */
export function isOAuth(req: FlickrRequest): boolean {
  return req.params.some(([k]) => k.startsWith('oauth_'));
}

/**
 * The OAuth 1.0a checks, in this order: required parameters, signature method and version, the
 * consumer key, the token, the signature (over the URL as requested or the Flickr URL it stands
 * for), the timestamp window, then nonce reuse. A refused request never reaches the method.
 */
export function verifyOAuth(fs: FlickrState, req: FlickrRequest, door: Door, nowMs: number): Verified {
  const oauth = new Map<string, string>();
  const repeated: string[] = [];
  for (const [k, v] of req.params) {
    if (!k.startsWith('oauth_')) continue;
    if (oauth.has(k)) repeated.push(k);
    oauth.set(k, v);
  }
  const absent = [...REQUIRED, ...DOOR_REQUIRED[door]].filter((k) => !oauth.has(k));
  if (absent.length > 0) return { ok: false, problem: 'parameter_absent', status: 400, extra: `&oauth_parameters_absent=${percentEncode(absent.join('&'))}` };
  if (repeated.length > 0) return { ok: false, problem: 'parameter_rejected', status: 400, extra: `&oauth_parameters_rejected=${percentEncode(repeated.join('&'))}` };
  if (oauth.get('oauth_signature_method') !== 'HMAC-SHA1') return { ok: false, problem: 'signature_method_rejected', status: 400 };
  if (oauth.has('oauth_version') && oauth.get('oauth_version') !== '1.0') return { ok: false, problem: 'version_rejected', status: 400 };

  const key = oauth.get('oauth_consumer_key') ?? '';
  const app = fs.apiKeys.get(key);
  if (!app) return door === 'rest' || door === 'upload' ? invalidKey(key) : { ok: false, problem: 'consumer_key_unknown', status: 401 };

  let tokenSecret = '';
  let access: AccessTokenRecord | undefined;
  let request: RequestTokenRecord | undefined;
  const token = oauth.get('oauth_token');
  if (door === 'access_token') {
    request = fs.requestTokens.get(token ?? '');
    if (!request || request.apiKey !== key || request.state !== 'authorized') return { ok: false, problem: 'token_rejected', status: 401 };
    tokenSecret = request.secret;
  } else if ((door === 'rest' || door === 'upload') && token !== undefined) {
    access = fs.accessTokens.get(token);
    if (!access || access.revoked || access.apiKey !== key) return { ok: false, code: 98, message: 'Invalid auth token' };
    tokenSecret = access.secret;
  }

  const signed = req.params.filter(([k]) => k !== 'oauth_signature');
  const sent = oauth.get('oauth_signature') ?? '';
  const bases = req.baseUris.map((uri) => signatureBaseString(req.method, uri, signed));
  const forced = fs.faults.signatureInvalid > 0;
  if (forced) fs.faults.signatureInvalid--;
  if (forced || !bases.some((base) => signatureMatches(sent, hmacSha1(base, app.secret, tokenSecret)))) {
    return { ok: false, problem: 'signature_invalid', status: 401, extra: `&debug_sbs=${bases[0]}` };
  }

  // Seconds only; a fractional part is ignored as PHP's intval would, milliseconds fall outside the window.
  const stamp = oauth.get('oauth_timestamp') ?? '';
  const seconds = /^\d+(\.\d+)?$/.test(stamp) ? Math.floor(Number(stamp)) : NaN;
  if (!(Math.abs(nowMs / 1000 - seconds) <= TIMESTAMP_WINDOW_S)) return { ok: false, problem: 'timestamp_refused', status: 401 };

  for (const [k, until] of fs.nonces) if (until < nowMs) fs.nonces.delete(k);
  const nonceKey = `${key} ${token ?? ''} ${stamp} ${oauth.get('oauth_nonce')}`;
  if (fs.nonces.has(nonceKey)) return { ok: false, problem: 'nonce_used', status: 401 };
  fs.nonces.set(nonceKey, seconds * 1000 + 2 * TIMESTAMP_WINDOW_S * 1000);

  if (door === 'access_token' && request && oauth.get('oauth_verifier') !== request.verifier) return { ok: false, problem: 'verifier_invalid', status: 401 };
  return { ok: true, app, access, request };
}

/** Counts a call against its key's hourly budget; false once the key is over it. */
export function takeCall(fs: FlickrState, key: string, nowMs: number): boolean {
  if (!fs.apiKeys.has(key)) return true;
  const recent = (fs.calls.get(key) ?? []).filter((t) => t > nowMs - 3_600_000);
  recent.push(nowMs);
  fs.calls.set(key, recent);
  return recent.length <= fs.callsPerHour;
}

/** Flickr's answer past the limit: HAProxy's stock 429 page (117 bytes; sybrenstuvel/flickrapi#135). */
export function rateLimited(): Reply {
  const body = '<html><body><h1>429 Too Many Requests</h1>\nYou have sent too many requests in a given amount of time.\n</body></html>\n';
  return { status: 429, headers: { 'Content-Type': 'text/html', 'Cache-Control': 'no-cache' }, body };
}
