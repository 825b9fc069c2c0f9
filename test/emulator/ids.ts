import { randomBytes } from 'node:crypto';

const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Random text from Google's URL-safe alphabet (ids, tokens, codes look like Google's). */
export function randomId(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += URL_SAFE[bytes[i] % URL_SAFE.length];
  return out;
}

export const newAccessToken = (): string => `ya29.a0${randomId(150)}`;
export const newRefreshToken = (): string => `1//0${randomId(100)}`;
export const newAuthCode = (): string => `4/0${randomId(70)}`;
/** Library ids are long opaque strings starting with "A" (as Google's are). */
export const newLibraryId = (): string => `A${randomId(75)}`;
