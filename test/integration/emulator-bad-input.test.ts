import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { startEmulator } from '../emulator/index';
import { EmulatorControl } from '../emulator/control';
import { signInForTest } from '../emulator/sign-in';
import { callJson } from '../emulator/test-client';
import { PICKER_SCOPES, SIGN_IN_SCOPES } from '../../src/google/scopes';

type ErrorBody = { error: { code: number; message: string; status: string } };

test('malformed JSON, wrong content types, bad Authorization and oversized bodies get Google errors, not 200s', async () => {
  const emu = await startEmulator();
  const control = new EmulatorControl(emu.control);
  try {
    const { tokens } = await signInForTest(emu.endpoints, [...SIGN_IN_SCOPES, ...PICKER_SCOPES]);
    const token = tokens.access_token ?? '';
    const lib = emu.endpoints.library;

    const broken = await callJson<ErrorBody>(`${lib}/v1/albums`, token, 'POST', '{"album": {"title": ');
    assert.equal(broken.status, 400);
    assert.equal(broken.body.error.status, 'INVALID_ARGUMENT');
    assert.match(broken.body.error.message, /^Invalid JSON payload received\./);
    assert.equal((await callJson(`${lib}/v1/albums`, token, 'POST', '[1,2]')).status, 400);
    assert.equal((await callJson(`${lib}/v1/albums`, token, 'POST', '{"album":{"title":"x"}}', { 'Content-Type': 'application/xml' })).status, 400);

    for (const auth of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer not-a-token', 'ya29.raw-without-scheme']) {
      const res = await callJson<ErrorBody>(`${lib}/v1/albums`, undefined, 'GET', undefined, { Authorization: auth });
      assert.equal(res.status, 401, auth);
      assert.equal(res.body.error.status, 'UNAUTHENTICATED');
    }

    const huge = await callJson<ErrorBody>(`${lib}/v1/mediaItems:search`, token, 'POST', JSON.stringify({ albumId: 'a'.repeat(11 * 1024 * 1024) }));
    assert.equal(huge.status, 400);
    assert.equal(huge.body.error.status, 'INVALID_ARGUMENT');
    assert.equal(huge.body.error.message, 'Request payload size exceeds the limit: 10485760 bytes.');

    const asJson = await fetch(`${lib}/v1/uploads`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'X-Goog-Upload-Protocol': 'raw' }, body: '{}' });
    assert.equal(asJson.status, 400);
    await asJson.arrayBuffer();
    const emptyUpload = await fetch(`${lib}/v1/uploads`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/octet-stream' } });
    assert.equal(emptyUpload.status, 400);
    await emptyUpload.arrayBuffer();
    const noSession = await fetch(`${lib}/v1/uploads?upload_id=nope&upload_protocol=resumable`, { method: 'POST', headers: { 'X-Goog-Upload-Command': 'query' } });
    assert.equal(noSession.status, 404);
    await noSession.arrayBuffer();
    const resumableNoStart = await fetch(`${lib}/v1/uploads`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'X-Goog-Upload-Protocol': 'resumable', 'X-Goog-Upload-Command': 'upload' } });
    assert.equal(resumableNoStart.status, 400);
    await resumableNoStart.arrayBuffer();

    // Bytes that are not a photo or video upload fine but cannot become a media item.
    const junk = await fetch(`${lib}/v1/uploads`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/octet-stream' }, body: new Uint8Array(randomBytes(1000)) });
    const junkToken = await junk.text();
    const junkItem = await callJson<{ newMediaItemResults: { status: { code: number } }[] }>(`${lib}/v1/mediaItems:batchCreate`, token, 'POST', { newMediaItems: [{ simpleMediaItem: { uploadToken: junkToken } }] });
    assert.equal(junkItem.body.newMediaItemResults[0].status.code, 3);

    const tokenGarbage = await fetch(emu.endpoints.token, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{{{' });
    assert.equal(tokenGarbage.status, 400);
    assert.equal(((await tokenGarbage.json()) as { error: string }).error, 'invalid_request');
    const revokeNothing = await fetch(emu.endpoints.revoke, { method: 'POST' });
    assert.equal(revokeNothing.status, 400);
    await revokeNothing.arrayBuffer();
    const consentForged = await fetch(emu.endpoints.authorize, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'consent_id=forged&decision=allow', redirect: 'manual' });
    assert.equal(consentForged.status, 400);
    await consentForged.arrayBuffer();
    const pickerBroken = await callJson(`${emu.endpoints.picker}/v1/sessions`, token, 'POST', '{nope');
    assert.equal(pickerBroken.status, 400);

    assert.equal((await control.state()).albums.length, 0);
  } finally {
    await emu.close();
  }
});

test('fuzz: random bodies and headers on every Google path never crash the emulator and never get a 200', async () => {
  const emu = await startEmulator();
  const control = new EmulatorControl(emu.control);
  try {
    const { tokens } = await signInForTest(emu.endpoints, [...SIGN_IN_SCOPES, ...PICKER_SCOPES]);
    const token = tokens.access_token ?? '';
    const targets: [string, string][] = [
      ['POST', `${emu.endpoints.library}/v1/albums`],
      ['POST', `${emu.endpoints.library}/v1/mediaItems:batchCreate`],
      ['POST', `${emu.endpoints.library}/v1/mediaItems:search`],
      ['PATCH', `${emu.endpoints.library}/v1/mediaItems/AAAAAAAAAAAAAAAAAAAAAA?updateMask=description`],
      ['POST', `${emu.endpoints.library}/v1/albums/AAAAAAAAAAAAAAAAAAAAAA:batchAddMediaItems`],
      ['POST', `${emu.endpoints.picker}/v1/sessions`],
      ['POST', emu.endpoints.token],
      ['POST', emu.endpoints.authorize],
    ];
    const contentTypes = ['application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream', 'multipart/form-data; boundary=x', ''];
    const bodies = ['', '{', '[]', 'null', '"str"', '{"newMediaItems":"x"}', '{"album":[]}', '{"filters":{"dateFilter":{"dates":[{"year":-1}]}}}', '{"mediaItemIds":[1,2]}', 'grant_type=authorization_code&code=%ZZ', '{"description":{"a":1}}'];
    let n = 0;
    for (const [method, url] of targets) {
      for (const body of [...bodies, randomBytes(300).toString('latin1')]) {
        // An empty search (everything) and an empty session create ({}) are valid requests.
        if (body === '' && (url.endsWith(':search') || url.endsWith('/v1/sessions'))) continue;
        const ct = contentTypes[n++ % contentTypes.length];
        const res = await fetch(url, { method, headers: { Authorization: `Bearer ${token}`, ...(ct ? { 'Content-Type': ct } : {}) }, body, redirect: 'manual' });
        await res.arrayBuffer();
        assert.ok(res.status >= 400 && res.status < 500, `${method} ${url} ${JSON.stringify(body)} → ${res.status}`);
      }
    }
    // A client that gives up halfway through a body does not take the server down.
    await new Promise<void>((resolve) => {
      const req = request(`${emu.endpoints.library}/v1/uploads`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Length': '100000' } });
      req.on('error', () => resolve());
      req.write(Buffer.alloc(1000));
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 50);
    });
    assert.equal((await control.state()).albums.length, 0);
  } finally {
    await emu.close();
  }
});
