// The OAuth 2.0 flow for installed apps without any UI: a loopback listener on 127.0.0.1, PKCE S256,
// a random `state` checked before any code is exchanged, offline access and incremental scopes.
// VS Code's sign-in (signInFlow.ts) and the command line's (src/cli/auth.ts) each wrap it in their
// own way of showing the URL, waiting and taking a pasted redirect URL.
import { randomBytes } from 'node:crypto';
import type { CodeChallengeMethod } from 'google-auth-library';
import type * as vscode from 'vscode';
import type { Endpoints } from '../google/endpoints';
import { englishL10n } from '../util/englishL10n';
import type { Logger } from '../util/logger';
import { registerSecret } from '../util/redact';
import { AuthError, kindOfOAuthCode, scrubError, toAuthError } from './authError';
import type { OAuthClientConfig } from './clientConfig';
import { startLoopbackServer, type RedirectOutcome } from './loopbackServer';
import { createOAuthClient } from './oauthClient';
import { normalizeScopes } from './sessionStore';
import { fetchUserInfo } from './userInfo';

export interface SignInRequest {
  client: OAuthClientConfig;
  endpoints: Endpoints;
  scopes: readonly string[];
  /** The account's email when adding scopes to an existing session (incremental consent). */
  loginHint?: string;
  /** `consent` on a first sign-in so Google returns a refresh token. */
  prompt?: string;
}

export interface SignInResult {
  accessToken: string;
  refreshToken?: string;
  expiryDate?: number;
  grantedScopes: string[];
  account: { id: string; email?: string };
}

/** Runs one interactive sign-in; the provider receives it so tests can drive the browser part. */
export type SignInRunner = (request: SignInRequest) => Promise<SignInResult>;

export interface LoopbackAuthorizationOptions {
  log: Logger;
  /** Port to listen on (default 0: any free port). */
  port?: number;
  /** How long to wait for the browser (default 5 minutes). */
  timeoutMs?: number;
  /** Where the user goes back to, for the page the browser shows: "VS Code", "the terminal". */
  returnTo: string;
  /** vscode.l10n for the page the browser shows (English without it: the command line). */
  l10n?: Pick<typeof vscode.l10n, 't'>;
}

/** A sign-in waiting for Google's redirect. */
export interface PendingAuthorization {
  /** The consent page to open in a browser. */
  readonly authUrl: string;
  readonly redirectUri: string;
  /** Settles once: the sign-in's result, or why it failed (timeout, cancel, Google's error). */
  readonly result: Promise<SignInResult>;
  /** True once a redirect was taken (or the sign-in stopped): later redirects are not processed. */
  readonly settled: boolean;
  /** Hands over the query of a redirect URL the user pasted (the loopback listener does the same). */
  deliver(params: URLSearchParams): Promise<RedirectOutcome>;
  cancel(reason?: AuthError): void;
  /** Stops listening (the page answering the redirect may still finish). */
  close(): void;
}

/** Starts the listener and builds the consent URL. The caller shows it, then awaits `result` and closes. */
export async function startLoopbackAuthorization(request: SignInRequest, options: LoopbackAuthorizationOptions): Promise<PendingAuthorization> {
  const { log } = options;
  const l10n = options.l10n ?? englishL10n;
  const timeoutMs = options.timeoutMs ?? 5 * 60 * 1000;
  const state = randomBytes(24).toString('base64url');
  const outcome = new Outcome<SignInResult>();
  let oauth: Awaited<ReturnType<typeof createOAuthClient>> | undefined;
  let codeVerifier = '';
  let codeChallenge = '';

  // Both the loopback listener and a pasted URL deliver the redirect's query here; only the first counts.
  const deliver = async (params: URLSearchParams): Promise<RedirectOutcome> => {
    if (outcome.settled || !oauth) return { ok: false, heading: l10n.t('Already handled'), text: l10n.t('This sign-in was already completed or stopped. You can close this tab.') };
    outcome.claim();
    try {
      const result = await finish(params, state, codeVerifier, oauth, request);
      outcome.resolve(result);
      return {
        ok: true,
        heading: l10n.t('Signed in to Google Photos'),
        text: result.account.email ? l10n.t('You can close this tab and return to {0} (signed in as {1}).', options.returnTo, result.account.email) : l10n.t('You can close this tab and return to {0}.', options.returnTo),
      };
    } catch (err) {
      outcome.reject(err);
      return { ok: false, heading: l10n.t('Sign-in did not complete'), text: pageTextFor(err, options.returnTo, l10n) };
    }
  };

  const server = await startLoopbackServer(options.port ?? 0, deliver, { returnTo: options.returnTo, l10n });
  const timer = setTimeout(() => outcome.reject(new AuthError('timeout', 'The browser did not come back in time.', { timeoutMs })), timeoutMs);
  timer.unref?.();
  try {
    oauth = await createOAuthClient(request.client, request.endpoints, server.redirectUri);
    const pkce = await oauth.generateCodeVerifierAsync();
    codeVerifier = pkce.codeVerifier;
    codeChallenge = pkce.codeChallenge ?? '';
    registerSecret(codeVerifier);
  } catch (err) {
    clearTimeout(timer);
    server.close();
    throw toAuthError(err) ?? err;
  }
  const scopes = normalizeScopes(request.scopes);
  const authUrl = oauth.generateAuthUrl({
    access_type: 'offline',
    scope: scopes,
    state,
    code_challenge_method: 'S256' as CodeChallengeMethod,
    code_challenge: codeChallenge,
    include_granted_scopes: true,
    ...(request.prompt ? { prompt: request.prompt } : {}),
    ...(request.loginHint ? { login_hint: request.loginHint } : {}),
  });
  log.info(`Sign-in: waiting for Google's redirect on ${server.redirectUri} (scopes: ${scopes.join(' ')})`);
  let closed = false;
  const result = outcome.promise.then(
    (r) => r,
    (err: unknown) => {
      throw toAuthError(err) ?? err;
    },
  );
  // Awaited by the caller later; a redirect arriving before that must not count as unhandled.
  result.catch(() => undefined);
  return {
    authUrl,
    redirectUri: server.redirectUri,
    result,
    get settled() {
      return outcome.settled;
    },
    deliver,
    cancel: (reason) => outcome.reject(reason ?? new AuthError('cancelled', 'Sign-in was cancelled.')),
    close: () => {
      if (closed) return;
      closed = true;
      outcome.claim();
      clearTimeout(timer);
      server.close();
    },
  };
}

async function finish(params: URLSearchParams, state: string, codeVerifier: string, oauth: Awaited<ReturnType<typeof createOAuthClient>>, request: SignInRequest): Promise<SignInResult> {
  // Never exchange a code whose state we did not issue.
  if (params.get('state') !== state) throw new AuthError('stateMismatch', 'The redirect carried a state this sign-in did not issue.');
  const error = params.get('error');
  if (error) throw new AuthError(kindOfOAuthCode(error), `Google answered ${error}.`, { code: error });
  const code = params.get('code');
  if (!code) throw new AuthError('unknown', 'The redirect carried no authorization code.');
  registerSecret(code);
  let tokens;
  try {
    ({ tokens } = await oauth.getToken({ code, codeVerifier }));
  } catch (err) {
    throw toAuthError(err) ?? new AuthError('unknown', 'The token exchange failed.', {}, { cause: scrubError(err) });
  }
  if (!tokens.access_token) throw new AuthError('unknown', 'Google returned no access token.');
  registerSecret(tokens.access_token);
  registerSecret(tokens.refresh_token);
  registerSecret(tokens.id_token);
  const account = await fetchUserInfo(request.endpoints.userinfo, tokens.access_token);
  return {
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token ?? undefined,
    expiryDate: tokens.expiry_date ?? undefined,
    grantedScopes: normalizeScopes(tokens.scope ? [tokens.scope] : request.scopes),
    account,
  };
}

/** The text of the page the browser shows when the sign-in failed. */
function pageTextFor(err: unknown, returnTo: string, l10n: Pick<typeof vscode.l10n, 't'>): string {
  const kind = err instanceof AuthError ? err.kind : 'unknown';
  if (kind === 'stateMismatch') return l10n.t('This answer does not belong to the sign-in {0} started, so it was not used.', returnTo === 'VS Code' ? 'VS Code' : 'Photo Sync');
  if (kind === 'accessDenied') return l10n.t('You chose Deny, so Photo Sync was not given access. Return to {0} to sign in again.', returnTo);
  return l10n.t('Return to {0} to see what to do next.', returnTo);
}

/** A promise settled once; `claim` marks it taken (no later redirect is processed) before it settles. */
class Outcome<T> {
  readonly promise: Promise<T>;
  private claimed = false;
  private resolveFn!: (value: T) => void;
  private rejectFn!: (err: unknown) => void;
  constructor() {
    this.promise = new Promise<T>((resolve, reject) => {
      this.resolveFn = resolve;
      this.rejectFn = reject;
    });
    // Awaited later; an early cancel must not count as an unhandled rejection meanwhile.
    this.promise.catch(() => undefined);
  }
  get settled(): boolean {
    return this.claimed;
  }
  claim(): void {
    this.claimed = true;
  }
  resolve(value: T): void {
    this.claimed = true;
    this.resolveFn(value);
  }
  reject(err: unknown): void {
    this.claimed = true;
    this.rejectFn(err);
  }
}

/** Accepts the full redirect URL (or just its query); undefined unless it carries a code or an error. */
export function parseRedirect(text: string): URLSearchParams | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  let params: URLSearchParams;
  try {
    params = trimmed.includes('://') ? new URL(trimmed).searchParams : new URLSearchParams(trimmed.replace(/^[^?]*\?/, ''));
  } catch {
    return undefined;
  }
  return (params.has('code') || params.has('error')) && params.has('state') ? params : undefined;
}
