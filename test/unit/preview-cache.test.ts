import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ThumbnailCache } from '../../src/preview/thumbnailCache';

const tempDir = () => mkdtempSync(path.join(os.tmpdir(), 'thumbs-'));
/** A "JPEG" of n bytes whose content says which one it is. */
const jpeg = (n: number, fill: number) => Uint8Array.from({ length: n }, (_, i) => (i === 0 ? 0xff : i === 1 ? 0xd8 : fill));
const files = (dir: string) => readdirSync(dir).sort();

test('keeps the total under maxBytes by deleting the least recently used thumbnails', async () => {
  let clock = 1_000_000;
  const dir = tempDir();
  const cache = await ThumbnailCache.open(dir, { maxBytes: 3000, now: () => clock++ });
  await cache.put('a', 256, jpeg(1000, 1));
  await cache.put('b', 256, jpeg(1000, 2));
  await cache.put('c', 256, jpeg(1000, 3));
  assert.equal(cache.totalBytes, 3000);
  assert.ok(cache.lookup('a', 256), 'a used again: now b is the oldest');
  await cache.put('d', 256, jpeg(1000, 4));
  assert.equal(cache.lookup('b', 256), undefined, 'b was evicted');
  assert.equal(existsSync(path.join(dir, ThumbnailCache.fileName('b', 256))), false, 'and its file deleted');
  for (const id of ['a', 'c', 'd']) assert.ok(cache.lookup(id, 256), `${id} kept`);
  assert.equal(cache.totalBytes, 3000);
  assert.equal(files(dir).length, 3);
  // One big thumbnail pushes out as many old ones as needed, never itself.
  await cache.put('big', 256, jpeg(2500, 5));
  assert.ok(cache.lookup('big', 256));
  assert.equal(cache.count, 1, 'a, c and d had to go for 2,500 bytes');
  assert.equal(files(dir).length, 1);
});

test('the size is part of the key, and a thumbnail reads back byte for byte', async () => {
  const cache = await ThumbnailCache.open(tempDir());
  const small = await cache.put('item', 128, jpeg(50, 7));
  const large = await cache.put('item', 256, jpeg(90, 8));
  assert.notEqual(small, large);
  assert.deepEqual(readFileSync(cache.lookup('item', 128) as string), Buffer.from(jpeg(50, 7)));
  assert.deepEqual(readFileSync(cache.lookup('item', 256) as string), Buffer.from(jpeg(90, 8)));
  assert.equal(cache.lookup('item', 64), undefined);
});

test('writes go to a temp file and are renamed: a reader sees no file or the whole file, never a part', async () => {
  const dir = tempDir();
  const cache = await ThumbnailCache.open(dir);
  const big = jpeg(8 * 1024 * 1024, 9);
  const target = path.join(dir, ThumbnailCache.fileName('big', 256));
  const sizesSeen = new Set<number>();
  let writing = true;
  const reader = (async () => {
    while (writing) {
      const stat = await fs.stat(target).catch(() => undefined);
      if (stat) sizesSeen.add(stat.size);
      await new Promise((r) => setImmediate(r));
    }
  })();
  await cache.put('big', 256, big);
  writing = false;
  await reader;
  sizesSeen.add(statSync(target).size);
  assert.deepEqual([...sizesSeen], [big.length], 'only the complete size was ever visible under the final name');
  assert.deepEqual(files(dir), [ThumbnailCache.fileName('big', 256)], 'no temp file left');
});

test('concurrent puts: one key is written once, many keys all land, and the total adds up', async () => {
  const dir = tempDir();
  const cache = await ThumbnailCache.open(dir, { maxBytes: 1_000_000 });
  const same = await Promise.all(Array.from({ length: 10 }, () => cache.put('same', 256, jpeg(500, 1))));
  assert.equal(new Set(same).size, 1);
  const many = await Promise.all(Array.from({ length: 50 }, (_, i) => cache.put(`item-${i}`, 256, jpeg(100 + i, i))));
  assert.equal(new Set(many).size, 50);
  assert.equal(cache.count, 51);
  assert.equal(cache.totalBytes, 500 + Array.from({ length: 50 }, (_, i) => 100 + i).reduce((a, b) => a + b));
  assert.equal(files(dir).length, 51, 'no temp files, no strays');
  for (let i = 0; i < 50; i++) assert.equal(statSync(many[i]).size, 100 + i);
});

test('concurrent puts beyond the limit leave exactly what the limit allows on disk', async () => {
  const dir = tempDir();
  const cache = await ThumbnailCache.open(dir, { maxBytes: 10_000 });
  await Promise.all(Array.from({ length: 40 }, (_, i) => cache.put(`k${i}`, 256, jpeg(1000, i))));
  assert.ok(cache.totalBytes <= 10_000, `total ${cache.totalBytes}`);
  const onDisk = files(dir);
  assert.equal(onDisk.length, cache.count);
  assert.equal(onDisk.reduce((sum, f) => sum + statSync(path.join(dir, f)).size, 0), cache.totalBytes);
});

test('reopening restores the use order from mtimes, drops temp files a crash left, and applies a smaller limit', async () => {
  const dir = tempDir();
  const first = await ThumbnailCache.open(dir);
  for (const [id, age] of [['old', 300], ['middle', 200], ['new', 100]] as const) {
    const file = await first.put(id, 256, jpeg(1000, 1));
    const t = Date.now() / 1000 - age;
    utimesSync(file, t, t);
  }
  writeFileSync(path.join(dir, '.tmp-deadbeef'), 'half a thumbnail');
  const reopened = await ThumbnailCache.open(dir, { maxBytes: 2000 });
  assert.equal(reopened.lookup('old', 256), undefined, 'the oldest went first');
  assert.ok(reopened.lookup('middle', 256));
  assert.ok(reopened.lookup('new', 256));
  assert.equal(existsSync(path.join(dir, '.tmp-deadbeef')), false);
  assert.equal(files(dir).length, 2);
});

test('remove() forgets a thumbnail and deletes its file', async () => {
  const dir = tempDir();
  const cache = await ThumbnailCache.open(dir);
  const file = await cache.put('x', 256, jpeg(10, 1));
  await cache.remove('x', 256);
  assert.equal(cache.lookup('x', 256), undefined);
  assert.equal(existsSync(file), false);
  assert.equal(cache.totalBytes, 0);
});
