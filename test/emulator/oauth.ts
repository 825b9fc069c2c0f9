import { createHash, generateKeyPairSync, createSign, randomUUID } from 'node:crypto';
import type { RequestContext } from './context';
import { NO_STORE, RawError, type Reply } from './http';
import { newAccessToken, newRefreshToken } from './ids';
import { normaliseScope, onlyIdentityScopes, SCOPE } from './scopes';
import { grantKey, type AccessTokenRecord, type EmulatorState, type OAuthClientRecord, type RefreshTokenRecord, type TestUser } from './state';

const ACCESS_TOKEN_SECONDS = 3599;
const TESTING_REFRESH_MS = 7 * 24 * 60 * 60 * 1000;

const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const KEY_ID = createHash('sha1').update(randomUUID()).digest('hex');

function oauthError(status: number, error: string, description: string): RawError {
  return new RawError(status, { error, error_description: description }, NO_STORE);
}

async function tokenParams(ctx: RequestContext): Promise<URLSearchParams> {
  const type = ctx.header('content-type') ?? '';
  if (/^application\/json\b/i.test(type)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse((await ctx.bytes(1024 * 1024)).toString('utf8') || '{}');
    } catch {
      throw oauthError(400, 'invalid_request', 'Invalid JSON payload received.');
    }
    const params = new URLSearchParams();
    if (typeof parsed === 'object' && parsed !== null) {
      for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string' || typeof v === 'number') params.set(k, String(v));
    }
    return params;
  }
  const params = await ctx.form();
  for (const [k, v] of ctx.url.searchParams) if (!params.has(k)) params.set(k, v);
  return params;
}

/** Client authentication by form fields or HTTP Basic, with Google's answers. */
function authenticateClient(ctx: RequestContext, params: URLSearchParams): OAuthClientRecord {
  let clientId = params.get('client_id');
  let secret = params.get('client_secret');
  const basic = /^Basic\s+(\S+)$/i.exec(ctx.header('authorization') ?? '');
  if (basic) {
    const [id, ...rest] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    clientId ??= decodeURIComponent(id);
    secret ??= decodeURIComponent(rest.join(':'));
  }
  if (!clientId) throw oauthError(400, 'invalid_request', 'Could not determine client ID from request.');
  const client = ctx.state.clients.get(clientId);
  if (!client) throw oauthError(401, 'invalid_client', 'The OAuth client was not found.');
  if (!secret) throw oauthError(400, 'invalid_request', 'client_secret is missing.');
  if (secret !== client.clientSecret) throw oauthError(401, 'invalid_client', 'Unauthorized');
  return client;
}

function idToken(ctx: RequestContext, client: OAuthClientRecord, user: TestUser, scopes: string[], accessToken: string): string {
  const now = Math.floor(ctx.state.clock.now() / 1000);
  const atHash = createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url');
  const claims: Record<string, unknown> = { iss: 'https://accounts.google.com', azp: client.clientId, aud: client.clientId, sub: user.sub, at_hash: atHash, iat: now, exp: now + 3600 };
  if (scopes.includes('email')) Object.assign(claims, { email: user.email, email_verified: true });
  if (scopes.includes('profile')) Object.assign(claims, { name: user.name, given_name: user.givenName, family_name: user.familyName });
  const head = Buffer.from(JSON.stringify({ alg: 'RS256', kid: KEY_ID, typ: 'JWT' })).toString('base64url');
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = createSign('RSA-SHA256').update(`${head}.${body}`).sign(signingKey).toString('base64url');
  return `${head}.${body}.${signature}`;
}

function issueAccessToken(ctx: RequestContext, client: OAuthClientRecord, userSub: string, scopes: string[], refreshToken?: string): AccessTokenRecord {
  const rec: AccessTokenRecord = {
    token: newAccessToken(),
    clientId: client.clientId,
    userSub,
    scopes,
    expiresAt: ctx.state.clock.now() + ACCESS_TOKEN_SECONDS * 1000,
    refreshToken,
    revoked: false,
  };
  ctx.state.accessTokens.set(rec.token, rec);
  return rec;
}

function tokenResponse(ctx: RequestContext, client: OAuthClientRecord, access: AccessTokenRecord, refresh?: RefreshTokenRecord): Reply {
  const user = ctx.state.user(access.userSub);
  const body: Record<string, unknown> = { access_token: access.token, expires_in: ACCESS_TOKEN_SECONDS };
  if (refresh) {
    body.refresh_token = refresh.token;
    if (refresh.expiresAt !== undefined) body.refresh_token_expires_in = Math.round((refresh.expiresAt - ctx.state.clock.now()) / 1000);
  }
  body.scope = access.scopes.map((s) => (s === 'email' ? SCOPE.userinfoEmail : s === 'profile' ? SCOPE.userinfoProfile : s)).join(' ');
  body.token_type = 'Bearer';
  if (user && access.scopes.includes('openid')) body.id_token = idToken(ctx, client, user, access.scopes, access.token);
  return { status: 200, headers: { ...NO_STORE }, body };
}

/** POST {token}: authorization_code and refresh_token grants. */
export async function token(ctx: RequestContext): Promise<Reply> {
  if (ctx.method !== 'POST') throw oauthError(405, 'invalid_request', 'Method not allowed. Use POST.');
  const params = await tokenParams(ctx);
  const grantType = params.get('grant_type');
  if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
    throw oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grantType ?? ''}`);
  }
  const client = authenticateClient(ctx, params);
  const now = ctx.state.clock.now();
  if (grantType === 'authorization_code') {
    const code = params.get('code');
    if (!code) throw oauthError(400, 'invalid_request', 'Missing required parameter: code');
    const rec = ctx.state.authCodes.get(code);
    if (!rec) throw oauthError(400, 'invalid_grant', code.startsWith('4/') ? 'Bad Request' : 'Malformed auth code.');
    if (rec.used || rec.expiresAt <= now || rec.clientId !== client.clientId) throw oauthError(400, 'invalid_grant', 'Bad Request');
    const redirectUri = params.get('redirect_uri');
    if (!redirectUri) throw oauthError(400, 'invalid_request', 'Missing required parameter: redirect_uri');
    if (redirectUri !== rec.redirectUri) throw oauthError(400, 'redirect_uri_mismatch', 'Bad Request');
    if (rec.codeChallenge) {
      const verifier = params.get('code_verifier');
      if (!verifier) throw oauthError(400, 'invalid_grant', 'Missing code verifier.');
      const computed = rec.codeChallengeMethod === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
      if (computed !== rec.codeChallenge) throw oauthError(400, 'invalid_grant', 'Invalid code verifier.');
    }
    rec.used = true;
    let refresh: RefreshTokenRecord | undefined;
    if (rec.offline) {
      refresh = {
        token: newRefreshToken(),
        clientId: client.clientId,
        userSub: rec.userSub,
        scopes: rec.scopes,
        issuedAt: now,
        expiresAt: ctx.state.publishingStatus === 'testing' && !onlyIdentityScopes(rec.scopes) ? now + TESTING_REFRESH_MS : undefined,
        revoked: false,
      };
      ctx.state.refreshTokens.set(refresh.token, refresh);
    }
    const access = issueAccessToken(ctx, client, rec.userSub, rec.scopes, refresh?.token);
    return tokenResponse(ctx, client, access, refresh);
  }
  const refreshToken = params.get('refresh_token');
  if (!refreshToken) throw oauthError(400, 'invalid_request', 'Missing required parameter: refresh_token');
  const refresh = ctx.state.refreshTokens.get(refreshToken);
  if (!refresh || refresh.revoked || (refresh.expiresAt !== undefined && refresh.expiresAt <= now)) {
    throw oauthError(400, 'invalid_grant', 'Token has been expired or revoked.');
  }
  if (refresh.clientId !== client.clientId) throw oauthError(401, 'unauthorized_client', 'Unauthorized');
  let scopes = refresh.scopes;
  const narrowed = params.get('scope');
  if (narrowed) {
    const wanted = narrowed.split(/\s+/).filter(Boolean).map(normaliseScope);
    const extra = wanted.filter((s) => !refresh.scopes.includes(s));
    if (extra.length > 0) throw oauthError(400, 'invalid_scope', 'The requested scope is invalid, unknown, malformed, or exceeds the scope granted by the resource owner.');
    scopes = wanted;
  }
  const access = issueAccessToken(ctx, client, refresh.userSub, scopes, refresh.token);
  return tokenResponse(ctx, client, access);
}

/** POST {revoke}?token= (or form body): revoking either token revokes the whole grant, as Google does. */
export async function revoke(ctx: RequestContext): Promise<Reply> {
  const params = ctx.method === 'POST' ? await ctx.form() : new URLSearchParams();
  const tokenValue = params.get('token') ?? ctx.url.searchParams.get('token');
  if (!tokenValue) throw oauthError(400, 'invalid_request', 'Bad Request');
  const now = ctx.state.clock.now();
  const state = ctx.state;
  const access = state.accessTokens.get(tokenValue);
  const refresh = state.refreshTokens.get(tokenValue) ?? (access?.refreshToken ? state.refreshTokens.get(access.refreshToken) : undefined);
  const accessLive = access && !access.revoked && access.expiresAt > now;
  const refreshLive = refresh && !refresh.revoked && (refresh.expiresAt === undefined || refresh.expiresAt > now);
  const target = state.refreshTokens.has(tokenValue) ? refreshLive : accessLive;
  if (!target) throw oauthError(400, 'invalid_token', 'Token expired or revoked');
  const owner = (access ?? refresh) as AccessTokenRecord | RefreshTokenRecord;
  state.revocations.push({ token: tokenValue, kind: state.refreshTokens.has(tokenValue) ? 'refresh' : 'access', clientId: owner.clientId, userSub: owner.userSub, at: state.clock.iso(now) });
  if (refresh) refresh.revoked = true;
  for (const a of state.accessTokens.values()) {
    if (a.token === tokenValue || (refresh && a.refreshToken === refresh.token)) a.revoked = true;
  }
  // Revoking removes the app's access: the next sign-in asks again from scratch.
  for (const r of state.refreshTokens.values()) if (r.clientId === owner.clientId && r.userSub === owner.userSub) r.revoked = true;
  for (const a of state.accessTokens.values()) if (a.clientId === owner.clientId && a.userSub === owner.userSub) a.revoked = true;
  state.grants.delete(grantKey(owner.userSub, owner.clientId));
  return { status: 200, headers: { ...NO_STORE }, body: {} };
}

/** GET {userinfo}: OpenID Connect claims; email needs the email scope, name the profile scope. */
export function userinfo(ctx: RequestContext): Reply {
  const auth = /^Bearer\s+(\S+)$/i.exec(ctx.header('authorization') ?? '');
  const tokenValue = auth?.[1] ?? ctx.url.searchParams.get('access_token') ?? undefined;
  const rec = tokenValue ? ctx.state.accessTokens.get(tokenValue) : undefined;
  const wwwAuth = { 'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' };
  if (!tokenValue) throw new RawError(401, { error: 'invalid_request', error_description: 'You must provide an access token' }, wwwAuth);
  if (!rec || rec.revoked || rec.expiresAt <= ctx.state.clock.now()) throw new RawError(401, { error: 'invalid_token', error_description: 'Invalid Credentials' }, wwwAuth);
  if (!rec.scopes.some((s) => s === 'openid' || s === 'email' || s === 'profile')) {
    throw new RawError(403, { error: 'insufficient_scope', error_description: 'Insufficient Permission' }, { 'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/", error="insufficient_scope"' });
  }
  const user = ctx.state.user(rec.userSub);
  if (!user) throw new RawError(401, { error: 'invalid_token', error_description: 'Invalid Credentials' }, wwwAuth);
  const body: Record<string, unknown> = { sub: user.sub };
  if (rec.scopes.includes('profile')) Object.assign(body, { name: user.name, given_name: user.givenName, family_name: user.familyName, picture: 'https://lh3.googleusercontent.com/a/default-user=s96-c' });
  if (rec.scopes.includes('email')) Object.assign(body, { email: user.email, email_verified: true });
  return { status: 200, body };
}

/** Control fault: every access token now reads as expired (refresh tokens keep working). */
export function expireAllAccessTokens(state: EmulatorState): number {
  const now = state.clock.now();
  let n = 0;
  for (const a of state.accessTokens.values()) {
    if (a.expiresAt > now) {
      a.expiresAt = now;
      n++;
    }
  }
  return n;
}
