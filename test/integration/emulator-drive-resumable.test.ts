import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { OAuth2Client } from 'google-auth-library';
import { FOLDER_MIME, startDrive, testBytes, type DriveHarness } from './emulator-drive-harness';

const KIB256 = 262_144;
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

interface Answer {
  status: number;
  headers: Headers;
  data: Record<string, unknown>;
}

/**
 * The resumable protocol driven the way the brief says a product must (googleapis has no session
 * API): google-auth-library's `request`, taking 308 as an answer rather than an error.
 */
async function call(client: OAuth2Client, url: string, method: 'POST' | 'PUT' | 'PATCH', headers: Record<string, string>, data?: Buffer | Record<string, unknown>): Promise<Answer> {
  const res = await client.request<Record<string, unknown>>({ url, method, headers, data, validateStatus: () => true, retry: false });
  return { status: res.status, headers: res.headers, data: res.data };
}

async function startSession(h: DriveHarness, total: number | undefined, metadata: Record<string, unknown>, query = 'uploadType=resumable'): Promise<string> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json; charset=UTF-8', 'X-Upload-Content-Type': 'image/jpeg' };
  if (total !== undefined) headers['X-Upload-Content-Length'] = String(total);
  const res = await call(h.app.client, `${h.rootUrl}upload/drive/v3/files?${query}`, 'POST', headers, metadata);
  assert.equal(res.status, 200, JSON.stringify(res.data));
  const location = res.headers.get('location') ?? '';
  assert.match(location, /^http:\/\/127\.0\.0\.1:\d+\/upload\/drive\/v3\/files\?.*upload_id=/);
  return location;
}

const chunk = (client: OAuth2Client, session: string, bytes: Buffer, from: number, to: number, total: number | '*'): Promise<Answer> =>
  call(client, session, 'PUT', { 'Content-Range': `bytes ${from}-${to - 1}/${total}` }, bytes.subarray(from, to));
const query = (client: OAuth2Client, session: string, total: number | '*'): Promise<Answer> => call(client, session, 'PUT', { 'Content-Range': `bytes */${total}` });

test('resumable upload in 256 KiB-multiple chunks, a status query mid-way, a repeated chunk, then the last one', async () => {
  const h = await startDrive();
  const { client, drive } = h.app;
  try {
    const folder = await drive.files.create({ requestBody: { name: 'Big', mimeType: FOLDER_MIME }, fields: 'id' });
    const bytes = testBytes(3 * KIB256 + 12_345, 5);
    const total = bytes.length;
    const session = await startSession(h, total, { name: 'video.jpg', parents: [folder.data.id], appProperties: { photoSyncId: 'big-1' } }, 'uploadType=resumable&fields=id,name,size,sha256Checksum,md5Checksum,parents,appProperties');

    const first = await chunk(client, session, bytes, 0, 2 * KIB256, total);
    assert.equal(first.status, 308);
    assert.equal(first.headers.get('range'), `bytes=0-${2 * KIB256 - 1}`);
    const asked = await query(client, session, total);
    assert.equal(asked.status, 308);
    assert.equal(asked.headers.get('range'), `bytes=0-${2 * KIB256 - 1}`);
    const second = await chunk(client, session, bytes, 2 * KIB256, 3 * KIB256, '*');
    assert.equal(second.headers.get('range'), `bytes=0-${3 * KIB256 - 1}`);
    // The answer to a chunk got lost and the client sends it again: nothing is stored twice.
    const again = await chunk(client, session, bytes, 2 * KIB256, 3 * KIB256, total);
    assert.equal(again.status, 308);
    assert.equal(again.headers.get('range'), `bytes=0-${3 * KIB256 - 1}`);
    const last = await chunk(client, session, bytes, 3 * KIB256, total, total);
    assert.equal(last.status, 200);
    assert.equal(last.data.sha256Checksum, sha256(bytes));
    assert.equal(last.data.size, String(total));
    assert.deepEqual(last.data.parents, [folder.data.id]);
    assert.deepEqual(last.data.appProperties, { photoSyncId: 'big-1' });

    // Asking after the end returns the file.
    const done = await query(client, session, total);
    assert.equal(done.status, 200);
    assert.equal(done.data.id, last.data.id);
    const state = await h.control.state();
    assert.equal(state.drive.files.find((f) => f.id === last.data.id)?.sha256, sha256(bytes));
    assert.deepEqual(state.drive.sessions.map((s) => [s.done, s.received]), [[true, total]]);
    assert.equal(state.requestCounts['drive.upload'], 7);
  } finally {
    await h.close();
  }
});

test('chunk rules: under 256 KiB before the end is refused; a non-multiple keeps whole granules; a gap is refused', async () => {
  const h = await startDrive();
  const { client } = h.app;
  try {
    const bytes = testBytes(2 * KIB256 + 777, 9);
    const total = bytes.length;
    const session = await startSession(h, total, { name: 'odd.jpg' });
    const small = await chunk(client, session, bytes, 0, 100_000, total);
    assert.equal(small.status, 400);
    assert.match(String((small.data.error as { message: string }).message), /required to be equal or greater than 262144, except for the final request/);
    assert.equal((await h.control.state()).drive.sessions[0].received, 0);
    assert.equal((await query(client, session, total)).headers.get('range'), null, 'nothing stored: no Range header');

    const odd = await chunk(client, session, bytes, 0, 300_000, total);
    assert.equal(odd.status, 308);
    assert.equal(odd.headers.get('range'), `bytes=0-${KIB256 - 1}`, 'only the whole 256 KiB granule is kept');

    const gap = await chunk(client, session, bytes, 2 * KIB256, total, total);
    assert.equal(gap.status, 400);
    assert.match(String((gap.data.error as { message: string }).message), /upload offset is 524288 byte\(s\), which exceeds already uploaded size of 262144 byte\(s\)/);

    const rest = await chunk(client, session, bytes, KIB256, total, total);
    assert.equal(rest.status, 200);
    assert.equal((await h.app.drive.files.get({ fileId: String(rest.data.id), fields: 'sha256Checksum' })).data.sha256Checksum, sha256(bytes));
  } finally {
    await h.close();
  }
});

test('connection reset mid-chunk: the query says what arrived, the upload resumes from there', async () => {
  const h = await startDrive();
  const { client } = h.app;
  try {
    const bytes = testBytes(2 * KIB256 + 4_000, 13);
    const total = bytes.length;
    const session = await startSession(h, total, { name: 'cut.jpg' });
    await h.control.faults({ type: 'reset', endpoint: 'drive.upload', afterBytes: 400_000 });
    await assert.rejects(chunk(client, session, bytes, 0, 2 * KIB256, total));
    const asked = await query(client, session, total);
    assert.equal(asked.status, 308);
    assert.equal(asked.headers.get('range'), `bytes=0-${KIB256 - 1}`, '400,000 bytes arrived: one whole granule is stored');
    const rest = await chunk(client, session, bytes, KIB256, total, total);
    assert.equal(rest.status, 200);
    const state = await h.control.state();
    assert.equal(state.drive.files.find((f) => f.name === 'cut.jpg')?.sha256, sha256(bytes));
  } finally {
    await h.close();
  }
});

test('an expired session answers 404 and the upload starts over; a resumable update replaces the content', async () => {
  const h = await startDrive();
  const { client, drive } = h.app;
  try {
    const bytes = testBytes(KIB256 + 10, 17);
    const session = await startSession(h, bytes.length, { name: 'late.jpg' });
    assert.equal((await chunk(client, session, bytes, 0, KIB256, bytes.length)).status, 308);
    await h.control.advanceClock(7 * 24 * 60 * 60 * 1000 + 60_000);
    const gone = await chunk(client, session, bytes, KIB256, bytes.length, bytes.length);
    assert.equal(gone.status, 404);
    assert.equal((await query(client, session, bytes.length)).status, 404);
    assert.equal((await h.control.state()).drive.files.length, 0);

    // A week passed on the emulator's clock, not on the client's: make it refresh its access token.
    client.setCredentials({ refresh_token: client.credentials.refresh_token });
    // Start over: one request with the whole body (no Content-Range) also completes a session.
    const fresh = await startSession(h, bytes.length, { name: 'late.jpg' });
    const whole = await call(client, fresh, 'PUT', {}, bytes);
    assert.equal(whole.status, 200);
    const id = String(whole.data.id);

    const next = testBytes(KIB256 * 2, 19);
    const update = await call(client, `${h.rootUrl}upload/drive/v3/files/${id}?uploadType=resumable`, 'PATCH', { 'Content-Type': 'application/json', 'X-Upload-Content-Length': String(next.length) }, { name: 'later.jpg' });
    assert.equal(update.status, 200);
    const session2 = update.headers.get('location') ?? '';
    assert.equal((await chunk(client, session2, next, 0, KIB256, next.length)).status, 308);
    assert.equal((await chunk(client, session2, next, KIB256, next.length, next.length)).status, 200);
    const after = await drive.files.get({ fileId: id, fields: 'name,sha256Checksum,size' });
    assert.deepEqual(after.data, { name: 'later.jpg', sha256Checksum: sha256(next), size: String(next.length) });
  } finally {
    await h.close();
  }
});
