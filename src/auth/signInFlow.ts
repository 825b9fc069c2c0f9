import type * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { CodeChallengeMethod } from 'google-auth-library';
import type { Endpoints } from '../google/endpoints';
import type { Logger } from '../util/logger';
import { registerSecret } from '../util/redact';
import { AuthError, kindOfOAuthCode, scrubError, toAuthError } from './authError';
import type { OAuthClientConfig } from './clientConfig';
import { startLoopbackServer, type LoopbackServer, type RedirectOutcome } from './loopbackServer';
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

export const PASTE_BUTTON = 'Paste the redirect URL…';
export const OPEN_AGAIN_BUTTON = 'Open Browser Again';
export const CANCEL_BUTTON = 'Cancel Sign-In';

export interface LoopbackSignInOptions {
  vs: Pick<typeof vscode, 'window' | 'env' | 'Uri' | 'ProgressLocation' | 'UIKind'>;
  log: Logger;
  /** How long to wait for the browser (default 5 minutes). */
  timeoutMs?: number;
  /** Port to listen on (default 0: any free port). */
  port?: number;
  /**
   * When to offer pasting the redirect URL. Default: at once where the loopback may not reach the
   * extension host (remote or web), after 15 s elsewhere, so a quick desktop sign-in shows no extra toast.
   */
  pasteOfferDelayMs?: number;
}

interface RunningSignIn {
  /** Known once the listener is up. */
  authUrl?: string;
  cancelled: boolean;
  onCancel?: () => void;
}

/**
 * The OAuth 2.0 flow for installed apps: loopback redirect on 127.0.0.1, PKCE S256, a random
 * `state` checked before any code is exchanged, offline access and incremental scopes. Runs
 * inside a cancellable progress notification; at most one at a time.
 */
export class LoopbackSignIn {
  private running?: RunningSignIn;

  constructor(private readonly options: LoopbackSignInOptions) {}

  readonly run: SignInRunner = (request) => {
    if (this.running) {
      this.tellAlreadyRunning(this.running);
      return Promise.reject(new AuthError('inProgress', 'A sign-in is already in progress.'));
    }
    const { vs } = this.options;
    // Claimed before anything async, so two quick calls cannot both start.
    const running: RunningSignIn = { cancelled: false };
    this.running = running;
    return Promise.resolve(
      vs.window.withProgress({ location: vs.ProgressLocation.Notification, title: 'Signing in to Google Photos', cancellable: true }, (progress, token) =>
        this.runOnce(request, progress, token, running),
      ),
    ).finally(() => {
      if (this.running === running) this.running = undefined;
    });
  };

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  private tellAlreadyRunning(running: RunningSignIn): void {
    const { vs } = this.options;
    void Promise.resolve(
      vs.window.showWarningMessage('A Google sign-in is already in progress. Finish it in the browser tab that opened, or cancel it.', OPEN_AGAIN_BUTTON, CANCEL_BUTTON),
    ).then((choice) => {
      if (this.running !== running) return;
      if (choice === OPEN_AGAIN_BUTTON && running.authUrl) void vs.env.openExternal(vs.Uri.parse(running.authUrl));
      else if (choice === CANCEL_BUTTON) cancel(running);
    });
  }

  private async runOnce(request: SignInRequest, progress: vscode.Progress<{ message?: string }>, token: vscode.CancellationToken, running: RunningSignIn): Promise<SignInResult> {
    const { vs, log } = this.options;
    const timeoutMs = this.options.timeoutMs ?? 5 * 60 * 1000;
    const state = randomBytes(24).toString('base64url');
    const outcome = new Outcome<SignInResult>();
    running.onCancel = () => outcome.reject(new AuthError('cancelled', 'Sign-in was cancelled.'));
    const cancelListener = token.onCancellationRequested(() => cancel(running));
    const timer = setTimeout(() => outcome.reject(new AuthError('timeout', 'The browser did not come back in time.', { timeoutMs })), timeoutMs);
    let pasteTimer: NodeJS.Timeout | undefined;
    let oauth: ReturnType<typeof createOAuthClient> | undefined;
    let codeVerifier = '';

    // Both the loopback listener and the paste box deliver the redirect's query here; only the first counts.
    const onRedirect = async (params: URLSearchParams): Promise<RedirectOutcome> => {
      if (outcome.settled || !oauth) return { ok: false, heading: 'Already handled', text: 'This sign-in was already completed or stopped. You can close this tab.' };
      outcome.claim();
      try {
        const result = await this.finish(params, state, codeVerifier, oauth, request);
        outcome.resolve(result);
        return { ok: true, heading: 'Signed in to Google Photos', text: `You can close this tab and return to VS Code${result.account.email ? ` (signed in as ${result.account.email})` : ''}.` };
      } catch (err) {
        outcome.reject(err);
        return { ok: false, heading: 'Sign-in did not complete', text: pageTextFor(err) };
      }
    };

    let server: LoopbackServer | undefined;
    try {
      if (running.cancelled) throw new AuthError('cancelled', 'Sign-in was cancelled.');
      server = await startLoopbackServer(this.options.port ?? 0, onRedirect);
      oauth = createOAuthClient(request.client, request.endpoints, server.redirectUri);
      const pkce = await oauth.generateCodeVerifierAsync();
      codeVerifier = pkce.codeVerifier;
      registerSecret(codeVerifier);
      const scopes = normalizeScopes(request.scopes);
      running.authUrl = oauth.generateAuthUrl({
        access_type: 'offline',
        scope: scopes,
        state,
        code_challenge_method: CodeChallengeMethod.S256,
        code_challenge: pkce.codeChallenge,
        include_granted_scopes: true,
        ...(request.prompt ? { prompt: request.prompt } : {}),
        ...(request.loginHint ? { login_hint: request.loginHint } : {}),
      });
      log.info(`Sign-in: waiting for Google's redirect on ${server.redirectUri} (scopes: ${scopes.join(' ')})`);
      progress.report({ message: 'Waiting for you to allow access in the browser…' });
      const opened = await vs.env.openExternal(vs.Uri.parse(running.authUrl));
      // The user declined to open the browser: nothing can come back.
      if (!opened) outcome.reject(new AuthError('cancelled', 'The browser was not opened.'));
      const remote = (vs.env as { remoteName?: string }).remoteName !== undefined || vs.env.uiKind === vs.UIKind.Web;
      pasteTimer = setTimeout(() => this.offerPaste(() => outcome.settled, onRedirect), this.options.pasteOfferDelayMs ?? (remote ? 0 : 15_000));
      return await outcome.promise;
    } catch (err) {
      throw toAuthError(err) ?? err;
    } finally {
      outcome.claim();
      clearTimeout(timer);
      clearTimeout(pasteTimer);
      cancelListener.dispose();
      server?.close();
    }
  }

  /** Fallback when the browser's redirect cannot reach this machine (remote or web setups). */
  private offerPaste(finished: () => boolean, deliver: (params: URLSearchParams) => Promise<RedirectOutcome>): void {
    const { vs } = this.options;
    if (finished()) return;
    void Promise.resolve(
      vs.window.showInformationMessage('Allow access in your browser. Only if it then cannot reach VS Code (a connection error on a 127.0.0.1 address), copy that address and paste it here.', PASTE_BUTTON),
    ).then(async (choice) => {
      if (choice !== PASTE_BUTTON || finished()) return;
      const pasted = await vs.window.showInputBox({
        title: 'Paste the redirect URL',
        prompt: 'The full address the browser ended on after you allowed access (http://127.0.0.1:…/?code=…&state=…)',
        placeHolder: 'http://127.0.0.1:PORT/?code=…&state=…',
        password: true,
        ignoreFocusOut: true,
        validateInput: (value) => (parseRedirect(value) ? undefined : 'Paste the whole address, including ?code=… (or ?error=…) and &state=…'),
      });
      const params = pasted ? parseRedirect(pasted) : undefined;
      if (params && !finished()) await deliver(params);
    });
  }

  private async finish(params: URLSearchParams, state: string, codeVerifier: string, oauth: ReturnType<typeof createOAuthClient>, request: SignInRequest): Promise<SignInResult> {
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
}

function cancel(running: RunningSignIn): void {
  running.cancelled = true;
  running.onCancel?.();
}

/** The text of the page the browser shows when the sign-in failed. */
function pageTextFor(err: unknown): string {
  const kind = err instanceof AuthError ? err.kind : 'unknown';
  if (kind === 'stateMismatch') return 'This answer does not belong to the sign-in VS Code started, so it was not used.';
  if (kind === 'accessDenied') return 'You chose Deny, so Photo Sync was not given access. Return to VS Code to sign in again.';
  return 'Return to VS Code to see what to do next.';
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
