/** The service addresses the extension talks to; `photoSync.endpoints` overrides them (the emulator does). */
import { endpointOverride } from '../util/endpointSetting';
export interface Endpoints {
  authorize: string;
  token: string;
  revoke: string;
  userinfo: string;
  library: string;
  picker: string;
  /** Google Drive API root (googleapis' `rootUrl` without its trailing slash). */
  drive: string;
}

export const ENDPOINT_KEYS = ['authorize', 'token', 'revoke', 'userinfo', 'library', 'picker', 'drive'] as const satisfies readonly (keyof Endpoints)[];

export const GOOGLE_ENDPOINTS: Readonly<Endpoints> = Object.freeze({
  authorize: 'https://accounts.google.com/o/oauth2/v2/auth',
  token: 'https://oauth2.googleapis.com/token',
  revoke: 'https://oauth2.googleapis.com/revoke',
  userinfo: 'https://openidconnect.googleapis.com/v1/userinfo',
  library: 'https://photoslibrary.googleapis.com',
  picker: 'https://photospicker.googleapis.com',
  drive: 'https://www.googleapis.com',
});

/**
 * Merges a user's `photoSync.endpoints` over Google's defaults. Each value must be an absolute
 * http(s) URL; plain http is allowed only for loopback hosts (the emulator), never for a real server.
 */
export function resolveEndpoints(overrides: Partial<Record<string, unknown>> | undefined): Endpoints {
  const result: Endpoints = { ...GOOGLE_ENDPOINTS };
  for (const key of ENDPOINT_KEYS) {
    const value = overrides?.[key];
    if (!endpointOverride(key, value)) continue;
    result[key] = (value as string).replace(/\/+$/, '');
  }
  return result;
}
