import type { RequestContext } from '../context';
import { escapeHtml, page } from '../html';
import type { Reply } from '../http';
import { param, readFlickrRequest } from './request';
import { percentEncode } from './signature';
import { flickrOf, hex, newOobVerifier, newToken, PERMS, type FlickrState, type Perms, type RequestTokenRecord } from './state';
import { problemReply, rateLimited, takeCall, verifyOAuth } from './verify';

const FORM = { 'Content-Type': 'text/plain; charset=utf-8' };
const MAX_OAUTH_BYTES = 1024 * 1024;

/** name=value pairs in the given order, RFC 3986-encoded, as Flickr writes its token responses. */
const formBody = (pairs: [string, string][]): string => pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');

function validCallback(callback: string): boolean {
  if (callback === 'oob') return true;
  try {
    const url = new URL(callback);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** GET or POST https://www.flickr.com/services/oauth/request_token (auth.oauth.html step 1). */
export async function requestToken(ctx: RequestContext): Promise<Reply> {
  const fs = flickrOf(ctx.state);
  const now = ctx.state.clock.now();
  const req = await readFlickrRequest(ctx, 'www.flickr.com', MAX_OAUTH_BYTES);
  const key = param(req, 'oauth_consumer_key');
  if (key !== undefined && !takeCall(fs, key, now)) {
    fs.count('oauth.request_token', false);
    return rateLimited();
  }
  const v = verifyOAuth(fs, req, 'request_token', now);
  const callback = param(req, 'oauth_callback') ?? '';
  if (!v.ok || !validCallback(callback)) {
    fs.count('oauth.request_token', false);
    if (v.ok) return problemReply({ problem: 'parameter_rejected', status: 400, extra: '&oauth_parameters_rejected=oauth_callback' });
    return problemReply('problem' in v ? v : { problem: 'consumer_key_unknown', status: 401 });
  }
  const record: RequestTokenRecord = { token: newToken(), secret: hex(8), apiKey: v.app.key, callback, createdAt: now, state: 'pending' };
  fs.requestTokens.set(record.token, record);
  fs.count('oauth.request_token', true);
  return { status: 200, headers: FORM, body: formBody([['oauth_callback_confirmed', 'true'], ['oauth_token', record.token], ['oauth_token_secret', record.secret]]) };
}

/** GET or POST https://www.flickr.com/services/oauth/access_token (step 3): the long-lived token. */
export async function accessToken(ctx: RequestContext): Promise<Reply> {
  const fs = flickrOf(ctx.state);
  const now = ctx.state.clock.now();
  const req = await readFlickrRequest(ctx, 'www.flickr.com', MAX_OAUTH_BYTES);
  const key = param(req, 'oauth_consumer_key');
  if (key !== undefined && !takeCall(fs, key, now)) {
    fs.count('oauth.access_token', false);
    return rateLimited();
  }
  const v = verifyOAuth(fs, req, 'access_token', now);
  if (!v.ok || !v.request) {
    fs.count('oauth.access_token', false);
    return problemReply(!v.ok && 'problem' in v ? v : { problem: 'token_rejected', status: 401 });
  }
  const rt = v.request;
  rt.state = 'used';
  const access = { token: newToken(), secret: hex(8), apiKey: v.app.key, nsid: rt.nsid ?? '', perms: rt.perms ?? 'read', createdAt: now, revoked: false };
  fs.accessTokens.set(access.token, access);
  const account = fs.account(access.nsid);
  fs.count('oauth.access_token', true);
  return {
    status: 200,
    headers: FORM,
    body: formBody([
      ['fullname', account?.fullname ?? ''],
      ['oauth_token', access.token],
      ['oauth_token_secret', access.secret],
      ['user_nsid', access.nsid],
      ['username', account?.username ?? ''],
    ]),
  };
}

const PERMS_TEXT: Record<Perms, string> = {
  none: '',
  read: 'Access your public and private photos and videos, and your account information.',
  write: 'Access your public and private photos and videos, and upload, edit and add to your photos, albums and information.',
  delete: 'Access your public and private photos and videos, upload, edit and add to them, and delete photos and videos.',
};

function oops(message: string): Reply {
  return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: page('Flickr: Oops', `<h1>Oops!</h1><p class="error">${escapeHtml(message)}</p>`) };
}

function html(title: string, body: string): Reply {
  return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }, body: page(title, body) };
}

/** The authorize page's checks, shared by showing it and submitting it. */
function pending(fs: FlickrState, token: string | undefined, perms: string | undefined): RequestTokenRecord | Reply {
  const rt = fs.requestTokens.get(token ?? '');
  if (!rt || rt.state !== 'pending') return oops('Flickr doesn\'t recognise the "oauth_token" this application is trying to use.');
  // Without perms Flickr refuses the request (scribejava#412, omniauth-flickr#1).
  if (!perms || !PERMS.includes(perms as Perms) || perms === 'none') return oops('Flickr doesn\'t recognise the permission set.');
  return rt;
}

/** GET https://www.flickr.com/services/oauth/authorize?oauth_token=…&perms=… (step 2, not signed). */
export function authorizePage(ctx: RequestContext): Reply {
  const fs = flickrOf(ctx.state);
  const token = ctx.url.searchParams.get('oauth_token') ?? undefined;
  const perms = ctx.url.searchParams.get('perms') ?? undefined;
  const rt = pending(fs, token, perms);
  if (!('token' in rt)) {
    fs.count('oauth.authorize', false);
    return rt;
  }
  const app = fs.apiKeys.get(rt.apiKey);
  const accounts = fs.accounts
    .map((a, i) => `<label><input type="radio" name="account" value="${escapeHtml(a.nsid)}"${i === 0 ? ' checked' : ''}> ${escapeHtml(a.fullname)} (${escapeHtml(a.username)})</label><br>`)
    .join('\n');
  fs.count('oauth.authorize', true);
  return html(
    `Flickr: ${app?.name ?? 'App'} wants to link to your account`,
    `<h1>${escapeHtml(app?.name ?? 'An app')} wants to link to your Flickr account</h1>
<p>By authorizing this link, you'll allow ${escapeHtml(app?.name ?? 'this app')} to:</p>
<ul class="scopes"><li>${escapeHtml(PERMS_TEXT[perms as Perms])}</li></ul>
<form method="POST" action="authorize">
<input type="hidden" name="oauth_token" value="${escapeHtml(rt.token)}">
<input type="hidden" name="perms" value="${escapeHtml(perms ?? '')}">
<p class="muted">Signed in as:</p>
${accounts}
<p><button class="primary" type="submit" name="decision" value="allow">OK, I'll authorize it</button>
<button type="submit" name="decision" value="deny">No thanks</button></p>
</form>`,
  );
}

/** The user's choice: Allow redirects to the callback (or shows the code for oob); Deny ends the request token. */
export async function authorizeSubmit(ctx: RequestContext): Promise<Reply> {
  const fs = flickrOf(ctx.state);
  const form = await ctx.form();
  const perms = form.get('perms') ?? undefined;
  const rt = pending(fs, form.get('oauth_token') ?? undefined, perms);
  if (!('token' in rt)) return rt;
  const app = fs.apiKeys.get(rt.apiKey);
  if (form.get('decision') !== 'allow') {
    rt.state = 'denied';
    return html('Flickr: not authorized', `<h1>You didn't authorize ${escapeHtml(app?.name ?? 'the app')}</h1><p>It can't reach your Flickr account. You can close this window.</p>`);
  }
  const account = fs.account(form.get('account') ?? undefined) ?? fs.accounts[0];
  rt.state = 'authorized';
  rt.perms = perms as Perms;
  rt.nsid = account.nsid;
  rt.verifier = rt.callback === 'oob' ? newOobVerifier() : hex(8);
  if (rt.callback === 'oob') {
    return html('Flickr: authorization code', `<h1>You've authorized ${escapeHtml(app?.name ?? 'the app')}</h1><p>Enter this code in the app:</p><p><code id="verifier">${rt.verifier}</code></p>`);
  }
  const location = `${rt.callback}${rt.callback.includes('?') ? '&' : '?'}oauth_token=${encodeURIComponent(rt.token)}&oauth_verifier=${encodeURIComponent(rt.verifier)}`;
  return { status: 302, headers: { Location: location, 'Cache-Control': 'no-store' }, body: '' };
}
