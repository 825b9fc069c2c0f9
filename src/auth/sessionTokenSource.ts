import type * as vscode from 'vscode';
import type { TokenSource } from '../google/tokenSource';
import { AuthError } from './authError';
import { AUTH_PROVIDER_ID, type GooglePhotosAuthProvider } from './provider';

export interface SessionTokenSourceDeps {
  authentication: Pick<typeof vscode.authentication, 'getSession'>;
  provider: Pick<GooglePhotosAuthProvider, 'invalidateAccessToken' | 'refreshFailure'>;
  /**
   * Whether a missing session (or missing scopes, e.g. the Picker's) may ask the user to sign in
   * or consent. Background work passes false so it never pops a dialog.
   */
  interactive?: boolean;
  /**
   * The account whose tokens these are (a sync folder's chosen account). Without it VS Code picks the
   * session (its preferred account); with it no other account's session is ever returned.
   */
  account?: { id: string; label: string };
}

/**
 * Access tokens for the Google clients, only through `vscode.authentication.getSession`, so VS Code
 * keeps track of which extension uses which account and scopes.
 */
export class SessionTokenSource implements TokenSource {
  constructor(private readonly deps: SessionTokenSourceDeps) {}

  async getAccessToken(scopes: readonly string[], signal?: AbortSignal): Promise<string> {
    signal?.throwIfAborted();
    const { authentication, interactive = true, account } = this.deps;
    let session = await authentication.getSession(AUTH_PROVIDER_ID, [...scopes], { silent: true, account });
    if (!session && interactive) {
      // Asks for what is missing: a first sign-in, or incremental consent for extra scopes.
      session = await authentication.getSession(AUTH_PROVIDER_ID, [...scopes], { createIfNone: true, account });
    }
    signal?.throwIfAborted();
    if (!session) throw new AuthError('signedOut', account ? `${account.label} is not signed in to Google Photos.` : 'Not signed in to Google Photos.');
    if (account && session.account.id !== account.id) throw new AuthError('signedOut', `${account.label} is not signed in to Google Photos.`);
    if (!session.accessToken) {
      // The provider kept the session but could not renew its token: rethrow why (network, client…).
      throw this.deps.provider.refreshFailure(session.id) ?? new AuthError('network', 'Could not renew the Google access token.');
    }
    return session.accessToken;
  }

  invalidate(token: string): void {
    this.deps.provider.invalidateAccessToken(token);
  }
}
