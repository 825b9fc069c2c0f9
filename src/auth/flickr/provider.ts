import type * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import type { FlickrEndpoints } from '../../flickr/endpoints';
import type { FlickrCredentials } from '../../flickr/oauth1';
import type { Logger } from '../../util/logger';
import { registerSecret } from '../../util/redact';
import { FlickrAuthError, toFlickrAuthError } from './authError';
import type { FlickrKeyStore } from './keyStore';
import { FlickrSessionStore, isFlickrPerms, permsCover, strongestPerms, type StoredFlickrSession } from './sessionStore';
import type { FlickrSignInRunner } from './signInFlow';

export const FLICKR_AUTH_PROVIDER_ID = 'photoSync.flickr';
export const FLICKR_AUTH_PROVIDER_LABEL = 'Flickr';
/** Where a Flickr member withdraws an app's access (Flickr has no API to revoke a token). */
export const FLICKR_APPS_YOU_USE_URL = 'https://www.flickr.com/services/auth/list.gne';

export interface FlickrAuthProviderDeps {
  vs: Pick<typeof vscode, 'EventEmitter'>;
  secrets: Pick<vscode.SecretStorage, 'get' | 'store' | 'delete' | 'onDidChange'>;
  keyStore: FlickrKeyStore;
  endpoints: () => FlickrEndpoints;
  signIn: FlickrSignInRunner;
  log: Logger;
  /** Told about failures the user must act on (a failed sign-in, a sign-in Flickr no longer accepts). */
  onProblem?: (problem: FlickrAuthError) => void;
}

type ChangeEvent = vscode.AuthenticationProviderAuthenticationSessionsChangeEvent;

/**
 * Flickr sign-in as a VS Code authentication provider (several accounts). Scopes are Flickr's
 * permissions (`read`, `write`, `delete`); a session's accessToken is the OAuth token, which is useless
 * without the token secret and the API secret — those stay in SecretStorage and reach the Flickr
 * client only through `credentialsFor`, inside this extension. Flickr tokens do not expire; one that
 * Flickr stops accepting (the user removed the app) is forgotten.
 */
export class FlickrAuthProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly changes: vscode.EventEmitter<ChangeEvent>;
  readonly onDidChangeSessions: vscode.Event<ChangeEvent>;
  private readonly store: FlickrSessionStore;
  private sessions: StoredFlickrSession[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: FlickrAuthProviderDeps) {
    this.changes = new deps.vs.EventEmitter<ChangeEvent>();
    this.onDidChangeSessions = this.changes.event;
    this.store = new FlickrSessionStore(deps.secrets);
  }

  /** Reads stored sessions and follows other windows. Call before registering. */
  async initialize(): Promise<void> {
    await this.serialized(async () => this.apply(await this.store.read(), false));
    this.disposables.push(this.store.onDidChange(() => void this.serialized(async () => this.apply(await this.store.read(), true))));
  }

  /** The signed-in accounts, without touching the network. */
  get accounts(): { sessionId: string; id: string; label: string; perms: string }[] {
    return this.sessions.map((s) => ({ sessionId: s.id, id: s.nsid, label: s.username, perms: s.perms }));
  }

  async getSessions(scopes: readonly string[] | undefined, options?: vscode.AuthenticationProviderSessionOptions): Promise<vscode.AuthenticationSession[]> {
    await this.queue;
    return this.sessions
      .filter((s) => permsCover(s.perms, scopes ?? []) && (!options?.account || options.account.id === s.nsid || options.account.label === s.username))
      .map(toSession);
  }

  async createSession(scopes: readonly string[], options?: vscode.AuthenticationProviderSessionOptions): Promise<vscode.AuthenticationSession> {
    try {
      await this.queue;
      const unknown = scopes.filter((s) => !isFlickrPerms(s));
      if (unknown.length) throw new Error(`Flickr sign-in grants read, write or delete, not ${unknown.join(', ')}.`);
      const key = await this.deps.keyStore.get();
      if (!key) throw new FlickrAuthError('noKey', 'Photo Sync signs in to Flickr with your own API key, and none is set up yet.');
      // Asking again for an account signed in already keeps its stronger permission.
      const existing = options?.account ? this.sessions.find((s) => s.nsid === options.account?.id) : undefined;
      const perms = strongestPerms([...scopes, ...(existing ? [existing.perms] : [])]);
      const result = await this.deps.signIn({ key, endpoints: this.deps.endpoints(), perms });
      let saved: StoredFlickrSession | undefined;
      await this.mutate((list) => {
        const previous = list.find((s) => s.nsid === result.nsid);
        saved = { id: previous?.id ?? randomUUID(), nsid: result.nsid, username: result.username || result.nsid, fullname: result.fullname, perms: result.perms, token: result.token, tokenSecret: result.tokenSecret, apiKey: key.key };
        return [...list.filter((s) => s.nsid !== result.nsid), saved];
      });
      if (!saved) throw new FlickrAuthError('unknown', 'The new Flickr sign-in was not kept.');
      this.deps.log.info(`Signed in to Flickr as ${saved.username} (${saved.nsid}, permission: ${saved.perms})`);
      return toSession(saved);
    } catch (err) {
      const auth = toFlickrAuthError(err);
      if (auth && auth.kind !== 'cancelled' && auth.kind !== 'inProgress') this.deps.onProblem?.(auth);
      this.deps.log.warn(`Flickr sign-in did not complete: ${auth ? `${auth.kind}: ${auth.message}` : (err as Error).message}`);
      throw auth ?? err;
    }
  }

  /** Signs out: the token and its secret are forgotten (Flickr has no API to revoke them; see FLICKR_APPS_YOU_USE_URL). */
  async removeSession(sessionId: string): Promise<void> {
    await this.queue;
    const gone = this.sessions.find((s) => s.id === sessionId);
    if (!gone) return;
    await this.mutate((list) => list.filter((s) => s.id !== sessionId));
    this.deps.log.info(`Signed out of Flickr (${gone.username}); its token was forgotten.`);
  }

  /**
   * What the Flickr client signs with for a session: the API key and secret and the account's token.
   * A token issued to another key than the one set up now cannot sign anything.
   */
  async credentialsFor(sessionId: string): Promise<FlickrCredentials> {
    await this.queue;
    const session = this.sessions.find((s) => s.id === sessionId);
    if (!session) throw new FlickrAuthError('signedOut', 'Photo Sync is not signed in to Flickr. Sign in to Flickr to continue.');
    const key = await this.deps.keyStore.get();
    if (!key) throw new FlickrAuthError('noKey', 'The Flickr API key is no longer set up. Set it up again, then sign in to Flickr.');
    if (key.key !== session.apiKey) throw new FlickrAuthError('keyChanged', `The Flickr sign-in of ${session.username} belongs to another API key than the one set up now. Sign in to Flickr again.`);
    return { consumer: { key: key.key, secret: key.secret }, token: { key: session.token, secret: session.tokenSecret } };
  }

  /** Flickr no longer accepts the account's token (code 98, token_rejected): it is forgotten and the user told. */
  async rejected(nsid: string): Promise<void> {
    const gone = this.sessions.find((s) => s.nsid === nsid);
    if (!gone) return;
    await this.mutate((list) => list.filter((s) => s.nsid !== nsid));
    this.deps.log.warn(`Flickr no longer accepts the sign-in of ${gone.username}; it was removed.`);
    this.deps.onProblem?.(new FlickrAuthError('tokenRejected', `Flickr no longer accepts the sign-in of ${gone.username} (it was revoked, or Photo Sync was removed under “Apps You're Using” on Flickr). Sign in to Flickr again.`));
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
    this.changes.dispose();
  }

  private mutate(change: (list: StoredFlickrSession[]) => StoredFlickrSession[]): Promise<void> {
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
  private apply(stored: readonly StoredFlickrSession[], fire: boolean): void {
    const before = new Map(this.sessions.map((s) => [s.id, s]));
    const after = new Map(stored.map((s) => [s.id, s]));
    for (const s of stored) {
      registerSecret(s.token);
      registerSecret(s.tokenSecret);
    }
    const added = stored.filter((s) => !before.has(s.id)).map(toSession);
    const removed = [...before.values()].filter((s) => !after.has(s.id)).map(toSession);
    const changed = stored.filter((s) => {
      const old = before.get(s.id);
      return old && (old.token !== s.token || old.perms !== s.perms || old.username !== s.username);
    }).map(toSession);
    this.sessions = [...stored];
    if (fire && added.length + removed.length + changed.length > 0) this.changes.fire({ added, removed, changed });
  }
}

function toSession(s: StoredFlickrSession): vscode.AuthenticationSession {
  // The token alone signs nothing: the secret and the API secret never leave SecretStorage and this extension.
  return { id: s.id, accessToken: s.token, account: { id: s.nsid, label: s.username }, scopes: [s.perms] };
}
