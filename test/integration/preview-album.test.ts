// An album's thumbnails against the emulator: 120 uploaded photos, their addresses fetched in one
// batchGet per 50 items in album order (not one per thumbnail), Google's 256 px crops cached, and
// an address that expired (the emulator's clock moved on) fetched again once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { remoteAlbumSource } from '../../src/preview/remoteAlbum';
import { startRig, folder } from './sync-harness';
import { makeJpeg, tempDir, writeTree } from '../unit/sync-fixtures';

const batchGets = (counts: Record<string, number>) => Object.entries(counts).reduce((n, [k, v]) => (k.endsWith('mediaItems.batchGet') ? n + v : n), 0);

test('album thumbnails: one batchGet per 50 items in album order, 256 px crops, an expired address fetched again once', async () => {
  const rig = await startRig();
  try {
    const root = path.join(await tempDir(), 'Burst');
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 120; i++) files[`IMG_${String(i).padStart(3, '0')}.jpg`] = makeJpeg(500 + i, undefined, 24);
    await writeTree(root, files);
    await rig.pipeline.sync([folder({ path: root, album: { mode: 'fixed', name: 'Burst' } })]);
    const album = rig.index.albums.listWithCounts({}, { limit: 10 }).items.find((a) => a.title === 'Burst');
    assert.ok(album);
    const { source, addresses } = remoteAlbumSource({
      title: 'Burst',
      provider: rig.provider,
      count: () => rig.index.mediaItems.countInAlbum(album.id),
      page: (offset, limit) => rig.index.mediaItems.inAlbum(album.id, { offset, limit }).items,
      downloadDir: await tempDir(),
    });
    const signal = new AbortController().signal;
    assert.equal(await source.count(signal), 120);
    const items = await source.page(0, 120, signal);
    const before = batchGets((await rig.control.state()).requestCounts);
    // The first screen (60 cells), four at a time as the grid asks for them.
    for (let i = 0; i < 60; i += 4) {
      const shots = await Promise.all(items.slice(i, i + 4).map((item) => source.thumbnail(item, 256, signal)));
      for (const t of shots) {
        assert.equal(t.kind, 'jpeg');
        assert.deepEqual([...t.bytes.subarray(0, 2)], [0xff, 0xd8]);
      }
    }
    assert.equal(batchGets((await rig.control.state()).requestCounts) - before, 2, 'items 0–49 and 50–99: two batchGets for 60 thumbnails');
    assert.equal(addresses.batches, 2);

    // An hour later every address has expired: the next thumbnail gets a fresh batch, once.
    await rig.control.advanceClock(61 * 60 * 1000);
    const late = await source.thumbnail(items[10], 256, signal);
    assert.equal(late.kind, 'jpeg');
    assert.equal(addresses.batches, 3, 'one more batch, for the refused address');
    // The access token expired with the hour too: that batchGet was answered 401 once and sent again
    // with a refreshed token (oauth.token), so the emulator counts it twice.
    const after = (await rig.control.state()).requestCounts;
    assert.equal(batchGets(after) - before, 4);
    assert.equal(after['oauth.token'], 2);
  } finally {
    await rig.close();
  }
});
