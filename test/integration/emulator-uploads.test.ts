import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startEmulator, type RunningEmulator } from '../emulator/index';
import { EmulatorControl } from '../emulator/control';
import { signInForTest } from '../emulator/sign-in';
import { callJson, rawUpload } from '../emulator/test-client';
import { SIGN_IN_SCOPES } from '../../src/google/scopes';

const GRANULE = 262_144;
/** A real JPEG followed by padding (decoders stop at EOI), ~0.9 MB so it spans several granules. */
const BIG = Buffer.concat([readFileSync('test/fixtures/photos/DSCF3150.JPG'), randomBytes(900_000)]);
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

async function start(emu: RunningEmulator, token: string, size: number): Promise<{ url: string; granularity: number }> {
  const res = await fetch(`${emu.endpoints.library}/v1/uploads`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Length': '0',
      'X-Goog-Upload-Command': 'start',
      'X-Goog-Upload-Content-Type': 'image/jpeg',
      'X-Goog-Upload-File-Name': 'big.jpg',
      'X-Goog-Upload-Protocol': 'resumable',
      'X-Goog-Upload-Raw-Size': String(size),
    },
  });
  await res.arrayBuffer();
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('x-goog-upload-status'), 'active');
  return { url: res.headers.get('x-goog-upload-url') ?? '', granularity: Number(res.headers.get('x-goog-upload-chunk-granularity')) };
}

function send(url: string, command: string, offset: number | undefined, body: Uint8Array): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'X-Goog-Upload-Command': command, ...(offset === undefined ? {} : { 'X-Goog-Upload-Offset': String(offset) }) },
    body: new Uint8Array(body),
  });
}

async function query(url: string): Promise<{ status: string | null; received: number }> {
  const res = await fetch(url, { method: 'POST', headers: { 'X-Goog-Upload-Command': 'query' } });
  await res.arrayBuffer();
  return { status: res.headers.get('x-goog-upload-status'), received: Number(res.headers.get('x-goog-upload-size-received')) };
}

async function createItem(emu: RunningEmulator, token: string, uploadToken: string): Promise<{ status: { code?: number; message: string }; mediaItem?: { id: string; filename: string } }> {
  const res = await callJson<{ newMediaItemResults: { status: { code?: number; message: string }; mediaItem?: { id: string; filename: string } }[] }>(
    `${emu.endpoints.library}/v1/mediaItems:batchCreate`,
    token,
    'POST',
    { newMediaItems: [{ simpleMediaItem: { uploadToken } }] },
  );
  return res.body.newMediaItemResults[0];
}

test('resumable upload interrupted by a connection reset, resumed from the query offset', async () => {
  const emu = await startEmulator();
  const control = new EmulatorControl(emu.control);
  try {
    const { tokens } = await signInForTest(emu.endpoints, SIGN_IN_SCOPES);
    const token = tokens.access_token ?? '';
    const { url, granularity } = await start(emu, token, BIG.length);
    assert.equal(granularity, GRANULE);
    assert.match(url, /upload_id=/);

    await control.faults({ type: 'reset', endpoint: 'POST /photoslibrary/v1/uploads', afterBytes: 600_000 });
    await assert.rejects(send(url, 'upload, finalize', 0, BIG).then((r) => r.arrayBuffer()));

    const q = await query(url);
    assert.equal(q.status, 'active');
    assert.equal(q.received, 2 * GRANULE);

    const wrong = await send(url, 'upload, finalize', 1000, BIG.subarray(1000));
    await wrong.arrayBuffer();
    assert.equal(wrong.status, 400);
    assert.equal(wrong.headers.get('x-goog-upload-size-received'), String(2 * GRANULE));

    const rest = await send(url, 'upload, finalize', q.received, BIG.subarray(q.received));
    const uploadToken = await rest.text();
    assert.equal(rest.status, 200);
    assert.equal(rest.headers.get('x-goog-upload-status'), 'final');
    const item = await createItem(emu, token, uploadToken);
    assert.equal(item.mediaItem?.filename, 'big.jpg');
    const stored = (await control.state()).mediaItems.find((m) => m.id === item.mediaItem?.id);
    assert.equal(stored?.sha256, sha(BIG));
    assert.equal(stored?.size, BIG.length);
  } finally {
    await emu.close();
  }
});

test('chunked resumable upload: granularity enforced, size received reported, cancel and query', async () => {
  const emu = await startEmulator();
  const control = new EmulatorControl(emu.control);
  try {
    const { tokens } = await signInForTest(emu.endpoints, SIGN_IN_SCOPES);
    const token = tokens.access_token ?? '';
    const { url } = await start(emu, token, BIG.length);
    const odd = await send(url, 'upload', 0, BIG.subarray(0, 1000));
    await odd.arrayBuffer();
    assert.equal(odd.status, 400);
    let offset = 0;
    while (offset + GRANULE < BIG.length) {
      const res = await send(url, 'upload', offset, BIG.subarray(offset, offset + GRANULE));
      await res.arrayBuffer();
      assert.equal(res.status, 200);
      offset += GRANULE;
      assert.equal(res.headers.get('x-goog-upload-size-received'), String(offset));
    }
    const last = await send(url, 'upload, finalize', offset, BIG.subarray(offset));
    const uploadToken = await last.text();
    assert.equal(last.status, 200);
    assert.equal((await query(url)).status, 'final');
    assert.equal((await createItem(emu, token, uploadToken)).status.message, 'Success');

    const second = await start(emu, token, 10);
    const cancel = await fetch(second.url, { method: 'POST', headers: { 'X-Goog-Upload-Command': 'cancel' } });
    await cancel.arrayBuffer();
    assert.equal((await query(second.url)).status, 'cancelled');
    const afterCancel = await send(second.url, 'upload, finalize', 0, Buffer.alloc(10));
    await afterCancel.arrayBuffer();
    assert.equal(afterCancel.status, 400);
    assert.equal((await control.state()).uploadSessions.find((s) => second.url.includes(s.id))?.status, 'cancelled');
  } finally {
    await emu.close();
  }
});

test('upload URLs and upload tokens expire after a day', async () => {
  const emu = await startEmulator();
  const control = new EmulatorControl(emu.control);
  try {
    const { client } = await signInForTest(emu.endpoints, SIGN_IN_SCOPES);
    const { url } = await start(emu, (await client.getAccessToken()).token ?? '', 100);
    const uploadToken = await rawUpload(emu.endpoints.library, (await client.getAccessToken()).token ?? '', readFileSync('test/fixtures/photos/DSC_0977.jpg'));
    await control.advanceClock(24 * 3600 * 1000 + 1000);
    const late = await send(url, 'upload, finalize', 0, Buffer.alloc(100));
    await late.arrayBuffer();
    assert.equal(late.status, 410);
    // The access token expired with the emulator's clock too (the client's clock did not move): refresh.
    const fresh = (await client.refreshAccessToken()).credentials.access_token ?? '';
    const result = await createItem(emu, fresh, uploadToken);
    assert.equal(result.status.code, 3);
    assert.equal(result.mediaItem, undefined);
    assert.equal((await control.state()).mediaItems.filter((m) => !m.seeded).length, 0);
  } finally {
    await emu.close();
  }
});

test('every error of the uploads endpoint, raw and resumable, is the bare {"code","message"} shape', async () => {
  const emu = await startEmulator();
  const control = new EmulatorControl(emu.control);
  try {
    const { tokens } = await signInForTest(emu.endpoints, SIGN_IN_SCOPES);
    const token = tokens.access_token ?? '';
    const uploadsUrl = `${emu.endpoints.library}/v1/uploads`;
    const raw = (headers: Record<string, string>, body?: Buffer): Promise<Response> =>
      fetch(uploadsUrl, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'X-Goog-Upload-Protocol': 'raw', ...headers }, body: body ? new Uint8Array(body) : undefined });
    /** The body is exactly {code: <google.rpc.Code>, message}, with no "error" envelope around it. */
    const bare = async (res: Response, httpStatus: number, code: number): Promise<string> => {
      const body = (await res.json()) as Record<string, unknown>;
      assert.equal(res.status, httpStatus, JSON.stringify(body));
      assert.deepEqual(Object.keys(body).sort(), ['code', 'message'], JSON.stringify(body));
      assert.equal(body.code, code);
      assert.equal(typeof body.message, 'string');
      return body.message as string;
    };

    assert.match(await bare(await raw({ 'Content-Type': 'application/json' }, Buffer.from('{}')), 400, 3), /application\/octet-stream/);
    assert.match(await bare(await raw({ 'Content-Type': 'application/octet-stream' }), 400, 3), /empty/);
    assert.match(await bare(await raw({ 'X-Goog-Upload-Protocol': 'carrier-pigeon' }, Buffer.from('x')), 400, 3), /Unsupported/);
    await bare(await fetch(`${uploadsUrl}?upload_id=nope&upload_protocol=resumable`, { method: 'POST', headers: { 'X-Goog-Upload-Command': 'query' } }), 404, 5);

    const { url } = await start(emu, token, 1000);
    const wrongOffset = await send(url, 'upload', 500, Buffer.alloc(GRANULE));
    assert.equal(wrongOffset.headers.get('x-goog-upload-status'), 'active', 'the upload headers stay beside the bare body');
    await bare(wrongOffset, 400, 3);
    await control.advanceClock(24 * 3600 * 1000 + 1000);
    await bare(await send(url, 'upload, finalize', 0, Buffer.alloc(1000)), 410, 5);

    // Errors the emulator injects or the project causes come in the same shape on this endpoint …
    const fresh = (await signInForTest(emu.endpoints, SIGN_IN_SCOPES)).tokens.access_token ?? '';
    const photo = new Uint8Array(readFileSync('test/fixtures/photos/DSC_0977.jpg'));
    const post = (): Promise<Response> => fetch(uploadsUrl, { method: 'POST', headers: { Authorization: `Bearer ${fresh}`, 'Content-Type': 'application/octet-stream', 'X-Goog-Upload-Protocol': 'raw' }, body: photo });
    await control.faults({ type: 'status', endpoint: 'library.uploads', status: 503 });
    assert.equal(await bare(await post(), 503, 14), 'The service is currently unavailable.');
    await control.setApiEnabled('library', false);
    assert.match(await bare(await post(), 403, 7), /Photos Library API has not been used in project/);
    await control.setApiEnabled('library', true);
    await control.faults({ type: 'dailyQuota', limit: 0 });
    await bare(await post(), 429, 8);
    // … while the REST methods keep Google's envelope.
    const rest = await callJson<{ error: { code: number; status: string } }>(`${emu.endpoints.library}/v1/albums`, fresh, 'POST', { album: { title: 'x' } });
    assert.equal(rest.status, 429);
    assert.deepEqual([rest.body.error.code, rest.body.error.status], [429, 'RESOURCE_EXHAUSTED']);
    assert.equal((await control.state()).uploadTokens.length, 0);
  } finally {
    await emu.close();
  }
});
