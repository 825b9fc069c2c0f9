import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { buildPlan, uploadId, type PlanOptions } from '../../src/sync/plan';
import { scanFolder } from '../../src/sync/scan';
import { parseSyncFolders } from '../../src/sync/config';
import { periodsNeeded } from '../../src/tasks/quotaPolicy';
import type { ProviderRules } from '../../src/sync/provider';
import { makeJpeg, openTestIndex, photosRules, tempDir, writeTree } from './sync-fixtures';

let rules: ProviderRules;
let options: PlanOptions;
before(async () => {
  rules = await photosRules();
  options = { accountId: 'acct', provider: 'google-photos', rules, batchSize: 50, now: Date.now() };
});
const HOUR = 3600_000;

async function scanOf(files: Record<string, Buffer | string>, folderSetting: Record<string, unknown> = {}) {
  const root = path.join(await tempDir(), 'Photos');
  await writeTree(root, files);
  const { folders } = parseSyncFolders([{ path: root, ...folderSetting }], path.isAbsolute);
  const scan = await scanFolder(folders[0], { rules });
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
  // 2 album creates + 2 uploads + 1 commit (batchCreate) + 1 add (batchAddMediaItems).
  assert.deepEqual(plan.cost, { albumCreates: 2, uploadRequests: 2, commits: 1, albumAdds: 1, total: 6 });
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

test('a receipt still committable is reused instead of sending the bytes again; one near or past its expiry is not', async () => {
  const index = await openTestIndex();
  const s = await scanOf({ 'a.jpg': makeJpeg(7), 'b.jpg': makeJpeg(8), 'c.jpg': makeJpeg(9) });
  const [a, b, c] = s.scan.files;
  const now = options.now ?? 0;
  const row = (f: typeof a, receipt: string, expiresAt: number) =>
    ({ id: uploadId('google-photos', 'acct', f.sha256 as string), provider: 'google-photos', accountId: 'acct', localPath: f.path, sha256: f.sha256, state: 'uploaded', receipt, receiptExpiresAt: expiresAt }) as const;
  await index.write((w) => {
    w.uploads.upsert(row(a, 'tok-a', now + 23 * HOUR));
    w.uploads.upsert(row(b, 'tok-b', now - HOUR));
    // Inside the margin: the commit might not reach Google before it dies.
    w.uploads.upsert(row(c, 'tok-c', now + HOUR / 2));
  });
  const plan = buildPlan([s], index, options);
  const byName = new Map(plan.uploads.map((u) => [path.basename(u.file.path), u]));
  assert.equal(byName.get('a.jpg')?.reason, 'resume');
  assert.equal(byName.get('a.jpg')?.reusableReceipt?.token, 'tok-a');
  assert.equal(byName.get('b.jpg')?.reason, 'retry');
  assert.equal(byName.get('b.jpg')?.reusableReceipt, undefined, 'an expired receipt is dead');
  assert.equal(byName.get('c.jpg')?.reusableReceipt, undefined);
  assert.equal(plan.cost.uploadRequests, 2);
  await index.dispose();
});

test('a full album spills over to "Name (2)" with a warning', async () => {
  const index = await openTestIndex();
  const s = await scanOf({ 'Big/1.jpg': makeJpeg(11), 'Big/2.jpg': makeJpeg(12), 'Big/3.jpg': makeJpeg(13) });
  await index.write((w) => w.albums.upsert({ id: 'big', accountId: 'acct', provider: 'google-photos', title: 'Big', appCreated: true, itemCount: 1 }));
  const plan = buildPlan([s], index, { ...options, rules: { ...rules, maxContainerItems: 2 } });
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
  assert.equal(periodsNeeded(0, 0, 10_000), 0);
  assert.equal(periodsNeeded(9_000, 0, 10_000), 1);
  assert.equal(periodsNeeded(9_000, 2_000, 10_000), 2);
  assert.equal(periodsNeeded(80_000, 10_000, 10_000), 8);
  await index.dispose();
});
