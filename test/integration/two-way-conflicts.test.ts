// The conflict rules of two-way sync (README "Two-way sync"), each arranged on disk and through the
// emulator's control API, then checked in the files, the emulator's state and Verify's report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { syncRemoteSide } from '../../src/sync/twoWay/run';
import { DEFAULT_LIMITS } from '../../src/sync/twoWay/settings';
import { ACCOUNT, folder } from './sync-harness';
import { makeJpeg, writeTree } from '../unit/sync-fixtures';
import { found, sha, startVerifyRig, type VerifyRig } from './verify-harness';

const remote = (rig: VerifyRig, flags: Record<string, unknown>) =>
  syncRemoteSide({ provider: rig.provider, index: rig.index, accountId: ACCOUNT, downloads: rig.downloads, folders: [folder({ path: rig.root, ...flags })], limits: DEFAULT_LIMITS, confirmRemovals: async () => true });

test('the same path changed on both sides (edited here, its item deleted in Google Photos): the local file wins — uploaded as new bytes, never replaced or deleted', async () => {
  const rig = await startVerifyRig();
  try {
    await rig.control.deleteMediaItem(await rig.itemOf('Paris/p1.jpg'));
    const edited = makeJpeg(701);
    await fs.writeFile(path.join(rig.root, 'Paris/p1.jpg'), edited);
    const two = await remote(rig, { download: true, mirrorDeletes: true });
    assert.deepEqual([two.downloaded, two.removed], [[], []]);
    const { report } = await rig.pipeline.sync([rig.folder]);
    assert.equal(report.uploaded, 1);
    assert.deepEqual(await fs.readFile(path.join(rig.root, 'Paris/p1.jpg')), edited, 'the local edit is kept');
    const state = await rig.control.state();
    assert.ok(state.albums.find((a) => a.title === 'Paris')?.mediaItemIds.some((id) => state.mediaItems.find((m) => m.id === id)?.sha256 === sha(edited)));
    assert.deepEqual((await rig.verify().run()).findings, []);
  } finally {
    await rig.close();
  }
});

test('a file renamed locally whose item is added to its album again remotely: no upload, no download, in sync', async () => {
  const rig = await startVerifyRig();
  try {
    await fs.rename(path.join(rig.root, 'Rome/r1.jpg'), path.join(rig.root, 'Rome/renamed.jpg'));
    const rome = await rig.albumOf('Rome');
    const r1 = await rig.itemOf('Rome/r1.jpg');
    await rig.control.removeFromAlbum(rome, [r1]);
    await rig.provider.addToContainer(rome, [r1]);
    const { plan } = await rig.pipeline.sync([rig.folder]);
    assert.equal(plan.uploads.length, 0);
    const two = await remote(rig, { download: true, mirrorDeletes: true });
    assert.deepEqual([two.downloaded, two.removed], [[], []]);
    await assert.rejects(fs.access(path.join(rig.root, 'Rome/r1.jpg')), 'not downloaded under its old name');
    assert.deepEqual((await rig.verify().run()).findings, []);
  } finally {
    await rig.close();
  }
});

test('an album renamed in Google Photos: its id is the key — new files of its folder go into it, no second album; verify finds nothing', async () => {
  const rig = await startVerifyRig();
  try {
    const rome = await rig.albumOf('Rome');
    await rig.control.renameAlbum(rome, 'Roma 2024');
    await writeTree(rig.root, { 'Rome/r4.jpg': makeJpeg(702) });
    const { report } = await rig.pipeline.sync([rig.folder]);
    assert.equal(report.uploaded, 1);
    const state = await rig.control.state();
    assert.equal(state.albums.filter((a) => a.title === 'Rome').length, 0, 'no new "Rome" album');
    assert.equal(state.albums.find((a) => a.id === rome)?.mediaItemIds.length, 4);
    const two = await remote(rig, { download: true });
    assert.deepEqual(two.downloaded, []);
    assert.deepEqual((await rig.verify().run()).findings, []);
  } finally {
    await rig.close();
  }
});

test('a folder renamed locally: its files are not uploaded again; they join the album the rule names (the new folder name); nothing is removed from the old one', async () => {
  const rig = await startVerifyRig();
  try {
    const uploadsBefore = (await rig.control.state()).requestCounts['library.uploads'] ?? 0;
    await fs.rename(path.join(rig.root, 'Rome'), path.join(rig.root, 'Roma'));
    const two = await remote(rig, { mirrorDeletes: true, download: true });
    // The old paths are gone but their bytes are still in the folder: not a deletion, not a download.
    assert.deepEqual([two.removed, two.downloaded], [[], []]);
    const { plan, report } = await rig.pipeline.sync([rig.folder]);
    assert.equal(plan.uploads.length, 0);
    assert.equal(report.failed.length, 0);
    const state = await rig.control.state();
    assert.equal(state.requestCounts['library.uploads'] ?? 0, uploadsBefore, 'no bytes sent again');
    assert.equal(state.albums.find((a) => a.title === 'Roma')?.mediaItemIds.length, 3);
    assert.equal(state.albums.find((a) => a.title === 'Rome')?.mediaItemIds.length, 3, 'the old album keeps them');
    const report2 = await rig.verify().run();
    assert.deepEqual(found(report2, 'missing-locally'), []);
  } finally {
    await rig.close();
  }
});
