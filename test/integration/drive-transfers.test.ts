// Byte transfers to and from Drive: the resumable protocol (chunks of 256 KiB multiples, 308 +
// Range, a status query after a dropped chunk), a session journaled in the index and continued after
// VS Code closed, a session that expired started again, a create whose answer was lost found again
// by its pre-generated id (no second file, no bytes sent again), and downloads that continue with a
// Range request after the connection drops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ACCOUNT, folder } from './sync-harness';
import { uploadId } from '../../src/sync/plan';
import { driveView, startDriveRig, type DriveRig } from './drive-sync-harness';
import { testBytes } from './emulator-drive-harness';
import { makeJpeg, tempDir, writeTree } from '../unit/sync-fixtures';
import type { TaskGroup } from '../../src/tasks/api';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const KiB = 1024;
const driveFolder = (p: string) => folder({ path: p, destination: 'google-drive' });

/** A JPEG of about `size` bytes (valid header, then noise). */
function bigJpeg(seed: number, size: number): Buffer {
  const head = makeJpeg(seed);
  return Buffer.concat([head.subarray(0, head.length - 2), testBytes(size, seed), Buffer.from([0xff, 0xd9])]);
}

async function withRig(run: (rig: DriveRig) => Promise<void>, options: Parameters<typeof startDriveRig>[0] = {}): Promise<void> {
  const rig = await startDriveRig(options);
  try {
    await run(rig);
  } finally {
    await rig.close();
  }
}

const SMALL_TRANSFERS = { destination: { transfer: { resumableThreshold: 256 * KiB, chunkSize: 256 * KiB } } };

test('a large file goes resumable in 256 KiB chunks; a chunk cut mid-way is asked about and continued, not restarted', () =>
  withRig(async (rig) => {
    const root = path.join(await tempDir(), 'Big');
    const bytes = bigJpeg(1, 1100 * KiB);
    await writeTree(root, { 'big.jpg': bytes });
    await rig.control.faults({ type: 'reset', endpoint: 'PUT /upload/drive/v3/files', afterBytes: 100 * KiB, times: 1 });
    const { report } = await rig.pipeline.sync([driveFolder(root)]);
    assert.deepEqual(report.failed, []);
    const view = await driveView(rig.control);
    assert.deepEqual(view.photos.map((f) => [f.name, f.sha256, f.size]), [['big.jpg', sha(bytes), bytes.length]]);
    const state = await rig.control.state();
    // start + 5 chunks (4 × 256 KiB + the rest) + the cut chunk again + one status query.
    assert.equal(state.requestCounts['drive.upload'], 1 + 5 + 1 + 1);
    assert.equal(state.drive.sessions.length, 1);
    assert.ok(state.drive.sessions[0].done);
  }, SMALL_TRANSFERS));

test('files up to 5 MB go in one multipart request each, a small one read whole and a larger one streamed, with their metadata', () =>
  withRig(async (rig) => {
    const root = path.join(await tempDir(), 'OneRequest');
    const small = bigJpeg(11, 40 * KiB);
    const larger = bigJpeg(12, 1600 * KiB);
    await writeTree(root, { 'small.jpg': small, 'larger.jpg': larger });
    const { report } = await rig.pipeline.sync([driveFolder(root)]);
    assert.deepEqual(report.failed, []);
    const view = await driveView(rig.control);
    assert.deepEqual(
      view.photos.map((f) => [f.name, f.sha256, f.size]).sort(),
      [['larger.jpg', sha(larger), larger.length], ['small.jpg', sha(small), small.length]],
    );
    for (const f of view.photos) {
      assert.equal(f.mimeType, 'image/jpeg');
      assert.equal(view.props(f).photoSyncSha256, f.sha256);
    }
    const state = await rig.control.state();
    assert.equal(state.requestCounts['drive.upload'], 2, 'one request per file');
    assert.equal(state.drive.sessions.length, 0, 'no resumable session');
  }));

test('VS Code closes mid-upload: the journaled session continues from the bytes Drive kept, one file, no second session', () =>
  withRig(async (rig) => {
    const root = path.join(await tempDir(), 'Resume');
    const bytes = bigJpeg(2, 1600 * KiB);
    await writeTree(root, { 'video-like.jpg': bytes });
    const f = driveFolder(root);
    // Slow chunks, so the window can close after some of them.
    await rig.control.faults({ type: 'latency', endpoint: 'PUT /upload/drive/v3/files', ms: 150 });
    let closing: Promise<void> | undefined;
    await rig.pipeline.sync([f], {
      onGroup: (group: TaskGroup) =>
        group.onProgress(() => {
          if (!closing && group.progress().bytesDone >= 600 * KiB) closing = new Promise<void>((r) => setImmediate(r)).then(() => (group.cancel(), rig.queue.dispose()));
        }),
    });
    await closing;
    await rig.control.faults({ type: 'clear' });
    const held = (await rig.control.state()).drive.sessions[0];
    assert.ok(held && !held.done && held.received >= 512 * KiB, `the session holds part of the file (${held?.received})`);
    await rig.restart();
    const row = rig.index.uploads.byState('pending', { provider: 'google-drive', accountId: 'acct-1' }).items[0];
    assert.match(row?.resumeState ?? '', /"session":"http/, 'the session is journaled with the file’s create id');

    const plan = await rig.pipeline.planUnfinished([f]);
    assert.equal(plan?.uploads.length, 1);
    if (plan) await rig.pipeline.run(plan);
    const state = await rig.control.state();
    assert.equal(state.drive.sessions.length, 1, 'continued, not started again');
    const view = await driveView(rig.control);
    assert.deepEqual(view.photos.map((x) => x.sha256), [sha(bytes)]);
    assert.equal(rig.index.localFiles.byPath(path.join(root, 'video-like.jpg'))?.status, 'uploaded');
  }, SMALL_TRANSFERS));

test('a resumable session that expired (Drive answers 404) is started again once; still one file', () =>
  withRig(async (rig) => {
    const root = path.join(await tempDir(), 'Expired');
    const bytes = bigJpeg(3, 900 * KiB);
    await writeTree(root, { 'late.jpg': bytes });
    const f = driveFolder(root);
    // The first session stops after its first chunk (the window closes) …
    await rig.control.faults({ type: 'latency', endpoint: 'PUT /upload/drive/v3/files', ms: 200 });
    let closing: Promise<void> | undefined;
    await rig.pipeline.sync([f], {
      onGroup: (group: TaskGroup) =>
        group.onProgress(() => {
          if (!closing && group.progress().bytesDone >= 256 * KiB) closing = new Promise<void>((r) => setImmediate(r)).then(() => (group.cancel(), rig.queue.dispose()));
        }),
    });
    await closing;
    // … and is resumed eight days later: Drive has forgotten it.
    await rig.control.faults([{ type: 'clear' }, { type: 'advanceClock', ms: 8 * 24 * 3600 * 1000 }]);
    await rig.restart();
    const plan = await rig.pipeline.planUnfinished([f]);
    const report = plan && (await rig.pipeline.run(plan));
    assert.deepEqual(report?.failed, []);
    const state = await rig.control.state();
    assert.equal(state.drive.sessions.length, 2, 'a new session');
    assert.deepEqual((await driveView(rig.control)).photos.map((x) => x.sha256), [sha(bytes)]);
  }, SMALL_TRANSFERS));

test('idempotent create: the answer to a create is lost after Drive made the file; the retry finds it by its pre-generated id instead of sending it again', () =>
  withRig(async (rig) => {
    const root = path.join(await tempDir(), 'Lost');
    const bytes = makeJpeg(4, undefined, 2000);
    await writeTree(root, { 'once.jpg': bytes });
    // The request arrives whole; the connection drops while the answer is on its way.
    await rig.control.faults({ type: 'reset', endpoint: 'drive.upload', afterBytes: bytes.length + 900, times: 1 });
    const { report } = await rig.pipeline.sync([driveFolder(root)]);
    assert.deepEqual(report.failed, []);
    const state = await rig.control.state();
    assert.deepEqual((state.faults as { reset: unknown[] }).reset, [], 'the fault fired');
    const view = await driveView(rig.control);
    assert.deepEqual(view.photos.map((x) => x.sha256), [sha(bytes)], 'one file');
    assert.equal(state.requestCounts['drive.upload'], 1, 'the bytes went once: the retry found the file by id');
    assert.equal(rig.index.uploads.byState('committed', { provider: 'google-drive', accountId: 'acct-1' }).items[0]?.mediaItemId, view.photos[0].id);
  }));

test('an earlier attempt’s journaled id whose file Drive made is adopted by that id (no bytes sent) and moved into its album folder', () =>
  withRig(async (rig) => {
    const root = path.join(await tempDir(), 'Twice');
    const bytes = makeJpeg(5, undefined, 3000);
    await writeTree(root, { 'a.jpg': bytes });
    // An earlier attempt journaled an id and Drive made the file (in My Drive), but the index never heard back.
    const { ids } = await rig.provider.api.call((o) => rig.provider.api.drive.files.generateIds({ count: 1, space: 'drive', type: 'files' }, o));
    const id = ids?.[0] ?? '';
    const key = uploadId('google-drive', ACCOUNT, sha(bytes));
    await rig.index.write((w) =>
      w.uploads.upsert({ id: key, provider: 'google-drive', accountId: ACCOUNT, localPath: path.join(root, 'a.jpg'), sha256: sha(bytes), size: bytes.length, albumTitle: 'Twice', state: 'pending', resumeState: JSON.stringify({ id }) }),
    );
    const made = await rig.provider.api.call((o) => rig.provider.api.drive.files.create({ requestBody: { id, name: 'a.jpg', appProperties: { photoSyncSha256: sha(bytes) } }, media: { mimeType: 'image/jpeg', body: Readable.from(bytes) }, fields: 'id' }, o));
    assert.equal(made.id, id);
    const before = (await rig.control.state()).requestCounts['drive.upload'];
    const { report } = await rig.pipeline.sync([driveFolder(root)]);
    assert.deepEqual(report.failed, []);
    assert.equal((await rig.control.state()).requestCounts['drive.upload'], before, 'found by its id: no bytes sent');
    const view = await driveView(rig.control);
    assert.deepEqual(view.photos.map((x) => x.id), [id], 'one file, the one made before');
    assert.deepEqual(view.photos[0].parents, [view.albums.get('Twice')?.id], 'moved into its album folder by the commit');
  }));

test('download: a connection cut mid-file continues with a Range request; a caller with a part on disk starts where it stopped', () =>
  withRig(async (rig) => {
    const dir = await tempDir();
    const bytes = bigJpeg(6, 700 * KiB);
    await writeTree(dir, { 'dl.jpg': bytes });
    const local = { path: path.join(dir, 'dl.jpg'), fileName: 'dl.jpg', mimeType: 'image/jpeg', size: bytes.length, sha256: sha(bytes) };
    const [made] = await rig.provider.commit(undefined, [{ receipt: await rig.provider.uploadBytes(local), file: local }]);
    assert.ok(made.ok);

    await rig.control.faults({ type: 'reset', endpoint: 'drive.media', afterBytes: 300 * KiB, times: 2 });
    const chunks: Buffer[] = [];
    const n = await rig.provider.download(made.item, async (c) => void chunks.push(Buffer.from(c)));
    assert.equal(n, bytes.length);
    assert.equal(sha(Buffer.concat(chunks)), sha(bytes), 'the same bytes, nothing twice');
    const state = await rig.control.state();
    assert.equal(state.requestCounts['drive.media'], 3, 'two cuts, two range requests');

    const rest: Buffer[] = [];
    const m = await rig.provider.download(made.item, async (c) => void rest.push(Buffer.from(c)), undefined, { from: 500_000 });
    assert.equal(m, bytes.length - 500_000);
    assert.equal(sha(Buffer.concat([bytes.subarray(0, 500_000), ...rest])), sha(bytes));
  }));
