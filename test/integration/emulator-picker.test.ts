import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import exifr from 'exifr';
import { startEmulator } from '../emulator/index';
import { EmulatorControl } from '../emulator/control';
import { signInForTest } from '../emulator/sign-in';
import { callJson } from '../emulator/test-client';
import { PICKER_SCOPES, SIGN_IN_SCOPES } from '../../src/google/scopes';

type Session = { id: string; pickerUri: string; mediaItemsSet: boolean; pollingConfig?: { pollInterval: string; timeoutIn: string }; expireTime: string; pickingConfig: { maxItemCount: string } };
type Picked = { id: string; createTime: string; type: string; mediaFile: { baseUrl: string; mimeType: string; filename: string; mediaFileMetadata: { width: number; height: number; cameraModel?: string } } };

test('a full Picker session: create, pick on the page, poll, list with paging, download with bearer, delete', async () => {
  const emu = await startEmulator();
  const control = new EmulatorControl(emu.control);
  try {
    const { tokens } = await signInForTest(emu.endpoints, [...SIGN_IN_SCOPES, ...PICKER_SCOPES]);
    const token = tokens.access_token ?? '';
    const picker = emu.endpoints.picker;
    const requestId = randomUUID();
    const created = await callJson<Session>(`${picker}/v1/sessions?requestId=${requestId}`, token, 'POST', { pickingConfig: { maxItemCount: '3' } });
    assert.equal(created.status, 200);
    const s = created.body;
    assert.equal(s.mediaItemsSet, false);
    assert.equal(s.pickingConfig.maxItemCount, '3');
    assert.match(s.pollingConfig?.pollInterval ?? '', /^\d+(\.\d+)?s$/);
    assert.ok(Date.parse(s.expireTime) > Date.now());

    const early = await callJson<{ error: { status: string } }>(`${picker}/v1/mediaItems?sessionId=${s.id}`, token);
    assert.equal(early.status, 400);
    assert.equal(early.body.error.status, 'FAILED_PRECONDITION');

    // The user opens pickerUri (+/autoclose), ticks three photos and presses Done.
    // Links on the page are relative to it (as a browser resolves them), so it also works behind a proxy.
    const pageUrl = `${s.pickerUri}/autoclose`;
    const pageRes = await fetch(pageUrl);
    assert.equal(pageRes.status, 200);
    const html = await pageRes.text();
    const ids = [...html.matchAll(/name="item" value="([^"]+)"/g)].map((m) => m[1]);
    assert.equal(ids.length, 10);
    assert.match(html, /<img src="[^"]*thumb\//);
    const thumbSrc = /<img src="([^"]+)"/.exec(html)?.[1] ?? '';
    const thumb = await fetch(new URL(thumbSrc, pageUrl));
    assert.equal(thumb.headers.get('content-type'), 'image/jpeg');
    const action = /<form method="POST" action="([^"]+)"/.exec(html)?.[1] ?? '';
    assert.match(action, /(^|\/)autoclose$/);
    const form = new URLSearchParams();
    for (const id of ids.slice(0, 3)) form.append('item', id);
    const done = await fetch(new URL(action, pageUrl), { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form });
    assert.equal(done.status, 200);
    assert.match(await done.text(), /window\.close\(\)/);
    assert.equal((await fetch(s.pickerUri)).status, 410);

    const polled = await callJson<Session>(`${picker}/v1/sessions/${s.id}`, token);
    assert.equal(polled.body.mediaItemsSet, true);
    assert.equal(polled.body.pollingConfig, undefined);

    const page1 = await callJson<{ mediaItems: Picked[]; nextPageToken?: string }>(`${picker}/v1/mediaItems?sessionId=${s.id}&pageSize=2`, token);
    assert.equal(page1.status, 200);
    assert.equal(page1.body.mediaItems.length, 2);
    assert.ok(page1.body.nextPageToken);
    const page2 = await callJson<{ mediaItems: Picked[]; nextPageToken?: string }>(`${picker}/v1/mediaItems?sessionId=${s.id}&pageSize=2&pageToken=${page1.body.nextPageToken}`, token);
    assert.equal(page2.body.mediaItems.length, 1);
    assert.equal(page2.body.nextPageToken, undefined);
    const picked = [...page1.body.mediaItems, ...page2.body.mediaItems];
    assert.deepEqual(picked.map((p) => p.id), ids.slice(0, 3));
    assert.equal(picked[0].type, 'PHOTO');
    assert.equal(typeof picked[0].mediaFile.mediaFileMetadata.width, 'number');

    const negative = await callJson<{ error: { status: string } }>(`${picker}/v1/mediaItems?sessionId=${s.id}&pageSize=-1`, token);
    assert.equal(negative.status, 400);
    assert.equal(negative.body.error.status, 'INVALID_ARGUMENT');

    const url = `${picked[0].mediaFile.baseUrl}=d`;
    assert.equal((await fetch(url)).status, 401);
    const bytes = Buffer.from(await (await fetch(url, { headers: { Authorization: `Bearer ${token}` } })).arrayBuffer());
    const original = readFileSync(`test/fixtures/photos/${picked[0].mediaFile.filename}`);
    assert.equal(bytes.length, original.length);
    assert.equal(await exifr.gps(bytes), undefined);
    const state = await control.state();
    const seededItem = state.mediaItems.find((m) => m.id === picked[0].id);
    assert.equal(seededItem?.sha256, createHash('sha256').update(original).digest('hex'));
    assert.deepEqual(state.pickerSessions[0].pickedIds, ids.slice(0, 3));

    assert.equal((await callJson(`${picker}/v1/sessions/${s.id}`, token, 'DELETE')).status, 200);
    assert.equal((await callJson(`${picker}/v1/sessions/${s.id}`, token)).status, 404);
  } finally {
    await emu.close();
  }
});

test('control pick, scope enforcement, maxItemCount, requestId validation', async () => {
  const emu = await startEmulator();
  const control = new EmulatorControl(emu.control);
  try {
    const picker = emu.endpoints.picker;
    const lib = await signInForTest(emu.endpoints, SIGN_IN_SCOPES);
    const denied = await callJson<{ error: { message: string } }>(`${picker}/v1/sessions`, lib.tokens.access_token ?? '', 'POST', {});
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error.message, 'Request had insufficient authentication scopes.');

    const { tokens } = await signInForTest(emu.endpoints, PICKER_SCOPES);
    const token = tokens.access_token ?? '';
    assert.equal((await callJson(`${picker}/v1/sessions?requestId=not-a-uuid`, token, 'POST', {})).status, 400);
    assert.equal((await callJson(`${picker}/v1/sessions`, token, 'POST', { pickingConfig: { maxItemCount: '5000' }, colour: 'red' })).status, 400);
    const big = await callJson<Session>(`${picker}/v1/sessions`, token, 'POST', { pickingConfig: { maxItemCount: '5000' } });
    assert.equal(big.body.pickingConfig.maxItemCount, '2000');
    const dflt = await callJson<Session>(`${picker}/v1/sessions`, token, 'POST', {});
    assert.equal(dflt.body.pickingConfig.maxItemCount, '2000');

    const seeded = (await control.state()).mediaItems.filter((m) => m.seeded);
    await control.pick(dflt.body.id, [seeded[0].id, seeded[1].id]);
    const list = await callJson<{ mediaItems: Picked[] }>(`${picker}/v1/mediaItems?sessionId=${dflt.body.id}`, token);
    assert.deepEqual(list.body.mediaItems.map((m) => m.id), [seeded[0].id, seeded[1].id]);
    await assert.rejects(control.pick(dflt.body.id, [seeded[2].id]), /already complete/);
    assert.equal((await callJson(`${picker}/v1/mediaItems?sessionId=${dflt.body.id}`, undefined)).status, 401);
  } finally {
    await emu.close();
  }
});
