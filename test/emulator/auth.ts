import type { IncomingMessage } from 'node:http';
import { ApiError, errorInfo, header } from './http';
import type { AccessTokenRecord, EmulatorState } from './state';

const SEE = 'See https://developers.google.com/identity/sign-in/web/devconsole-project.';
const WWW_AUTH = { 'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' };

/** Returns the bearer token of a request, or undefined. Also accepts `access_token` in the query as Google does. */
export function bearerOf(req: IncomingMessage, url: URL): string | undefined {
  const auth = header(req, 'authorization');
  if (auth) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return m ? m[1] : '';
  }
  return url.searchParams.get('access_token') ?? undefined;
}

/** Looks a token up; expired and revoked tokens are as good as unknown. */
export function liveAccessToken(state: EmulatorState, token: string | undefined): AccessTokenRecord | undefined {
  if (!token) return undefined;
  const rec = state.accessTokens.get(token);
  if (!rec || rec.revoked || rec.expiresAt <= state.clock.now()) return undefined;
  return rec;
}

/** Google's 401 for a Google API (Library / Picker): missing or invalid/expired credentials. */
export function authenticate(state: EmulatorState, req: IncomingMessage, url: URL, service: string, method: string): AccessTokenRecord {
  const token = bearerOf(req, url);
  if (token === undefined) {
    throw new ApiError(
      401,
      'UNAUTHENTICATED',
      `Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. ${SEE}`,
      [errorInfo('CREDENTIALS_MISSING', service, { method })],
      WWW_AUTH,
    );
  }
  const rec = state.accessTokens.get(token);
  const live = liveAccessToken(state, token);
  if (!live) {
    const expired = rec !== undefined && !rec.revoked;
    throw new ApiError(
      401,
      'UNAUTHENTICATED',
      `Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. ${SEE}`,
      [errorInfo(expired ? 'ACCESS_TOKEN_EXPIRED' : 'ACCESS_TOKEN_TYPE_UNSUPPORTED', service, { method })],
      WWW_AUTH,
    );
  }
  return live;
}

export function insufficientScopes(service: string, method: string): ApiError {
  return new ApiError(403, 'PERMISSION_DENIED', 'Request had insufficient authentication scopes.', [errorInfo('ACCESS_TOKEN_SCOPE_INSUFFICIENT', service, { method })], {
    'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/", error="insufficient_scope"',
  });
}

export function requireAnyScope(token: AccessTokenRecord, accepted: readonly string[], service: string, method: string): void {
  if (!accepted.some((s) => token.scopes.includes(s))) throw insufficientScopes(service, method);
}
