// The scan and plan of large folders: stats made in slices or through the thread pool give the same
// answers, what the index knows is read once, an unchanged folder writes nothing, and a plan of many
// files (one read of every content) decides exactly as one query per file does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { buildPlan } from '../../src/sync/plan';
import { scanFolder, statAll } from '../../src/sync/scan';
import { parseSyncFolders } from '../../src/sync/config';
import type { PhotoProvider } from '../../src/sync/provider';
import { scanAndRecord } from '../../src/sync/upload/scanRecorder';
import type { UploadContext } from '../../src/sync/upload/context';
import { nullLogger } from '../../src/util/logger';
import { makeJpeg, openTestIndex, photosRules, tempDir, writeTree } from './sync-fixtures';

test('stats taken synchronously in slices and through the thread pool agree, links and errors included', async () => {
  const dir = await tempDir();
  await writeTree(dir, { 'a.jpg': makeJpeg(1), 'sub/b.jpg': makeJpeg(2) });
  await fs.symlink(path.join(dir, 'a.jpg'), path.join(dir, 'link.jpg'));
  await fs.symlink(path.join(dir, 'gone.jpg'), path.join(dir, 'broken.jpg'));
  const entries = (await fs.readdir(dir, { withFileTypes: true })).sort((x, y) => (x.name < y.name ? -1 : 1));
  const describe = (r: Awaited<ReturnType<typeof statAll>>) => r.map((s) => (s instanceof Error ? `error ${(s as NodeJS.ErrnoException).code}` : `${s.isDirectory() ? 'dir' : 'file'} ${s.isDirectory() ? '' : s.size}`));
  const sliced = describe(await statAll(dir, entries));
  const pooled = describe(await statAll(dir, entries, undefined, { sliceMs: 0 }));
  assert.deepEqual(sliced, pooled);
  assert.deepEqual(
    entries.map((e, i) => [e.name, sliced[i]]),
    [
      ['a.jpg', `file ${makeJpeg(1).length}`],
      ['broken.jpg', 'error ENOENT'],
      ['link.jpg', `file ${makeJpeg(1).length}`],
      ['sub', 'dir '],
    ],
  );
});

test('the index lists a folder’s rows in one read, without a sibling folder that shares its prefix', async () => {
  const index = await openTestIndex();
  await index.write((w) => {
    for (const p of ['/p/Photos/a.jpg', '/p/Photos/sub/b.jpg', '/p/Photos2/c.jpg', '/p/Photo/d.jpg', '/p/Photos.jpg']) w.localFiles.upsert({ path: p, size: 1, mtimeMs: 1, status: 'hashed', sha256: p });
  });
  assert.deepEqual(
    index.localFiles.allUnder('/p/Photos').map((r) => r.path),
    ['/p/Photos/a.jpg', '/p/Photos/sub/b.jpg'],
  );
  assert.deepEqual(index.localFiles.allUnder('/p/Photos/').map((r) => r.path), ['/p/Photos/a.jpg', '/p/Photos/sub/b.jpg']);
  await index.dispose();
});

test('a rescan of an unchanged folder writes no row; a changed file is hashed and written again', async () => {
  const index = await openTestIndex();
  const rules = await photosRules();
  const ctx: UploadContext = { provider: { id: 'google-photos', displayName: 'Google Photos', rules } as PhotoProvider, index, accountId: 'acct', log: nullLogger, batchSize: 50, now: Date.now };
  const root = path.join(await tempDir(), 'Photos');
  await writeTree(root, { 'A/x.jpg': makeJpeg(1), 'A/y.jpg': makeJpeg(2), 'A/notes.txt': 'x' });
  const folder = parseSyncFolders([{ path: root }], path.isAbsolute).folders[0];
  await scanAndRecord(ctx, [folder]);
  await index.write((w) => w.localFiles.setStatus(path.join(root, 'A/x.jpg'), 'uploaded'));
  // Whole rows with updated_at (allUnder leaves it out): a row written again would show a new one.
  const before = index.localFiles.getMany(index.localFiles.allUnder(root).map((r) => r.path));
  assert.ok([...before.values()].every((r) => r.updatedAt !== undefined));
  assert.equal(before.size, 2);
  await new Promise((r) => setTimeout(r, 5));
  const [again] = await scanAndRecord(ctx, [folder]);
  assert.equal(again.scan.files.filter((f) => f.changed).length, 0);
  for (const row of index.localFiles.getMany([...before.keys()]).values()) assert.deepEqual(row, before.get(row.path), `${row.path} was written again`);

  await fs.writeFile(path.join(root, 'A/y.jpg'), makeJpeg(3));
  await fs.utimes(path.join(root, 'A/y.jpg'), new Date(), new Date(Date.now() + 5000));
  await fs.rm(path.join(root, 'A/x.jpg'));
  const [third] = await scanAndRecord(ctx, [folder]);
  assert.deepEqual(third.scan.files.filter((f) => f.changed).map((f) => f.name), ['y.jpg']);
  const y = index.localFiles.byPath(path.join(root, 'A/y.jpg'));
  assert.equal(y?.sha256, third.scan.files.find((f) => f.name === 'y.jpg')?.sha256);
  assert.equal(y?.status, 'hashed');
  assert.equal(index.localFiles.byPath(path.join(root, 'A/x.jpg'))?.status, 'missing');
  await index.dispose();
});

test('a plan of many files (one read of every content) decides as one query per file does', async () => {
  const index = await openTestIndex();
  const rules = await photosRules();
  const options = { accountId: 'acct', provider: 'google-photos', rules, batchSize: 50, now: Date.now() };
  const root = path.join(await tempDir(), 'Photos');
  const files: Record<string, Buffer> = {};
  for (let i = 0; i < 240; i++) files[`${i < 120 ? 'Trip' : 'Home'}/IMG_${i}.jpg`] = makeJpeg(1000 + i);
  await writeTree(root, files);
  const folder = parseSyncFolders([{ path: root }], path.isAbsolute).folders[0];
  const scan = await scanFolder(folder, { rules });
  const sha = (i: number) => scan.files.find((f) => f.name === `IMG_${i}.jpg`)!.sha256!;
  await index.write((w) => {
    w.albums.upsert({ id: 'album-trip', accountId: 'acct', provider: 'google-photos', title: 'Trip', appCreated: true });
    w.albums.upsert({ id: 'album-other', accountId: 'acct', provider: 'google-photos', title: 'Other', appCreated: true });
    // 0–99: in Trip already; 100–109: in the library, in another album; 110: two items, the first (by id) elsewhere.
    const items = [];
    for (let i = 0; i < 110; i++) items.push({ id: `item-${String(i).padStart(3, '0')}`, accountId: 'acct', provider: 'google-photos', filename: `IMG_${i}.jpg`, mimeType: 'image/jpeg', sha256: sha(i) });
    items.push({ id: 'item-a110', accountId: 'acct', provider: 'google-photos', filename: 'IMG_110.jpg', mimeType: 'image/jpeg', sha256: sha(110) });
    items.push({ id: 'item-b110', accountId: 'acct', provider: 'google-photos', filename: 'IMG_110.jpg', mimeType: 'image/jpeg', sha256: sha(110) });
    // Another account's copy of 111 does not count.
    items.push({ id: 'item-x111', accountId: 'someone-else', provider: 'google-photos', filename: 'IMG_111.jpg', mimeType: 'image/jpeg', sha256: sha(111) });
    w.mediaItems.upsertMany(items);
    w.mediaItems.addToAlbum('album-trip', [...items.slice(0, 100).map((m) => m.id), 'item-b110']);
    w.mediaItems.addToAlbum('album-other', [...items.slice(100, 110).map((m) => m.id), 'item-a110']);
  });
  const summary = (p: ReturnType<typeof buildPlan>) => ({
    uploads: p.uploads.map((u) => u.file.name).sort(),
    adds: p.adds.map((a) => `${a.file.name}→${a.albumTitle} ${a.mediaItemId ?? ''}`).sort(),
    done: p.alreadyUploaded.map((a) => `${a.file.name} ${a.mediaItemId}`).sort(),
  });
  const bulk = summary(buildPlan([{ folder, scan }], index, options));
  // One file at a time (under the bulk threshold, each plan asks per file), for the files around each case.
  const sample = new Set([...Array.from({ length: 24 }, (_, k) => `IMG_${94 + k}.jpg`), 'IMG_0.jpg', 'IMG_239.jpg']);
  const single = { uploads: [] as string[], adds: [] as string[], done: [] as string[] };
  for (const file of scan.files.filter((f) => sample.has(f.name))) {
    const one = summary(buildPlan([{ folder, scan: { ...scan, files: [file] } }], index, options));
    single.uploads.push(...one.uploads);
    single.adds.push(...one.adds);
    single.done.push(...one.done);
  }
  for (const k of ['uploads', 'adds', 'done'] as const) single[k].sort();
  const inSample = (entry: string) => sample.has(entry.split(/→| /)[0]);
  assert.deepEqual({ uploads: bulk.uploads.filter(inSample), adds: bulk.adds.filter(inSample), done: bulk.done.filter(inSample) }, single);
  assert.equal(bulk.done.length, 100);
  assert.equal(bulk.adds.length, 11);
  assert.ok(bulk.adds.includes('IMG_110.jpg→Trip item-a110'), 'the first item of a content decides, as bySha256()[0] does');
  assert.equal(bulk.uploads.length, 129);
  assert.ok(bulk.uploads.includes('IMG_111.jpg'), "another account's copy is not this account's");
  await index.dispose();
});
