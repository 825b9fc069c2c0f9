// Flickr's three front doors: OAuth on www.flickr.com, the REST API on api.flickr.com, uploads on
// up.flickr.com. `photoSync.endpoints` overrides them with the keys below (the emulator does).
import { endpointOverride } from '../util/endpointSetting';

export interface FlickrEndpoints {
  /** Base of request_token, authorize and access_token. */
  oauth: string;
  /** The REST endpoint (`?method=flickr.x.y`). */
  rest: string;
  /** The upload endpoint (multipart POST). */
  upload: string;
}

/** The `photoSync.endpoints` keys for Flickr's addresses. */
export const FLICKR_ENDPOINT_SETTINGS = { oauth: 'flickrOAuth', rest: 'flickrRest', upload: 'flickrUpload' } as const satisfies Record<keyof FlickrEndpoints, string>;

export const FLICKR_ENDPOINTS: Readonly<FlickrEndpoints> = Object.freeze({
  oauth: 'https://www.flickr.com/services/oauth',
  rest: 'https://api.flickr.com/services/rest',
  upload: 'https://up.flickr.com/services/upload/',
});

export type OAuthStep = 'request_token' | 'authorize' | 'access_token';

export function oauthUrl(endpoints: FlickrEndpoints, step: OAuthStep): string {
  return `${endpoints.oauth.replace(/\/+$/, '')}/${step}`;
}

/**
 * Flickr's addresses with the user's `photoSync.endpoints` overrides. Each must be an absolute
 * https URL (plain http only for 127.0.0.1, the emulator). The URL is kept as written apart from
 * URL normalisation (lower-case scheme and host): the signature covers exactly the URL sent, and a
 * trailing slash is part of it.
 */
export function resolveFlickrEndpoints(settings: Readonly<Record<string, unknown>> | undefined): FlickrEndpoints {
  const result: FlickrEndpoints = { ...FLICKR_ENDPOINTS };
  for (const [field, key] of Object.entries(FLICKR_ENDPOINT_SETTINGS) as [keyof FlickrEndpoints, string][]) {
    const value = settings?.[key];
    const url = endpointOverride(key, value);
    if (!url) continue;
    if (url.search || url.hash) throw new Error(`Setting photoSync.endpoints.${key} must not have a query or fragment: "${value}".`);
    result[field] = url.toString();
  }
  return result;
}
