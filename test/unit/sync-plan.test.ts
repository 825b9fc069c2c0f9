import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { buildPlan, daysNeeded, uploadId, type PlanOptions } from '../../src/sync/plan';
import { scanFolder } from '../../src/sync/scan';
import { loadMediaTypes } from '../../src/sync/mediaTypes';
import { parseSyncFolders } from '../../src/sync/config';
import { makeJpeg, openTestIndex, tempDir, writeTree } from './sync-fixtures';

const options: PlanOptions = { accountId: 'acct', provider: 'google-photos', maxBatch: 50, maxAlbumItems: 20_000, resumableThreshold: 8 << 20, chunkSize: 8 << 20, now: Date.now() };

async function scanOf(files: Record<string, Buffer | string>, folderSetting: Record<string, unknown> = {}) {
  const root = path.join(await tempDir(), 'Photos');
  await writeTree(root, files);
  const { folders } = parseSyncFolders([{ path: root, ...folderSetting }], path.isAbsolute);
  const scan = await scanFolder(folders[0], { mediaTypes: await loadMediaTypes() });
  return { root, folder: folders[0], scan };
}

test('new files are uploaded once per content; a copy in another album is added, not re-sent', async () => {
  const index = await openTestIndex();
  const same = makeJpeg(1);
  const s = await scanOf({ 'A/x.jpg': same, 'B/copy-of-x.jpg': same, 'A/y.jpg': makeJpeg(2), 'A/notes.txt': 'x', 'A/empty.jpg': '' });
  const plan = buildPlan([s], index, options);
  assert.equal(plan.uploads.length, 2);
  assert.deepEqual(plan.uploads.map((u) => u.albumTitle).sort(), ['A', 'A']);
  assert.equal(plan.duplicates.length, 1);
  assert.deepEqual(plan.adds.map((a) => [a.albumTitle, path.basename(a.file.path)]), [['B', 'copy-of-x.jpg']]);
  assert.deepEqual(plan.albumsToCreate.sort(), ['A', 'B']);
  assert.equal(plan.unsupported.length, 1);
  assert.equal(plan.empty.length, 1);
  // 2 album creates + 2 uploads + 1 batchCreate + 1 batchAdd.
  assert.deepEqual(plan.cost, { albumCreates: 2, uploadRequests: 2, batchCreates: 1, albumAdds: 1, total: 6 });
  await index.dispose();
});

test('content already in the library is not uploaded again, even renamed and moved', async () => {
  const index = await openTestIndex();
  const bytes = makeJpeg(5);
  const s = await scanOf({ 'Trip/renamed.jpg': bytes, 'Other/moved.jpg': bytes });
  const sha = s.scan.files[0].sha256 as string;
  await index.write((w) => {
    w.albums.upsert({ id: 'album-trip', accountId: 'acct', provider: 'google-photos', title: 'Trip', appCreated: true });
    w.mediaItems.upsert({ id: 'item-1', accountId: 'acct', provider: 'google-photos', filename: 'original.jpg', mimeType: 'image/jpeg', sha256: sha });
    w.mediaItems.addToAlbum('album-trip', ['item-1']);
  });
  const plan = buildPlan([s], index, options);
  assert.equal(plan.uploads.length, 0);
  assert.deepEqual(plan.alreadyUploaded.map((a) => a.mediaItemId), ['item-1']);
  assert.deepEqual(plan.adds.map((a) => [a.albumTitle, a.mediaItemId]), [['Other', 'item-1']]);
  assert.deepEqual(plan.albumsToCreate, ['Other']);
  assert.equal(plan.albumIds.get('Trip'), undefined, 'Trip is not used by a new item');
  await index.dispose();
});

test('an upload token younger than a day is reused instead of sending the bytes again', async () => {
  const index = await openTestIndex();
  const s = await scanOf({ 'a.jpg': makeJpeg(7), 'b.jpg': makeJpeg(8) });
  const [a, b] = s.scan.files;
  await index.write((w) => {
    w.uploads.upsert({ id: uploadId('acct', a.sha256 as string), accountId: 'acct', localPath: a.path, sha256: a.sha256, state: 'uploaded', uploadToken: 'tok-a', tokenIssuedAt: Date.now() - 3600_000 });
    w.uploads.upsert({ id: uploadId('acct', b.sha256 as string), accountId: 'acct', localPath: b.path, sha256: b.sha256, state: 'uploaded', uploadToken: 'tok-b', tokenIssuedAt: Date.now() - 25 * 3600_000 });
  });
  const plan = buildPlan([s], index, options);
  const byName = new Map(plan.uploads.map((u) => [path.basename(u.file.path), u]));
  assert.equal(byName.get('a.jpg')?.reason, 'resume');
  assert.equal(byName.get('a.jpg')?.reusableToken?.token, 'tok-a');
  assert.equal(byName.get('b.jpg')?.reason, 'retry');
  assert.equal(byName.get('b.jpg')?.reusableToken, undefined, 'a day-old token is dead');
  assert.equal(plan.cost.uploadRequests, 1);
  await index.dispose();
});

test('a full album spills over to "Name (2)" with a warning', async () => {
  const index = await openTestIndex();
  const s = await scanOf({ 'Big/1.jpg': makeJpeg(11), 'Big/2.jpg': makeJpeg(12), 'Big/3.jpg': makeJpeg(13) });
  await index.write((w) => w.albums.upsert({ id: 'big', accountId: 'acct', provider: 'google-photos', title: 'Big', appCreated: true, itemCount: 1 }));
  const plan = buildPlan([s], index, { ...options, maxAlbumItems: 2 });
  assert.deepEqual(plan.uploads.map((u) => u.albumTitle), ['Big', 'Big (2)', 'Big (2)']);
  assert.deepEqual(plan.albumsToCreate, ['Big (2)']);
  assert.match(plan.warnings[0], /"Big" is full.*"Big \(2\)"/);
  await index.dispose();
});

test('large files are counted as resumable uploads; backlog days at 10,000/day', async () => {
  const index = await openTestIndex();
  const s = await scanOf({ 'v/a.jpg': makeJpeg(21) });
  s.scan.files[0].size = 20 << 20; // as if 20 MiB: start + 3 chunks of 8 MiB
  const plan = buildPlan([s], index, options);
  assert.equal(plan.cost.uploadRequests, 4);
  assert.equal(daysNeeded(0, 0), 0);
  assert.equal(daysNeeded(9_000, 0), 1);
  assert.equal(daysNeeded(9_000, 2_000), 2);
  assert.equal(daysNeeded(80_000, 10_000), 8);
  await index.dispose();
});
