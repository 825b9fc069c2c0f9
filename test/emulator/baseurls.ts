import { bearerOf, liveAccessToken } from './auth';
import type { RequestContext } from './context';
import { randomId } from './ids';
import type { EmulatorState } from './state';

export const BASE_URL_LIFETIME_MS = 60 * 60 * 1000;
export const MEDIA_PREFIX = '/lh3';

/** Fetches of base URLs the state keeps (the oldest go first beyond this). */
export const MEDIA_FETCH_LOG_MAX = 20_000;

/** The user whose live access token the request carries (the caller a base URL is issued to). */
export function requesterSub(ctx: RequestContext): string | undefined {
  return liveAccessToken(ctx.state, bearerOf(ctx.req, ctx.url))?.userSub;
}

/**
 * A fresh baseUrl for an item, valid 60 minutes (like lh3.googleusercontent.com/lr/… URLs). `userSub`
 * owns the item; `obtainedBy` is the user whose token asked for it (the state's mediaFetches tell
 * tests whose request got the address each fetch used).
 */
export function issueBaseUrl(state: EmulatorState, origin: string, mediaItemId: string, kind: 'library' | 'picker', userSub: string, obtainedBy?: string): string {
  const key = `AAJ1Lk${randomId(80)}`;
  state.baseUrls.set(key, { key, mediaItemId, kind, userSub, obtainedBy, expiresAt: state.clock.now() + BASE_URL_LIFETIME_MS });
  return `${origin}${MEDIA_PREFIX}/${kind === 'library' ? 'lr' : 'pr'}/${key}`;
}
