import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { loopbackServer } from '../sign-in';
import type { FlickrEndpoints } from './service';
import { DEFAULT_FLICKR_API_KEY, DEFAULT_FLICKR_API_SECRET } from './state';

/**
 * A Flickr client for tests that signs with the `oauth-1.0a` package — an implementation
 * independent of the emulator's verifier — and sends parameters where Flickr reads them: the query
 * for GET, a form body for POST, multipart fields (all but the photo) for uploads.
 */

export interface OAuthToken {
  key: string;
  secret: string;
}

export interface TextResponse {
  status: number;
  text: string;
  headers: Headers;
}

/** RFC 3986 encoding for the query and form bodies the client sends (oauth-1.0a's own encoder). */
function encodePairs(o: OAuth, params: Record<string, string>): string {
  return Object.entries(params)
    .map(([k, v]) => `${o.percentEncode(k)}=${o.percentEncode(v)}`)
    .join('&');
}

export class FlickrTestClient {
  token: OAuthToken | undefined;
  /** Shifts oauth_timestamp, like a client whose clock is off (or follows the emulator's advanced clock). */
  clockOffsetMs = 0;

  constructor(
    readonly endpoints: FlickrEndpoints,
    readonly consumer: OAuthToken = { key: DEFAULT_FLICKR_API_KEY, secret: DEFAULT_FLICKR_API_SECRET },
  ) {}

  private oauth(): OAuth {
    const o = new OAuth({
      consumer: this.consumer,
      signature_method: 'HMAC-SHA1',
      hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
    });
    o.getTimeStamp = () => Math.floor((Date.now() + this.clockOffsetMs) / 1000);
    return o;
  }

  /** `data` plus the oauth_* parameters and signature oauth-1.0a computes for them. */
  /** `token` null signs without one (request_token); undefined uses the client's. */
  sign(method: 'GET' | 'POST', url: string, data: Record<string, string>, token: OAuthToken | null | undefined = this.token): Record<string, string> {
    const auth = this.oauth().authorize({ url, method, data: { ...data } }, token ?? undefined);
    return { ...data, ...(auth as unknown as Record<string, string>) };
  }

  async get(url: string, data: Record<string, string>, token: OAuthToken | null | undefined = this.token): Promise<TextResponse> {
    const signed = this.sign('GET', url, data, token);
    const res = await fetch(`${url}?${encodePairs(this.oauth(), signed)}`, { redirect: 'manual' });
    return { status: res.status, text: await res.text(), headers: res.headers };
  }

  async post(url: string, data: Record<string, string>, token: OAuthToken | null | undefined = this.token): Promise<TextResponse> {
    const signed = this.sign('POST', url, data, token);
    const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: encodePairs(this.oauth(), signed) });
    return { status: res.status, text: await res.text(), headers: res.headers };
  }

  /** A REST call with format=json&nojsoncallback=1; `stat` is in the body, not the HTTP status. */
  async rest<T = Record<string, unknown>>(method: string, args: Record<string, string> = {}, http: 'GET' | 'POST' = 'GET'): Promise<{ status: number; body: T; text: string }> {
    const data = { method, format: 'json', nojsoncallback: '1', ...args };
    const res = http === 'GET' ? await this.get(this.endpoints.rest, data) : await this.post(this.endpoints.rest, data);
    let body: unknown = {};
    try {
      body = JSON.parse(res.text);
    } catch {
      body = {};
    }
    return { status: res.status, body: body as T, text: res.text };
  }

  /** Multipart upload: the fields are signed, the photo part is appended after signing (as flickr-sdk does). */
  async upload(bytes: Uint8Array, filename: string, fields: Record<string, string> = {}, opts: { signPhoto?: boolean } = {}): Promise<TextResponse> {
    const url = this.endpoints.upload;
    const signed = this.sign('POST', url, opts.signPhoto ? { ...fields, photo: filename } : fields);
    const form = new FormData();
    for (const [k, v] of Object.entries(signed)) if (k !== 'photo') form.append(k, v);
    form.append('photo', new Blob([new Uint8Array(bytes)], { type: 'application/octet-stream' }), filename);
    const res = await fetch(url, { method: 'POST', body: form });
    return { status: res.status, text: await res.text(), headers: res.headers };
  }

  /** Step 1: a request token for `callback` (a loopback URL or "oob"). */
  async requestToken(callback: string): Promise<OAuthToken> {
    const res = await this.get(this.endpoints.requestToken, { oauth_callback: callback }, null);
    if (res.status !== 200) throw new Error(`request_token answered ${res.status}: ${res.text}`);
    const p = new URLSearchParams(res.text);
    return { key: p.get('oauth_token') ?? '', secret: p.get('oauth_token_secret') ?? '' };
  }

  /** Step 3: trades the authorized request token and verifier for the long-lived token. */
  async accessToken(request: OAuthToken, verifier: string): Promise<TextResponse> {
    return this.get(this.endpoints.accessToken, { oauth_verifier: verifier }, request);
  }

  authorizeUrl(request: OAuthToken, perms: string): string {
    return `${this.endpoints.authorize}?oauth_token=${encodeURIComponent(request.key)}&perms=${perms}`;
  }
}

export type AuthorizeOutcome = { kind: 'redirected'; location: string } | { kind: 'oob'; verifier: string } | { kind: 'denied'; html: string };

/** What the user does in the browser: open the authorize page, press a button, follow the redirect. */
export async function completeFlickrAuthorize(url: string, opts: { deny?: boolean; nsid?: string; /** false: stop at the redirect, as a browser that cannot reach the callback. */ follow?: boolean } = {}): Promise<AuthorizeOutcome> {
  const pageRes = await fetch(url);
  const html = await pageRes.text();
  const token = /name="oauth_token" value="([^"]+)"/.exec(html)?.[1];
  const perms = /name="perms" value="([^"]+)"/.exec(html)?.[1];
  if (!token || !perms) throw new Error(`Authorize page shows no form: ${/<p class="error">([^<]*)/.exec(html)?.[1] ?? html.slice(0, 200)}`);
  const nsid = opts.nsid ?? /name="account" value="([^"]+)" checked/.exec(html)?.[1] ?? '';
  const body = new URLSearchParams({ oauth_token: token, perms, account: nsid, decision: opts.deny ? 'deny' : 'allow' });
  const submit = await fetch(new URL('authorize', url), { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body, redirect: 'manual' });
  const text = await submit.text();
  const location = submit.headers.get('location');
  if (submit.status === 302 && location) {
    if (opts.follow !== false) await (await fetch(location)).arrayBuffer();
    return { kind: 'redirected', location };
  }
  const code = /<code id="verifier">([^<]+)<\/code>/.exec(text)?.[1];
  if (code) return { kind: 'oob', verifier: code };
  return { kind: 'denied', html: text };
}

/** The whole loopback sign-in, as a desktop app does it; returns the access token fields Flickr sent. */
export async function signInFlickr(client: FlickrTestClient, perms: 'read' | 'write' | 'delete' = 'delete', nsid?: string): Promise<URLSearchParams> {
  const loop = await loopbackServer();
  try {
    const request = await client.requestToken(`${loop.redirectUri}/cb`);
    const outcome = await completeFlickrAuthorize(client.authorizeUrl(request, perms), { nsid });
    if (outcome.kind !== 'redirected') throw new Error(`sign-in did not redirect: ${outcome.kind}`);
    const callback = (await loop.result).params;
    const res = await client.accessToken(request, callback.get('oauth_verifier') ?? '');
    if (res.status !== 200) throw new Error(`access_token answered ${res.status}: ${res.text}`);
    const fields = new URLSearchParams(res.text);
    client.token = { key: fields.get('oauth_token') ?? '', secret: fields.get('oauth_token_secret') ?? '' };
    return fields;
  } finally {
    loop.close();
  }
}
