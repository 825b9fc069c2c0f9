// A TokenSource backed by a real sign-in to the emulator (installed-app OAuth with PKCE and a loopback
// redirect, through google-auth-library — the emulator's signInForTest), for clients under test.
import type { OAuth2Client } from 'google-auth-library';
import type { Endpoints } from '../../src/google/endpoints';
import type { TokenSource } from '../../src/google/tokenSource';
import { signInForTest } from '../emulator/sign-in';

export interface EmulatorTokenSource extends TokenSource {
  /** Access tokens obtained with the refresh token since sign-in (the sign-in's own token not counted). */
  readonly refreshes: number;
  /** The access token currently held, if any. */
  readonly currentToken: string | undefined;
  readonly client: OAuth2Client;
}

/**
 * Signs in to the emulator with `scopes` and returns a TokenSource. It ignores the scopes each call
 * asks for and returns its token (the emulator enforces scopes, as Google does); after
 * `invalidate(token)` the next call refreshes with the refresh token.
 */
export async function emulatorTokenSource(emulator: { endpoints: Endpoints }, scopes: readonly string[], options: { account?: string } = {}): Promise<EmulatorTokenSource> {
  const { client } = await signInForTest(emulator.endpoints, scopes, { account: options.account });
  let refreshes = 0;
  client.on('tokens', () => refreshes++);
  return {
    client,
    get refreshes() {
      return refreshes;
    },
    get currentToken() {
      return client.credentials.access_token ?? undefined;
    },
    async getAccessToken() {
      const { token } = await client.getAccessToken();
      if (!token) throw new Error('The emulator gave no access token.');
      return token;
    },
    invalidate(token: string) {
      // Forget the token so the next getAccessToken() refreshes; the refresh token stays.
      if (client.credentials.access_token === token) client.setCredentials({ ...client.credentials, access_token: null, expiry_date: 0 });
    },
  };
}
