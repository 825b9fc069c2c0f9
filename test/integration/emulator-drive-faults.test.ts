import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { drive as driveClient } from '@googleapis/drive';
import { callJson } from '../emulator/test-client';
import { signInForTest } from '../emulator/sign-in';
import { SIGN_IN_SCOPES } from '../../src/google/scopes';
import { DRIVE_FILE, FOLDER_MIME, asDriveAuth, driveFailure, guardedFetch, startDrive, testBytes, type DriveErrorBody, type DriveHarness } from './emulator-drive-harness';

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function upload(h: DriveHarness, name: string, bytes: Buffer): Promise<{ data: { id?: string | null } }> {
  return h.app.drive.files.create({ requestBody: { name }, media: { mimeType: 'image/jpeg', body: Readable.from(bytes) }, fields: 'id' }, { rootUrl: h.rootUrl });
}

test('scopes: a Photos-only token gets 403 insufficientPermissions; incremental consent adds drive.file', async () => {
  const h = await startDrive();
  try {
    const photos = await signInForTest(h.emu.endpoints, SIGN_IN_SCOPES);
    const denied = await callJson<DriveErrorBody>(`${h.rootUrl}drive/v3/files`, photos.tokens.access_token ?? '');
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error.message, 'Request had insufficient authentication scopes.');
    assert.equal(denied.body.error.status, 'PERMISSION_DENIED');
    assert.deepEqual(denied.body.error.errors, [{ message: 'Insufficient Permission', domain: 'global', reason: 'insufficientPermissions' }]);

    const both = await signInForTest(h.emu.endpoints, [DRIVE_FILE], { includeGrantedScopes: true });
    assert.ok(both.tokens.scope?.includes(DRIVE_FILE));
    assert.ok(both.tokens.scope?.includes('photoslibrary.appendonly'));
    assert.equal((await callJson(`${h.rootUrl}drive/v3/files`, both.tokens.access_token ?? '')).status, 200);
    assert.equal((await callJson(`${h.emu.endpoints.library}/v1/albums`, both.tokens.access_token ?? '')).status, 200);
    const anonymous = await callJson<DriveErrorBody>(`${h.rootUrl}drive/v3/files`, undefined);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.error.errors[0].reason, 'required');
  } finally {
    await h.close();
  }
});

test('storage limit: 403 storageQuotaExceeded, about.get storageQuota, trash still counts, delete frees', async () => {
  const h = await startDrive();
  const { drive } = h.app;
  try {
    await h.control.faults({ type: 'driveStorage', limitBytes: 10_000 });
    const first = await upload(h, 'a.jpg', testBytes(6000, 1));
    const full = await driveFailure(upload(h, 'b.jpg', testBytes(6000, 2)));
    assert.equal(full.status, 403);
    assert.deepEqual(full.body.error.errors[0], { domain: 'global', reason: 'storageQuotaExceeded', message: "The user's Drive storage quota has been exceeded." });
    const start = await callJson<DriveErrorBody>(`${h.rootUrl}upload/drive/v3/files?uploadType=resumable`, h.app.token, 'POST', { name: 'c.jpg' }, { 'X-Upload-Content-Length': '5000' });
    assert.equal(start.status, 403, 'a resumable start that cannot fit is refused up front');

    await drive.files.update({ fileId: first.data.id ?? '', requestBody: { trashed: true } });
    const about = await drive.about.get({ fields: 'storageQuota' });
    assert.deepEqual(about.data.storageQuota, { limit: '10000', usage: '6000', usageInDrive: '6000', usageInDriveTrash: '6000' });
    assert.equal((await driveFailure(upload(h, 'b.jpg', testBytes(6000, 2)))).status, 403, 'the trash still takes space');
    await drive.files.delete({ fileId: first.data.id ?? '' });
    assert.ok((await upload(h, 'b.jpg', testBytes(6000, 2))).data.id);
    assert.equal((await driveFailure(drive.about.get({}))).body.error.errors[0].reason, 'required', "about.get insists on 'fields'");
  } finally {
    await h.close();
  }
});

test('rate limits: 403 userRateLimitExceeded / rateLimitExceeded and 429 as faults, and a real per-user per-minute limit', async () => {
  const h = await startDrive();
  const { drive } = h.app;
  try {
    await h.control.faults([
      { type: 'status', endpoint: 'drive.files.create', status: 403 },
      { type: 'status', endpoint: 'drive.upload', status: 403, reason: 'rateLimitExceeded' },
      { type: 'status', endpoint: 'drive.files.list', status: 429, retryAfterSeconds: 3 },
    ]);
    const user = await driveFailure(drive.files.create({ requestBody: { name: 'x', mimeType: FOLDER_MIME } }));
    assert.equal(user.status, 403);
    assert.deepEqual(user.body.error, { code: 403, message: 'User rate limit exceeded.', errors: [{ domain: 'usageLimits', reason: 'userRateLimitExceeded', message: 'User rate limit exceeded.' }] });
    const project = await driveFailure(upload(h, 'y.jpg', testBytes(10)));
    assert.deepEqual([project.status, project.body.error.errors[0].reason], [403, 'rateLimitExceeded']);
    const many = await driveFailure(drive.files.list({}));
    assert.deepEqual([many.status, many.body.error.errors[0].reason], [429, 'rateLimitExceeded']);
    assert.equal((many.headers as Headers).get('retry-after'), '3');
    assert.equal((await h.control.state()).drive.files.length, 0, 'refused calls changed nothing');

    await h.control.faults({ type: 'driveRateLimit', perUserPerMinute: 2 });
    await drive.files.list({});
    await drive.files.list({});
    const over = await driveFailure(drive.files.list({}));
    assert.deepEqual([over.status, over.body.error.errors[0].reason], [403, 'userRateLimitExceeded']);
    await h.control.advanceClock(60_000);
    h.app.client.setCredentials({ refresh_token: h.app.client.credentials.refresh_token });
    assert.equal((await drive.files.list({})).status, 200);
  } finally {
    await h.close();
  }
});

test('5xx burst: googleapis retries a GET through it; an upload POST is not retried and gets backendError', async () => {
  const h = await startDrive();
  try {
    const requests: string[] = [];
    // googleapis' default retry (gaxios: 5xx and 429, idempotent methods only).
    const drive = driveClient({ version: 'v3', auth: asDriveAuth(h.app.client), rootUrl: h.rootUrl, fetchImplementation: guardedFetch(h.emu.endpoints.drive, requests) });
    await h.control.faults({ type: 'status', endpoint: 'drive.files.list', status: 503, times: 2 });
    assert.equal((await drive.files.list({ fields: 'files(id)' })).status, 200);
    assert.equal((await h.control.state()).requestCounts['drive.files.list'], 3);
    await h.control.faults({ type: 'status', endpoint: 'drive.upload', status: 500 });
    const failed = await driveFailure(drive.files.create({ requestBody: { name: 'z.jpg' }, media: { mimeType: 'image/jpeg', body: Readable.from(testBytes(100)) } }, { rootUrl: h.rootUrl }));
    assert.deepEqual([failed.status, failed.body.error.errors[0].reason], [500, 'backendError']);
    assert.equal((await h.control.state()).requestCounts['drive.upload'], 1);
  } finally {
    await h.close();
  }
});

test('connection reset mid-download and mid-upload: the call fails, nothing half-written, the retry gets every byte', async () => {
  const h = await startDrive();
  const { drive } = h.app;
  try {
    const bytes = testBytes(200_000, 21);
    const id = (await upload(h, 'd.jpg', bytes)).data.id ?? '';
    await h.control.faults({ type: 'reset', endpoint: 'drive.media', afterBytes: 50_000 });
    await assert.rejects(drive.files.get({ fileId: id, alt: 'media' }, { responseType: 'arraybuffer' }));
    const again = await drive.files.get({ fileId: id, alt: 'media' }, { responseType: 'arraybuffer' });
    assert.equal(sha256(Buffer.from(again.data as unknown as ArrayBuffer)), sha256(bytes));

    await h.control.faults({ type: 'reset', endpoint: 'drive.upload', afterBytes: 60_000 });
    await assert.rejects(upload(h, 'cut.jpg', testBytes(150_000, 22)));
    assert.deepEqual((await h.control.state()).drive.files.map((f) => f.name), ['d.jpg']);
  } finally {
    await h.close();
  }
});

test('discovery validation: unknown parameters, out-of-range values, unknown or output-only body fields, bad fields and wrong upload URLs', async () => {
  const h = await startDrive();
  const t = h.app.token;
  const files = `${h.rootUrl}drive/v3/files`;
  const first = async (url: string, method = 'GET', body?: unknown): Promise<[number, string, string | undefined, string]> => {
    const res = await callJson<DriveErrorBody>(url, t, method, body);
    const e = res.body.error?.errors?.[0];
    return [res.status, e?.reason ?? '', e?.location, res.body.error?.message ?? ''];
  };
  try {
    assert.deepEqual((await first(`${files}?bogusParam=1`)).slice(0, 3), [400, 'invalidParameter', 'bogusParam']);
    assert.deepEqual(await first(`${files}?pageSize=5000`), [400, 'invalidParameter', 'pageSize', "Invalid value '5000'. Values must be within the range: [1, 1000]"]);
    assert.deepEqual((await first(`${files}?pageSize=ten`)).slice(0, 3), [400, 'invalidParameter', 'pageSize']);
    assert.deepEqual((await first(`${files}?alt=xml`)).slice(0, 3), [400, 'invalidParameter', 'alt']);
    assert.deepEqual(await first(`${files}?fields=files(id,bogus)`), [400, 'invalidParameter', 'fields', 'Invalid field selection bogus']);
    assert.deepEqual((await first(`${files}?orderBy=colour`)).slice(0, 3), [400, 'invalid', 'orderBy']);
    // Drive v2's "title" is not a v3 File field.
    const v2 = await first(files, 'POST', { title: 'x' });
    assert.deepEqual(v2.slice(0, 2), [400, 'invalid']);
    assert.match(v2[3], /Unknown name "title"/);
    assert.deepEqual((await first(files, 'POST', { name: 'x', size: '10' })).slice(0, 2), [403, 'fieldNotWritable']);
    assert.deepEqual((await first(files, 'POST', { name: 'x', parents: 'not-a-list' })).slice(0, 2), [400, 'invalid']);
    const wrong = await first(`${files}?uploadType=multipart`, 'POST', { name: 'x' });
    assert.deepEqual(wrong.slice(0, 2), [400, 'wrongUrlForUpload']);
    assert.match(wrong[3], /Re-send this request to http:\/\/127\.0\.0\.1:\d+\/upload\/drive\/v3\/files\?uploadType=multipart/);
    assert.deepEqual((await first(`${h.rootUrl}upload/drive/v3/files`, 'POST', {})).slice(0, 3), [400, 'invalidParameter', 'uploadType']);
    assert.deepEqual((await first(`${files}/some-id/permissions`)).slice(0, 2), [501, 'notImplemented']);
    assert.equal((await callJson(`${h.rootUrl}drive/v3/nothing-here`, t)).status, 404);
    assert.equal((await h.control.state()).drive.files.length, 0, 'no refused request created anything');
  } finally {
    await h.close();
  }
});

test('fuzz: random bodies, Content-Types and Content-Ranges on the Drive paths never get a 5xx or take the emulator down', async () => {
  const h = await startDrive();
  try {
    const folder = (await h.app.drive.files.create({ requestBody: { name: 'f', mimeType: FOLDER_MIME }, fields: 'id' })).data.id ?? '';
    const session = (await callJson(`${h.rootUrl}upload/drive/v3/files?uploadType=resumable`, h.app.token, 'POST', { name: 's' })).headers.get('location') ?? '';
    let seed = 42;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const bodies = (): string | Buffer => {
      const kinds = [
        () => testBytes(rand(2000), rand(1000) + 1),
        () => JSON.stringify({ name: 'x'.repeat(rand(50)), parents: [folder, 'nope'].slice(0, rand(3)), appProperties: { k: rand(2) ? 'v' : null } }),
        () => `--b\r\ncontent-type: application/json\r\n\r\n{"name":"m"}\r\n--b\r\n${'y'.repeat(rand(20))}`,
        () => '{"name":',
        () => '',
      ];
      return kinds[rand(kinds.length)]();
    };
    const types = ['application/json', 'multipart/related; boundary=b', 'multipart/related', 'image/jpeg', 'text/plain', ''];
    const ranges = [undefined, 'bytes */*', 'bytes 0-9/10', 'bytes 5-1/10', 'bytes 0-262143/*', 'bytes */100', 'junk', 'bytes 99999999-100000000/100000001'];
    const targets: [string, string][] = [
      ['POST', 'upload/drive/v3/files?uploadType=multipart'],
      ['POST', 'upload/drive/v3/files?uploadType=media'],
      ['POST', 'upload/drive/v3/files?uploadType=resumable'],
      ['PATCH', `upload/drive/v3/files/${folder}?uploadType=multipart`],
      ['POST', 'drive/v3/files'],
      ['PATCH', `drive/v3/files/${folder}?addParents=${folder}`],
      ['GET', `drive/v3/files?q=${encodeURIComponent("name = 'x' and (")}`],
      ['GET', `drive/v3/files?fields=${encodeURIComponent('files(id,,)')}`],
      ['GET', 'drive/v3/changes?pageToken=0'],
    ];
    for (let i = 0; i < 150; i++) {
      const useSession = rand(4) === 0;
      const [method, path] = useSession ? ['PUT', ''] : targets[rand(targets.length)];
      const url = useSession ? session : `${h.rootUrl}${path}`;
      const headers: Record<string, string> = { Authorization: `Bearer ${h.app.token}` };
      const type = types[rand(types.length)];
      if (type) headers['Content-Type'] = type;
      const range = ranges[rand(ranges.length)];
      if (range) headers['Content-Range'] = range;
      const raw = method === 'GET' ? undefined : bodies();
      const body = typeof raw === 'string' || raw === undefined ? raw : new Uint8Array(raw);
      const res = await fetch(url, { method, headers, body });
      const text = await res.text();
      assert.ok(res.status < 500, `${method} ${path || 'session'} [${type}] [${range}] answered ${res.status}: ${text.slice(0, 300)}`);
    }
    assert.equal((await h.app.drive.files.get({ fileId: folder, fields: 'id' })).status, 200);
  } finally {
    await h.close();
  }
});
