// The extension's Flickr signing (oauth-1.0a underneath) against published examples, and against
// the emulator's own RFC 5849 verifier — an implementation written apart from it — for the strings
// that break hand-made signers: Unicode, spaces, ~ + * %, ! ' ( ), & = ? / #, emoji, newlines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { baseStringOf, encodeParams, percentEncode, signParams, type FlickrCredentials } from '../../src/flickr/oauth1';
import { diagnoseSignature, parseOAuthProblem } from '../../src/flickr/errors';
import { formParams } from '../emulator/flickr/request';
import { baseStringUri, hmacSha1, signatureBaseString, signatureMatches } from '../emulator/flickr/signature';

const at = (seconds: number) => ({ now: () => seconds * 1000 + 999, nonce: undefined as (() => string) | undefined });

test("Flickr's auth.oauth.html request_token example signs to its published signature", () => {
  const credentials: FlickrCredentials = { consumer: { key: '653e7a6ecc1d528c516cc8f92cf98611', secret: 'a9567d986a7539fe' } };
  const signed = signParams('GET', 'http://www.flickr.com/services/oauth/request_token', { oauth_callback: 'http://www.example.com' }, credentials, { ...at(1305586162), nonce: () => '95613465' });
  assert.equal(signed.oauth_timestamp, '1305586162', 'whole seconds, never milliseconds');
  assert.equal(signed.oauth_version, '1.0');
  assert.equal(signed.oauth_signature, '7w18YS2bONDPL/zgyzP5XTr5af4=');
});

test('wackylabs.net "OAuth and Flickr part 2": the published signature', () => {
  const credentials: FlickrCredentials = { consumer: { key: '768fe946d252b119746fda82e1599980', secret: '1a3c208e172d3edc' } };
  const signed = signParams('GET', 'http://www.flickr.com/services/oauth/request_token', { oauth_callback: 'http://www.wackylabs.net/oauth/test' }, credentials, {
    ...at(1316657628),
    nonce: () => 'C2F26CD5C075BA9050AD8EE90644CF29',
  });
  assert.equal(signed.oauth_signature, '0fhNGlzpFNAsTme/hDfUb5HPB5U=');
});

test('OAuth Core 1.0a Appendix A.5: a token-signed GET with query parameters', () => {
  const credentials: FlickrCredentials = { consumer: { key: 'dpf43f3p2l4k3l03', secret: 'kd94hf93k423kf44' }, token: { key: 'nnch734d00sl2jdk', secret: 'pfkkdhi9sl3r4s00' } };
  const signed = signParams('GET', 'http://photos.example.net/photos', { file: 'vacation.jpg', size: 'original' }, credentials, { ...at(1191242096), nonce: () => 'kllo9940pd9333jh' });
  assert.equal(signed.oauth_signature, 'tR3+Ty81lMeYAr/Fid0kMTYa/WM=');
  assert.equal(signed.oauth_token, 'nnch734d00sl2jdk');
  assert.equal(
    baseStringOf('GET', 'http://photos.example.net/photos', signed),
    'GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal',
  );
});

test('what is sent is what was signed: RFC 3986 encoding, a space is %20, the signature’s + / = are escaped', () => {
  assert.equal(percentEncode(' '), '%20');
  assert.equal(percentEncode('+'), '%2B');
  assert.equal(percentEncode("*!'()"), '%2A%21%27%28%29');
  assert.equal(percentEncode('~-._'), '~-._');
  assert.equal(percentEncode('é'), '%C3%A9');
  assert.equal(encodeParams({ oauth_signature: 'a+b/c=', title: 'two words' }), 'oauth_signature=a%2Bb%2Fc%3D&title=two%20words');
  // Read back as Flickr reads a form body ("+" would be a space): the same values.
  assert.deepEqual(formParams(encodeParams({ s: 'a+b/c=', t: '50% + *~' })), [
    ['s', 'a+b/c='],
    ['t', '50% + *~'],
  ]);
});

const credentials: FlickrCredentials = { consumer: { key: '5f0c3a9e8b7d41a6c2e94f1b08d7a3c6', secret: '7b1e9d04c6a3f258' }, token: { key: '72157720000000001-0123456789abcdef', secret: '0123456789abcdef' } };

/** Verifies a request the way the emulator does: decode what was sent, rebuild the base string, compare. */
function emulatorAccepts(method: 'GET' | 'POST', url: string, body: string): boolean {
  const params = formParams(body);
  const sent = params.find(([k]) => k === 'oauth_signature')?.[1] ?? '';
  const base = signatureBaseString(method, baseStringUri(url), params.filter(([k]) => k !== 'oauth_signature'));
  return signatureMatches(sent, hmacSha1(base, credentials.consumer.secret, credentials.token?.secret));
}

const TRICKY = [
  'Été à Zürich — 写真 📷',
  'two  spaces and a trailing space ',
  '~tilde~ +plus+ *star* %percent% 100%25',
  "!exclaim 'quote' (paren)",
  'a&b=c?d/e#f',
  'line one\nline two\ttab',
  '+',
  '%',
  '',
  'ẞ ǅ Å (NFC) vs Å (NFD)',
];

test('Unicode, spaces, ~ + * % and reserved characters in titles and descriptions verify on the emulator, by GET and by POST', () => {
  for (const value of TRICKY) {
    for (const method of ['GET', 'POST'] as const) {
      const url = 'http://127.0.0.1:1234/flickr/services/rest';
      const signed = signParams(method, url, { method: 'flickr.photosets.create', title: value, description: `${value} / description`, primary_photo_id: '1' }, credentials);
      assert.ok(emulatorAccepts(method, url, encodeParams(signed)), `${method} ${JSON.stringify(value)}`);
    }
  }
});

test('random strings of any code point verify on the emulator (500 cases)', () => {
  const alphabet = [...' ~+*%!\'()&=?/#;:@$,[]{}|\\^`"<>\t\n', 'aZ09-._', 'éüßç', '写真', '📷🌸', '\u0301', '\u00a0'].join('');
  const chars = [...alphabet];
  for (let i = 0; i < 500; i++) {
    const bytes = randomBytes(24);
    const value = [...bytes].map((b) => chars[b % chars.length]).join('');
    const url = 'http://127.0.0.1:1234/flickr/services/upload/';
    const signed = signParams('POST', url, { title: value, description: [...value].reverse().join(''), tags: `x:y=${i}` }, credentials);
    assert.ok(emulatorAccepts('POST', url, encodeParams(signed)), JSON.stringify(value));
  }
});

test('a lone surrogate (a WTF-16 file name) is sent and signed as U+FFFD instead of failing the request', () => {
  const url = 'http://127.0.0.1:1234/flickr/services/upload/';
  const signed = signParams('POST', url, { title: 'broken \uD83D name' }, credentials);
  assert.equal(signed.title, 'broken \uFFFD name');
  assert.ok(emulatorAccepts('POST', url, encodeParams(signed)));
});

test('a fresh nonce per request, and timestamps in whole seconds', () => {
  const a = signParams('GET', 'https://api.flickr.com/services/rest', { method: 'flickr.test.login' }, credentials);
  const b = signParams('GET', 'https://api.flickr.com/services/rest', { method: 'flickr.test.login' }, credentials);
  assert.notEqual(a.oauth_nonce, b.oauth_nonce);
  assert.match(a.oauth_timestamp, /^\d{10}$/);
});

test('signature_invalid: Flickr’s debug_sbs is read whole, and compared with ours names the first parameter that differs, never a value', () => {
  const ours = 'GET&https%3A%2F%2Fapi.flickr.com%2Fservices%2Frest&method%3Dx%26oauth_token%3Dsecret%26title%3Da%2520b';
  const problem = parseOAuthProblem(`oauth_problem=signature_invalid&debug_sbs=${ours}`);
  assert.deepEqual(problem, { problem: 'signature_invalid', debugBaseString: ours });
  assert.deepEqual(diagnoseSignature(ours, ours), { kind: 'secret' });
  const theirs = ours.replace('title%3Da%2520b', 'title%3Da%252Bb');
  assert.deepEqual(diagnoseSignature(ours, theirs), { kind: 'encoding', parameter: 'title' });
  assert.deepEqual(diagnoseSignature(ours, undefined), { kind: 'unknown' });
  assert.equal(parseOAuthProblem('{"stat":"fail"}'), undefined);
  assert.deepEqual(parseOAuthProblem('oauth_problem=token_rejected'), { problem: 'token_rejected', debugBaseString: undefined });
});
