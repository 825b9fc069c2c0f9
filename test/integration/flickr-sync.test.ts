// Folder sync to Flickr against the emulator: albums made around their first photo, titles and
// descriptions with Unicode and reserved characters, dates Flickr had to guess, async uploads and
// their tickets, dedup by the machine tag (another computer, a rebuilt index), an album deleted on
// Flickr's site, originals, and deleting only with mirror deletes and a confirmation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { folder, flickrPhotos, flickrSets, startFlickrRig } from './flickr-harness';
import { makeJpeg, tempDir, writeTree } from '../unit/sync-fixtures';
import { FlickrSyncError } from '../../src/destinations/flickr/classify';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
// A 1×1 PNG: no EXIF, so Flickr dates it by the upload.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

test('the first photo creates its album; names with Unicode, spaces, ~ + * % and reserved characters arrive exactly as written', async () => {
  const rig = await startFlickrRig({ destination: { description: '{file} — 100% “real” + *raw* ~ {path}' } });
  try {
    const album = 'Été 2024 ~ 50% + *best* & co / 写真 📷';
    const root = path.join(await tempDir(), 'Trip');
    const files = { 'Zürich ~ 1 + 1 = 2 (50%) *.jpg': makeJpeg(1, { original: '2024:07:01 10:00:00' }), 'plain.jpg': makeJpeg(2, { original: '2024:07:02 10:00:00' }) };
    await writeTree(root, files);
    const { report } = await rig.pipeline.sync([folder({ path: root, destination: 'flickr', album: { mode: 'fixed', name: album } })]);
    assert.deepEqual(report.failed, []);
    assert.equal(report.uploaded, 2);
    assert.deepEqual(report.albumsCreated, [album]);

    const sets = await flickrSets(rig);
    assert.equal(sets.length, 1);
    assert.equal(sets[0].title, album);
    const photos = await flickrPhotos(rig);
    const odd = photos.find((p) => p.sha256 === sha(files['Zürich ~ 1 + 1 = 2 (50%) *.jpg']));
    assert.equal(odd?.title, 'Zürich ~ 1 + 1 = 2 (50%) *');
    assert.equal(odd?.description, 'Zürich ~ 1 + 1 = 2 (50%) *.jpg — 100% “real” + *raw* ~ Zürich ~ 1 + 1 = 2 (50%) *.jpg');
    assert.equal(odd?.is_public, false, 'a backup is private');
    assert.deepEqual(sets[0].photoIds.sort(), photos.map((p) => p.id).sort());
    // The album was made with its first photo (photosets.create), the second joined it (addPhoto).
    assert.equal(rig.requests.get('flickr.photosets.create'), 1);
    assert.equal(rig.requests.get('flickr.photosets.addPhoto'), 1);
    // Both photos carried EXIF dates: Flickr read them, no date was set.
    assert.equal(rig.requests.get('flickr.photos.setDates') ?? 0, 0);
    assert.deepEqual(photos.map((p) => p.date_taken).sort(), ['2024-07-01 10:00:00', '2024-07-02 10:00:00']);

    // The index knows the album and its items: the tree reads them from there.
    const albums = rig.index.albums.listWithCounts({ accountId: rig.nsid, provider: 'flickr' }).items;
    assert.deepEqual(albums.map((a) => [a.title, a.indexedItems]), [[album, 2]]);
    assert.match(albums[0].productUrl ?? '', /^https:\/\/www\.flickr\.com\/photos\/190012345%40N07\/albums\/\d+$/);
  } finally {
    await rig.close();
  }
});

test('a file without an EXIF date gets the date from its name (or mtime) set with photos.setDates; privacy follows photoSync.flickr.privacy', async () => {
  const rig = await startFlickrRig({ destination: { settings: { privacy: 'friendsAndFamily' } } });
  try {
    const root = path.join(await tempDir(), 'Screens');
    await writeTree(root, { 'Screenshot_2019-05-03-10-15-00.png': PNG, 'IMG_20190614_083012.jpg': makeJpeg(3) });
    const mtimeOnly = path.join(root, 'noname.png');
    await fs.writeFile(mtimeOnly, Buffer.concat([PNG, Buffer.from([0])]));
    await fs.utimes(mtimeOnly, new Date('2018-01-02T03:04:05'), new Date('2018-01-02T03:04:05'));
    await rig.pipeline.sync([folder({ path: root, destination: 'flickr' })]);
    const byTitle = new Map((await flickrPhotos(rig)).map((p) => [p.title, p]));
    assert.equal(byTitle.get('Screenshot_2019-05-03-10-15-00')?.date_taken, '2019-05-03 10:15:00');
    assert.equal(byTitle.get('IMG_20190614_083012')?.date_taken, '2019-06-14 08:30:12');
    assert.equal(byTitle.get('noname')?.date_taken, '2018-01-02 03:04:05');
    for (const p of byTitle.values()) {
      assert.equal(p.date_taken_unknown, false);
      assert.equal(p.is_public, false);
    }
    assert.equal(rig.requests.get('flickr.photos.setDates'), 3);
    const state = await rig.flickr.state();
    assert.ok(state.photos.every((p) => p.owner !== rig.nsid || p.tags.some((t) => t.startsWith('photosync:sha256='))));
  } finally {
    await rig.close();
  }
});

test('large files go up asynchronously: one checkTickets call follows every ticket in flight', async () => {
  const rig = await startFlickrRig({ destination: { transfer: { asyncThreshold: 1000 } } });
  try {
    await rig.flickr.faults({ type: 'ticketDelay', ms: 1500 });
    const root = path.join(await tempDir(), 'Big');
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 4; i++) files[`big${i}.jpg`] = makeJpeg(40 + i, { original: '2023:01:01 00:00:00' }, 64);
    await writeTree(root, files);
    const { report } = await rig.pipeline.sync([folder({ path: root, destination: 'flickr' })]);
    assert.deepEqual(report.failed, []);
    const state = await rig.flickr.state();
    assert.equal(state.requestCounts['upload.async']?.ok, 4);
    assert.equal(state.requestCounts.upload, undefined, 'no synchronous upload');
    assert.ok(state.tickets.every((t) => t.status === 'complete'));
    const checks = rig.requests.get('flickr.photos.upload.checkTickets') ?? 0;
    assert.ok(checks >= 1 && checks <= 4, `tickets were checked together (${checks} calls)`);
    assert.deepEqual((await flickrPhotos(rig)).map((p) => p.sha256).sort(), Object.values(files).map(sha).sort());
    assert.equal((await flickrSets(rig))[0].photoIds.length, 4);
  } finally {
    await rig.close();
  }
});

test('a video goes up asynchronously, whatever its size, and gets the date from its name', async () => {
  const rig = await startFlickrRig();
  try {
    const root = path.join(await tempDir(), 'Clips');
    await writeTree(root, { 'VID_20200102_030405.mp4': await fs.readFile('test/fixtures/media-validity/ok-clip.mp4') });
    const { report } = await rig.pipeline.sync([folder({ path: root, destination: 'flickr' })]);
    assert.deepEqual(report.failed, []);
    const state = await rig.flickr.state();
    assert.equal(state.requestCounts['upload.async']?.ok, 1);
    const [video] = await flickrPhotos(rig);
    assert.equal(video.media, 'video');
    assert.equal(video.date_taken, '2020-01-02 03:04:05');
    assert.equal(rig.requests.get('flickr.photos.getInfo'), 1, 'Flickr was asked whether it found a date in the video');
  } finally {
    await rig.close();
  }
});

test('another computer (an empty index) finds the photos by their tag and sends no bytes; only what is missing goes up', async () => {
  const rig = await startFlickrRig();
  try {
    const root = path.join(await tempDir(), 'Shared');
    await writeTree(root, { 'a.jpg': makeJpeg(51), 'b.jpg': makeJpeg(52) });
    const f = folder({ path: root, destination: 'flickr' });
    await rig.pipeline.sync([f]);
    const sent = (await rig.flickr.state()).requestCounts.upload?.ok;

    // The index is lost (new computer, or the index was rebuilt): the same folder syncs again.
    await rig.index.dispose();
    await fs.rm(path.join(rig.storageDir, 'index.sqlite'), { force: true });
    await rig.restart();
    await writeTree(root, { 'c.jpg': makeJpeg(53) });
    const { report } = await rig.pipeline.sync([f]);
    assert.deepEqual(report.failed, []);
    assert.equal((await rig.flickr.state()).requestCounts.upload?.ok, (sent ?? 0) + 1, 'only c.jpg was sent');
    assert.equal((await flickrPhotos(rig)).length, 3);
    const sets = await flickrSets(rig);
    assert.equal(sets.length, 1, 'the album was found again by its title, not made twice');
    assert.equal(sets[0].photoIds.length, 3);
  } finally {
    await rig.close();
  }
});

test('an album deleted on Flickr’s site is made again around the next photo, and the index forgets the old one', async () => {
  const rig = await startFlickrRig();
  try {
    const root = path.join(await tempDir(), 'Gone');
    await writeTree(root, { 'one.jpg': makeJpeg(61) });
    const f = folder({ path: root, destination: 'flickr' });
    await rig.pipeline.sync([f]);
    const [first] = await flickrSets(rig);
    await rig.flickr.deletePhotosetOnSite(first.id);

    await writeTree(root, { 'two.jpg': makeJpeg(62) });
    const { report } = await rig.pipeline.sync([f]);
    assert.deepEqual(report.failed, []);
    assert.equal(report.uploaded, 1);
    const sets = await flickrSets(rig);
    assert.equal(sets.length, 1);
    assert.notEqual(sets[0].id, first.id);
    assert.equal(sets[0].title, 'Gone');
    assert.equal(rig.index.albums.get(first.id), undefined);
    assert.equal(rig.index.albums.get(sets[0].id)?.title, 'Gone');
    assert.equal((await flickrPhotos(rig)).length, 2, 'the first photo stayed on Flickr');

    // A copy of the first photo in another folder joins an album by an add (no bytes); its album was deleted too.
    const second = await rig.pipeline.sync([f]);
    assert.equal(second.plan.uploads.length, 0);
  } finally {
    await rig.close();
  }
});

test('originals download byte for byte; where Flickr offers none, nothing smaller is saved in its place', async () => {
  const rig = await startFlickrRig();
  try {
    const root = path.join(await tempDir(), 'Originals');
    const bytes = makeJpeg(71, { original: '2022:02:02 02:02:02' }, 96);
    await writeTree(root, { 'orig.jpg': bytes });
    await rig.pipeline.sync([folder({ path: root, destination: 'flickr' })]);
    const items = [];
    for await (const item of rig.provider.listItems(undefined)) items.push(item);
    assert.equal(items.length, 1);
    assert.equal(items[0].filename, 'orig.jpg');
    assert.equal(items[0].creationTime, '2022-02-02T02:02:02');
    const chunks: Uint8Array[] = [];
    await rig.provider.download(items[0], async (c) => void chunks.push(c));
    assert.equal(sha(Buffer.concat(chunks)), sha(bytes));
    assert.equal(rig.requests.get('flickr.photos.getSizes') ?? 0, 0, 'the listing gave the original’s address');

    await rig.flickr.setAccount({ nsid: rig.nsid, originals: false });
    await rig.restart();
    const [fresh] = (await rig.provider.getItems([items[0].id])).values();
    const err = await rig.provider.download(fresh as (typeof items)[0], async () => undefined).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof FlickrSyncError && err.kind === 'originalUnavailable');
    assert.equal(rig.provider.rules.classify(err, Date.now()).kind, 'needs-user');
    assert.match((err as Error).message, /does not offer the original of orig .*does not keep a smaller copy/);
  } finally {
    await rig.close();
  }
});

test('deleting on Flickr: refused without mirror deletes, nothing without confirmation, needs the delete permission, then deletes', async () => {
  const rig = await startFlickrRig();
  try {
    const root = path.join(await tempDir(), 'Del');
    await writeTree(root, { 'x.jpg': makeJpeg(81) });
    await rig.pipeline.sync([folder({ path: root, destination: 'flickr' })]);
    const [photo] = await flickrPhotos(rig);
    const provider = rig.provider;
    await assert.rejects(provider.deleteItems([photo.id], { mirrorDeletes: false, confirm: async () => true }), /only for a sync folder with mirror deletes on/);
    const asked: string[][] = [];
    assert.deepEqual(await provider.deleteItems([photo.id], { mirrorDeletes: true, confirm: async (ids) => (asked.push([...ids]), false) }), []);
    assert.deepEqual(asked, [[photo.id]]);
    assert.equal((await flickrPhotos(rig)).length, 1, 'nothing deleted without a yes');
    // Signed in with write only: Flickr answers 99, which needs the user (sign in again allowing delete).
    const err = await provider.deleteItems([photo.id], { mirrorDeletes: true, confirm: async () => true }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.equal(provider.rules.classify(err, Date.now()).kind, 'needs-user');
    assert.match((err as Error).message, /requires delete privileges/);
  } finally {
    await rig.close();
  }

  const deleter = await startFlickrRig({ perms: 'delete' });
  try {
    const root = path.join(await tempDir(), 'Del2');
    await writeTree(root, { 'y.jpg': makeJpeg(82), 'z.jpg': makeJpeg(83) });
    await deleter.pipeline.sync([folder({ path: root, destination: 'flickr' })]);
    const photos = await flickrPhotos(deleter);
    const deleted = await deleter.provider.deleteItems([photos[0].id], { mirrorDeletes: true, confirm: async () => true });
    assert.deepEqual(deleted, [photos[0].id]);
    assert.deepEqual((await flickrPhotos(deleter)).map((p) => p.id), [photos[1].id]);
    assert.equal((await flickrSets(deleter))[0].photoIds.length, 1);
  } finally {
    await deleter.close();
  }
});
