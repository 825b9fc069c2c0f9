import { randomUUID } from 'node:crypto';
import type { RequestContext } from './context';
import { escapeHtml, page } from './html';
import { NO_STORE, type Reply } from './http';
import { newAuthCode } from './ids';
import { KNOWN_SCOPES, normaliseScope, SCOPE } from './scopes';
import { grantKey, type OAuthClientRecord } from './state';

const AUTH_CODE_MS = 10 * 60 * 1000;

const SCOPE_TEXT: Record<string, string> = {
  openid: 'Associate you with your personal info on Google',
  email: 'See your primary Google Account email address',
  profile: 'See your personal info, including any personal info you\'ve made publicly available',
  [SCOPE.appendOnly]: 'Add to your Google Photos library',
  [SCOPE.readAppCreated]: 'View and download photos and videos this app uploaded to Google Photos',
  [SCOPE.editAppCreated]: 'Edit photos, videos, and albums this app created in Google Photos',
  [SCOPE.picker]: 'View and download photos and videos you select in Google Photos',
  [SCOPE.driveFile]: 'See, edit, create, and delete only the specific Google Drive files you use with this app',
  [SCOPE.library]: 'See, upload, and organize items in your Google Photos library',
  [SCOPE.libraryReadonly]: 'View your Google Photos library',
  [SCOPE.librarySharing]: 'Manage and add to shared albums on your behalf',
};

function errorPage(status: number, error: string, description: string): Reply {
  const html = page(
    `Error ${status}: ${error}`,
    `<h1>Access blocked: This app's request is invalid</h1>
<p class="error"><strong>Error ${status}: ${escapeHtml(error)}</strong></p><p>${escapeHtml(description)}</p>`,
  );
  return { status, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: html };
}

/** Desktop ("installed") clients may use any loopback port; web clients only their exact registered URIs. */
function redirectAllowed(client: OAuthClientRecord, redirectUri: string): boolean {
  if (client.type === 'web') return client.redirectUris.includes(redirectUri);
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    return false;
  }
  return url.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname) && url.username === '' && url.hash === '';
}


/**
 * VS Code for the web sends every 127.0.0.1 URL an extension opens through code-server's
 * /proxy/<port>/ route, which collapses "//" anywhere in the URL — query included — so
 * "https://www.googleapis.com/…" arrives as "https:/www.googleapis.com/…". Google's consent page is
 * never on 127.0.0.1, so only the emulator meets this; it repairs the URLs instead of rejecting them.
 */
function repairCollapsedUrls(params: URLSearchParams): URLSearchParams {
  const repaired = new URLSearchParams();
  for (const [key, value] of params) repaired.append(key, value.replace(/\b(https?):\/(?!\/)/g, '$1://'));
  return repaired;
}

/** GET {authorize}: validates the request as Google does, then shows the consent screen. */
export function authorizePage(ctx: RequestContext): Reply {
  const q = repairCollapsedUrls(ctx.url.searchParams);
  const clientId = q.get('client_id');
  if (!clientId) return errorPage(400, 'invalid_request', 'Missing required parameter: client_id');
  const client = ctx.state.clients.get(clientId);
  if (!client) return errorPage(401, 'invalid_client', 'The OAuth client was not found.');
  const redirectUri = q.get('redirect_uri');
  if (!redirectUri) return errorPage(400, 'invalid_request', 'Missing required parameter: redirect_uri');
  if (/^urn:ietf:wg:oauth:2\.0:oob|^oob$/.test(redirectUri)) {
    return errorPage(400, 'invalid_request', 'The out-of-band (OOB) flow has been blocked in order to keep users secure. Follow the Out-Of-Band (OOB) flow migration guide linked in the developer docs below to migrate your app to an alternative method.');
  }
  if (!redirectAllowed(client, redirectUri)) {
    return errorPage(400, 'redirect_uri_mismatch', `You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy. If you're the app developer, register the redirect URI in the Google Cloud Console. Request details: redirect_uri=${redirectUri}`);
  }
  const responseType = q.get('response_type');
  if (!responseType) return errorPage(400, 'invalid_request', 'Required parameter is missing: response_type');
  if (responseType !== 'code') return errorPage(400, 'unsupported_response_type', `Unsupported response type: ${responseType}`);
  const scopeParam = q.get('scope');
  if (!scopeParam) return errorPage(400, 'invalid_request', 'Missing required parameter: scope');
  const scopes = [...new Set(scopeParam.split(/[\s+]+/).filter(Boolean).map(normaliseScope))];
  const invalid = scopes.filter((s) => !KNOWN_SCOPES.has(s));
  if (invalid.length > 0) return errorPage(400, 'invalid_scope', `Some requested scopes were invalid. {invalid=[${invalid.join(', ')}]}`);
  const method = q.get('code_challenge_method');
  const challenge = q.get('code_challenge');
  if (method && !challenge) return errorPage(400, 'invalid_request', 'Missing code_challenge when code_challenge_method is specified.');
  if (method && method !== 'S256' && method !== 'plain') return errorPage(400, 'invalid_request', `Invalid code_challenge_method: ${method}`);
  if (challenge && !/^[A-Za-z0-9._~-]{43,128}$/.test(challenge)) return errorPage(400, 'invalid_request', 'Invalid code_challenge.');

  const consentId = randomUUID();
  const pending: Record<string, string> = { clientId, redirectUri, scopes: scopes.join(' ') };
  for (const key of ['state', 'access_type', 'include_granted_scopes', 'prompt', 'login_hint']) {
    const v = q.get(key);
    if (v !== null) pending[key] = v;
  }
  if (challenge) {
    pending.code_challenge = challenge;
    pending.code_challenge_method = method ?? 'plain';
  }
  ctx.state.consentRequests.set(consentId, pending);

  const hint = q.get('login_hint');
  const chosen = (hint && ctx.state.userByEmail(hint)) || ctx.state.users[0];
  const accounts = ctx.state.users
    .map((u) => `<label><input type="radio" name="account" value="${escapeHtml(u.email)}"${u === chosen ? ' checked' : ''}> ${escapeHtml(u.name)} &lt;${escapeHtml(u.email)}&gt;</label><br>`)
    .join('\n');
  const list = scopes.map((s) => `<li><span class="scope-text">${escapeHtml(SCOPE_TEXT[s] ?? s)}</span> <span class="muted">(${escapeHtml(s)})</span></li>`).join('\n');
  // Relative, so the form still works when the page is reached through a proxy path (code-server
  // routes 127.0.0.1 URLs opened by an extension through /proxy/<port>/).
  const action = escapeHtml(ctx.url.pathname.split('/').pop() ?? '');
  const html = page(
    'Sign in - Google Accounts',
    `<h1>Photo Sync wants access to your Google Account</h1>
<p class="muted">Google emulator · OAuth client ${escapeHtml(clientId)} · project ${escapeHtml(client.projectId)}</p>
<form method="POST" action="${action}" id="consent">
<input type="hidden" name="consent_id" value="${consentId}">
<fieldset><legend>Choose an account</legend>
${accounts}
</fieldset>
<p>This will allow Photo Sync to:</p>
<ul class="scopes">
${list}
</ul>
<p><button type="submit" name="decision" value="deny" id="deny">Deny</button>
<button type="submit" name="decision" value="allow" id="allow" class="primary">Allow</button></p>
</form>`,
  );
  return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8', 'X-Frame-Options': 'DENY', ...NO_STORE }, body: html };
}

/** POST {authorize}: the consent form was submitted; redirect to the app's loopback server. */
export async function submitConsent(ctx: RequestContext): Promise<Reply> {
  const form = await ctx.form();
  const pending = ctx.state.consentRequests.get(form.get('consent_id') ?? '');
  if (!pending) return errorPage(400, 'invalid_request', 'This consent screen has expired or was already used. Start the sign-in again.');
  ctx.state.consentRequests.delete(form.get('consent_id') ?? '');
  const target = new URL(pending.redirectUri);
  const addState = (): void => {
    if (pending.state !== undefined) target.searchParams.set('state', pending.state);
  };
  if (form.get('decision') !== 'allow') {
    target.searchParams.set('error', 'access_denied');
    addState();
    return { status: 302, headers: { Location: target.toString() }, body: '' };
  }
  const user = ctx.state.userByEmail(form.get('account') ?? '') ?? ctx.state.users[0];
  const requested = pending.scopes.split(' ');
  const key = grantKey(user.sub, pending.clientId);
  const previous = ctx.state.grants.get(key) ?? new Set<string>();
  const granted = pending.include_granted_scopes === 'true' ? [...new Set([...previous, ...requested])] : requested;
  ctx.state.grants.set(key, new Set([...previous, ...requested]));
  const code = newAuthCode();
  ctx.state.authCodes.set(code, {
    code,
    clientId: pending.clientId,
    userSub: user.sub,
    redirectUri: pending.redirectUri,
    scopes: granted,
    codeChallenge: pending.code_challenge,
    codeChallengeMethod: pending.code_challenge_method as 'S256' | 'plain' | undefined,
    expiresAt: ctx.state.clock.now() + AUTH_CODE_MS,
    used: false,
    offline: pending.access_type === 'offline',
  });
  addState();
  target.searchParams.set('iss', 'https://accounts.google.com');
  target.searchParams.set('code', code);
  target.searchParams.set('scope', granted.join(' '));
  target.searchParams.set('authuser', String(ctx.state.users.indexOf(user)));
  target.searchParams.set('prompt', 'consent');
  return { status: 302, headers: { Location: target.toString() }, body: '' };
}
