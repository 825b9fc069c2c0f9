import { GoogleApiError, isAbortError } from '../google/errors';
import { redactSecrets } from '../util/redact';

/** Every way signing in (or keeping a session alive) fails that the user can act on. */
export type AuthErrorKind =
  | 'noClient'
  | 'signedOut'
  | 'invalidClientFile'
  | 'webClient'
  | 'invalidClient'
  | 'accessDenied'
  | 'redirectUriMismatch'
  | 'invalidGrant'
  | 'serviceDisabled'
  | 'insufficientScopes'
  | 'portInUse'
  | 'listenFailed'
  | 'timeout'
  | 'inProgress'
  | 'stateMismatch'
  | 'cancelled'
  | 'network'
  | 'unknown';

/** Facts a message needs; never a token or a secret. */
export interface AuthErrorDetail {
  account?: string;
  /** Google Cloud project id or number (SERVICE_DISABLED). */
  project?: string;
  /** e.g. photoslibrary.googleapis.com */
  service?: string;
  serviceTitle?: string;
  missingScopes?: readonly string[];
  port?: number;
  timeoutMs?: number;
  /** The OAuth error code or system error code as received. */
  code?: string;
}

export class AuthError extends Error {
  override readonly name = 'AuthError';
  constructor(
    readonly kind: AuthErrorKind,
    message: string,
    readonly detail: AuthErrorDetail = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const OAUTH_CODES: Record<string, AuthErrorKind> = {
  invalid_client: 'invalidClient',
  unauthorized_client: 'invalidClient',
  deleted_client: 'invalidClient',
  access_denied: 'accessDenied',
  redirect_uri_mismatch: 'redirectUriMismatch',
  invalid_grant: 'invalidGrant',
  invalid_scope: 'insufficientScopes',
};

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

/** Maps an OAuth error code (`error=` on the redirect or in a token response) to a kind. */
export function kindOfOAuthCode(code: string): AuthErrorKind {
  return OAUTH_CODES[code] ?? 'unknown';
}

/**
 * Turns whatever a sign-in, refresh or API call threw into an AuthError, or undefined when the
 * failure is not about authorization. Messages are built from codes, never from server text, so
 * nothing echoed back by a server (a token in a URL, say) can reach the user.
 */
export function toAuthError(err: unknown, context: AuthErrorDetail = {}): AuthError | undefined {
  if (err instanceof AuthError) return err;
  if (isAbortError(err)) return new AuthError('cancelled', 'Sign-in was cancelled.', context);
  if (err instanceof GoogleApiError) return fromGoogleApiError(err, context);
  const oauthCode = oauthCodeOf(err);
  if (oauthCode) {
    return new AuthError(kindOfOAuthCode(oauthCode), `Google answered ${oauthCode}.`, { ...context, code: oauthCode }, { cause: scrubError(err) });
  }
  const systemCode = networkCodeOf(err);
  if (systemCode) return new AuthError('network', `Could not reach Google (${systemCode}).`, { ...context, code: systemCode }, { cause: scrubError(err) });
  return undefined;
}

/**
 * A copy of an error that is safe to keep, rethrow or log: name, redacted message and code, with
 * its causes copied the same way. A gaxios error carries the request it failed on (`config`: the
 * refresh token or the code and code_verifier in its body, the revoke URL with the token in its
 * query) and `response`; gaxios masks only client_secret there, so such objects never leave auth.
 */
export function scrubError(err: unknown, depth = 0): Error {
  if (!(err instanceof Error)) return new Error(redactSecrets(String(err)));
  const copy = new Error(redactSecrets(err.message), depth < 4 && err.cause !== undefined ? { cause: scrubError(err.cause, depth + 1) } : undefined);
  copy.name = err.name;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') Object.assign(copy, { code });
  if (err.stack) copy.stack = redactSecrets(err.stack);
  return copy;
}

function fromGoogleApiError(err: GoogleApiError, context: AuthErrorDetail): AuthError | undefined {
  if (err.reason === 'SERVICE_DISABLED') {
    const info = errorInfoMetadata(err.details);
    const consumer = info.consumer ?? info.containerInfo;
    const project = consumer?.replace(/^projects\//, '') ?? context.project;
    return new AuthError('serviceDisabled', `The ${info.serviceTitle ?? info.service ?? 'API'} is not enabled for the project.`, {
      ...context,
      project,
      service: info.service ?? 'photoslibrary.googleapis.com',
      serviceTitle: info.serviceTitle,
      code: 'SERVICE_DISABLED',
    });
  }
  if (err.isInsufficientScopes || err.reason === 'ACCESS_TOKEN_SCOPE_INSUFFICIENT') {
    return new AuthError('insufficientScopes', 'The access token lacks a permission this request needs.', { ...context, code: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT' });
  }
  const code = OAUTH_CODES[err.status] ? err.status : undefined;
  if (code) return new AuthError(kindOfOAuthCode(code), `Google answered ${code}.`, { ...context, code });
  return undefined;
}

function errorInfoMetadata(details: readonly unknown[]): Record<string, string | undefined> {
  for (const d of details) {
    if (typeof d !== 'object' || d === null) continue;
    const metadata = (d as { metadata?: unknown }).metadata;
    if (typeof metadata === 'object' && metadata !== null) {
      const out: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(metadata)) if (typeof v === 'string') out[k] = v;
      return out;
    }
  }
  return {};
}

/** The `error` field of an OAuth JSON answer carried by a gaxios error (google-auth-library). */
function oauthCodeOf(err: unknown): string | undefined {
  const data = (err as { response?: { data?: unknown } } | undefined)?.response?.data;
  if (typeof data === 'object' && data !== null) {
    const code = (data as { error?: unknown }).error;
    if (typeof code === 'string') return code;
  }
  if (typeof data === 'string') {
    try {
      const parsed = JSON.parse(data) as { error?: unknown };
      if (typeof parsed.error === 'string') return parsed.error;
    } catch {
      // not JSON
    }
  }
  return undefined;
}

function networkCodeOf(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; typeof e === 'object' && e !== null && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
  }
  return undefined;
}
