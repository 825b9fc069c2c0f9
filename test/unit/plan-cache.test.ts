// The index keeps two answers between calls (src/index/sql.ts versions): a plan's "content → first
// item and its albums" (dropped by any write to media items, albums, their membership or the upload
// journal) and a scan's rows of a folder (dropped by any local_files write). Each test plans or scans,
// changes the index one way, and checks the next answer sees the change — they fail if a cache is not
// dropped — and that the writes which must not drop a cache do not.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { buildPlan, uploadId, type PlanOptions } from '../../src/sync/plan';
import { scanFolder } from '../../src/sync/scan';
import { parseSyncFolders } from '../../src/sync/config';
import type { PhotoIndex } from '../../src/index/api';
import type { ProviderRules } from '../../src/sync/provider';
import { makeJpeg, openTestIndex, photosRules, tempDir, writeTree } from './sync-fixtures';
import { open, tempStorage } from './index-helpers';

let rules: ProviderRules;
let options: PlanOptions;
before(async () => {
  rules = await photosRules();
  options = { accountId: 'acct', provider: 'google-photos', rules, batchSize: 50, now: Date.now() };
});

/** A folder "Trip" of two photos, both uploaded into album "Trip" of account acct. */
async function backedUp(index: PhotoIndex) {
  const root = path.join(await tempDir(), 'Photos');
  await writeTree(root, { 'Trip/a.jpg': makeJpeg(1), 'Trip/b.jpg': makeJpeg(2) });
  const { folders } = parseSyncFolders([{ path: root }], path.isAbsolute);
  const scan = await scanFolder(folders[0], { rules });
  const [a, b] = scan.files.map((f) => f.sha256 as string);
  await index.write((w) => {
    w.albums.upsert({ id: 'album-trip', accountId: 'acct', provider: 'google-photos', title: 'Trip', appCreated: true });
    w.mediaItems.upsert({ id: 'item-a', accountId: 'acct', provider: 'google-photos', filename: 'a.jpg', mimeType: 'image/jpeg', sha256: a });
    w.mediaItems.upsert({ id: 'item-b', accountId: 'acct', provider: 'google-photos', filename: 'b.jpg', mimeType: 'image/jpeg', sha256: b });
    w.mediaItems.addToAlbum('album-trip', ['item-a', 'item-b']);
  });
  const scans = [{ folder: folders[0], scan }];
  const plan = buildPlan(scans, index, options);
  assert.equal(plan.alreadyUploaded.length, 2, 'both done before the change');
  return { root, folder: folders[0], scans, a, b };
}

test('a content removed from its album is added again on the next plan', async () => {
  const index = await openTestIndex();
  const { scans } = await backedUp(index);
  await index.write((w) => w.mediaItems.removeFromAlbum('album-trip', ['item-a']));
  const plan = buildPlan(scans, index, options);
  assert.deepEqual(plan.adds.map((x) => [x.file.name, x.mediaItemId]), [['a.jpg', 'item-a']]);
  assert.equal(plan.alreadyUploaded.length, 1);
  await index.dispose();
});

test('a content whose item is gone from the library is uploaded again on the next plan', async () => {
  const index = await openTestIndex();
  const { scans } = await backedUp(index);
  await index.write((w) => w.mediaItems.remove('item-b'));
  const plan = buildPlan(scans, index, options);
  assert.deepEqual(plan.uploads.map((u) => [u.file.name, u.reason]), [['b.jpg', 'new']]);
  await index.dispose();
});

test('a content not in the library, then uploaded by another run, is not planned again (the "not there" answer is dropped too)', async () => {
  const index = await openTestIndex();
  const root = path.join(await tempDir(), 'Photos');
  await writeTree(root, { 'Trip/c.jpg': makeJpeg(3) });
  const { folders } = parseSyncFolders([{ path: root }], path.isAbsolute);
  const scan = await scanFolder(folders[0], { rules });
  const scans = [{ folder: folders[0], scan }];
  assert.equal(buildPlan(scans, index, options).uploads.length, 1);
  await index.write((w) => {
    w.albums.upsert({ id: 'album-trip', accountId: 'acct', provider: 'google-photos', title: 'Trip', appCreated: true });
    w.mediaItems.upsert({ id: 'item-c', accountId: 'acct', provider: 'google-photos', filename: 'c.jpg', mimeType: 'image/jpeg', sha256: scan.files[0].sha256 });
    w.mediaItems.addToAlbum('album-trip', ['item-c']);
  });
  const plan = buildPlan(scans, index, options);
  assert.equal(plan.uploads.length, 0);
  assert.deepEqual(plan.alreadyUploaded.map((x) => x.mediaItemId), ['item-c']);
  await index.dispose();
});

test('an upload journal write drops the cache; a committed journal row is still trusted for a content not in the library', async () => {
  const index = await openTestIndex();
  const { scans, a } = await backedUp(index);
  const before = index.mediaItems.contentAlbums({ accountId: 'acct', provider: 'google-photos' }, [a]).get(a);
  await index.write((w) => w.uploads.upsert({ id: uploadId('google-photos', 'acct', a), provider: 'google-photos', accountId: 'acct', localPath: '/x/a.jpg', sha256: a, state: 'committed', mediaItemId: 'item-a' }));
  const after = index.mediaItems.contentAlbums({ accountId: 'acct', provider: 'google-photos' }, [a]).get(a);
  assert.notEqual(after, before, 'read again after a journal write');
  assert.deepEqual(after, before);
  await index.write((w) => w.mediaItems.remove('item-a'));
  const plan = buildPlan(scans, index, options);
  assert.deepEqual(plan.adds.map((x) => [x.file.name, x.mediaItemId]), [['a.jpg', 'item-a']], 'committed but the item row is missing: added by the journal’s id');
  await index.dispose();
});

test('a new album rule (another album title) is planned right with the cache warm', async () => {
  const index = await openTestIndex();
  const { root, scans } = await backedUp(index);
  const { folders } = parseSyncFolders([{ path: root, album: { mode: 'fixed', name: 'Holidays' } }], path.isAbsolute);
  const scan = await scanFolder(folders[0], { rules });
  assert.equal(scan.files[0].albumTitle, 'Holidays');
  const plan = buildPlan([{ folder: folders[0], scan }], index, options);
  assert.deepEqual(plan.adds.map((x) => [x.albumTitle, x.mediaItemId]).sort(), [['Holidays', 'item-a'], ['Holidays', 'item-b']]);
  assert.equal(buildPlan(scans, index, options).alreadyUploaded.length, 2, 'the old rule’s plan is unchanged');
  await index.dispose();
});

test('another account does not see the first account’s cached answers', async () => {
  const index = await openTestIndex();
  const { scans } = await backedUp(index);
  const plan = buildPlan(scans, index, { ...options, accountId: 'other' });
  assert.equal(plan.uploads.length, 2);
  assert.equal(plan.alreadyUploaded.length, 0);
  await index.dispose();
});

test('a rolled-back write leaves no answer of its own behind; reads inside a write are not kept', async () => {
  const index = await openTestIndex();
  const { scans, a } = await backedUp(index);
  await assert.rejects(
    index.write((w) => {
      w.mediaItems.removeFromAlbum('album-trip', ['item-a']);
      // Read inside the write: sees the change, and must not be kept after the rollback.
      assert.deepEqual(w.mediaItems.contentAlbums({ accountId: 'acct', provider: 'google-photos' }, [a]).get(a)?.albumIds, []);
      throw new Error('rolled back');
    }),
    /rolled back/,
  );
  assert.equal(buildPlan(scans, index, options).alreadyUploaded.length, 2);
  await index.dispose();
});

test('local_files writes keep the plan’s cache; a library write drops it', async () => {
  const index = await openTestIndex();
  const { a } = await backedUp(index);
  const filter = { accountId: 'acct', provider: 'google-photos' };
  const first = index.mediaItems.contentAlbums(filter, [a]).get(a);
  await index.write((w) => w.localFiles.upsert({ path: '/x/a.jpg', size: 1, mtimeMs: 1, sha256: a, status: 'uploaded' }));
  assert.equal(index.mediaItems.contentAlbums(filter, [a]).get(a), first, 'same object: kept across the scan’s own writes');
  await index.write((w) => w.albums.upsert({ id: 'album-2', accountId: 'acct', provider: 'google-photos', title: 'Two', appCreated: true }));
  assert.notEqual(index.mediaItems.contentAlbums(filter, [a]).get(a), first, 'read again after an album write');
  await index.dispose();
});

test('a folder’s rows are kept while nothing writes local_files, and read again after any write to them', async () => {
  const index = await openTestIndex();
  await index.write((w) => w.localFiles.upsert({ path: '/p/Photos/a.jpg', size: 1, mtimeMs: 1, sha256: 'x', status: 'hashed' }));
  const first = index.localFiles.rowsUnder('/p/Photos');
  assert.equal(index.localFiles.rowsUnder('/p/Photos'), first, 'kept');
  await index.write((w) => w.mediaItems.upsert({ id: 'i', accountId: 'acct', provider: 'google-photos', filename: 'a.jpg', mimeType: 'image/jpeg', sha256: 'x' }));
  assert.equal(index.localFiles.rowsUnder('/p/Photos'), first, 'kept across a library write');
  await index.write((w) => w.localFiles.setStatus('/p/Photos/a.jpg', 'uploaded'));
  assert.equal(index.localFiles.rowsUnder('/p/Photos').get('/p/Photos/a.jpg')?.status, 'uploaded');
  await index.write((w) => w.localFiles.upsert({ path: '/p/Photos/b.jpg', size: 2, mtimeMs: 2, sha256: 'y', status: 'hashed' }));
  assert.deepEqual([...index.localFiles.rowsUnder('/p/Photos/').keys()], ['/p/Photos/a.jpg', '/p/Photos/b.jpg']);
  await index.write((w) => w.localFiles.remove('/p/Photos/a.jpg'));
  assert.deepEqual([...index.localFiles.rowsUnder('/p/Photos').keys()], ['/p/Photos/b.jpg']);
  await assert.rejects(
    index.write((w) => {
      w.localFiles.remove('/p/Photos/b.jpg');
      assert.equal(w.localFiles.rowsUnder('/p/Photos').size, 0);
      throw new Error('rolled back');
    }),
    /rolled back/,
  );
  assert.deepEqual([...index.localFiles.rowsUnder('/p/Photos').keys()], ['/p/Photos/b.jpg'], 'the rollback’s read was not kept');
  await index.dispose();
});

test('another window’s save drops both caches (the database is reloaded)', { timeout: 30_000 }, async () => {
  const dir = tempStorage();
  const first = await open(dir);
  const second = await open(dir);
  const filter = { accountId: 'acct', provider: 'google-photos' };
  await first.write((w) => {
    w.mediaItems.upsert({ id: 'i', accountId: 'acct', provider: 'google-photos', filename: 'a.jpg', mimeType: 'image/jpeg', sha256: 'x' });
    w.localFiles.upsert({ path: '/p/a.jpg', size: 1, mtimeMs: 1, sha256: 'x', status: 'hashed' });
  });
  await first.flush();
  // The second window writes (taking the lock reloads the first window's save), then reads both.
  await second.write(() => undefined);
  assert.equal(second.mediaItems.contentAlbums(filter, ['x']).get('x')?.id, 'i');
  assert.equal(second.localFiles.rowsUnder('/p').size, 1);
  await first.write((w) => {
    w.mediaItems.remove('i');
    w.localFiles.remove('/p/a.jpg');
  });
  await first.flush();
  await second.write(() => undefined); // reloads
  assert.equal(second.mediaItems.contentAlbums(filter, ['x']).size, 0);
  assert.equal(second.localFiles.rowsUnder('/p').size, 0);
  await first.dispose();
  await second.dispose();
});

test('lists bound as bytes find rows whose keys hold quotes, newlines, backslashes, accents and emoji', async () => {
  const index = await openTestIndex();
  const names = ['/p/"quoted".jpg', '/p/new\nline.jpg', '/p/back\\slash.jpg', '/p/Café déjà vu.jpg', '/p/🏖️ beach 👨‍👩‍👧.jpg', '/p/日本語.jpg'];
  await index.write((w) => {
    for (const [i, p] of names.entries()) w.localFiles.upsert({ path: p, size: i, mtimeMs: i, sha256: `sha-${p}`, status: 'hashed' });
    for (const [i, p] of names.entries()) w.mediaItems.upsert({ id: `item-${i}`, accountId: 'acct', provider: 'google-photos', filename: 'x.jpg', mimeType: 'image/jpeg', sha256: `sha-${p}` });
    for (const p of names) w.uploads.upsert({ id: `up-${p}`, provider: 'google-photos', accountId: 'acct', localPath: p, sha256: `sha-${p}`, state: 'committed' });
  });
  assert.deepEqual([...index.localFiles.getMany([...names, '/p/none.jpg']).keys()].sort(), [...names].sort());
  assert.deepEqual([...index.uploads.getMany(names.map((p) => `up-${p}`)).keys()].sort(), names.map((p) => `up-${p}`).sort());
  const contents = index.mediaItems.contentAlbums({ accountId: 'acct', provider: 'google-photos' }, names.map((p) => `sha-${p}`));
  assert.deepEqual(names.map((p) => contents.get(`sha-${p}`)?.id), names.map((_, i) => `item-${i}`));
  await index.dispose();
});
