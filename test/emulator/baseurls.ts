import { randomId } from './ids';
import type { EmulatorState } from './state';

export const BASE_URL_LIFETIME_MS = 60 * 60 * 1000;
export const MEDIA_PREFIX = '/lh3';

/** A fresh baseUrl for an item, valid 60 minutes (like lh3.googleusercontent.com/lr/… URLs). */
export function issueBaseUrl(state: EmulatorState, origin: string, mediaItemId: string, kind: 'library' | 'picker', userSub: string): string {
  const key = `AAJ1Lk${randomId(80)}`;
  state.baseUrls.set(key, { key, mediaItemId, kind, userSub, expiresAt: state.clock.now() + BASE_URL_LIFETIME_MS });
  return `${origin}${MEDIA_PREFIX}/${kind === 'library' ? 'lr' : 'pr'}/${key}`;
}
