// The emulator's files.copy, as googleapis' own Drive client calls it: a server-side copy (no
// upload), counted toward storage, patched by the request body; folders cannot be copied.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { FOLDER_MIME, driveFailure, startDrive, testBytes } from './emulator-drive-harness';

test('files.copy: same bytes, no upload request, the body patches name, parents and appProperties; folders answer 403 cannotCopyFile', async () => {
  const h = await startDrive();
  const { drive } = h.app;
  try {
    const rootUrl = h.rootUrl;
    const a = await drive.files.create({ requestBody: { name: 'A', mimeType: FOLDER_MIME }, fields: 'id' });
    const b = await drive.files.create({ requestBody: { name: 'B', mimeType: FOLDER_MIME }, fields: 'id' });
    const bytes = testBytes(40_000, 9);
    const original = await drive.files.create(
      { requestBody: { name: 'x.jpg', parents: [a.data.id ?? ''], appProperties: { k: 'v', gone: '1' } }, media: { mimeType: 'image/jpeg', body: Readable.from(bytes) }, fields: 'id,sha256Checksum' },
      { rootUrl },
    );
    const uploads = (await h.control.state()).requestCounts['drive.upload'];
    const plain = await drive.files.copy({ fileId: original.data.id ?? '', fields: 'id,name,parents,appProperties,sha256Checksum' });
    assert.equal(plain.data.name, 'Copy of x.jpg');
    assert.deepEqual(plain.data.parents, [a.data.id]);
    assert.deepEqual(plain.data.appProperties, { k: 'v', gone: '1' });
    const patched = await drive.files.copy({ fileId: original.data.id ?? '', requestBody: { name: 'x.jpg', parents: [b.data.id ?? ''], appProperties: { gone: null, origin: original.data.id ?? '' } as unknown as Record<string, string> }, fields: 'id,name,parents,appProperties,sha256Checksum' });
    assert.deepEqual([patched.data.name, patched.data.parents, patched.data.appProperties], ['x.jpg', [b.data.id], { k: 'v', origin: original.data.id }]);
    assert.equal(patched.data.sha256Checksum, original.data.sha256Checksum);
    const state = await h.control.state();
    assert.equal(state.requestCounts['drive.upload'], uploads, 'no bytes sent');
    assert.equal(state.requestCounts['drive.files.copy'], 2);
    assert.equal(state.drive.storage.usage[state.users[0].sub].total, 3 * bytes.length, 'copies count toward storage');

    const folderCopy = await driveFailure(drive.files.copy({ fileId: a.data.id ?? '' }));
    assert.equal(folderCopy.status, 403);
    assert.equal(folderCopy.body.error.errors[0].reason, 'cannotCopyFile');
  } finally {
    await h.close();
  }
});
