import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { syncRemoteSide, type RemovalBatch, type TwoWayOptions } from '../../src/sync/twoWay/run';
import { DEFAULT_LIMITS } from '../../src/sync/twoWay/settings';
import { ACCOUNT, folder, secondMachine } from './sync-harness';
import { makeJpeg, tempDir, writeTree } from '../unit/sync-fixtures';
import { sha, startVerifyRig, type VerifyRig } from './verify-harness';

function twoWay(rig: VerifyRig, flags: Record<string, unknown>, extra: Partial<TwoWayOptions> = {}) {
  const asked: (readonly RemovalBatch[])[] = [];
  const options: TwoWayOptions = {
    provider: rig.provider,
    index: rig.index,
    accountId: ACCOUNT,
    downloads: rig.downloads,
    folders: [folder({ path: rig.root, ...flags })],
    limits: DEFAULT_LIMITS,
    confirmRemovals: async (b) => {
      asked.push(b.map((x) => ({ ...x })));
      return true;
    },
    ...extra,
  };
  return { run: () => syncRemoteSide(options), asked };
}

/** Another computer (same OAuth client) puts new bytes into the rig's album. */
async function addFromLaptop(rig: VerifyRig, albumTitle: string, seed: number): Promise<Buffer> {
  const other = await secondMachine(rig);
  const dir = path.join(await tempDir(), 'Laptop');
  const bytes = makeJpeg(seed);
  await writeTree(dir, { [`laptop-${seed}.jpg`]: bytes });
  await other.pipeline.sync([folder({ path: dir })]);
  const id = (await rig.control.state()).mediaItems.find((m) => m.sha256 === sha(bytes))?.id as string;
  await rig.provider.addToContainer(await rig.albumOf(albumTitle), [id]);
  await other.queue.dispose();
  await other.index.dispose();
  return bytes;
}

test('download: an item added to the folder’s album elsewhere comes down into the album’s sub-folder; off by default', async () => {
  const rig = await startVerifyRig();
  try {
    const bytes = await addFromLaptop(rig, 'Rome', 501);
    const off = await twoWay(rig, {}).run();
    assert.deepEqual(off.downloaded, [], 'download is off by default');
    const on = await twoWay(rig, { download: true }).run();
    assert.deepEqual(on.downloaded, [path.join(rig.root, 'Rome', 'laptop-501.jpg')]);
    assert.deepEqual(await fs.readFile(on.downloaded[0]), bytes);
    const again = await twoWay(rig, { download: true }).run();
    assert.deepEqual(again.downloaded, [], 'not twice');
  } finally {
    await rig.close();
  }
});

test('a file deleted locally is never downloaded again; with mirrorDeletes (confirmed) it leaves its album but stays in the library', async () => {
  const rig = await startVerifyRig();
  try {
    const r1 = await rig.itemOf('Rome/r1.jpg');
    await fs.rm(path.join(rig.root, 'Rome/r1.jpg'));
    await rig.pipeline.sync([rig.folder]); // the scan records the deletion
    const kept = await twoWay(rig, { download: true }).run();
    assert.deepEqual(kept.downloaded, []);
    await assert.rejects(fs.access(path.join(rig.root, 'Rome/r1.jpg')));
    assert.ok((await rig.control.state()).albums.find((a) => a.title === 'Rome')?.mediaItemIds.includes(r1), 'mirror off: still in the album');

    const declined = await twoWay(rig, { mirrorDeletes: true }, { confirmRemovals: async () => false }).run();
    assert.deepEqual(declined.removed, []);
    assert.match(declined.stopped ?? '', /not confirmed/);
    assert.ok((await rig.control.state()).albums.find((a) => a.title === 'Rome')?.mediaItemIds.includes(r1));

    const mirrored = twoWay(rig, { mirrorDeletes: true });
    const done = await mirrored.run();
    assert.deepEqual(mirrored.asked[0].map((b) => [b.album.title, b.findings.map((f) => f.rel), b.overThreshold]), [['Rome', ['Rome/r1.jpg'], true]]);
    assert.deepEqual(done.removed, [{ path: path.join(rig.root, 'Rome/r1.jpg'), album: 'Rome' }]);
    const state = await rig.control.state();
    assert.equal(state.albums.find((a) => a.title === 'Rome')?.mediaItemIds.includes(r1), false, 'removed from the album');
    assert.ok(state.mediaItems.some((m) => m.id === r1), 'Google does not let apps delete: still in the library');
    assert.deepEqual((await rig.verify().run()).findings, [], 'nothing left to report');
  } finally {
    await rig.close();
  }
});

test('an unplugged folder (renamed away) with mirrorDeletes on removes nothing remotely', async () => {
  const rig = await startVerifyRig();
  try {
    await fs.rename(rig.root, `${rig.root}-away`);
    const before = await rig.control.state();
    const t = twoWay(rig, { mirrorDeletes: true, download: true });
    const report = await t.run();
    assert.deepEqual(report.unavailable, [rig.root]);
    assert.deepEqual(report.removed, []);
    assert.deepEqual(report.downloaded, []);
    assert.equal(t.asked.length, 0, 'not even asked');
    const after = await rig.control.state();
    assert.deepEqual(after.albums.map((a) => [a.title, a.mediaItemIds.length]), before.albums.map((a) => [a.title, a.mediaItemIds.length]));
    assert.equal(after.requestCounts['library.albums.batchRemoveMediaItems'] ?? 0, 0);
  } finally {
    await rig.close();
  }
});

test('the threshold: one of an album’s three items is over a 25% share (explicit confirmation), not over 50%', async () => {
  const rig = await startVerifyRig();
  try {
    await fs.rm(path.join(rig.root, 'Rome/r1.jpg'));
    const strict = twoWay(rig, { mirrorDeletes: true }, { confirmRemovals: async (b) => (strict.asked.push(b), false) });
    await strict.run();
    assert.equal(strict.asked[0][0].overThreshold, true);
    const loose = twoWay(rig, { mirrorDeletes: true }, { limits: { ...DEFAULT_LIMITS, mirrorDeleteThreshold: 0.5 }, confirmRemovals: async (b) => (loose.asked.push(b), false) });
    await loose.run();
    assert.equal(loose.asked[0][0].overThreshold, false);
  } finally {
    await rig.close();
  }
});

test('maxOperations stops after that many and says how many remain; delayMs waits between operations', async () => {
  const rig = await startVerifyRig();
  try {
    await addFromLaptop(rig, 'Rome', 601);
    await addFromLaptop(rig, 'Paris', 602);
    await addFromLaptop(rig, 'Paris', 603);
    const started = Date.now();
    const first = await twoWay(rig, { download: true }, { limits: { ...DEFAULT_LIMITS, maxOperations: 2, delayMs: 300 } }).run();
    assert.equal(first.downloaded.length, 2);
    assert.equal(first.remaining, 1);
    assert.ok(Date.now() - started >= 300, 'waited between the two downloads');
    const second = await twoWay(rig, { download: true }, { limits: { ...DEFAULT_LIMITS, maxOperations: 2 } }).run();
    assert.equal(second.downloaded.length, 1);
    assert.equal(second.remaining, 0);
  } finally {
    await rig.close();
  }
});
