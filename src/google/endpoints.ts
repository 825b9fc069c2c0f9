/** The service addresses the extension talks to; `photoSync.endpoints` overrides them (the emulator does). */
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
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string') throw new Error(`Setting photoSync.endpoints.${key} must be a URL string.`);
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new Error(`Setting photoSync.endpoints.${key} is not a valid URL: "${value}".`);
    }
    const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
      throw new Error(`Setting photoSync.endpoints.${key} must use https (plain http only for 127.0.0.1): "${value}".`);
    }
    result[key] = value.replace(/\/+$/, '');
  }
  return result;
}
