import type * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import type { OAuth2Client } from 'google-auth-library';
import type { Endpoints } from '../google/endpoints';
import { DRIVE_SCOPES, PICKER_SCOPES, SIGN_IN_SCOPES } from '../google/scopes';
import { parseGoogleError, type GoogleApiError } from '../google/errors';
import type { Logger } from '../util/logger';
import { registerSecret } from '../util/redact';
import { AuthError, scrubError, toAuthError } from './authError';
import type { ClientConfigStore } from './clientConfig';
import { createOAuthClient, REFRESH_MARGIN_MS } from './oauthClient';
import { hasAllScopes, missingScopes, normalizeScopes, SessionStore, type StoredSession } from './sessionStore';
import type { SignInRunner } from './signInFlow';

export const AUTH_PROVIDER_ID = 'photoSync.google';
export const AUTH_PROVIDER_LABEL = 'Google Photos';

/** Every session carries these: the email labels the account in the Accounts menu. */
const IDENTITY_SCOPES = ['openid', 'email'];

/** Any extension may ask this provider for a session: it grants Photo Sync's scopes and nothing else. */
const ALLOWED_SCOPES = new Set(normalizeScopes([...IDENTITY_SCOPES, 'profile', ...SIGN_IN_SCOPES, ...PICKER_SCOPES, ...DRIVE_SCOPES]));

export interface AuthProviderDeps {
  vs: Pick<typeof vscode, 'EventEmitter'>;
  secrets: Pick<vscode.SecretStorage, 'get' | 'store' | 'delete' | 'onDidChange'>;
  clientStore: ClientConfigStore;
  endpoints: () => Endpoints;
  /** The interactive part (browser consent); the loopback flow in the extension. */
  signIn: SignInRunner;
  log: Logger;
  /** Told about failures the user must act on (a failed sign-in, a session Google no longer accepts). */
  onProblem?: (problem: AuthError) => void;
  /** Clock for the refresh margin; tests move it forward. */
  now?: () => number;
}

interface LiveSession {
  stored: StoredSession;
  /** Holds the access token, in memory only. */
  oauth?: OAuth2Client;
  refreshing?: Promise<void>;
  /** Tokens an API rejected: the next getSessions must not hand them out again. */
  rejected: Set<string>;
  lastRefreshError?: unknown;
}

type ChangeEvent = vscode.AuthenticationProviderAuthenticationSessionsChangeEvent;

/**
 * Google sign-in as a VS Code authentication provider (several accounts). SecretStorage holds,
 * per account, only the refresh token, granted scopes and account; access tokens live in memory
 * and are renewed inside getSessions before they expire. Other windows see changes through
 * SecretStorage.onDidChange.
 */
export class GooglePhotosAuthProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly changes: vscode.EventEmitter<ChangeEvent>;
  readonly onDidChangeSessions: vscode.Event<ChangeEvent>;
  private readonly store: SessionStore;
  private readonly sessions = new Map<string, LiveSession>();
  private readonly disposables: vscode.Disposable[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private readonly now: () => number;

  constructor(private readonly deps: AuthProviderDeps) {
    this.changes = new deps.vs.EventEmitter<ChangeEvent>();
    this.onDidChangeSessions = this.changes.event;
    this.store = new SessionStore(deps.secrets);
    this.now = deps.now ?? Date.now;
  }

  /** Reads stored sessions and starts following other windows. Call before registering. */
  async initialize(): Promise<void> {
    await this.serialized(async () => this.apply(await this.store.read(), false));
    this.disposables.push(this.store.onDidChange(() => void this.serialized(async () => this.apply(await this.store.read(), true))));
  }

  /** The signed-in accounts, without touching the network. */
  get accounts(): { sessionId: string; id: string; label: string; scopes: readonly string[] }[] {
    return [...this.sessions.values()].map(({ stored: s }) => ({ sessionId: s.id, id: s.accountId, label: s.accountLabel, scopes: s.scopes }));
  }

  async getSessions(scopes: readonly string[] | undefined, options?: vscode.AuthenticationProviderSessionOptions): Promise<vscode.AuthenticationSession[]> {
    await this.queue;
    const wanted = normalizeScopes(scopes ?? []);
    const matching = [...this.sessions.values()].filter(
      ({ stored }) => hasAllScopes(stored.scopes, wanted) && (!options?.account || options.account.id === stored.accountId || options.account.label === stored.accountLabel),
    );
    const result: vscode.AuthenticationSession[] = [];
    for (const live of matching) {
      const token = await this.freshAccessToken(live);
      if (token !== undefined) result.push(toSession(live.stored, token));
    }
    return result;
  }

  async createSession(scopes: readonly string[], options?: vscode.AuthenticationProviderSessionOptions): Promise<vscode.AuthenticationSession> {
    try {
      await this.queue;
      const client = await this.deps.clientStore.get();
      if (!client) throw new AuthError('noClient', 'No Google OAuth client is set up.');
      const wanted = normalizeScopes([...scopes, ...IDENTITY_SCOPES]);
      const foreign = wanted.filter((scope) => !ALLOWED_SCOPES.has(scope));
      if (foreign.length > 0) throw new Error(`Google Photos sign-in does not grant ${foreign.join(', ')}.`);
      const target = this.incrementalTarget(wanted, options?.account);
      const ask = normalizeScopes([...(target?.scopes ?? []), ...wanted]);
      const result = await this.deps.signIn({
        client,
        endpoints: this.deps.endpoints(),
        scopes: ask,
        loginHint: target?.accountLabel ?? options?.account?.label,
        // A first sign-in must show consent so Google issues a refresh token.
        prompt: target ? undefined : this.sessions.size > 0 ? 'select_account consent' : 'consent',
      });
      const label = result.account.email ?? result.account.id;
      let saved: StoredSession | undefined;
      await this.mutate((list) => {
        const existing = list.find((s) => s.accountId === result.account.id);
        const refreshToken = result.refreshToken ?? existing?.refreshToken;
        if (!refreshToken) throw new AuthError('unknown', 'Google returned no refresh token.', { account: label, code: 'no_refresh_token' });
        saved = { id: existing?.id ?? randomUUID(), accountId: result.account.id, accountLabel: label, scopes: result.grantedScopes, refreshToken, clientId: client.clientId };
        return [...list.filter((s) => s.accountId !== result.account.id), saved];
      });
      const live = saved && this.sessions.get(saved.id);
      if (!saved || !live) throw new AuthError('unknown', 'The new session was not kept.');
      live.oauth = await createOAuthClient(client, this.deps.endpoints());
      live.oauth.setCredentials({ access_token: result.accessToken, refresh_token: saved.refreshToken, expiry_date: result.expiryDate });
      this.deps.log.info(`Signed in to Google Photos as ${label} (scopes: ${saved.scopes.join(' ')})`);
      const missing = missingScopes(saved.scopes, wanted);
      if (missing.length > 0) throw new AuthError('insufficientScopes', 'Google did not grant every scope asked for.', { account: label, missingScopes: missing });
      return toSession(saved, result.accessToken);
    } catch (err) {
      const auth = toAuthError(err);
      if (auth && auth.kind !== 'cancelled' && auth.kind !== 'inProgress') this.deps.onProblem?.(auth);
      this.deps.log.warn(`Sign-in did not complete: ${auth ? `${auth.kind}: ${auth.message}` : String(err)}`);
      throw auth ?? err;
    }
  }

  /** Signs the account out: the grant is revoked at Google, then the session is forgotten. */
  async removeSession(sessionId: string): Promise<void> {
    await this.queue;
    const live = this.sessions.get(sessionId);
    if (!live) return;
    try {
      await (await createOAuthClient(undefined, this.deps.endpoints())).revokeToken(live.stored.refreshToken);
    } catch (err) {
      // Already revoked or expired at Google: forgetting it locally is still right.
      this.deps.log.warn(`Revoking the token of ${live.stored.accountLabel} failed (${toAuthError(err)?.detail.code ?? 'error'}); removing the session anyway.`);
    }
    await this.mutate((list) => list.filter((s) => s.id !== sessionId));
    this.deps.log.info(`Signed out of Google Photos (${live.stored.accountLabel})`);
  }

  /** An API answered 401 for this token: the next getSessions refreshes instead of returning it. */
  invalidateAccessToken(token: string): void {
    for (const live of this.sessions.values()) if (live.oauth?.credentials.access_token === token) live.rejected.add(token);
  }

  /** Why the last refresh of a session failed (kept for the token source, which can rethrow it intact). */
  refreshFailure(sessionId: string): unknown {
    return this.sessions.get(sessionId)?.lastRefreshError;
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
    this.changes.dispose();
  }

  /** Which signed-in account gets the extra scopes, if any (incremental consent). */
  private incrementalTarget(wanted: readonly string[], account: vscode.AuthenticationSessionAccountInformation | undefined): StoredSession | undefined {
    const all = [...this.sessions.values()].map((l) => l.stored);
    if (account) return all.find((s) => s.accountId === account.id || s.accountLabel === account.label);
    const only = all.length === 1 ? all[0] : undefined;
    return only && !hasAllScopes(only.scopes, wanted) ? only : undefined;
  }

  /** An access token with more than the margin left, or undefined if the session is gone. */
  private async freshAccessToken(live: LiveSession): Promise<string | undefined> {
    const needsRefresh = () => {
      const creds = live.oauth?.credentials;
      const token = creds?.access_token;
      return !token || live.rejected.has(token) || (creds?.expiry_date ?? 0) - this.now() <= REFRESH_MARGIN_MS;
    };
    if (needsRefresh()) {
      live.refreshing ??= this.refresh(live).finally(() => (live.refreshing = undefined));
      await live.refreshing;
    }
    if (!this.sessions.has(live.stored.id)) return undefined;
    // A refresh that failed for a passing reason (offline) keeps the session: the old token while it
    // lasts, then '' (the token source rethrows why).
    const creds = live.oauth?.credentials;
    const token = creds?.access_token;
    return token && !live.rejected.has(token) && (creds?.expiry_date ?? 0) > this.now() ? token : '';
  }

  private async refresh(live: LiveSession): Promise<void> {
    const client = await this.deps.clientStore.get();
    if (!client) {
      live.lastRefreshError = new AuthError('noClient', 'No Google OAuth client is set up.', { account: live.stored.accountLabel });
      return;
    }
    const oauth = live.oauth ?? (await createOAuthClient(client, this.deps.endpoints()));
    oauth.setCredentials({ ...oauth.credentials, refresh_token: live.stored.refreshToken });
    try {
      const { credentials } = await oauth.refreshAccessToken();
      registerSecret(credentials.access_token);
      live.oauth = oauth;
      live.lastRefreshError = undefined;
      live.rejected.clear();
    } catch (err) {
      const auth = toAuthError(err, { account: live.stored.accountLabel });
      const before = live.lastRefreshError;
      // Kept for the token source: an AuthError, or a GoogleApiError the task queue can classify (503 → retry).
      // Never the gaxios error itself: its `config` holds the request body with the refresh token.
      live.lastRefreshError = auth ?? asGoogleApiError(err) ?? scrubError(err);
      if (auth?.kind === 'invalidGrant') {
        // Revoked by the user, or the 7-day lifetime of a Testing-status app ran out.
        this.deps.log.warn(`The sign-in of ${live.stored.accountLabel} is no longer valid (invalid_grant); removing it.`);
        await this.mutate((list) => list.filter((s) => s.id !== live.stored.id));
        this.deps.onProblem?.(auth);
      } else {
        this.deps.log.warn(`Refreshing the access token of ${live.stored.accountLabel} failed: ${auth ? auth.kind : 'error'}`);
        // The client itself is refused (deleted, or its secret changed): no refresh can work until the
        // user sets it up again, so say so — once, not on every attempt. The grant is kept.
        const toldAlready = before instanceof AuthError && before.kind === 'invalidClient';
        if (auth?.kind === 'invalidClient' && !toldAlready) this.deps.onProblem?.(auth);
      }
    }
  }

  /** Read-modify-write of the stored list (re-read first, so another window's change is kept). */
  private mutate(change: (list: StoredSession[]) => StoredSession[]): Promise<void> {
    return this.serialized(async () => {
      const next = change(await this.store.read());
      await this.store.write(next);
      this.apply(next, true);
    });
  }

  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Makes memory match `stored` and reports the difference. */
  private apply(stored: readonly StoredSession[], fire: boolean): void {
    const added: vscode.AuthenticationSession[] = [];
    const removed: vscode.AuthenticationSession[] = [];
    const changed: vscode.AuthenticationSession[] = [];
    const ids = new Set(stored.map((s) => s.id));
    for (const [id, live] of this.sessions) {
      if (!ids.has(id)) {
        this.sessions.delete(id);
        removed.push(toSession(live.stored, ''));
      }
    }
    for (const s of stored) {
      registerSecret(s.refreshToken);
      const live = this.sessions.get(s.id);
      if (!live) {
        this.sessions.set(s.id, { stored: s, rejected: new Set() });
        added.push(toSession(s, ''));
      } else if (live.stored.refreshToken !== s.refreshToken || live.stored.scopes.join(' ') !== s.scopes.join(' ') || live.stored.accountLabel !== s.accountLabel) {
        const tokenChanged = live.stored.refreshToken !== s.refreshToken;
        live.stored = s;
        if (tokenChanged) live.oauth = undefined;
        changed.push(toSession(s, live.oauth?.credentials.access_token ?? ''));
      }
    }
    if (fire && added.length + removed.length + changed.length > 0) this.changes.fire({ added, removed, changed });
  }
}

/** A gaxios error with an HTTP answer, as the GoogleApiError every other client throws. */
function asGoogleApiError(err: unknown): GoogleApiError | undefined {
  const response = (err as { response?: { status?: unknown; data?: unknown } } | undefined)?.response;
  if (typeof response?.status !== 'number') return undefined;
  const body = typeof response.data === 'string' ? response.data : JSON.stringify(response.data ?? '');
  return parseGoogleError(response.status, body);
}

function toSession(s: StoredSession, accessToken: string): vscode.AuthenticationSession {
  return { id: s.id, accessToken, account: { id: s.accountId, label: s.accountLabel }, scopes: s.scopes };
}
