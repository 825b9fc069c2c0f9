import type { Route, Service } from '../routes';
import { accessToken, authorizePage, authorizeSubmit, requestToken } from './oauth';
import { rest } from './rest';
import { staticPhoto } from './static';
import { upload } from './upload';

/** Everything Flickr lives under this prefix of the emulator's one server. */
export const FLICKR_PREFIX = '/flickr';

/** The Flickr addresses a client is configured with (the printed `endpoints.flickr`). */
export interface FlickrEndpoints {
  requestToken: string;
  authorize: string;
  accessToken: string;
  rest: string;
  upload: string;
  /** Base of the photo-bytes URLs (live.staticflickr.com's stand-in). */
  photos: string;
}

export function flickrEndpoints(origin: string): FlickrEndpoints {
  const base = `${origin}${FLICKR_PREFIX}`;
  return {
    requestToken: `${base}/services/oauth/request_token`,
    authorize: `${base}/services/oauth/authorize`,
    accessToken: `${base}/services/oauth/access_token`,
    rest: `${base}/services/rest`,
    upload: `${base}/services/upload/`,
    photos: `${base}/live`,
  };
}

const readOrPost = (m: string): boolean => m === 'GET' || m === 'POST';

/** Routes below /flickr; `op` names them in the shared request counts and fault patterns. */
export const flickrService: Service = {
  prefix: FLICKR_PREFIX,
  resolve: (method, path): Route | undefined => {
    if (path === '/services/oauth/request_token' && readOrPost(method)) return { op: 'flickr.oauth.request_token', handle: requestToken };
    if (path === '/services/oauth/access_token' && readOrPost(method)) return { op: 'flickr.oauth.access_token', handle: accessToken };
    if (path === '/services/oauth/authorize' && method === 'GET') return { op: 'flickr.oauth.authorize', handle: authorizePage };
    if (path === '/services/oauth/authorize' && method === 'POST') return { op: 'flickr.oauth.authorize.submit', handle: authorizeSubmit };
    if ((path === '/services/rest' || path === '/services/rest/') && readOrPost(method)) return { op: 'flickr.rest', handle: rest };
    if ((path === '/services/upload' || path === '/services/upload/') && method === 'POST') return { op: 'flickr.upload', handle: upload };
    if (path.startsWith('/live/') && (method === 'GET' || method === 'HEAD')) return { op: 'flickr.photos', handle: staticPhoto };
    return undefined;
  },
};
