// Flickr's three front doors: OAuth on www.flickr.com, the REST API on api.flickr.com, uploads on
// up.flickr.com. `photoSync.endpoints` overrides them with the keys below (the emulator does).

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
    if (url.search || url.hash) throw new Error(`Setting photoSync.endpoints.${key} must not have a query or fragment: "${value}".`);
    result[field] = url.toString();
  }
  return result;
}
