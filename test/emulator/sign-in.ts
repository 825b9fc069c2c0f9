import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CodeChallengeMethod, OAuth2Client, type Credentials } from 'google-auth-library';
import type { Endpoints } from '../../src/google/endpoints';
import { completeConsent } from './consent';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from './state';

export interface LoopbackResult {
  params: URLSearchParams;
  redirectUri: string;
}

/** A one-shot loopback redirect server on 127.0.0.1, as a desktop app runs during sign-in. */
export async function loopbackServer(): Promise<{ redirectUri: string; result: Promise<LoopbackResult>; close(): void }> {
  let resolve!: (r: LoopbackResult) => void;
  const result = new Promise<LoopbackResult>((r) => (resolve = r));
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end('Signed in. You can close this tab.');
    resolve({ params: url.searchParams, redirectUri });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { redirectUri, result, close: () => server.close() };
}

export function oauthClient(endpoints: Endpoints, redirectUri?: string, clientId = DEFAULT_CLIENT_ID, clientSecret = DEFAULT_CLIENT_SECRET): OAuth2Client {
  return new OAuth2Client({
    clientId,
    clientSecret,
    redirectUri,
    endpoints: { oauth2AuthBaseUrl: endpoints.authorize, oauth2TokenUrl: endpoints.token, oauth2RevokeUrl: endpoints.revoke },
  });
}

/**
 * Test helper: the whole installed-app sign-in (loopback + PKCE S256 + consent Allow) against the
 * emulator with google-auth-library. Returns the client with credentials set.
 */
export async function signInForTest(
  endpoints: Endpoints,
  scopes: readonly string[],
  opts: { account?: string; includeGrantedScopes?: boolean; clientId?: string; clientSecret?: string } = {},
): Promise<{ client: OAuth2Client; tokens: Credentials }> {
  const loop = await loopbackServer();
  try {
    const client = oauthClient(endpoints, loop.redirectUri, opts.clientId, opts.clientSecret);
    const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
    const state = `state-${Math.random().toString(36).slice(2)}`;
    const url = client.generateAuthUrl({
      access_type: 'offline',
      scope: [...scopes],
      code_challenge_method: CodeChallengeMethod.S256,
      code_challenge: codeChallenge,
      prompt: 'consent',
      state,
      include_granted_scopes: opts.includeGrantedScopes,
    });
    await completeConsent(url, { account: opts.account });
    const { params } = await loop.result;
    if (params.get('state') !== state) throw new Error('state mismatch on loopback redirect');
    const code = params.get('code');
    if (!code) throw new Error(`sign-in failed: ${params.get('error')}`);
    const { tokens } = await client.getToken({ code, codeVerifier, redirect_uri: loop.redirectUri });
    client.setCredentials(tokens);
    return { client, tokens };
  } finally {
    loop.close();
  }
}
