import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { forgetFindings, prepareReupload, restoreFindings } from '../../src/sync/verify/actions';
import { verifyMarkdown } from '../../src/sync/verify/markdown';
import { summaryLine } from '../../src/sync/verify/types';
import { ACCOUNT, folder, secondMachine } from './sync-harness';
import { makeJpeg, tempDir, writeTree } from '../unit/sync-fixtures';
import { findingOf, found, sha, startVerifyRig } from './verify-harness';

test('a clean backup says so in one line; the remote side costs one batchGet per 50 ids and one listing per album', async () => {
  const rig = await startVerifyRig();
  try {
    const before = (await rig.control.state()).requestCounts;
    const run = rig.verify();
    const estimate = await run.prepare();
    assert.equal(estimate, 1 + 3, 'one batchGet for 6 ids, one listing for each of 3 albums');
    const report = await run.run();
    assert.equal(report.complete, true);
    assert.deepEqual(report.findings, []);
    assert.equal(report.folders[0].inSync, 6);
    assert.equal(report.requests, 4);
    assert.match(summaryLine(report), /^In sync: 6 items checked on disk, in the index and in Google Photos\.$/);
    const after = (await rig.control.state()).requestCounts;
    const spent = (op: string) => (after[op] ?? 0) - (before[op] ?? 0);
    assert.equal(spent('library.mediaItems.batchGet'), 1);
    assert.equal(spent('library.mediaItems.search'), 3);
    assert.equal(spent('library.uploads') + spent('library.mediaItems.batchCreate'), 0, 'verify never writes');
  } finally {
    await rig.close();
  }
});

test('every finding kind, arranged on disk and through the control API, and what each action does to the files and the emulator', async () => {
  const rig = await startVerifyRig();
  try {
    const { root, files } = rig;
    const r2 = await rig.itemOf('Rome/r2.jpg');
    const r3 = await rig.itemOf('Rome/r3.jpg');
    const p1 = await rig.itemOf('Paris/p1.jpg');
    const paris = await rig.albumOf('Paris');
    const rome = await rig.albumOf('Rome');
    // Missing locally: deleted from disk. Orphan: gone from disk and deleted in Google Photos.
    await fs.rm(path.join(root, 'Rome/r1.jpg'));
    await fs.rm(path.join(root, 'Rome/r3.jpg'));
    await rig.control.deleteMediaItem(r3);
    // Missing remotely: deleted in the web UI; removed from its album in the web UI.
    await rig.control.deleteMediaItem(r2);
    await rig.control.removeFromAlbum(paris, [p1]);
    // Changed locally: new bytes at an uploaded path. Not yet uploaded. A duplicate.
    const p2New = makeJpeg(206);
    await fs.writeFile(path.join(root, 'Paris/p2.jpg'), p2New);
    await writeTree(root, { 'new.jpg': makeJpeg(207), 'copy of top.jpg': files['top.jpg'] });
    // An orphan that never reached Google Photos: scanned (recorded in the index), then deleted.
    await writeTree(root, { 'Paris/draft.jpg': makeJpeg(208) });
    await rig.pipeline.scan([rig.folder]);
    await fs.rm(path.join(root, 'Paris/draft.jpg'));
    // Another computer (same OAuth client) adds an item to the Rome album: only the album has it.
    const other = await secondMachine(rig);
    const elsewhere = path.join(await tempDir(), 'Elsewhere');
    const otherBytes = makeJpeg(209);
    await writeTree(elsewhere, { 'from-laptop.jpg': otherBytes });
    await other.pipeline.sync([folder({ path: elsewhere })]);
    const laptopItem = (await rig.control.state()).mediaItems.find((m) => m.sha256 === sha(otherBytes))?.id as string;
    await rig.provider.addToContainer(rome, [laptopItem]);
    await other.queue.dispose();
    await other.index.dispose();

    const report = await rig.verify().run();
    assert.equal(report.complete, true);
    assert.deepEqual(found(report, 'missing-locally'), ['Rome/from-laptop.jpg', 'Rome/r1.jpg']);
    assert.deepEqual(found(report, 'missing-remotely'), ['Paris/p1.jpg', 'Rome/r2.jpg']);
    assert.match(findingOf(report, 'missing-remotely', 'Rome/r2.jpg').detail, /deleted in Google Photos/);
    assert.match(findingOf(report, 'missing-remotely', 'Paris/p1.jpg').detail, /removed from album “Paris”/);
    assert.deepEqual(found(report, 'changed-locally'), ['Paris/p2.jpg']);
    assert.deepEqual(found(report, 'not-uploaded'), ['new.jpg']);
    assert.equal(found(report, 'duplicate').length, 1);
    assert.match(report.findings.find((f) => f.kind === 'duplicate')?.detail ?? '', /same bytes as (copy of top|top)\.jpg/);
    assert.deepEqual(found(report, 'orphan'), ['Paris/draft.jpg', 'Rome/r3.jpg']);
    assert.deepEqual(found(report, 'unavailable'), []);
    assert.equal(report.folders[0].inSync, 2, 'top.jpg and its copy');

    const md = verifyMarkdown(report);
    assert.match(md, /^# Photo Sync — Verify Backup/);
    assert.match(md, /\| Missing locally \| 2 \|/);
    assert.match(md, /## Orphans in the index \(2\)/);
    assert.ok(md.includes(path.join(root, 'Rome', 'r1.jpg')));

    // Re-download: both missing files come back where they belong; r1 byte-identical (no GPS to drop).
    const restored = await restoreFindings(rig.downloads, report.findings.filter((f) => f.kind === 'missing-locally'));
    assert.deepEqual(restored.skipped, []);
    assert.deepEqual(await fs.readFile(path.join(root, 'Rome/r1.jpg')), files['Rome/r1.jpg']);
    assert.deepEqual(await fs.readFile(path.join(root, 'Rome/from-laptop.jpg')), otherBytes);

    // Re-upload: the deleted item is uploaded again, the removed one added back, the changed and new files uploaded.
    const toSync = await prepareReupload(rig.index, rig.provider, ACCOUNT, report.findings.filter((f) => ['missing-remotely', 'changed-locally', 'not-uploaded'].includes(f.kind)));
    assert.deepEqual(toSync, [root]);
    const { report: synced } = await rig.pipeline.sync([rig.folder]);
    assert.deepEqual(synced.failed, []);
    const state = await rig.control.state();
    const inAlbum = (title: string) => state.albums.find((a) => a.title === title)?.mediaItemIds.map((id) => state.mediaItems.find((m) => m.id === id)?.sha256) ?? [];
    assert.ok(inAlbum('Rome').includes(sha(files['Rome/r2.jpg'])), 'r2 uploaded again into Rome');
    assert.ok(inAlbum('Paris').includes(sha(files['Paris/p1.jpg'])), 'p1 added back to Paris');
    assert.ok(inAlbum('Paris').includes(sha(p2New)), 'the changed p2 uploaded');
    assert.equal(state.albums.filter((a) => a.title === 'Paris').length, 1, 'no second Paris album');

    // Forget: the orphans leave the index.
    await forgetFindings(rig.index, rig.provider, ACCOUNT, report.findings.filter((f) => f.kind === 'orphan'));
    assert.equal(rig.index.localFiles.byPath(path.join(root, 'Paris/draft.jpg')), undefined);
    assert.equal(rig.index.localFiles.byPath(path.join(root, 'Rome/r3.jpg')), undefined);

    const again = await rig.verify().run();
    assert.deepEqual(
      again.findings.map((f) => f.kind),
      ['duplicate'],
      JSON.stringify(again.findings, null, 1),
    );
  } finally {
    await rig.close();
  }
});

test('an album deleted in the web UI: its items are missing remotely; re-upload makes the album again with them', async () => {
  const rig = await startVerifyRig();
  try {
    await rig.control.deleteAlbum(await rig.albumOf('Rome'));
    const report = await rig.verify().run();
    assert.deepEqual(found(report, 'missing-remotely'), ['Rome/r1.jpg', 'Rome/r2.jpg', 'Rome/r3.jpg']);
    assert.match(report.findings[0].detail, /album “Rome” was deleted/);
    await prepareReupload(rig.index, rig.provider, ACCOUNT, report.findings);
    const { plan, report: synced } = await rig.pipeline.sync([rig.folder]);
    const state = await rig.control.state();
    assert.deepEqual(synced.failed, []);
    assert.equal(plan.uploads.length, 0, 'nothing sent again: the items are still in the library');
    const rome = state.albums.filter((a) => a.title === 'Rome');
    assert.equal(rome.length, 1);
    assert.equal(rome[0].mediaItemIds.length, 3);
    assert.equal(state.mediaItems.filter((m) => !m.seeded).length, 6, 'no item uploaded twice');
    assert.deepEqual((await rig.verify().run()).findings, []);
  } finally {
    await rig.close();
  }
});
