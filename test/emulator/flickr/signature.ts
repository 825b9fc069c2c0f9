import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The emulator's own OAuth 1.0a HMAC-SHA1 signer/verifier (RFC 5849 §3.4), written from the RFC
 * rather than taken from a library, so client libraries are checked against an independent side.
 * Pinned by published vectors in test/unit/emulator-flickr-signature.test.ts.
 */

export type Param = readonly [name: string, value: string];

/** RFC 5849 §3.6: UTF-8 first, RFC 3986 unreserved characters literal, everything else %XX in uppercase. */
export function percentEncode(value: string): string {
  let out = '';
  for (const b of Buffer.from(value, 'utf8')) {
    const unreserved = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2d || b === 0x2e || b === 0x5f || b === 0x7e;
    out += unreserved ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** §3.4.1.3.2: encode each name and value, sort by name then value (byte order), join k=v with "&". */
export function normalizeParameters(params: readonly Param[]): string {
  const encoded = params.map(([k, v]) => [percentEncode(k), percentEncode(v)] as const);
  // Encoded text is plain ASCII, so UTF-16 code unit order is byte order.
  encoded.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return encoded.map(([k, v]) => `${k}=${v}`).join('&');
}

/** §3.4.1.2: lowercase scheme and host, the port only when not the scheme's default, the path, no query. */
export function baseStringUri(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
}

/** §3.4.1.1: METHOD&enc(base string URI)&enc(normalized parameters). `params` must not hold oauth_signature. */
export function signatureBaseString(method: string, baseUri: string, params: readonly Param[]): string {
  return [method.toUpperCase(), percentEncode(baseUri), percentEncode(normalizeParameters(params))].join('&');
}

/** §3.4.2: key = enc(client secret) & enc(token secret) — the "&" stays when there is no token secret. */
export function hmacSha1(baseString: string, consumerSecret: string, tokenSecret = ''): string {
  const key = `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
  return createHmac('sha1', key).update(baseString, 'utf8').digest('base64');
}

/** Constant-time comparison of the signature the client sent with the expected one. */
export function signatureMatches(sent: string, expected: string): boolean {
  const a = Buffer.from(sent, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
