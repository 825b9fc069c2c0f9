import { OAuth2Client } from 'google-auth-library';
import type { Endpoints } from '../google/endpoints';
import type { OAuthClientConfig } from './clientConfig';

/** Access tokens are renewed when they have less than this left. */
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;

/** An OAuth2Client pointed at `photoSync.endpoints` (Google's, or the emulator's). */
export function createOAuthClient(client: OAuthClientConfig | undefined, endpoints: Endpoints, redirectUri?: string): OAuth2Client {
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
