import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { drive as driveClient } from '@googleapis/drive';
import exifr from 'exifr';
import { FOLDER_MIME, asDriveAuth, driveFailure, guardedFetch, startDrive, testBytes } from './emulator-drive-harness';

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

test('googleapis#1921: rootUrl given when the client is made misses media uploads; given per call it reaches the emulator', async () => {
  const h = await startDrive();
  try {
    const requests: string[] = [];
    const drive = driveClient({ version: 'v3', auth: asDriveAuth(h.app.client), rootUrl: h.rootUrl, retry: false, fetchImplementation: guardedFetch(h.emu.endpoints.drive, requests) });
    // Metadata calls honour the client-level rootUrl.
    const folder = await drive.files.create({ requestBody: { name: 'Trap', mimeType: FOLDER_MIME }, fields: 'id' });
    assert.equal(requests.at(-1), `${h.emu.endpoints.drive}/drive/v3/files?fields=id`);

    // The upload is built from the per-call rootUrl only, so it heads for Google and the guard stops it.
    const bytes = testBytes(1000);
    const media = (): { mimeType: string; body: Readable } => ({ mimeType: 'image/jpeg', body: Readable.from(bytes) });
    await assert.rejects(drive.files.create({ requestBody: { name: 'lost.jpg', parents: [folder.data.id ?? ''] }, media: media() }), /blocked: https:\/\/www\.googleapis\.com\/upload\/drive\/v3\/files\?uploadType=multipart would leave the machine/);
    assert.equal((await h.control.state()).requestCounts['drive.upload'], undefined, 'nothing reached the emulator');

    // Passing rootUrl with the call puts the upload on the emulator.
    const res = await drive.files.create({ requestBody: { name: 'kept.jpg', parents: [folder.data.id ?? ''] }, media: media(), fields: 'id,sha256Checksum' }, { rootUrl: h.rootUrl });
    assert.equal(res.status, 200);
    assert.equal(res.data.sha256Checksum, sha256(bytes));
    assert.equal(requests.at(-1), `${h.emu.endpoints.drive}/upload/drive/v3/files?fields=id%2Csha256Checksum&uploadType=multipart`);
    const state = await h.control.state();
    assert.equal(state.requestCounts['drive.upload'], 1);
    assert.deepEqual(state.drive.files.filter((f) => f.name !== 'Trap').map((f) => [f.name, f.sha256]), [['kept.jpg', sha256(bytes)]]);
    assert.equal(requests.filter((u) => !u.startsWith(`${h.emu.endpoints.drive}/`)).length, 1, 'only the blocked upload aimed elsewhere');
  } finally {
    await h.close();
  }
});

test('folder create + find by name; multipart upload with appProperties; checksums match the bytes', async () => {
  const h = await startDrive();
  const { drive } = h.app;
  try {
    const folder = await drive.files.create({ requestBody: { name: "Alex's Photos", mimeType: FOLDER_MIME, appProperties: { photoSyncRoot: '1' } }, fields: 'id,name,mimeType,parents' });
    const root = (await h.control.state()).drive.roots[(await h.control.state()).users[0].sub];
    assert.deepEqual(folder.data.parents, [root]);
    const found = await drive.files.list({ q: "name = 'Alex\\'s Photos' and mimeType = 'application/vnd.google-apps.folder' and trashed = false", fields: 'files(id,name)', spaces: 'drive' });
    assert.deepEqual(found.data.files, [{ id: folder.data.id, name: "Alex's Photos" }]);

    const bytes = testBytes(300_000, 7);
    const up = await drive.files.create(
      {
        requestBody: { name: 'IMG_0001.jpg', parents: [folder.data.id ?? ''], appProperties: { photoSyncId: 'abc', localPath: '2024/IMG_0001.jpg' } },
        media: { mimeType: 'image/jpeg', body: Readable.from(bytes) },
        fields: 'id,name,mimeType,size,md5Checksum,sha1Checksum,sha256Checksum,appProperties,parents,createdTime,modifiedTime,trashed,originalFilename',
      },
      { rootUrl: h.rootUrl },
    );
    assert.equal(up.data.size, String(bytes.length));
    assert.equal(up.data.md5Checksum, md5(bytes));
    assert.equal(up.data.sha1Checksum, createHash('sha1').update(bytes).digest('hex'));
    assert.equal(up.data.sha256Checksum, sha256(bytes));
    assert.deepEqual(up.data.appProperties, { photoSyncId: 'abc', localPath: '2024/IMG_0001.jpg' });
    assert.deepEqual(up.data.parents, [folder.data.id]);
    assert.equal(up.data.mimeType, 'image/jpeg');
    assert.equal(up.data.trashed, false);
    assert.equal(up.data.originalFilename, 'IMG_0001.jpg');
    assert.match(up.data.createdTime ?? '', /^\d{4}-\d\d-\d\dT/);

    // Default fields are Drive v3's four.
    const plain = await drive.files.get({ fileId: up.data.id ?? '' });
    assert.deepEqual(plain.data, { kind: 'drive#file', id: up.data.id, name: 'IMG_0001.jpg', mimeType: 'image/jpeg' });

    const state = await h.control.state();
    const stored = state.drive.files.find((f) => f.id === up.data.id);
    assert.equal(stored?.sha256, sha256(bytes));
    assert.equal(stored?.size, bytes.length);
    assert.deepEqual(stored?.ownerApp, { clientId: state.clients[0].clientId, projectNumber: state.clients[0].projectNumber });
    assert.deepEqual(stored?.appProperties, { [state.clients[0].projectNumber]: { photoSyncId: 'abc', localPath: '2024/IMG_0001.jpg' } });

    // The bytes come back unchanged.
    const back = await drive.files.get({ fileId: up.data.id ?? '', alt: 'media' }, { responseType: 'arraybuffer' });
    assert.equal(sha256(Buffer.from(back.data as unknown as ArrayBuffer)), sha256(bytes));
  } finally {
    await h.close();
  }
});

test('generateIds + create with that id twice: the second is 409 fileIdInUse and one file exists', async () => {
  const h = await startDrive();
  const { drive } = h.app;
  try {
    const ids = await drive.files.generateIds({ count: 3, space: 'drive', type: 'files' });
    assert.equal(ids.data.ids?.length, 3);
    assert.equal(ids.data.kind, 'drive#generatedIds');
    const id = ids.data.ids?.[0] ?? '';
    assert.match(id, /^[A-Za-z0-9_-]{25,}$/);
    const bytes = testBytes(5000, 3);
    const create = (): Promise<unknown> => drive.files.create({ requestBody: { id, name: 'once.jpg' }, media: { mimeType: 'image/jpeg', body: Readable.from(bytes) }, fields: 'id' }, { rootUrl: h.rootUrl });
    const first = (await create()) as { data: { id: string } };
    assert.equal(first.data.id, id);
    const second = await driveFailure(create());
    assert.equal(second.status, 409);
    assert.equal(second.body.error.errors[0].reason, 'fileIdInUse');
    assert.equal((await h.control.state()).drive.files.filter((f) => f.name === 'once.jpg').length, 1);

    // An id never handed out by generateIds is not usable.
    const made = await driveFailure(drive.files.create({ requestBody: { id: '1madeUpIdThatGoogleNeverIssuedXyz', name: 'x' } }));
    assert.equal(made.status, 400);
    assert.equal(made.body.error.errors[0].reason, 'fileIdNotUsable');
  } finally {
    await h.close();
  }
});

test('Range download: 206 with the exact bytes; 416 past the end; folders are not downloadable', async () => {
  const h = await startDrive();
  const { drive } = h.app;
  try {
    const bytes = testBytes(10_000, 11);
    const up = await drive.files.create({ requestBody: { name: 'r.bin' }, media: { mimeType: 'application/octet-stream', body: Readable.from(bytes) }, fields: 'id' }, { rootUrl: h.rootUrl });
    const fileId = up.data.id ?? '';
    const part = await drive.files.get({ fileId, alt: 'media' }, { responseType: 'arraybuffer', headers: { Range: 'bytes=500-999' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers['content-range'], 'bytes 500-999/10000');
    assert.deepEqual(Buffer.from(part.data as unknown as ArrayBuffer), bytes.subarray(500, 1000));
    const tail = await drive.files.get({ fileId, alt: 'media' }, { responseType: 'arraybuffer', headers: { Range: 'bytes=-100' } });
    assert.deepEqual(Buffer.from(tail.data as unknown as ArrayBuffer), bytes.subarray(9900));

    const past = await driveFailure(drive.files.get({ fileId, alt: 'media' }, { responseType: 'arraybuffer', headers: { Range: 'bytes=20000-' } }));
    assert.equal(past.status, 416);

    const folder = await drive.files.create({ requestBody: { name: 'F', mimeType: FOLDER_MIME }, fields: 'id' });
    const notBytes = await driveFailure(drive.files.get({ fileId: folder.data.id ?? '', alt: 'media' }));
    assert.equal(notBytes.status, 403);
    assert.equal(notBytes.body.error.errors[0].reason, 'fileNotDownloadable');
    assert.equal((await h.control.state()).requestCounts['drive.media'], 4);
  } finally {
    await h.close();
  }
});

test('update: rename, move with addParents/removeParents, appProperties (null removes), trash, media update; delete is permanent', async () => {
  const h = await startDrive();
  const { drive } = h.app;
  try {
    const a = await drive.files.create({ requestBody: { name: 'A', mimeType: FOLDER_MIME }, fields: 'id' });
    const b = await drive.files.create({ requestBody: { name: 'B', mimeType: FOLDER_MIME }, fields: 'id' });
    const [aId, bId] = [a.data.id ?? '', b.data.id ?? ''];
    const first = testBytes(2000, 1);
    const f = await drive.files.create({ requestBody: { name: 'x.jpg', parents: [aId], appProperties: { k: 'v', gone: 'soon' } }, media: { mimeType: 'image/jpeg', body: Readable.from(first) }, fields: 'id,version' }, { rootUrl: h.rootUrl });
    const fileId = f.data.id ?? '';

    // null removes a key (File schema); the generated types only allow strings.
    const appProperties = { gone: null, added: 'yes' } as unknown as Record<string, string>;
    const moved = await drive.files.update({ fileId, addParents: bId, removeParents: aId, requestBody: { name: 'y.jpg', appProperties }, fields: 'name,parents,appProperties' });
    assert.deepEqual(moved.data, { name: 'y.jpg', parents: [bId], appProperties: { k: 'v', added: 'yes' } });

    // A second parent is refused: Drive files have exactly one.
    const two = await driveFailure(drive.files.update({ fileId, addParents: aId }));
    assert.equal(two.status, 403);
    assert.equal(two.body.error.errors[0].reason, 'cannotAddParent');
    // parents is not writable in an update body.
    const direct = await driveFailure(drive.files.update({ fileId, requestBody: { parents: [aId] } }));
    assert.equal(direct.status, 403);
    assert.equal(direct.body.error.errors[0].reason, 'fieldNotWritable');

    const second = testBytes(3000, 2);
    const replaced = await drive.files.update({ fileId, media: { mimeType: 'image/jpeg', body: Readable.from(second) }, fields: 'sha256Checksum,size,version' }, { rootUrl: h.rootUrl });
    assert.equal(replaced.data.sha256Checksum, sha256(second));
    assert.equal(replaced.data.size, '3000');
    assert.ok(Number(replaced.data.version) > Number(f.data.version));

    // Trashing the folder trashes what is inside it; the file still answers by id.
    await drive.files.update({ fileId: bId, requestBody: { trashed: true } });
    const inside = await drive.files.get({ fileId, fields: 'trashed,explicitlyTrashed' });
    assert.deepEqual(inside.data, { trashed: true, explicitlyTrashed: false });

    await drive.files.delete({ fileId: bId });
    const gone = await driveFailure(drive.files.get({ fileId }));
    assert.equal(gone.status, 404);
    assert.deepEqual(gone.body.error.errors[0], { domain: 'global', reason: 'notFound', message: `File not found: ${fileId}.`, location: 'fileId', locationType: 'parameter' });
    const state = await h.control.state();
    assert.deepEqual(state.drive.files.map((x) => x.name), ['A']);
  } finally {
    await h.close();
  }
});

test('imageMediaMetadata basics come from the uploaded JPEG', async () => {
  const h = await startDrive();
  try {
    const bytes = readFileSync('test/fixtures/photos/DSC_0412.jpg');
    const tags = (await exifr.parse(bytes, { reviveValues: false })) as Record<string, unknown>;
    const up = await h.app.drive.files.create(
      { requestBody: { name: 'DSC_0412.jpg' }, media: { mimeType: 'image/jpeg', body: Readable.from(bytes) }, fields: 'imageMediaMetadata(width,height,time,cameraMake,cameraModel)' },
      { rootUrl: h.rootUrl },
    );
    const meta = up.data.imageMediaMetadata;
    assert.equal(meta?.time, tags.DateTimeOriginal);
    assert.equal(meta?.cameraMake, tags.Make);
    assert.equal(meta?.cameraModel, tags.Model);
    assert.ok((meta?.width ?? 0) > 0 && (meta?.height ?? 0) > 0);
  } finally {
    await h.close();
  }
});
