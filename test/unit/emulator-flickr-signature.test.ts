// The Flickr emulator's own OAuth 1.0a verifier, pinned by published vectors: RFC 5849's examples
// (§1.2, and §3.4.1 with the secrets of errata 2550), OAuth Core 1.0a Appendix A.5, Flickr's own
// auth.oauth.html example, and the wackylabs.net "OAuth and Flickr" walkthrough the brief cites.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formParams } from '../emulator/flickr/request';
import { baseStringUri, hmacSha1, normalizeParameters, percentEncode, signatureBaseString, type Param } from '../emulator/flickr/signature';

test('percent-encoding is RFC 3986: unreserved kept, everything else UTF-8 %XX in upper case', () => {
  assert.equal(percentEncode('AZaz09-._~'), 'AZaz09-._~');
  assert.equal(percentEncode(' '), '%20'); // never "+"
  assert.equal(percentEncode('+'), '%2B');
  assert.equal(percentEncode('*'), '%2A');
  assert.equal(percentEncode('%'), '%25');
  assert.equal(percentEncode("!'()"), '%21%27%28%29'); // encodeURIComponent leaves these
  assert.equal(percentEncode('é'), '%C3%A9');
  assert.equal(percentEncode('📷'), '%F0%9F%93%B7');
  assert.equal(percentEncode('\n/=&?'), '%0A%2F%3D%26%3F');
});

test('RFC 5849 §3.4.1.2: base string URI lowercases scheme and host, drops the default port and the query', () => {
  assert.equal(baseStringUri('HTTP://EXAMPLE.COM:80/r%20v/X?id=123'), 'http://example.com/r%20v/X');
  assert.equal(baseStringUri('https://www.example.net:8080/?q=1'), 'https://www.example.net:8080/');
});

test('RFC 5849 §3.4.1: the example request gives the published base string and, per errata 2550, its signature', () => {
  // POST /request?b5=%3D%253D&a3=a&c%40=&a2=r%20b with body c2&a3=2+q (form-urlencoded).
  const params: Param[] = [
    ...formParams('b5=%3D%253D&a3=a&c%40=&a2=r%20b'),
    ...formParams('c2&a3=2+q'),
    ['oauth_consumer_key', '9djdj82h48djs9d2'],
    ['oauth_token', 'kkk9d7dh3k39sjv7'],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', '137131201'],
    ['oauth_nonce', '7d8f3e4a'],
  ];
  assert.equal(
    normalizeParameters(params),
    'a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9djdj82h48djs9d2&oauth_nonce=7d8f3e4a&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201&oauth_token=kkk9d7dh3k39sjv7',
  );
  const base = signatureBaseString('POST', baseStringUri('http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b'), params);
  assert.equal(
    base,
    'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
  );
  assert.equal(hmacSha1(base, 'j49sk3j29djd', 'dh893hdasih9'), 'r6/TJjbCOr97/+UU0NsvSne7s5g=');
});

test('RFC 5849 §1.2: temporary credentials, token and protected resource requests', () => {
  const initiate = signatureBaseString('POST', 'https://photos.example.net/initiate', [
    ['oauth_consumer_key', 'dpf43f3p2l4k3l03'],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', '137131200'],
    ['oauth_nonce', 'wIjqoS'],
    ['oauth_callback', 'http://printer.example.com/ready'],
  ]);
  // No token yet: the key still ends in "&".
  assert.equal(hmacSha1(initiate, 'kd94hf93k423kf44'), '74KNZJeDHnMBp0EMJ9ZHt/XKycU=');

  const token = signatureBaseString('POST', 'https://photos.example.net/token', [
    ['oauth_consumer_key', 'dpf43f3p2l4k3l03'],
    ['oauth_token', 'hh5s93j4hdidpola'],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', '137131201'],
    ['oauth_nonce', 'walatlh'],
    ['oauth_verifier', 'hfdp7dh39dks9884'],
  ]);
  assert.equal(hmacSha1(token, 'kd94hf93k423kf44', 'hdhd0244k9j7ao03'), 'gKgrFCywp7rO0OXSjdot/IHF7IU=');

  const url = 'http://photos.example.net/photos?file=vacation.jpg&size=original';
  const photos = signatureBaseString('GET', baseStringUri(url), [
    ...formParams(new URL(url).search.slice(1)),
    ['oauth_consumer_key', 'dpf43f3p2l4k3l03'],
    ['oauth_token', 'nnch734d00sl2jdk'],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', '137131202'],
    ['oauth_nonce', 'chapoH'],
  ]);
  assert.equal(hmacSha1(photos, 'kd94hf93k423kf44', 'pfkkdhi9sl3r4s00'), 'MdpQcU8iPSUjWoN/UDMsK2sui9I=');
});

test('OAuth Core 1.0a Appendix A.5: base string and signature with oauth_version', () => {
  const base = signatureBaseString('GET', 'http://photos.example.net/photos', [
    ['file', 'vacation.jpg'],
    ['size', 'original'],
    ['oauth_consumer_key', 'dpf43f3p2l4k3l03'],
    ['oauth_token', 'nnch734d00sl2jdk'],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', '1191242096'],
    ['oauth_nonce', 'kllo9940pd9333jh'],
    ['oauth_version', '1.0'],
  ]);
  assert.equal(
    base,
    'GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal',
  );
  assert.equal(hmacSha1(base, 'kd94hf93k423kf44', 'pfkkdhi9sl3r4s00'), 'tR3+Ty81lMeYAr/Fid0kMTYa/WM=');
});

const FLICKR_DOC_PARAMS: Param[] = [
  ['oauth_nonce', '95613465'],
  ['oauth_timestamp', '1305586162'],
  ['oauth_consumer_key', '653e7a6ecc1d528c516cc8f92cf98611'],
  ['oauth_signature_method', 'HMAC-SHA1'],
  ['oauth_version', '1.0'],
  ['oauth_callback', 'http://www.example.com'],
];

test("Flickr's auth.oauth.html request_token example: its base string and signature 7w18YS2b…", () => {
  const base = signatureBaseString('GET', 'http://www.flickr.com/services/oauth/request_token', FLICKR_DOC_PARAMS);
  assert.equal(
    base,
    'GET&http%3A%2F%2Fwww.flickr.com%2Fservices%2Foauth%2Frequest_token&oauth_callback%3Dhttp%253A%252F%252Fwww.example.com%26oauth_consumer_key%3D653e7a6ecc1d528c516cc8f92cf98611%26oauth_nonce%3D95613465%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1305586162%26oauth_version%3D1.0',
  );
  // Flickr does not print the consumer secret; flickcurl's test suite reproduces the page's signature with this one.
  assert.equal(hmacSha1(base, 'a9567d986a7539fe'), '7w18YS2bONDPL/zgyzP5XTr5af4=');
  // The same request over https (Flickr's only scheme today) signs differently: the URL is in the base string.
  assert.notEqual(hmacSha1(signatureBaseString('GET', 'https://www.flickr.com/services/oauth/request_token', FLICKR_DOC_PARAMS), 'a9567d986a7539fe'), '7w18YS2bONDPL/zgyzP5XTr5af4=');
});

test('wackylabs.net "OAuth and Flickr part 2": published key, nonce and signature', () => {
  const base = signatureBaseString('GET', 'http://www.flickr.com/services/oauth/request_token', [
    ['oauth_nonce', 'C2F26CD5C075BA9050AD8EE90644CF29'],
    ['oauth_timestamp', '1316657628'],
    ['oauth_consumer_key', '768fe946d252b119746fda82e1599980'],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_version', '1.0'],
    ['oauth_callback', 'http://www.wackylabs.net/oauth/test'],
  ]);
  assert.equal(
    base,
    'GET&http%3A%2F%2Fwww.flickr.com%2Fservices%2Foauth%2Frequest_token&oauth_callback%3Dhttp%253A%252F%252Fwww.wackylabs.net%252Foauth%252Ftest%26oauth_consumer_key%3D768fe946d252b119746fda82e1599980%26oauth_nonce%3DC2F26CD5C075BA9050AD8EE90644CF29%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1316657628%26oauth_version%3D1.0',
  );
  assert.equal(hmacSha1(base, '1a3c208e172d3edc'), '0fhNGlzpFNAsTme/hDfUb5HPB5U=');
});

test('parameters sort by encoded name, then value, in byte order: "A" < "_" < "a" < "~"', () => {
  assert.equal(normalizeParameters([['b', 'x'], ['a', 'z'], ['a', 'y']]), 'a=y&a=z&b=x');
  assert.equal(normalizeParameters([['~', '1'], ['a', '1'], ['A', '1'], ['_', '1']]), 'A=1&_=1&a=1&~=1');
  assert.equal(normalizeParameters([['t', 'café 50% + *~']]), 't=caf%C3%A9%2050%25%20%2B%20%2A~');
});
