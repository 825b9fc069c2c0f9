// Folders synced to Google Drive against the emulator's Drive v3, checked on the emulator's state:
// the base folder made once and found again, one Drive folder per album with every file once (its
// sha256, parent and content key), dedup by content on both sides, files the user renamed or moved
// in Drive's web UI found again by id, and Drive's checksums matching the local hashes without a
// download. googleapis talks through a fetch that refuses any address but the emulator's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { folder } from './sync-harness';
import { driveView, startDriveRig, type DriveRig } from './drive-sync-harness';
import { makeJpeg, tempDir, writeTree } from '../unit/sync-fixtures';
import { openIndex } from '../../src/index/openIndex';
import { TaskQueue } from '../../src/tasks/queue';
import { createDestination } from '../../src/destinations/factory';
import { nullLogger } from '../../src/util/logger';
import { WASM_DIR, ACCOUNT } from './sync-harness';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const driveFolder = (p: string, extra: Record<string, unknown> = {}) => folder({ path: p, destination: 'google-drive', ...extra });

async function withRig(run: (rig: DriveRig) => Promise<void>, options: Parameters<typeof startDriveRig>[0] = {}): Promise<void> {
  const rig = await startDriveRig(options);
  try {
    await run(rig);
  } finally {
    await rig.close();
  }
}

test('a folder synced to Drive: the base folder once, one Drive folder per album, every file once with its sha256 and content key; nothing leaves for Google', () =>
  withRig(async (rig) => {
    const root = path.join(await tempDir(), 'Holidays');
    const files = { 'top.jpg': makeJpeg(1), 'Rome/r1.jpg': makeJpeg(2), 'Rome/_raw/r2.jpg': makeJpeg(3), 'Paris/p1.jpg': makeJpeg(4), '.hidden/h.jpg': makeJpeg(5) };
    await writeTree(root, files);
    const { report } = await rig.pipeline.sync([driveFolder(root)]);
    assert.deepEqual(report.failed, []);
    assert.equal(report.uploaded, 4);

    const view = await driveView(rig.control);
    assert.equal(view.bases.length, 1, 'one base folder');
    assert.equal(view.bases[0].name, 'Photo Sync');
    const state = await rig.control.state();
    assert.deepEqual(view.bases[0].parents, [state.drive.roots[state.users[0].sub]], 'in My Drive');
    assert.deepEqual([...view.albums.keys()].sort(), ['Holidays', 'Paris', 'Rome']);
    const inAlbum = (title: string) => view.inFolder(view.albums.get(title)?.id ?? '').map((f) => [f.name, f.sha256]).sort();
    assert.deepEqual(inAlbum('Holidays'), [['top.jpg', sha(files['top.jpg'])]]);
    assert.deepEqual(inAlbum('Rome'), [['r1.jpg', sha(files['Rome/r1.jpg'])], ['r2.jpg', sha(files['Rome/_raw/r2.jpg'])]]);
    assert.deepEqual(inAlbum('Paris'), [['p1.jpg', sha(files['Paris/p1.jpg'])]]);
    for (const f of view.photos) {
      assert.equal(view.props(f).photoSyncSha256, f.sha256, 'the content key is the sha256 Drive computed');
      assert.equal(f.mimeType, 'image/jpeg');
    }
    assert.equal(view.photos.length, 4, 'nothing from hidden folders, nothing twice');
    assert.ok(rig.urls.length > 0 && rig.urls.every((u) => u.startsWith(`${rig.emulator.endpoints.drive}/`)), 'every request went to the emulator (googleapis#1921)');
    assert.ok(rig.urls.some((u) => u.includes('/upload/drive/v3/files?')), 'uploads too');
    // Requests: one multipart create per file, the album folders, a few lists and ids.
    const uploads = state.requestCounts['drive.upload'];
    assert.equal(uploads, 4, 'one request per file');

    // The index knows the Drive folders as albums, the base folder by id.
    assert.deepEqual(rig.index.albums.listWithCounts({ provider: 'google-drive' }).items.map((a) => [a.title, a.indexedItems]).sort(), [['Holidays', 1], ['Paris', 1], ['Rome', 2]]);
    assert.equal(rig.index.destinationState.get('google-drive', ACCOUNT, 'baseFolder'), view.bases[0].id);

    // A second sync sends nothing and makes nothing.
    const again = await rig.pipeline.sync([driveFolder(root)]);
    assert.equal(again.plan.uploads.length + again.plan.adds.length, 0);
    const after = await rig.control.state();
    assert.equal(after.requestCounts['drive.upload'], uploads);
    assert.equal(after.drive.files.length, state.drive.files.length);
  }));

test('content goes up once: a copy in another folder is a server-side copy in that Drive folder (no bytes); a local rename sends nothing', () =>
  withRig(async (rig) => {
    const root = path.join(await tempDir(), 'Lib');
    const same = makeJpeg(11, undefined, 64);
    await writeTree(root, { 'A/x.jpg': same, 'B/copy-of-x.jpg': same, 'A/y.jpg': makeJpeg(12) });
    const f = driveFolder(root);
    const { report } = await rig.pipeline.sync([f]);
    assert.deepEqual(report.failed, []);
    const state = await rig.control.state();
    assert.equal(state.requestCounts['drive.upload'], 2, 'the shared bytes were sent once');
    assert.equal(state.requestCounts['drive.files.copy'], 1);
    const view = await driveView(rig.control);
    const [inA, inB] = ['A', 'B'].map((t) => view.inFolder(view.albums.get(t)?.id ?? ''));
    const original = inA.find((x) => x.sha256 === sha(same));
    assert.ok(original);
    assert.deepEqual(inB.map((x) => [x.name, x.sha256, view.props(x).photoSyncOrigin]), [['x.jpg', sha(same), original.id]], 'B holds a real copy of the bytes, naming its origin');

    await fs.rename(path.join(root, 'A/y.jpg'), path.join(root, 'A/renamed.jpg'));
    const again = await rig.pipeline.sync([f]);
    assert.equal(again.plan.uploads.length + again.plan.adds.length, 0);
    assert.equal((await rig.control.state()).requestCounts['drive.upload'], 2);
  }));

test('another machine (its own empty index) finds the same base folder by its tag and the files by content: no second base folder, no bytes sent again', () =>
  withRig(async (rig) => {
    const root = path.join(await tempDir(), 'Shared');
    await writeTree(root, { 'a.jpg': makeJpeg(21), 'b.jpg': makeJpeg(22) });
    await rig.pipeline.sync([driveFolder(root)]);
    const sent = (await rig.control.state()).requestCounts['drive.upload'];

    const index = await openIndex({ storageDir: await tempDir(), wasmDir: WASM_DIR, watch: false });
    const queue = new TaskQueue({ backoff: { baseMs: 20, maxMs: 200 } });
    try {
      const other = await createDestination('google-drive', { index, queue, accountId: ACCOUNT, tokenSource: rig.tokens, endpoints: rig.emulator.endpoints, log: nullLogger });
      const { report } = await other.pipeline.sync([driveFolder(root)]);
      assert.deepEqual(report.failed, []);
      const view = await driveView(rig.control);
      assert.equal(view.bases.length, 1, 'the same base folder');
      assert.equal(view.albums.size, 1, 'the same album folder (listed, not made again)');
      assert.equal(view.photos.length, 2, 'no duplicates');
      assert.equal((await rig.control.state()).requestCounts['drive.upload'], sent, 'found by content, not sent again');
      assert.equal(index.destinationState.get('google-drive', ACCOUNT, 'baseFolder'), view.bases[0].id);
    } finally {
      await queue.dispose();
      await index.dispose();
    }
  }));

test('a file renamed and another moved in Drive’s web UI are found again by id: nothing is uploaded again, and their checksums verify without a download', () =>
  withRig(async (rig) => {
    const root = path.join(await tempDir(), 'Album');
    const files = { 'one.jpg': makeJpeg(31), 'two.jpg': makeJpeg(32), 'three.jpg': makeJpeg(33) };
    await writeTree(root, files);
    const f = driveFolder(root);
    await rig.pipeline.sync([f]);
    const view = await driveView(rig.control);
    const one = view.photos.find((x) => x.name === 'one.jpg');
    const two = view.photos.find((x) => x.name === 'two.jpg');
    assert.ok(one && two);
    await rig.web.change(one.id, { name: 'renamed in drive.jpg' });
    const elsewhere = await rig.web.createAsUser({ name: 'My own folder', mimeType: 'application/vnd.google-apps.folder' });
    await rig.web.change(two.id, { parent: elsewhere.id });
    const uploads = (await rig.control.state()).requestCounts['drive.upload'];

    const again = await rig.pipeline.sync([f]);
    assert.equal(again.plan.uploads.length, 0, 'nothing to upload');
    assert.equal((await rig.control.state()).requestCounts['drive.upload'], uploads);

    // Verify: Drive's sha256 of every item against the local hashes; no byte is downloaded.
    const ids = rig.index.mediaItems.inAlbum(rig.index.albums.listWithCounts({ provider: 'google-drive' }).items[0].id).items.map((m) => m.id);
    const found = await rig.provider.getItems(ids);
    const checksums = [...found.values()].map((r) => (r instanceof Error ? r.message : r.checksum)).sort();
    assert.deepEqual(checksums, Object.values(files).map(sha).sort());
    assert.equal((found.get(one.id) as { filename: string }).filename, 'renamed in drive.jpg');
    assert.equal((await rig.control.state()).requestCounts['drive.media'] ?? 0, 0, 'verified without downloading');
  }));

test('photoSync.drive.folderName renamed: the same base folder (found by id) is renamed in Drive, nothing is made or sent again', () =>
  withRig(async (rig) => {
    const root = path.join(await tempDir(), 'Named');
    await writeTree(root, { 'n.jpg': makeJpeg(41) });
    await rig.pipeline.sync([driveFolder(root)]);
    const before = await driveView(rig.control);
    await rig.restart({ driveFolderName: 'Camera backup' });
    const again = await rig.pipeline.sync([driveFolder(root)]);
    assert.equal(again.plan.uploads.length, 0);
    const after = await driveView(rig.control);
    assert.deepEqual(after.bases.map((b) => [b.id, b.name]), [[before.bases[0].id, 'Camera backup']]);
    assert.equal(after.files.length, before.files.length);
  }));

test('request budget: one create per file, one confirming list per commit batch of 40, ids a hundred at a time; every URL stays under 8,000 characters', () =>
  withRig(async (rig) => {
    const root = path.join(await tempDir(), 'Budget');
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 45; i++) files[`f${i}.jpg`] = makeJpeg(500 + i);
    await writeTree(root, files);
    const { report } = await rig.pipeline.sync([driveFolder(root)]);
    assert.equal(report.uploaded, 45);
    const counts = (await rig.control.state()).requestCounts;
    assert.equal(counts['drive.upload'], 45);
    assert.equal(counts['drive.files.generateIds'], 1);
    // Base folder (tag search), album folders, then one confirming list per batch (40 + 5).
    assert.equal(counts['drive.files.list'], 2 + 2);
    const total = Object.entries(counts).filter(([op]) => op.startsWith('drive.')).reduce((n, [, c]) => n + c, 0);
    assert.ok(total / 45 < 1.2, `${total} requests for 45 files`);
    const longest = Math.max(...rig.urls.map((u) => u.length));
    assert.ok(longest < 8000, `longest URL ${longest}`);
  }));
