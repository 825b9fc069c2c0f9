import type * as vscode from 'vscode';
import type { FlickrCredentials, OAuth1CredentialSource } from '../../flickr/oauth1';
import { FlickrAuthError } from './authError';
import { FLICKR_AUTH_PROVIDER_ID, type FlickrAuthProvider } from './provider';

/**
 * Flickr credentials for the Flickr client, only through `vscode.authentication.getSession` (never
 * prompting: background syncs must not pop a dialog), then the secrets from the provider itself.
 */
export class SessionCredentialSource implements OAuth1CredentialSource {
  constructor(
    private readonly deps: {
      authentication: Pick<typeof vscode.authentication, 'getSession'>;
      provider: Pick<FlickrAuthProvider, 'accounts' | 'credentialsFor' | 'rejected'>;
    },
  ) {}

  async credentials(accountId: string, scopes: readonly string[], signal?: AbortSignal): Promise<FlickrCredentials> {
    signal?.throwIfAborted();
    const account = this.deps.provider.accounts.find((a) => a.id === accountId);
    if (!account) throw new FlickrAuthError('signedOut', 'Photo Sync is not signed in to Flickr with this account. Sign in to Flickr to continue.');
    const session = await this.deps.authentication.getSession(FLICKR_AUTH_PROVIDER_ID, [...scopes], { silent: true, account: { id: account.id, label: account.label } });
    signal?.throwIfAborted();
    if (!session) {
      throw new FlickrAuthError('signedOut', `The Flickr sign-in of ${account.label} allows “${account.perms}”, and this needs “${scopes.join(', ')}”. Sign in to Flickr again to allow it.`);
    }
    return this.deps.provider.credentialsFor(session.id);
  }

  rejected(accountId: string): void {
    void this.deps.provider.rejected(accountId);
  }
}
