import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startEmulator } from '../emulator/index';
import { EmulatorControl } from '../emulator/control';
import { signInForTest } from '../emulator/sign-in';
import { callJson } from '../emulator/test-client';
import { LIBRARY_HANDLERS } from '../emulator/library/routes';
import { SIGN_IN_SCOPES } from '../../src/google/scopes';

interface Method {
  id: string;
  httpMethod: string;
  flatPath: string;
  request?: { $ref: string };
}
// Google's own discovery document (rev 20240605), kept beside the emulator so a fresh clone has it.
const discovery = JSON.parse(readFileSync('test/emulator/discovery/photoslibrary.v1.json', 'utf8')) as {
  resources: Record<string, { methods: Record<string, Method> }>;
};
const methods = Object.entries(discovery.resources).flatMap(([resource, r]) => Object.entries(r.methods).map(([name, m]) => ({ name: `${resource}.${name}`, ...m })));
/** Gone since 2025-03-31 (reference §1): sharing. */
const REMOVED = new Set(['albums.share', 'albums.unshare', 'sharedAlbums.get', 'sharedAlbums.join', 'sharedAlbums.leave', 'sharedAlbums.list']);
type ErrorBody = { error: { code: number; message: string; status: string } };

test('the emulator implements exactly the still-supported discovery methods', () => {
  assert.equal(methods.length, 19);
  const supported = methods.filter((m) => !REMOVED.has(m.name)).map((m) => m.name).sort();
  assert.deepEqual(Object.keys(LIBRARY_HANDLERS).sort(), supported);
});

test('walk the discovery document: every method is routed and validated; removed ones are 403', async () => {
  const emu = await startEmulator();
  const control = new EmulatorControl(emu.control);
  try {
    const { tokens } = await signInForTest(emu.endpoints, SIGN_IN_SCOPES);
    const token = tokens.access_token ?? '';
    const album = await callJson<{ id: string }>(`${emu.endpoints.library}/v1/albums`, token, 'POST', { album: { title: 'walk' } });
    const url = (m: Method, query = ''): string => `${emu.endpoints.library}/${m.flatPath.replace(/\{[^}]+\}/g, album.body.id)}${query}`;

    for (const m of methods) {
      if (REMOVED.has(m.name)) {
        const res = await callJson<ErrorBody>(url(m), token, m.httpMethod, m.request ? {} : undefined);
        assert.equal(res.status, 403, m.name);
        assert.equal(res.body.error.status, 'PERMISSION_DENIED', m.name);
        continue;
      }
      // An unknown query parameter is refused by name (the route exists and binds parameters like Google's front end).
      const q = await callJson<ErrorBody>(url(m, '?bogusParam=1'), token, m.httpMethod, m.request ? {} : undefined);
      assert.equal(q.status, 400, `${m.name} query`);
      assert.match(q.body.error.message, /Unknown name "bogusParam": Cannot bind query parameter/, m.name);
      if (m.request) {
        const b = await callJson<ErrorBody>(url(m), token, m.httpMethod, { bogusField: 1 });
        assert.equal(b.status, 400, `${m.name} body`);
        assert.equal(b.body.error.message, 'Invalid JSON payload received. Unknown name "bogusField": Cannot find field.', m.name);
      }
      // No token at all: Google's 401 envelope.
      const anon = await callJson<ErrorBody>(url(m), undefined, m.httpMethod, m.request ? {} : undefined);
      assert.equal(anon.status, 401, `${m.name} anonymous`);
      assert.equal(anon.body.error.status, 'UNAUTHENTICATED');
    }
    const counts = (await control.state()).requestCounts;
    for (const m of methods) assert.ok((counts[`library.${m.name}`] ?? 0) > 0, `counted ${m.name}`);
    // A wrong HTTP method on a real path is not a method: 404.
    const wrong = await fetch(`${emu.endpoints.library}/v1/albums`, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } });
    assert.equal(wrong.status, 404);
    await wrong.arrayBuffer();
  } finally {
    await emu.close();
  }
});

test('over-limit sizes, nested unknown fields and wrong types are rejected as Google does', async () => {
  const emu = await startEmulator();
  try {
    const { tokens } = await signInForTest(emu.endpoints, SIGN_IN_SCOPES);
    const token = tokens.access_token ?? '';
    const lib = emu.endpoints.library;
    const tooMany = Array.from({ length: 51 }, () => ({ simpleMediaItem: { uploadToken: 'x' } }));
    assert.equal((await callJson(`${lib}/v1/mediaItems:batchCreate`, token, 'POST', { newMediaItems: tooMany })).status, 400);
    const ids = Array.from({ length: 51 }, (_, i) => `mediaItemIds=AAAAAAAAAAAAAAA${i}`).join('&');
    assert.equal((await callJson(`${lib}/v1/mediaItems:batchGet?${ids}`, token)).status, 400);
    assert.equal((await callJson(`${lib}/v1/mediaItems:batchGet?mediaItemIds=AAAAAAAAAAAA&mediaItemIds=AAAAAAAAAAAA`, token)).status, 400);
    assert.equal((await callJson(`${lib}/v1/albums`, token, 'POST', { album: { title: 't'.repeat(501) } })).status, 400);
    const nested = await callJson<ErrorBody>(`${lib}/v1/albums`, token, 'POST', { album: { title: 'ok', colour: 'red' } });
    assert.equal(nested.status, 400);
    assert.equal(nested.body.error.message, 'Invalid JSON payload received. Unknown name "colour" at \'album\': Cannot find field.');
    const typed = await callJson<ErrorBody>(`${lib}/v1/mediaItems:search`, token, 'POST', { pageSize: 'many' });
    assert.equal(typed.status, 400);
    assert.match(typed.body.error.message, /Invalid value at 'page_size' \(TYPE_INT32\), "many"/);
    const badEnum = await callJson<ErrorBody>(`${lib}/v1/mediaItems:search`, token, 'POST', { filters: { mediaTypeFilter: { mediaTypes: ['HOLOGRAM'] } } });
    assert.equal(badEnum.status, 400);
    const qType = await callJson<ErrorBody>(`${lib}/v1/albums?pageSize=ten`, token);
    assert.equal(qType.status, 400);
    const fiveDates = { filters: { dateFilter: { dates: Array.from({ length: 6 }, () => ({ year: 2020 })) } } };
    assert.equal((await callJson(`${lib}/v1/mediaItems:search`, token, 'POST', fiveDates)).status, 400);
    const big = await callJson<{ albums?: unknown[] }>(`${lib}/v1/albums?pageSize=500`, token);
    assert.equal(big.status, 200);
  } finally {
    await emu.close();
  }
});
