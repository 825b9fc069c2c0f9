import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readManifest } from '../helpers/manifest';
import { ENDPOINT_KEYS, GOOGLE_ENDPOINTS, resolveEndpoints } from '../../src/google/endpoints';
import { FLICKR_ENDPOINT_SETTINGS, FLICKR_ENDPOINTS } from '../../src/flickr/endpoints';

test('defaults are Google addresses and match the manifest setting', () => {
  const manifest = readManifest<{ contributes: { configuration: { properties: Record<string, { default: Record<string, string>; properties: Record<string, { default: string }> }> } } }>();
  const setting = manifest.contributes.configuration.properties['photoSync.endpoints'];
  const flickrKeys = Object.values(FLICKR_ENDPOINT_SETTINGS);
  assert.deepEqual(Object.keys(setting.properties).sort(), [...ENDPOINT_KEYS, ...flickrKeys].sort());
  const flickrDefaults = Object.fromEntries(Object.entries(FLICKR_ENDPOINT_SETTINGS).map(([field, key]) => [key, FLICKR_ENDPOINTS[field as keyof typeof FLICKR_ENDPOINTS]]));
  assert.deepEqual(setting.default, { ...GOOGLE_ENDPOINTS, ...flickrDefaults });
  for (const key of ENDPOINT_KEYS) assert.equal(setting.properties[key].default, GOOGLE_ENDPOINTS[key]);
  for (const key of flickrKeys) assert.equal(setting.properties[key].default, flickrDefaults[key]);
});

test('overrides merge over defaults and lose trailing slashes', () => {
  const e = resolveEndpoints({ library: 'http://127.0.0.1:9000/photoslibrary/' });
  assert.equal(e.library, 'http://127.0.0.1:9000/photoslibrary');
  assert.equal(e.token, GOOGLE_ENDPOINTS.token);
});

test('plain http to a non-loopback host is refused with the setting name', () => {
  assert.throws(() => resolveEndpoints({ token: 'http://example.com/token' }), /photoSync\.endpoints\.token must use https/);
  assert.throws(() => resolveEndpoints({ token: 'not a url' }), /not a valid URL/);
  assert.throws(() => resolveEndpoints({ token: 42 }), /must be a URL string/);
});
