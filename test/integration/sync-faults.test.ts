import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { startRig, folder, remoteItems, secondMachine, ACCOUNT } from './sync-harness';
import { makeJpeg, tempDir, writeTree } from '../unit/sync-fixtures';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('bad input: empty, unsupported, corrupt, Unicode, control-character and long names each end in a clear per-file state', async () => {
  const rig = await startRig();
  try {
    const root = path.join(await tempDir(), 'Mixed');
    const longName = `${'é'.repeat(120)}.jpg`; // 245 bytes: near the file system's own limit
    const good = { 'ok.jpg': makeJpeg(1), '写真 🌸 ✓.jpg': makeJpeg(2), 'tab\there.jpg': makeJpeg(3), [longName]: makeJpeg(4) };
    await writeTree(root, { ...good, 'empty.jpg': '', 'notes.txt': 'text', 'corrupt.jpg': 'this is not a jpeg at all', 'corrupt.webp': 'this is not a webp either' });
    const f = folder({ path: root });
    const { plan, report } = await rig.pipeline.sync([f]);
    assert.equal(plan.empty.length, 1);
    assert.equal(plan.unsupported.length, 1);
    // A JPEG whose bytes are no JPEG is caught before any request (damage.ts); a WebP is not judged
    // here, so Google's refusal is what marks it.
    assert.deepEqual(plan.damaged.map((d) => d.file.name), ['corrupt.jpg']);
    assert.match(rig.index.localFiles.byPath(path.join(root, 'corrupt.jpg'))?.lastError ?? '', /^damaged: /);

    const mine = await remoteItems(rig.control);
    assert.deepEqual(mine.map((m) => m.sha256).sort(), Object.values(good).map(sha).sort(), 'every valid photo once, nothing else');
    const names = mine.map((m) => m.filename);
    assert.ok(names.includes('写真 🌸 ✓.jpg'));
    assert.ok(names.includes('tab_here.jpg'), 'control characters replaced');
    assert.ok(names.some((n) => n.endsWith('.jpg') && n.startsWith('éé')));

    assert.equal(report.failed.length, 1);
    assert.match(report.failed[0].path, /corrupt\.webp$/);
    assert.match(report.failed[0].message, /refused.*valid photo/);
    const row = rig.index.localFiles.byPath(path.join(root, 'corrupt.webp'));
    assert.equal(row?.status, 'failed');
    assert.equal(rig.index.localFiles.byPath(path.join(root, 'empty.jpg'))?.status, 'skipped');
    assert.match(rig.index.localFiles.byPath(path.join(root, 'empty.jpg'))?.lastError ?? '', /empty/);

    // The refused file is not sent again until it changes.
    const uploadsBefore = rig.requests.get('uploads') ?? 0;
    const again = await rig.pipeline.sync([f]);
    assert.equal(again.plan.uploads.length, 0);
    assert.equal(again.plan.rejected.length, 1);
    assert.equal(rig.requests.get('uploads') ?? 0, uploadsBefore);
  } finally {
    await rig.close();
  }
});

test('429s, 503s and a dropped connection are retried; every file lands once', async () => {
  const rig = await startRig();
  try {
    const root = path.join(await tempDir(), 'Flaky');
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 12; i++) files[`p${i}.jpg`] = makeJpeg(100 + i, undefined, 64);
    await writeTree(root, files);
    await rig.control.faults([
      { type: 'status', endpoint: 'library.uploads', status: 429, times: 3, retryAfterSeconds: 0 },
      { type: 'status', endpoint: 'library.mediaItems.batchCreate', status: 503, times: 2 },
      { type: 'status', endpoint: 'library.albums.create', status: 500, times: 1 },
      { type: 'reset', endpoint: 'library.uploads', afterBytes: 100, times: 2 },
    ]);
    const { report } = await rig.pipeline.sync([folder({ path: root })]);
    assert.deepEqual(report.failed, []);
    const mine = await remoteItems(rig.control);
    assert.deepEqual(mine.map((m) => m.sha256).sort(), Object.values(files).map(sha).sort());
    const state = await rig.control.state();
    assert.equal(state.albums.filter((a) => a.title === 'Flaky').length, 1, 'one album despite the failed create');
    assert.equal(state.albums.find((a) => a.title === 'Flaky')?.mediaItemIds.length, 12);
  } finally {
    await rig.close();
  }
});

test('a file that vanishes before upload fails alone; a file changed after the scan is re-hashed and its new bytes recorded', async () => {
  const rig = await startRig();
  try {
    const root = path.join(await tempDir(), 'Moving');
    await writeTree(root, { 'stays.jpg': makeJpeg(1), 'goes.jpg': makeJpeg(2), 'changes.jpg': makeJpeg(3) });
    const f = folder({ path: root });
    const plan = rig.pipeline.plan(await rig.pipeline.scan([f]));
    await fs.unlink(path.join(root, 'goes.jpg'));
    const newer = makeJpeg(33);
    await fs.writeFile(path.join(root, 'changes.jpg'), newer);
    await fs.utimes(path.join(root, 'changes.jpg'), new Date(), new Date(Date.now() + 5000));
    const report = await rig.pipeline.run(plan);

    assert.equal(report.failed.length, 1);
    assert.match(report.failed[0].path, /goes\.jpg$/);
    assert.match(report.failed[0].message, /disappeared/);
    const mine = await remoteItems(rig.control);
    assert.deepEqual(mine.map((m) => m.sha256).sort(), [sha(makeJpeg(1)), sha(newer)].sort(), 'the new bytes, not the scanned ones');
    const item = rig.index.mediaItems.bySha256(sha(newer), { accountId: ACCOUNT })[0];
    assert.ok(item, 'the index records the hash of the bytes actually sent');
    assert.equal(rig.index.mediaItems.bySha256(sha(makeJpeg(3)), { accountId: ACCOUNT }).length, 0, 'never the stale hash');
    assert.equal(rig.index.localFiles.byPath(path.join(root, 'goes.jpg'))?.status, 'missing');
  } finally {
    await rig.close();
  }
});

test('the same bytes in two folders: uploaded once, added to the second album; Google’s first filename is what the index shows', async () => {
  const rig = await startRig();
  try {
    const root = path.join(await tempDir(), 'Dupes');
    const bytes = makeJpeg(7);
    await writeTree(root, { 'A/first.jpg': bytes, 'B/second.jpg': bytes });
    const { report } = await rig.pipeline.sync([folder({ path: root })]);
    assert.deepEqual(report.failed, []);
    const state = await rig.control.state();
    const mine = state.mediaItems.filter((m) => !m.seeded);
    assert.equal(mine.length, 1);
    assert.equal(state.requestCounts['library.uploads'], 1, 'bytes sent once');
    const albums = new Map(state.albums.map((a) => [a.title, a.mediaItemIds]));
    assert.deepEqual(albums.get('A'), [mine[0].id]);
    assert.deepEqual(albums.get('B'), [mine[0].id]);

    // A fresh index (e.g. another machine) uploads the same bytes under another name: Google keeps the first name.
    await writeTree(root, { 'C/third-name.jpg': bytes });
    const other = await secondMachine(rig);
    try {
      await other.pipeline.sync([folder({ path: path.join(root, 'C') })]);
      const after = (await rig.control.state()).mediaItems.filter((m) => !m.seeded);
      assert.equal(after.length, 1, 'no duplicate media item');
      const recorded = other.index.mediaItems.bySha256(sha(bytes), { accountId: ACCOUNT })[0];
      assert.equal(recorded.filename, after[0].filename, 'the index shows the name Google kept');
      assert.notEqual(recorded.filename, 'third-name.jpg');
    } finally {
      await other.index.dispose();
      await other.queue.dispose();
    }
  } finally {
    await rig.close();
  }
});

test('a sync folder that disappears (unplugged drive) is reported and nothing recorded about it changes', async () => {
  const rig = await startRig();
  try {
    const base = await tempDir();
    const root = path.join(base, 'Drive');
    await writeTree(root, { 'a.jpg': makeJpeg(50), 'b.jpg': makeJpeg(51) });
    const f = folder({ path: root });
    await rig.pipeline.sync([f]);
    await fs.rename(root, path.join(base, 'elsewhere'));
    const { plan, report } = await rig.pipeline.sync([f]);
    assert.deepEqual(plan.missingFolders, [root]);
    assert.equal(report.uploaded, 0);
    assert.equal(rig.index.localFiles.byPath(path.join(root, 'a.jpg'))?.status, 'uploaded', 'not marked missing file by file');
    assert.equal((await remoteItems(rig.control)).length, 2);
  } finally {
    await rig.close();
  }
});

test('a file that grew past Google’s size limit after the scan fails before any request is spent on it', async () => {
  const rig = await startRig();
  try {
    const root = path.join(await tempDir(), 'Growing');
    await writeTree(root, { 'small.jpg': makeJpeg(91), 'grows.jpg': makeJpeg(92) });
    const f = folder({ path: root });
    const plan = rig.pipeline.plan(await rig.pipeline.scan([f]));
    const grown = path.join(root, 'grows.jpg');
    await fs.truncate(grown, 200 * 1024 * 1024 + 1); // sparse: no real disk use
    await fs.utimes(grown, new Date(), new Date(Date.now() + 5000));
    rig.requests.clear();
    const report = await rig.pipeline.run(plan);

    assert.equal(report.failed.length, 1);
    assert.match(report.failed[0].path, /grows\.jpg$/);
    assert.match(report.failed[0].message, /200 MB/);
    assert.equal(rig.requests.get('uploads'), 1, 'one upload request: small.jpg only');
    assert.deepEqual((await remoteItems(rig.control)).map((m) => m.sha256), [sha(makeJpeg(91))]);
    assert.equal(rig.index.localFiles.byPath(grown)?.status, 'failed');
  } finally {
    await rig.close();
  }
});
