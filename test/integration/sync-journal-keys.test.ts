import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { startRig, folder, remoteItems, unfinishedUploads, ACCOUNT } from './sync-harness';
import { makeJpeg, tempDir, writeTree } from '../unit/sync-fixtures';
import { uploadId } from '../../src/sync/plan';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

// An upload row is keyed by the sha256 it holds; a file edited after the scan is sent with its new
// bytes under a new row (the planned one is closed). Later content equal to the first bytes must
// still go up — not be taken for the other item (an add of the wrong photo, or a commit of the wrong
// receipt, then archived).
test('a journal row whose file changed during the run is not mistaken for its original bytes later', async () => {
  const rig = await startRig();
  try {
    const root = path.join(await tempDir(), 'Edited');
    const original = makeJpeg(71);
    const edited = makeJpeg(72);
    await writeTree(root, { 'a.jpg': original });
    const f = folder({ path: root });
    const plan = rig.pipeline.plan(await rig.pipeline.scan([f]));
    await fs.writeFile(path.join(root, 'a.jpg'), edited);
    await fs.utimes(path.join(root, 'a.jpg'), new Date(), new Date(Date.now() + 5000));
    await rig.pipeline.run(plan);
    assert.deepEqual((await remoteItems(rig.control)).map((m) => m.sha256), [sha(edited)]);

    // The user brings the original bytes back as another file (a copy restored from a backup).
    await writeTree(root, { 'b.jpg': original });
    const { report } = await rig.pipeline.sync([f]);
    assert.deepEqual(report.failed, []);
    const mine = await remoteItems(rig.control);
    assert.deepEqual(mine.map((m) => m.sha256).sort(), [sha(original), sha(edited)].sort(), 'the original bytes reached Google');
    const bItem = rig.index.mediaItems.bySha256(sha(original), { accountId: ACCOUNT })[0];
    assert.ok(bItem, 'the index holds an item for the original bytes');
    assert.equal(mine.find((m) => m.id === bItem.id)?.sha256, sha(original), 'and it is the emulator item with those bytes');
  } finally {
    await rig.close();
  }
});

test('an uploaded-but-uncommitted row whose file changed is not committed for other bytes with the same old hash', async () => {
  const rig = await startRig();
  try {
    const root = path.join(await tempDir(), 'Token');
    const original = makeJpeg(81);
    const edited = makeJpeg(82);
    await writeTree(root, { 'a.jpg': original });
    const f = folder({ path: root, afterUpload: 'archive', archivePath: path.join(path.dirname(root), 'Archive') });
    const plan = rig.pipeline.plan(await rig.pipeline.scan([f]));
    await fs.writeFile(path.join(root, 'a.jpg'), edited);
    await fs.utimes(path.join(root, 'a.jpg'), new Date(), new Date(Date.now() + 5000));
    // Google fails the commit: the row keeps a live token for the edited bytes under the original's key.
    await rig.control.faults({ type: 'status', endpoint: 'library.mediaItems.batchCreate', status: 500, times: 20 });
    await rig.pipeline.run(plan);
    assert.equal(rig.index.uploads.get(uploadId('google-photos', ACCOUNT, sha(original)))?.state, 'failed', 'precondition: the planned row was closed');
    const row = rig.index.uploads.get(uploadId('google-photos', ACCOUNT, sha(edited)));
    assert.equal(row?.sha256, sha(edited), 'precondition: the edited bytes have their own row');
    assert.ok(row?.receipt, 'precondition: a live receipt for the edited bytes');
    await rig.control.faults({ type: 'clear' });

    await fs.rm(path.join(root, 'a.jpg'));
    await writeTree(root, { 'b.jpg': original });
    const { report } = await rig.pipeline.sync([f]);
    const mine = await remoteItems(rig.control);
    assert.deepEqual(mine.map((m) => m.sha256), [sha(original)], 'the bytes of b.jpg, not those of the old token');
    assert.equal(report.archived, 1);
    const archived = await fs.readFile(path.join(path.dirname(root), 'Archive', 'b.jpg'));
    assert.equal(sha(archived), sha(original));
  } finally {
    await rig.close();
  }
});

test('on the next start one journaled file that can no longer be read does not stop the others from resuming', async () => {
  const rig = await startRig({ queue: { backoff: { baseMs: 1, maxMs: 2 } } });
  try {
    const root = path.join(await tempDir(), 'Resume');
    const files: Record<string, Buffer> = { 'a.jpg': makeJpeg(501), 'b.jpg': makeJpeg(502), 'c.jpg': makeJpeg(503) };
    await writeTree(root, files);
    const f = folder({ path: root });
    // Google fails every commit: the three tokens stay journaled, unfinished.
    await rig.control.faults({ type: 'status', endpoint: 'library.mediaItems.batchCreate', status: 500, times: 20 });
    await rig.pipeline.sync([f]);
    await rig.control.faults({ type: 'clear' });
    await rig.restart();
    assert.equal(unfinishedUploads(rig).length, 3, 'precondition: three unfinished rows');

    // Meanwhile b.jpg became something that cannot be read as a file.
    await fs.rm(path.join(root, 'b.jpg'));
    await fs.mkdir(path.join(root, 'b.jpg'));
    const plan = await rig.pipeline.planUnfinished([f]);
    assert.ok(plan);
    const report = await rig.pipeline.run(plan);
    const mine = await remoteItems(rig.control);
    assert.deepEqual(mine.map((m) => m.sha256).sort(), [sha(files['a.jpg']), sha(files['c.jpg'])].sort());
    assert.equal(unfinishedUploads(rig).length, 0, 'no row left to trip the next start');
    assert.notEqual(rig.index.localFiles.byPath(path.join(root, 'b.jpg'))?.status, 'uploaded');
    assert.equal(report.failed.filter((x) => /a\.jpg|c\.jpg/.test(x.path)).length, 0);
  } finally {
    await rig.close();
  }
});
