// Download Album and Download by Year against the emulator, checking the files on disk (sha256 against
// the emulator's state, mtimes, link targets) and the requests the emulator saw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { compileLayout, DAY_LAYOUT } from '../../src/localfs/layout';
import { albumSource, yearSource } from '../../src/sync/download/source';
import { makeJpeg } from '../unit/sync-fixtures';
import { downloadFolder, listTree, partsIn, sha, startDownloadRig, uploadAlbum } from './download-harness';

const TRIP = {
  'beach.jpg': makeJpeg(201, { original: '2021:03:04 05:06:07' }, 32),
  'dunes.jpg': makeJpeg(202, { original: '2021:03:05 18:00:00' }, 32),
  'harbour.jpg': makeJpeg(203, { original: '2022:07:01 09:30:00' }, 32),
};

test('Download Album: the uploaded album comes back byte-identical into photos/YYYY/MM, with relative album links, capture-time mtimes and both hashes recorded; a second run fetches nothing', async () => {
  const rig = await startDownloadRig();
  try {
    const albumId = await uploadAlbum(rig, 'Trip', TRIP);
    const root = await downloadFolder();
    const source = albumSource(rig.provider, { id: albumId, title: 'Trip' });
    const plan = await rig.downloads.plan(source, root, rig.settings);
    assert.equal(plan.downloads.length, 3);
    const report = await rig.downloads.run(plan);
    assert.equal(report.downloaded, 3, JSON.stringify(report.failed));
    assert.deepEqual(report.failed, []);

    const state = await rig.control.state();
    const tree = await listTree(root);
    assert.deepEqual(partsIn(tree), [], 'no temp file left');
    assert.deepEqual(tree.filter((f) => f.startsWith('photos')), [path.join('photos', '2021', '03', 'beach.jpg'), path.join('photos', '2021', '03', 'dunes.jpg'), path.join('photos', '2022', '07', 'harbour.jpg')]);
    for (const [name, bytes] of Object.entries(TRIP)) {
      const remote = state.mediaItems.find((m) => m.filename === name);
      assert.ok(remote);
      const file = path.join(root, tree.find((f) => f.startsWith('photos') && f.endsWith(name)) as string);
      const onDisk = await fs.readFile(file);
      assert.equal(sha(onDisk), remote.sha256, `${name}: the bytes the emulator holds`);
      assert.equal(sha(onDisk), sha(bytes), `${name}: byte-identical to the upload (no GPS to strip)`);
      assert.equal((await fs.stat(file)).mtimeMs, Date.parse(remote.creationTime), `${name}: mtime is the capture time`);
      const row = rig.index.downloads.byLocalPath(file);
      assert.equal(row?.state, 'downloaded');
      assert.equal(row?.receivedSha256, sha(onDisk));
      assert.equal(row?.sha256, sha(onDisk));
      assert.equal(row?.received, 'without-location');
      assert.equal(row?.source, `album:${albumId}`);
    }
    // gphotos-sync's album tree: albums/{yyyy}/{mm} {album}/ with the album's newest date, relative symlinks.
    const links = tree.filter((f) => f.startsWith('albums'));
    assert.deepEqual(links, ['beach.jpg', 'dunes.jpg', 'harbour.jpg'].map((n) => path.join('albums', '2022', '07 Trip', n)));
    for (const link of links) {
      const full = path.join(root, link);
      assert.ok((await fs.lstat(full)).isSymbolicLink());
      const target = await fs.readlink(full);
      assert.ok(!path.isAbsolute(target), `relative: ${target}`);
      assert.equal(sha(await fs.readFile(full)), sha(TRIP[path.basename(link) as keyof typeof TRIP]));
    }
    assert.equal(report.links.symlink, 3);

    const mediaRequests = state.requestCounts['media.library'] ?? 0;
    const again = await rig.downloads.plan(source, root, rig.settings);
    assert.equal(again.downloads.length, 0);
    assert.equal(again.already, 3);
    const second = await rig.downloads.run(again);
    assert.equal(second.downloaded, 0);
    assert.equal((await rig.control.state()).requestCounts['media.library'] ?? 0, mediaRequests, 'nothing fetched again');

    // A file deleted locally comes back; a user's own file in the way of another is never overwritten.
    const beach = path.join(root, 'photos', '2021', '03', 'beach.jpg');
    await fs.rm(beach);
    const dunes = path.join(root, 'photos', '2021', '03', 'dunes.jpg');
    await fs.writeFile(dunes, 'my own edit of the dunes');
    const third = await rig.downloads.run(await rig.downloads.plan(source, root, rig.settings));
    assert.equal(third.downloaded, 2);
    assert.equal(sha(await fs.readFile(beach)), sha(TRIP['beach.jpg']));
    assert.equal(await fs.readFile(dunes, 'utf8'), 'my own edit of the dunes', 'the user’s file is untouched');
    assert.equal(sha(await fs.readFile(path.join(root, 'photos', '2021', '03', 'dunes (1).jpg'))), sha(TRIP['dunes.jpg']));
    assert.deepEqual(third.renamed, [{ wanted: 'dunes.jpg', placed: path.join('photos', '2021', '03', 'dunes (1).jpg') }]);

    // A crash lost the index's rows (saved debounced): the files under their names are adopted, not placed twice.
    await rig.index.write((w) => {
      for (const r of w.downloads.bySource(`album:${albumId}`).items) w.downloads.remove(r.id);
    });
    const fourth = await rig.downloads.run(await rig.downloads.plan(source, root, rig.settings));
    assert.equal(fourth.downloaded, 0);
    assert.equal(fourth.already, 3, 'harbour, beach and dunes (1)… adopted; dunes.jpg is the user’s');
    assert.deepEqual((await listTree(root)).filter((f) => f.startsWith('photos')).length, 4, 'no " (2)" copies');
  } finally {
    await rig.close();
  }
});

test('a video still processing is skipped with that reason and no =dv request; once READY it downloads as the transcode, whose hash is recorded beside the upload’s', async () => {
  const rig = await startDownloadRig({ emulator: { videoProcessingMs: 60_000 } });
  try {
    const clip = await fs.readFile('test/fixtures/media-validity/ok-clip.mp4');
    const albumId = await uploadAlbum(rig, 'Clips', { 'clip.mp4': clip, 'still.jpg': makeJpeg(301, undefined, 32) });
    const root = await downloadFolder();
    const source = albumSource(rig.provider, { id: albumId, title: 'Clips' });
    const first = await rig.downloads.run(await rig.downloads.plan(source, root, rig.settings));
    assert.equal(first.downloaded, 1);
    assert.equal(first.notReady.length, 1);
    assert.match(first.notReady[0].reason, /still being processed/);
    assert.equal((await rig.control.state()).requestCounts['media.library'], 1, 'only the photo was asked for');

    await rig.control.faults({ type: 'advanceClock', ms: 61_000 });
    const second = await rig.downloads.run(await rig.downloads.plan(source, root, rig.settings));
    assert.equal(second.downloaded, 1, JSON.stringify(second.failed));
    const file = second.files[0];
    assert.match(file, /clip\.mp4$/);
    const onDisk = await fs.readFile(file);
    assert.notEqual(sha(onDisk), sha(clip), 'a transcode, not the uploaded bytes');
    const row = rig.index.downloads.byLocalPath(file);
    assert.equal(row?.received, 'transcoded');
    assert.equal(row?.receivedSha256, sha(onDisk));
    const item = rig.index.mediaItems.get(row?.mediaItemId ?? '');
    assert.equal(item?.sha256, sha(clip), 'the index keeps the uploaded original’s hash for the item');
  } finally {
    await rig.close();
  }
});

test('base URLs that expired before the fetch are refreshed with batchGet, at most 50 ids a call, never failing an item', async () => {
  const rig = await startDownloadRig();
  try {
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 60; i++) files[`p${String(i).padStart(2, '0')}.jpg`] = makeJpeg(400 + i, { original: '2023:01:02 03:04:05' }, 16);
    const albumId = await uploadAlbum(rig, 'Many', files);
    const root = await downloadFolder();
    const plan = await rig.downloads.plan(albumSource(rig.provider, { id: albumId, title: 'Many' }), root, rig.settings);
    // An hour and a minute pass at Google between the listing and the downloads.
    await rig.control.faults({ type: 'advanceClock', ms: 61 * 60 * 1000 });
    const before = (await rig.control.state()).requestCounts['library.mediaItems.batchGet'] ?? 0;
    const report = await rig.downloads.run(plan);
    assert.equal(report.downloaded, 60, JSON.stringify(report.failed.slice(0, 3)));
    const batchGets = ((await rig.control.state()).requestCounts['library.mediaItems.batchGet'] ?? 0) - before;
    assert.ok(batchGets >= 2 && batchGets <= 4, `${batchGets} batchGet calls for 60 items`);
    for (const file of report.files) assert.equal(sha(await fs.readFile(file)), sha(files[path.basename(file)]));
  } finally {
    await rig.close();
  }
});

test('Download by Year: only that year, searched with a date filter; the next walk stops where the last complete one ended, a full walk does not', async () => {
  const rig = await startDownloadRig();
  try {
    const photos: Record<string, Buffer> = {};
    for (let d = 1; d <= 6; d++) photos[`y21-${d}.jpg`] = makeJpeg(500 + d, { original: `2021:0${d}:10 12:00:00` }, 16);
    photos['other-year.jpg'] = makeJpeg(599, { original: '2020:12:31 12:00:00' }, 16);
    await uploadAlbum(rig, 'Mixed', photos);
    const root = await downloadFolder();
    const year = yearSource(rig.provider, 2021);
    const report = await rig.downloads.run(await rig.downloads.plan(year, root, rig.settings));
    assert.equal(report.downloaded, 6);
    assert.ok(report.files.every((f) => path.relative(root, f).startsWith(path.join('photos', '2021'))));
    assert.ok((await rig.control.state()).requestCounts['library.mediaItems.search'] >= 1);

    // A new 2021 photo (newer than everything so far), then the walk: it and the mark's photo, then it stops.
    await uploadAlbum(rig, 'Later', { 'y21-late.jpg': makeJpeg(598, { original: '2021:11:30 08:00:00' }, 16) });
    const next = await rig.downloads.plan(year, root, rig.settings);
    assert.equal(next.downloads.length, 1);
    assert.equal(next.downloads[0].item.filename, 'y21-late.jpg');
    assert.ok(next.stoppedAt, 'stopped at the mark');
    assert.ok(next.listed < 7, `walked ${next.listed} of 7`);
    await rig.downloads.run(next);
    const full = await rig.downloads.plan(year, root, rig.settings, { full: true });
    assert.equal(full.listed, 7);
    assert.equal(full.stoppedAt, undefined);
    assert.equal(full.already, 7);

    // Seed 002's layout: a folder per day inside a folder per year.
    const days = await downloadFolder();
    const byDay = await rig.downloads.run(await rig.downloads.plan(year, days, { ...rig.settings, layout: compileLayout(DAY_LAYOUT) }));
    assert.equal(byDay.downloaded, 7);
    assert.ok((await listTree(days)).includes(path.join('2021', '2021-03-10', 'y21-3.jpg')), (await listTree(days)).join(', '));
  } finally {
    await rig.close();
  }
});
