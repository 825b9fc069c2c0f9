// Uploads start while the scan goes on (pipeline.sync): the first bytes reach the emulator before
// the scan of a large folder has finished, same bytes twice in one run go up once, a damaged file is
// still never sent, and closing VS Code during the overlapped phase resumes without duplicates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { startRig, folder, remoteItems, unfinishedUploads, waitFor, ACCOUNT } from './sync-harness';
import { makeJpeg, tempDir, writeTree } from '../unit/sync-fixtures';
import type { TaskGroup } from '../../src/tasks/api';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function bigFolder(n: number, seed: number, name = 'Overlap') {
  const root = path.join(await tempDir(), name);
  const files: Record<string, Buffer> = {};
  for (let i = 0; i < n; i++) files[`Day ${i % 3}/img${String(i).padStart(4, '0')}.jpg`] = makeJpeg(seed + i, undefined, 24);
  await writeTree(root, files);
  return { root, files };
}

test('the first upload request reaches the service before the scan of a large folder has finished; every file lands once in its album', async () => {
  const rig = await startRig();
  try {
    const { root, files } = await bigFolder(600, 1000);
    let uploadsWhenPlanned = -1;
    let scanMessages = 0;
    const { plan, report } = await rig.pipeline.sync([folder({ path: root })], {
      onProgress: () => scanMessages++,
      // Called once the scan and plan are done: bytes must already have gone up by then.
      decide: async (p) => {
        uploadsWhenPlanned = (await rig.control.state()).requestCounts['library.uploads'] ?? 0;
        return p;
      },
    });
    assert.ok(scanMessages > 0);
    assert.ok(uploadsWhenPlanned >= 1, `upload requests before the plan existed: ${uploadsWhenPlanned}`);
    assert.deepEqual(report.failed, []);
    assert.equal(report.cancelled, false);
    assert.equal(plan.uploads.length, 600);
    assert.ok(plan.uploads.every((u) => u.reason === 'new'));
    const state = await rig.control.state();
    assert.equal(state.requestCounts['library.uploads'], 600, 'bytes sent once per file');
    const mine = await remoteItems(rig.control);
    assert.equal(mine.length, 600);
    for (const day of ['Day 0', 'Day 1', 'Day 2']) {
      const album = state.albums.filter((a) => a.title === day);
      assert.equal(album.length, 1, `one album ${day}`);
      assert.equal(new Set(album[0].mediaItemIds).size, album[0].mediaItemIds.length);
      assert.equal(album[0].mediaItemIds.length, 200);
    }
    for (const rel of Object.keys(files)) assert.equal(rig.index.localFiles.byPath(path.join(root, rel))?.status, 'uploaded', rel);
    assert.deepEqual(unfinishedUploads(rig), []);
    // Nothing left to do: a second sync sends nothing.
    const again = await rig.pipeline.sync([folder({ path: root })]);
    assert.equal(again.plan.uploads.length, 0);
    assert.equal((await rig.control.state()).requestCounts['library.uploads'], 600);
  } finally {
    await rig.close();
  }
});

test('same bytes twice in one overlapped run go up once (second album by add); a damaged file is never sent', async () => {
  const rig = await startRig();
  try {
    const root = path.join(await tempDir(), 'Twice');
    const same = makeJpeg(77, undefined, 24);
    const tree: Record<string, Buffer> = { 'A/a1.jpg': same, 'A/a2.jpg': same, 'B/b.jpg': same, 'A/cut.jpg': makeJpeg(78, undefined, 24).subarray(0, 200) };
    for (let i = 0; i < 60; i++) tree[`A/other${String(i).padStart(3, '0')}.jpg`] = makeJpeg(100 + i, undefined, 24);
    await writeTree(root, tree);
    const { plan, report } = await rig.pipeline.sync([folder({ path: root })]);
    assert.equal(report.cancelled, false);
    assert.deepEqual(report.failed, []);
    assert.equal(plan.damaged.length, 1);
    assert.equal(plan.damaged[0].file.name, 'cut.jpg');
    assert.equal(plan.uploads.filter((u) => u.sha256 === sha(same)).length, 1);
    const state = await rig.control.state();
    assert.equal(state.requestCounts['library.uploads'], 61, 'one upload per distinct content, none for the damaged file');
    const mine = await remoteItems(rig.control);
    assert.equal(mine.length, 61);
    const item = rig.index.mediaItems.bySha256(sha(same), { accountId: ACCOUNT });
    assert.equal(item.length, 1);
    const albums = new Map(state.albums.map((a) => [a.title, a.mediaItemIds]));
    assert.equal(albums.get('A')?.filter((id) => id === item[0].id).length, 1);
    assert.deepEqual(albums.get('B'), [item[0].id]);
    for (const rel of ['A/a1.jpg', 'A/a2.jpg', 'B/b.jpg']) assert.equal(rig.index.localFiles.byPath(path.join(root, rel))?.status, 'uploaded', rel);
    assert.notEqual(rig.index.localFiles.byPath(path.join(root, 'A/cut.jpg'))?.status, 'uploaded');
  } finally {
    await rig.close();
  }
});

test('VS Code closing while uploads run during the scan: the journal resumes them, then a sync finishes; no file is sent into the library twice', async () => {
  const rig = await startRig();
  try {
    const { root, files } = await bigFolder(500, 5000, 'Closed');
    const f = folder({ path: root });
    let planned = false;
    let closing: Promise<void> | undefined;
    const queue = rig.queue;
    const run = rig.pipeline.sync([f], {
      decide: (p) => {
        planned = true;
        return p;
      },
      onGroup: (group: TaskGroup) =>
        group.onProgress(() => {
          // The window closes after a few uploads went up, while the scan still goes on.
          if (!closing && group.progress().done >= 5)
            closing = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
              group.cancel();
              return queue.dispose();
            });
        }),
    });
    await assert.rejects(run, (err: Error) => err.name === 'AbortError');
    await closing;
    assert.equal(planned, false, 'closed during the overlapped phase, before the plan');
    await waitFor('the emulator to finish the closed window’s requests', async () => (await rig.control.state()).inFlight === 0);
    const journaled = unfinishedUploads(rig).length;
    assert.ok(journaled >= 1, 'uploads started during the scan are journaled');
    const sentBefore = (await rig.control.state()).requestCounts['library.uploads'] ?? 0;
    assert.ok(sentBefore >= 5 && sentBefore < 500, `sent before closing: ${sentBefore}`);

    await rig.restart();
    const unfinished = await rig.pipeline.planUnfinished([f]);
    assert.ok(unfinished && unfinished.uploads.length === journaled, `resumed ${unfinished?.uploads.length} of ${journaled}`);
    const resumed = await rig.pipeline.run(unfinished);
    assert.deepEqual(resumed.failed, []);
    const { report } = await rig.pipeline.sync([f]);
    assert.deepEqual(report.failed, []);

    const state = await rig.control.state();
    const mine = await remoteItems(rig.control);
    assert.equal(mine.length, 500);
    const albumItems = state.albums.flatMap((a) => a.mediaItemIds);
    assert.equal(albumItems.length, 500, 'each item in its album once');
    assert.equal(new Set(albumItems).size, 500);
    // Receipts journaled before the close were committed, not sent again; at most the transfers
    // in flight at the close (upload concurrency) went up twice.
    assert.ok(state.requestCounts['library.uploads'] <= 500 + 4, `upload requests ${state.requestCounts['library.uploads']}`);
    for (const rel of Object.keys(files)) assert.equal(rig.index.localFiles.byPath(path.join(root, rel))?.status, 'uploaded', rel);
    assert.deepEqual(unfinishedUploads(rig), []);
  } finally {
    await rig.close();
  }
});

test('a download-only folder (upload: false) sends no bytes during the scan either', async () => {
  const rig = await startRig();
  try {
    const { root } = await bigFolder(40, 5000, 'DownloadOnly');
    const { root: other } = await bigFolder(10, 6000, 'Uploads');
    const { report } = await rig.pipeline.sync([folder({ path: root, upload: false }), folder({ path: other })], {
      // Sync Now's decide step drops the download-only folder's uploads (limitUploads); here, too.
      decide: async (p) => ({ ...p, uploads: p.uploads.filter((u) => u.folder.upload !== false), adds: p.adds.filter((a) => a.folder.upload !== false) }),
    });
    assert.deepEqual(report.failed, []);
    const state = await rig.control.state();
    assert.equal(state.requestCounts['library.uploads'], 10, 'only the uploading folder’s files were sent');
    assert.equal((await remoteItems(rig.control)).length, 10);
  } finally {
    await rig.close();
  }
});
