import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startEmulator } from '../emulator/index';
import { EmulatorControl } from '../emulator/control';
import { signInForTest } from '../emulator/sign-in';
import { callJson, rawUpload } from '../emulator/test-client';
import { pacificDay } from '../emulator/quota';
import { waitFor } from '../helpers/waitFor';
import { SIGN_IN_SCOPES } from '../../src/google/scopes';

type ErrorBody = { error: { code: number; message: string; status: string; details?: { reason?: string }[] } };

test('daily quota: 429 RESOURCE_EXHAUSTED with Google\'s message, reset at midnight Pacific', async () => {
  const emu = await startEmulator();
  const control = new EmulatorControl(emu.control);
  try {
    const { tokens } = await signInForTest(emu.endpoints, SIGN_IN_SCOPES);
    const token = tokens.access_token ?? '';
    await control.faults({ type: 'dailyQuota', limit: 3 });
    for (let i = 0; i < 3; i++) assert.equal((await callJson(`${emu.endpoints.library}/v1/albums`, token)).status, 200);
    const over = await callJson<ErrorBody>(`${emu.endpoints.library}/v1/albums`, token);
    assert.equal(over.status, 429);
    assert.equal(over.body.error.status, 'RESOURCE_EXHAUSTED');
    const state = await control.state();
    const project = state.clients[0].projectNumber;
    assert.equal(
      over.body.error.message,
      `Quota exceeded for quota metric 'All requests' and limit 'All requests per day' of service 'photoslibrary.googleapis.com' for consumer 'project_number:${project}'.`,
    );
    assert.equal(state.quota.daily[project].used, 3);
    // Uploads count too.
    const up = await fetch(`${emu.endpoints.library}/v1/uploads`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/octet-stream' }, body: 'x' });
    assert.equal(up.status, 429);

    // Jump to just after the next midnight in America/Los_Angeles.
    const now = Date.parse(state.now);
    let step = 0;
    while (pacificDay(now + step) === pacificDay(now)) step += 10 * 60 * 1000;
    await control.advanceClock(step);
    const fresh = await signInForTest(emu.endpoints, SIGN_IN_SCOPES);
    assert.equal((await callJson(`${emu.endpoints.library}/v1/albums`, fresh.tokens.access_token ?? '')).status, 200);
  } finally {
    await emu.close();
  }
});

test('status faults N times, request counts, write-per-minute limit', async () => {
  const emu = await startEmulator();
  const control = new EmulatorControl(emu.control);
  try {
    const { tokens } = await signInForTest(emu.endpoints, SIGN_IN_SCOPES);
    const token = tokens.access_token ?? '';
    await control.faults({ type: 'status', endpoint: 'library.albums.create', status: 503, times: 2 });
    const a = await callJson<ErrorBody>(`${emu.endpoints.library}/v1/albums`, token, 'POST', { album: { title: 'A' } });
    const b = await callJson<ErrorBody>(`${emu.endpoints.library}/v1/albums`, token, 'POST', { album: { title: 'A' } });
    const c = await callJson<{ id: string }>(`${emu.endpoints.library}/v1/albums`, token, 'POST', { album: { title: 'A' } });
    assert.deepEqual([a.status, b.status, c.status], [503, 503, 200]);
    assert.equal(a.body.error.status, 'UNAVAILABLE');
    let state = await control.state();
    assert.equal(state.requestCounts['library.albums.create'], 3);
    assert.equal(state.albums.length, 1);

    await control.faults({ type: 'writesPerMinute', limit: 1 });
    const w1 = await callJson(`${emu.endpoints.library}/v1/albums/${c.body.id}?updateMask=title`, token, 'PATCH', { title: 'B' });
    assert.equal(w1.status, 429);
    await control.advanceClock(60_000);
    const w2 = await callJson(`${emu.endpoints.library}/v1/albums/${c.body.id}?updateMask=title`, token, 'PATCH', { title: 'B' });
    assert.equal(w2.status, 200);
    state = await control.state();
    assert.equal(state.albums[0].title, 'B');
  } finally {
    await emu.close();
  }
});

test('concurrent batchCreate for the same user: one answered 429', async () => {
  const emu = await startEmulator();
  const control = new EmulatorControl(emu.control);
  try {
    const { tokens } = await signInForTest(emu.endpoints, SIGN_IN_SCOPES);
    const token = tokens.access_token ?? '';
    const t1 = await rawUpload(emu.endpoints.library, token, readFileSync('test/fixtures/photos/DSC_0412.jpg'));
    const t2 = await rawUpload(emu.endpoints.library, token, readFileSync('test/fixtures/photos/DSC_0977.jpg'));
    await control.faults({ type: 'latency', endpoint: 'library.mediaItems.batchCreate', ms: 400, times: 1 });
    const body = (t: string): unknown => ({ newMediaItems: [{ simpleMediaItem: { uploadToken: t } }] });
    const first = callJson(`${emu.endpoints.library}/v1/mediaItems:batchCreate`, token, 'POST', body(t1));
    // The first write is being held by the server (its latency) before the second is sent.
    await waitFor('the first batchCreate to reach the emulator', async () => (await control.state()).inFlight === 1);
    const second = await callJson<ErrorBody>(`${emu.endpoints.library}/v1/mediaItems:batchCreate`, token, 'POST', body(t2));
    assert.equal((await first).status, 200);
    assert.equal(second.status, 429);
    assert.match(second.body.error.message, /concurrent write request/);
    const retry = await callJson(`${emu.endpoints.library}/v1/mediaItems:batchCreate`, token, 'POST', body(t2));
    assert.equal(retry.status, 200);
    assert.equal((await control.state()).mediaItems.filter((m) => !m.seeded).length, 2);
  } finally {
    await emu.close();
  }
});

test('expire-tokens fault: 401 ACCESS_TOKEN_EXPIRED, google-auth-library refreshes and retries', async () => {
  const emu = await startEmulator();
  const control = new EmulatorControl(emu.control);
  try {
    const { client, tokens } = await signInForTest(emu.endpoints, SIGN_IN_SCOPES);
    await control.expireTokens();
    const direct = await callJson<ErrorBody>(`${emu.endpoints.library}/v1/albums`, tokens.access_token ?? '');
    assert.equal(direct.status, 401);
    assert.equal(direct.body.error.details?.[0]?.reason, 'ACCESS_TOKEN_EXPIRED');
    // The client's own expiry_date still looks fine, so it refreshes only when told to retry on 401.
    client.forceRefreshOnFailure = true;
    const res = await client.request<{ albums?: unknown[] }>({ url: `${emu.endpoints.library}/v1/albums` });
    assert.equal(res.status, 200);
    assert.equal((await control.state()).tokens.access.length, 2);
  } finally {
    await emu.close();
  }
});

test('connection reset on a download, and control is not reachable from the Google paths', async () => {
  const emu = await startEmulator();
  const control = new EmulatorControl(emu.control);
  try {
    const { tokens } = await signInForTest(emu.endpoints, SIGN_IN_SCOPES);
    const token = tokens.access_token ?? '';
    const up = await rawUpload(emu.endpoints.library, token, readFileSync('test/fixtures/photos/DSC_0412.jpg'));
    const created = await callJson<{ newMediaItemResults: { mediaItem: { baseUrl: string } }[] }>(`${emu.endpoints.library}/v1/mediaItems:batchCreate`, token, 'POST', { newMediaItems: [{ simpleMediaItem: { uploadToken: up } }] });
    const baseUrl = created.body.newMediaItemResults[0].mediaItem.baseUrl;
    await control.faults({ type: 'reset', endpoint: 'media.library', afterBytes: 5000 });
    await assert.rejects(fetch(`${baseUrl}=d`).then((r) => r.arrayBuffer()));
    const ok = await fetch(`${baseUrl}=d`);
    assert.equal((await ok.arrayBuffer()).byteLength, readFileSync('test/fixtures/photos/DSC_0412.jpg').length);

    for (const prefix of [emu.endpoints.library, emu.endpoints.picker, emu.endpoints.token]) {
      const res = await fetch(`${prefix}/__emulator/state`);
      assert.equal(res.status, 404);
      await res.arrayBuffer();
    }
    const faultsAfter = (await control.state()).faults as { reset: unknown[] };
    assert.deepEqual(faultsAfter.reset, []);
  } finally {
    await emu.close();
  }
});
