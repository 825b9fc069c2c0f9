import type { OAuth2Client } from 'google-auth-library';
import type { Endpoints } from '../google/endpoints';
import type { OAuthClientConfig } from './clientConfig';

/** Access tokens are renewed when they have less than this left. */
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;

/**
 * An OAuth2Client pointed at `photoSync.endpoints` (Google's, or the emulator's). google-auth-library
 * (with gaxios) is loaded on first use — the first sign-in or token refresh — not at activation.
 */
export async function createOAuthClient(client: OAuthClientConfig | undefined, endpoints: Endpoints, redirectUri?: string): Promise<OAuth2Client> {
  const { OAuth2Client } = await import('google-auth-library');
  return new OAuth2Client({
    clientId: client?.clientId,
    clientSecret: client?.clientSecret,
    redirectUri,
    eagerRefreshThresholdMillis: REFRESH_MARGIN_MS,
    endpoints: {
      oauth2AuthBaseUrl: endpoints.authorize,
      oauth2TokenUrl: endpoints.token,
      oauth2RevokeUrl: endpoints.revoke,
    },
  });
}
