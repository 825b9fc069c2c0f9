import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import type { MediaItemRecord } from '../../src/index/api';
import { open, sqlite3, tempStorage } from './index-helpers';

const item = (id: string, extra: Partial<MediaItemRecord> = {}): MediaItemRecord => ({ id, accountId: 'acc', provider: 'google-photos', filename: `${id}.jpg`, mimeType: 'image/jpeg', ...extra });

test('albums list with their item counts, and an album’s items come page by page in album order', async () => {
  const dir = tempStorage();
  const index = await open(dir, { watch: false });
  await index.write((w) => {
    w.albums.upsert({ id: 'b', accountId: 'acc', provider: 'google-photos', title: 'beach', appCreated: true, itemCount: 250 });
    w.albums.upsert({ id: 'a', accountId: 'acc', provider: 'google-photos', title: 'Alps', appCreated: false });
    w.albums.upsert({ id: 'c', accountId: 'other', provider: 'google-photos', title: 'Cats', appCreated: true });
    w.mediaItems.upsertMany(Array.from({ length: 250 }, (_, i) => item(`m${String(i).padStart(3, '0')}`)));
    w.mediaItems.addToAlbum('b', Array.from({ length: 250 }, (_, i) => `m${String(249 - i).padStart(3, '0')}`));
    w.mediaItems.addToAlbum('a', ['m000', 'm001']);
    w.mediaItems.addToAlbum('a', ['m001', 'm002']); // m001 already there: kept once, in its place
  });

  const albums = index.albums.listWithCounts({ accountId: 'acc' });
  assert.deepEqual(
    albums.items.map((a) => [a.title, a.indexedItems]),
    [
      ['Alps', 3],
      ['beach', 250],
    ],
  );
  assert.equal(albums.total, 2);
  assert.deepEqual(
    index.albums.listWithCounts({ appCreatedOnly: true }).items.map((a) => a.id),
    ['b', 'c'],
  );

  const page1 = index.mediaItems.inAlbum('b', { offset: 0, limit: 100 });
  const page3 = index.mediaItems.inAlbum('b', { offset: 200, limit: 100 });
  assert.equal(page1.total, 250);
  assert.equal(page1.items.length, 100);
  assert.equal(page1.items[0].id, 'm249');
  assert.equal(page3.items.length, 50);
  assert.equal(page3.items.at(-1)?.id, 'm000');
  assert.deepEqual(index.mediaItems.inAlbum('a').items.map((m) => m.id), ['m000', 'm001', 'm002']);
  assert.deepEqual(index.mediaItems.albumsOf('m001'), ['a', 'b']);

  // Re-listing an item (new description) keeps its memberships.
  await index.write((w) => w.mediaItems.upsert(item('m001', { description: 'relisted' })));
  assert.deepEqual(index.mediaItems.albumsOf('m001'), ['a', 'b']);
  assert.equal(index.mediaItems.inAlbum('a').items[1].description, 'relisted');
  await index.write((w) => w.albums.upsert({ id: 'a', accountId: 'acc', provider: 'google-photos', title: 'Alps 2024', appCreated: false }));
  assert.equal(index.mediaItems.countInAlbum('a'), 3, 'renaming an album keeps its items');
  await index.write((w) => w.mediaItems.addToAlbum('a', ['not-in-index']));
  assert.equal(index.mediaItems.countInAlbum('a'), 3, 'unknown items are skipped');
  await index.write((w) => w.mediaItems.setAlbumItems('a', ['m002']));
  assert.equal(index.mediaItems.countInAlbum('a'), 1);
  await index.write((w) => w.albums.remove('b'));
  assert.equal(index.mediaItems.countInAlbum('b'), 0);
  assert.ok(index.mediaItems.get('m100'), 'removing an album keeps its items');
  await index.dispose();
  assert.equal(sqlite3(path.join(dir, 'index.sqlite'), 'SELECT count(*) FROM album_items JOIN albums ON albums.key = album_items.album_key'), '1');
  assert.equal(sqlite3(path.join(dir, 'index.sqlite'), 'SELECT count(*) FROM album_items'), '1', 'no membership rows left over from the removed album');
});

test('local files by path, by hash, by status and under a folder (wildcards in names match literally)', async () => {
  const index = await open(tempStorage(), { watch: false });
  await index.write((w) => {
    w.localFiles.upsert({ path: '/p/100%_real/a.jpg', size: 1, mtimeMs: 1, sha256: 'h1', status: 'uploaded' });
    w.localFiles.upsert({ path: '/p/100x_real/b.jpg', size: 1, mtimeMs: 1, sha256: 'h1', status: 'pending' });
    w.localFiles.upsert({ path: '/p/other/c.jpg', size: 1, mtimeMs: 1, status: 'failed', lastError: 'unsupported type' });
  });
  assert.deepEqual(index.localFiles.bySha256('h1').map((f) => f.path), ['/p/100%_real/a.jpg', '/p/100x_real/b.jpg']);
  assert.deepEqual(index.localFiles.underFolder('/p/100%_real').items.map((f) => f.path), ['/p/100%_real/a.jpg']);
  assert.deepEqual(index.localFiles.countByStatus(), { uploaded: 1, pending: 1, failed: 1 });
  assert.deepEqual(index.localFiles.countByStatus('/p/other'), { failed: 1 });
  assert.equal(index.localFiles.byStatus('failed').items[0].lastError, 'unsupported type');
  assert.equal(index.localFiles.byStatus('failed', undefined, '/p/other').total, 1);
  assert.equal(index.localFiles.byStatus('failed', undefined, '/p/100%_real').total, 0);
  assert.deepEqual(index.localFiles.byStatus('pending', undefined, '/p/100%_real').items, [], 'the % in the folder name matches literally');
  await index.write((w) => w.localFiles.setStatus('/p/other/c.jpg', 'uploaded'));
  assert.equal(index.localFiles.byPath('/p/other/c.jpg')?.lastError, undefined);
  await index.dispose();
});

test('uploads: receipts reused until their expiry, expired ones discarded, lookups by path, hash, destination and state', async () => {
  let now = Date.UTC(2026, 0, 10);
  const DAY = 86_400_000;
  const index = await open(tempStorage(), { watch: false, now: () => now });
  await index.write((w) => {
    w.uploads.upsert({ id: 'fresh', provider: 'google-photos', accountId: 'acc', localPath: '/a.jpg', sha256: 'h', state: 'uploaded', receipt: 'T1', receiptExpiresAt: now + DAY - 1000 });
    w.uploads.upsert({ id: 'old', provider: 'google-photos', accountId: 'acc', localPath: '/b.jpg', state: 'uploaded', receipt: 'T2', receiptExpiresAt: now - 1 });
    w.uploads.upsert({ id: 'forever', provider: 'other', accountId: 'acc', localPath: '/d.jpg', state: 'uploaded', receipt: 'item-7' });
    w.uploads.upsert({ id: 'done', provider: 'google-photos', accountId: 'acc', localPath: '/c.jpg', state: 'committed', mediaItemId: 'm1', albumId: 'alb' });
  });
  assert.deepEqual(index.uploads.reusableReceipt('fresh'), { token: 'T1', expiresAt: now + DAY - 1000 });
  assert.equal(index.uploads.reusableReceipt('fresh', now, DAY), undefined, 'not within the margin before its expiry');
  assert.equal(index.uploads.reusableReceipt('old'), undefined);
  assert.deepEqual(index.uploads.reusableReceipt('forever', now + 365 * DAY), { token: 'item-7', expiresAt: undefined }, 'a receipt without expiry never expires');
  const created = index.uploads.get('fresh')?.createdAt;
  now += 5000;
  await index.write((w) => {
    assert.equal(w.uploads.discardExpiredReceipts(), 1);
    w.uploads.update('fresh', { state: 'committed', mediaItemId: 'm2', receipt: undefined });
  });
  assert.equal(index.uploads.get('old')?.state, 'pending');
  assert.equal(index.uploads.get('old')?.receipt, undefined);
  assert.equal(index.uploads.get('fresh')?.createdAt, created, 'createdAt survives updates');
  assert.equal(index.uploads.get('fresh')?.receipt, undefined);
  assert.deepEqual(index.uploads.countByState({ provider: 'google-photos' }), { committed: 2, pending: 1 });
  assert.deepEqual(index.uploads.countByState(), { committed: 2, pending: 1, uploaded: 1 });
  assert.deepEqual(index.uploads.byState('committed', { albumId: 'alb' }).items.map((u) => u.id), ['done']);
  assert.deepEqual(index.uploads.byState('uploaded', { provider: 'other', accountId: 'acc' }).items.map((u) => u.id), ['forever']);
  assert.deepEqual(index.uploads.bySha256('h').map((u) => u.id), ['fresh']);
  assert.deepEqual(index.uploads.byLocalPath('/b.jpg').map((u) => u.id), ['old']);
  await index.dispose();
});

test('sync ops: pending per destination account and kind, oldest first; finished ones pruned', async () => {
  let now = 1000;
  const index = await open(tempStorage(), { watch: false, now: () => now++ });
  await index.write((w) => {
    w.syncOps.upsert({ id: 'a', kind: 'add', provider: 'google-photos', accountId: 'acc', localPath: '/a.jpg', sha256: 'h', albumTitle: 'A', state: 'pending' });
    w.syncOps.upsert({ id: 'b', kind: 'archive', provider: 'google-photos', accountId: 'acc', localPath: '/b.jpg', state: 'pending' });
    w.syncOps.upsert({ id: 'c', kind: 'add', provider: 'flickr', accountId: 'acc', localPath: '/c.jpg', state: 'pending' });
    w.syncOps.upsert({ id: 'd', kind: 'copy', provider: 'google-photos', accountId: 'acc', localPath: '/d.jpg', state: 'done' });
  });
  assert.deepEqual(index.syncOps.pending({ provider: 'google-photos', accountId: 'acc' }).items.map((o) => o.id), ['a', 'b']);
  assert.deepEqual(index.syncOps.pending({ provider: 'google-photos', accountId: 'acc', kind: 'archive' }).items.map((o) => o.id), ['b']);
  await index.write((w) => w.syncOps.update('b', { state: 'done', targetPath: '/archive/b.jpg' }));
  assert.equal(index.syncOps.get('b')?.targetPath, '/archive/b.jpg');
  await index.write((w) => assert.equal(w.syncOps.prune(now), 2, 'the two finished ones'));
  assert.deepEqual(index.syncOps.pending({ provider: 'google-photos', accountId: 'acc' }).items.map((o) => o.id), ['a']);
  await index.dispose();
});

test('downloads, picker sessions and quota per bucket and period', async () => {
  const index = await open(tempStorage(), { watch: false });
  await index.write((w) => {
    w.quota.add('acc', 'google-photos', '2026-01-09', 3);
    w.quota.add('acc', 'google-photos', '2026-01-10', 2);
    w.quota.add('acc', 'google-photos', '2026-01-10');
    w.quota.add('acc', 'flickr', '2026-01-10T08', 9);
    w.downloads.upsert({ id: 'd', accountId: 'acc', mediaItemId: 'm', localPath: '/dl/m.jpg', state: 'pending' });
    w.picker.upsertSession({ id: 's', accountId: 'acc', mediaItemsSet: false, state: 'open', targetFolder: '/dl' });
    w.picker.upsertItems([
      { sessionId: 's', id: 'p2', downloadState: 'pending' },
      { sessionId: 's', id: 'p1', downloadState: 'pending' },
    ]);
  });
  assert.equal(index.quota.used('acc', 'google-photos', '2026-01-09'), 3);
  assert.equal(index.quota.used('acc', 'google-photos', '2026-01-10'), 3);
  assert.equal(index.quota.used('acc', 'flickr', '2026-01-10T08'), 9);
  await index.write((w) => w.quota.add('other', 'google-photos', '2026-01-10', 4));
  assert.equal(index.quota.total('google-photos', '2026-01-10'), 7);
  assert.equal(index.quota.total('google-photos', '2026-01-09'), 3);
  await index.write((w) => {
    w.downloads.update('d', { state: 'downloaded', bytes: 10 });
    w.picker.updateItem('s', 'p2', { downloadState: 'downloaded', localPath: '/dl/p2.jpg' });
    w.picker.upsertSession({ id: 's', accountId: 'acc', mediaItemsSet: true, state: 'picked' });
  });
  assert.equal(index.downloads.byMediaItem('m')[0].bytes, 10);
  assert.deepEqual(index.picker.items('s').items.map((i) => [i.id, i.downloadState]), [
    ['p2', 'downloaded'],
    ['p1', 'pending'],
  ]);
  assert.deepEqual(index.picker.sessions({ state: 'picked' }).map((s) => s.id), ['s']);
  await index.write((w) => w.picker.removeSession('s'));
  assert.equal(index.picker.items('s').total, 0);
  await index.dispose();
});

test('a download row upserted again (a download planned anew) keeps the created_at of its first planning: runs resume in their order', async () => {
  let now = 1000;
  const index = await open(tempStorage(), { watch: false, now: () => now });
  const row = { accountId: 'acc', mediaItemId: 'm', localPath: '/dl/m.jpg', root: '/dl', source: 'album:a', state: 'pending' as const };
  await index.write((w) => w.downloads.upsert({ id: 'd1', ...row }));
  now = 2000;
  await index.write((w) => {
    w.downloads.upsert({ id: 'd2', ...row, mediaItemId: 'm2', localPath: '/dl/m2.jpg' });
    w.downloads.update('d1', { state: 'failed', lastError: 'x' });
  });
  now = 3000;
  await index.write((w) => w.downloads.upsert({ id: 'd1', ...row })); // no createdAt given, as journalDownloads plans it
  assert.equal(index.downloads.get('d1')?.createdAt, 1000);
  assert.equal(index.downloads.get('d1')?.state, 'pending');
  assert.equal(index.downloads.get('d2')?.createdAt, 2000);
  assert.deepEqual(index.downloads.bySource('album:a').items.map((r) => r.id), ['d1', 'd2']);
  await index.dispose();
});
