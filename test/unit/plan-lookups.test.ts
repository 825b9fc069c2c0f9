// The plan's index reads for an unchanged folder (one contents query per chunk, no journal or local
// row read for content already at the destination), contentAlbums' answer, and the receipt saver.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { IndexReader, MediaItemRecord } from '../../src/index/api';
import { buildPlan, uploadId, type PlanOptions } from '../../src/sync/plan';
import { scanFolder } from '../../src/sync/scan';
import { parseSyncFolders } from '../../src/sync/config';
import type { ProviderRules } from '../../src/sync/provider';
import { ReceiptSaver } from '../../src/sync/upload/receiptSaver';
import { nullLogger } from '../../src/util/logger';
import { makeJpeg, openTestIndex, photosRules, tempDir, writeTree } from './sync-fixtures';

let rules: ProviderRules;
let options: PlanOptions;
before(async () => {
  rules = await photosRules();
  options = { accountId: 'acct', provider: 'google-photos', rules, batchSize: 50, now: Date.now() };
});

const item = (id: string, sha256: string, extra: Partial<MediaItemRecord> = {}): MediaItemRecord => ({ id, accountId: 'acct', provider: 'google-photos', filename: `${id}.jpg`, mimeType: 'image/jpeg', sha256, ...extra });

test('contentAlbums: per content the item with the smallest id and its albums, this account and destination only', async () => {
  const index = await openTestIndex();
  await index.write((w) => {
    w.albums.upsert({ id: 'alb-1', accountId: 'acct', provider: 'google-photos', title: 'One', appCreated: true });
    w.albums.upsert({ id: 'alb-2', accountId: 'acct', provider: 'google-photos', title: 'Two', appCreated: true });
    w.mediaItems.upsertMany([item('m-b', 'aaa'), item('m-a', 'aaa'), item('m-c', 'bbb'), item('m-d', 'ccc', { accountId: 'other' }), item('m-e', 'ddd', { provider: 'google-drive' })]);
    w.mediaItems.addToAlbum('alb-1', ['m-b', 'm-a', 'm-c']);
    w.mediaItems.addToAlbum('alb-2', ['m-a']);
  });
  const filter = { accountId: 'acct', provider: 'google-photos' };
  const some = index.mediaItems.contentAlbums(filter, ['aaa', 'bbb', 'ccc', 'ddd', 'zzz', 'aaa']);
  const tidy = (m: ReturnType<typeof index.mediaItems.contentAlbums>) => [...m].map(([sha, e]) => [sha, e.id, [...e.albumIds].sort()]).sort();
  assert.deepEqual(tidy(some), [
    ['aaa', 'm-a', ['alb-1', 'alb-2']],
    ['bbb', 'm-c', ['alb-1']],
  ]);
  assert.deepEqual(tidy(index.mediaItems.contentAlbums(filter)), tidy(some), 'the whole account reads the same');
  assert.equal(index.mediaItems.contentAlbums(filter, []).size, 0);
  await index.dispose();
});

/** The reader with its per-chunk lookups counted (how many keys each was asked for). */
function counted(index: IndexReader) {
  const asked = { journals: 0, localFiles: 0, contents: 0 };
  const reader = {
    ...index,
    mediaItems: Object.assign(Object.create(index.mediaItems), {
      contentAlbums: (f: { accountId: string; provider: string }, shas?: readonly string[]) => {
        asked.contents += shas?.length ?? Infinity;
        return index.mediaItems.contentAlbums(f, shas);
      },
    }),
    uploads: Object.assign(Object.create(index.uploads), {
      getMany: (ids: readonly string[]) => {
        asked.journals += ids.length;
        return index.uploads.getMany(ids);
      },
    }),
    localFiles: Object.assign(Object.create(index.localFiles), {
      getMany: (paths: readonly string[]) => {
        asked.localFiles += paths.length;
        return index.localFiles.getMany(paths);
      },
    }),
    albums: index.albums,
  } as IndexReader;
  return { reader, asked };
}

test('a backed-up folder is planned from the contents lookup alone; journals and file rows are read only for what is uploaded', async () => {
  const index = await openTestIndex();
  const root = path.join(await tempDir(), 'Photos');
  const bytes = { 'A/x.jpg': makeJpeg(1), 'A/y.jpg': makeJpeg(2), 'B/z.jpg': makeJpeg(3), 'B/w.jpg': makeJpeg(4), 'B/v.jpg': makeJpeg(5) };
  await writeTree(root, bytes);
  const { folders } = parseSyncFolders([{ path: root }], path.isAbsolute);
  const scan = await scanFolder(folders[0], { rules });
  const sha = (rel: string) => scan.files.find((f) => f.rel === rel)!.sha256!;
  await index.write((w) => {
    w.albums.upsert({ id: 'alb-a', accountId: 'acct', provider: 'google-photos', title: 'A', appCreated: true });
    w.albums.upsert({ id: 'alb-b', accountId: 'acct', provider: 'google-photos', title: 'B', appCreated: true });
    w.mediaItems.upsertMany([item('i-x', sha('A/x.jpg')), item('i-y', sha('A/y.jpg')), item('i-z', sha('B/z.jpg'))]);
    w.mediaItems.addToAlbum('alb-a', ['i-x', 'i-y']);
    // z is at the destination but not in B yet: an add, still no journal read.
    // w was sent by an interrupted run (a receipt); v was recorded earlier with other bytes (changed).
    w.uploads.upsert({ id: uploadId('google-photos', 'acct', sha('B/w.jpg')), provider: 'google-photos', accountId: 'acct', localPath: path.join(root, 'B/w.jpg'), sha256: sha('B/w.jpg'), state: 'uploaded', receipt: 'tok-w', receiptExpiresAt: Date.now() + 20 * 3600_000 });
    w.localFiles.upsert({ path: path.join(root, 'B/v.jpg'), size: 3, mtimeMs: 1, sha256: 'f'.repeat(64), status: 'uploaded' });
  });

  const { reader, asked } = counted(index);
  const plan = buildPlan([{ folder: folders[0], scan }], reader, options);
  assert.deepEqual(plan.alreadyUploaded.map((a) => [a.file.rel, a.mediaItemId]).sort(), [
    ['A/x.jpg', 'i-x'],
    ['A/y.jpg', 'i-y'],
  ]);
  assert.deepEqual(plan.adds.map((a) => [a.file.rel, a.mediaItemId]), [['B/z.jpg', 'i-z']]);
  assert.deepEqual(plan.uploads.map((u) => [u.file.rel, u.reason]).sort(), [
    ['B/v.jpg', 'changed'],
    ['B/w.jpg', 'resume'],
  ]);
  assert.equal(plan.uploads.find((u) => u.reason === 'resume')?.reusableReceipt?.token, 'tok-w');
  assert.equal(asked.contents, 5, 'one contents lookup for the five files');
  assert.equal(asked.journals, 2, 'journal rows only for the two contents not at the destination');
  assert.equal(asked.localFiles, 1, 'file rows only for the new upload (to tell "changed" from "new")');

  // All backed up and in their albums: nothing but the contents lookup.
  await index.write((w) => {
    w.mediaItems.upsertMany([item('i-w', sha('B/w.jpg')), item('i-v', sha('B/v.jpg'))]);
    w.mediaItems.addToAlbum('alb-b', ['i-z', 'i-w', 'i-v']);
  });
  const again = counted(index);
  const done = buildPlan([{ folder: folders[0], scan }], again.reader, options);
  assert.equal(done.alreadyUploaded.length, 5);
  assert.equal(done.uploads.length + done.adds.length, 0);
  assert.deepEqual(again.asked, { contents: 5, journals: 0, localFiles: 0 });
  await index.dispose();
});

test('the receipt saver saves the index every few receipts, one save at a time, spaced by the save’s cost', async () => {
  let saves = 0;
  let running = 0;
  let overlapped = false;
  const starts: number[] = [];
  const ends: number[] = [];
  const index = {
    flush: async () => {
      running++;
      starts.push(performance.now());
      if (running > 1) overlapped = true;
      await new Promise((r) => setTimeout(r, 20));
      running--;
      saves++;
      ends.push(performance.now());
    },
  };
  const saver = new ReceiptSaver(index, nullLogger, 4);
  for (let i = 0; i < 3; i++) saver.noted();
  await saver.settled();
  assert.equal(saves, 0, 'fewer receipts than the bound: no save of its own');
  saver.noted();
  assert.equal(saver.saves, 1, 'the fourth receipt starts a save at once');
  for (let i = 0; i < 4; i++) saver.noted(); // arrive while the save runs: wait for it, then for the spacing
  await saver.settled();
  assert.equal(saves, 1);
  await new Promise((r) => setTimeout(r, 200));
  await saver.settled();
  assert.equal(saves, 2, 'the receipts that came during the first save are saved after it');
  const took = ends[0] - starts[0];
  assert.ok(starts[1] - ends[0] >= 4 * took - 5, `spaced by four times the last save's ${took.toFixed(0)} ms: ${(starts[1] - ends[0]).toFixed(0)} ms`);
  assert.equal(overlapped, false, 'never two saves at once');
  saver.dispose();
});
