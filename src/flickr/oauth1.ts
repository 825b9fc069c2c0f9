// OAuth 1.0a request signing (RFC 5849, HMAC-SHA1 — the only method Flickr accepts), done by the
// `oauth-1.0a` package; nothing here computes a base string or a signature itself. What this adds is
// what Flickr needs around it: whole-second timestamps, crypto-random nonces, the parameters sent
// exactly as signed (RFC 3986 encoding: a space is %20, never "+", and `+ / =` in the base64
// signature are percent-encoded — seed 004's "on and off" signature_invalid was a "+" read as a space).
import { createHmac, randomBytes } from 'node:crypto';
import OAuth from 'oauth-1.0a';

export interface OAuthPair {
  key: string;
  secret: string;
}

/** The app (API key and secret) and, once signed in, the user's token. */
export interface FlickrCredentials {
  consumer: OAuthPair;
  /** The access token (or the request token while signing in); absent for request_token. */
  token?: OAuthPair;
}

export type Params = Record<string, string>;

/** The clock and nonce source signing uses; tests pin them to reproduce published examples. */
export interface SigningClock {
  now?: () => number;
  nonce?: () => string;
}

function signer(consumer: OAuthPair, clock: SigningClock = {}): OAuth {
  const now = clock.now ?? Date.now;
  const o = new OAuth({
    consumer: { key: consumer.key, secret: consumer.secret },
    signature_method: 'HMAC-SHA1',
    hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
  });
  // Seconds, never milliseconds or fractions (Pomax/node-flickrapi#35; seed 004 sent time.time()).
  o.getTimeStamp = () => Math.floor(now() / 1000);
  o.getNonce = clock.nonce ?? (() => randomBytes(16).toString('hex'));
  return o;
}

const encoder = signer({ key: '-', secret: '-' });

/** RFC 3986 percent-encoding (oauth-1.0a's, which also escapes `! * ' ( )`). */
export function percentEncode(value: string): string {
  return encoder.percentEncode(value);
}

/**
 * `params` plus the oauth_* parameters and oauth_signature for a request that carries `params` in its
 * query (GET) or form body (POST) — or, for uploads, as multipart text fields (the file is never signed).
 */
export function signParams(method: 'GET' | 'POST', url: string, raw: Params, credentials: FlickrCredentials, clock: SigningClock = {}): Params {
  // A lone surrogate (a file name from a WTF-16 file system) cannot be UTF-8 encoded: U+FFFD, as sent and as signed.
  const params = Object.fromEntries(Object.entries(raw).map(([k, v]) => [wellFormed(k), wellFormed(v)]));
  const o = signer(credentials.consumer, clock);
  // oauth-1.0a merges the request data into what it returns; only the oauth_* parameters are taken.
  const auth = o.authorize({ url, method, data: { ...params } }, credentials.token ? { key: credentials.token.key, secret: credentials.token.secret } : undefined) as unknown as Params;
  const oauth = Object.fromEntries(Object.entries(auth).filter(([k]) => k.startsWith('oauth_')).map(([k, v]) => [k, String(v)]));
  return { ...params, ...oauth };
}

/** The parameters as a query string or form body, encoded exactly as they were signed. */
export function encodeParams(params: Params): string {
  return Object.entries(params)
    .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
    .join('&');
}

/** The signature base string oauth-1.0a built for signed parameters (to compare with Flickr's debug_sbs). */
export function baseStringOf(method: 'GET' | 'POST', url: string, signed: Params): string {
  const data = Object.fromEntries(Object.entries(signed).filter(([k]) => k !== 'oauth_signature'));
  const oauthData = Object.fromEntries(Object.entries(data).filter(([k]) => k.startsWith('oauth_'))) as unknown as OAuth.Data;
  const rest = Object.fromEntries(Object.entries(data).filter(([k]) => !k.startsWith('oauth_')));
  return encoder.getBaseString({ url, method, data: rest }, oauthData);
}

/**
 * Where a destination gets the OAuth 1.0a credentials of a signed-in account (in the extension: the
 * photoSync.flickr sessions through VS Code's authentication API; in tests: a fixed pair).
 */
export interface OAuth1CredentialSource {
  /** The app's and the account's credentials; `scopes` are the permissions the request needs. */
  credentials(accountId: string, scopes: readonly string[], signal?: AbortSignal): Promise<FlickrCredentials>;
  /** The service no longer accepts the account's token (revoked): the sign-in is forgotten. */
  rejected?(accountId: string): void;
}

function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}
