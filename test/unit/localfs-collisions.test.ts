import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { NameReservations, collisionKey, numberedName } from '../../src/localfs/collisions';
import { utf8Bytes } from '../../src/localfs/safeName';
import { mountExfat, tempDir } from './localfs-mounts';

test('numbered names: " (n)" before the extension, as gphotos-sync and Google Backup and Sync', () => {
  assert.equal(numberedName('IMG_0001.jpg', 0), 'IMG_0001.jpg');
  assert.equal(numberedName('IMG_0001.jpg', 1), 'IMG_0001 (1).jpg');
  assert.equal(numberedName('IMG_0001.JPG', 12), 'IMG_0001 (12).JPG');
  assert.equal(numberedName('archive.tar.gz', 2), 'archive.tar (2).gz');
  assert.equal(numberedName('README', 3), 'README (3)');
  const long = numberedName(`${'写'.repeat(84)}.jpg`, 10);
  assert.ok(utf8Bytes(long) <= 255, `${utf8Bytes(long)} bytes`);
  assert.ok(long.endsWith('写 (10).jpg'), long);
});

test('collision keys ignore case and Unicode normalisation unless told otherwise', () => {
  assert.equal(collisionKey('IMG.JPG'), collisionKey('img.jpg'));
  assert.equal(collisionKey('Cafe\u0301.jpg'), collisionKey('café.JPG'));
  assert.notEqual(collisionKey('IMG.JPG', false), collisionKey('img.jpg', false));
  assert.equal(collisionKey('Cafe\u0301.jpg', false), collisionKey('Café.jpg', false));
});

test('a name taken on disk gets the next free number; case variants count as taken', async (t) => {
  const dir = tempDir(t);
  for (const name of ['IMG_0001.jpg', 'IMG_0001 (1).jpg', 'img_0002.JPG']) fs.writeFileSync(path.join(dir, name), 'user');
  const names = new NameReservations();
  assert.equal(await names.reserve(path.join(dir, 'IMG_0001.jpg')), path.join(dir, 'IMG_0001 (2).jpg'));
  assert.equal(await names.reserve(path.join(dir, 'IMG_0002.jpg')), path.join(dir, 'IMG_0002 (1).jpg'), 'img_0002.JPG takes IMG_0002.jpg on macOS and Windows');
  assert.equal(await names.reserve(path.join(dir, 'new.jpg')), path.join(dir, 'new.jpg'));
  // Opting out on a known case-sensitive target.
  assert.equal(await new NameReservations({ foldCase: false }).reserve(path.join(dir, 'IMG_0002.jpg')), path.join(dir, 'IMG_0002.jpg'));
  // Nothing was created or touched by reserving.
  assert.deepEqual(fs.readdirSync(dir).sort(), ['IMG_0001 (1).jpg', 'IMG_0001.jpg', 'img_0002.JPG']);
});

test('parallel reservations in one run never hand out the same name, also across case', async (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'a.jpg'), 'user');
  const names = new NameReservations();
  const asked = Array.from({ length: 30 }, (_, i) => path.join(dir, i % 2 ? 'A.JPG' : 'a.jpg'));
  const got = await Promise.all(asked.map((p) => names.reserve(p)));
  const keys = got.map((p) => collisionKey(path.basename(p)));
  assert.equal(new Set(keys).size, 30, 'all distinct');
  assert.ok(!got.includes(path.join(dir, 'a.jpg')), "the user's file is never handed out");
  assert.ok(got.includes(path.join(dir, 'A (1).JPG')) || got.includes(path.join(dir, 'a (1).jpg')));
});

test('release gives a name back; next() skips a name that appeared meanwhile', async (t) => {
  const dir = tempDir(t);
  const names = new NameReservations();
  const first = await names.reserve(path.join(dir, 'x.jpg'));
  assert.equal(await names.reserve(path.join(dir, 'x.jpg')), path.join(dir, 'x (1).jpg'));
  names.release(first);
  assert.equal(await names.reserve(path.join(dir, 'x.jpg')), first);
  // Someone created "x (2).jpg" after the folder was listed: the next reservation numbers on from the original name.
  const reserved = await names.reserve(path.join(dir, 'x.jpg'));
  assert.equal(reserved, path.join(dir, 'x (2).jpg'));
  fs.writeFileSync(reserved, 'appeared');
  assert.equal(await names.next(reserved), path.join(dir, 'x (3).jpg'));
  assert.equal(await names.reserve(path.join(dir, 'x.jpg')), path.join(dir, 'x (4).jpg'), 'x (2).jpg stays taken');
});

test('a folder that does not exist yet has no names taken; an unreadable one is an error', async (t) => {
  const dir = tempDir(t);
  const names = new NameReservations();
  assert.equal(await names.reserve(path.join(dir, 'new', 'a.jpg')), path.join(dir, 'new', 'a.jpg'));
  fs.writeFileSync(path.join(dir, 'file'), '');
  await assert.rejects(names.reserve(path.join(dir, 'file', 'a.jpg')), { code: 'ENOTDIR' });
});

test('on a real case-insensitive file system (exFAT) the reserved name does not clash with a case variant', async (t) => {
  const exfat = mountExfat(t);
  if (!exfat) {
    t.diagnostic('exFAT could not be mounted here (needs root, FUSE, exfatprogs and exfat-fuse): checked on this machine\'s own file system only');
  }
  const dir = exfat?.dir ?? tempDir(t);
  fs.writeFileSync(path.join(dir, 'IMG_0001.JPG'), 'user');
  const reserved = await new NameReservations().reserve(path.join(dir, 'img_0001.jpg'));
  assert.equal(path.basename(reserved), 'img_0001 (1).jpg');
  fs.writeFileSync(reserved, 'download', { flag: 'wx' }); // would fail with EEXIST on exFAT had the case variant been chosen
  assert.equal(fs.readFileSync(path.join(dir, 'IMG_0001.JPG'), 'utf8'), 'user');
  if (exfat) {
    // Shows why folding matters: exFAT itself says the variant exists.
    assert.equal(fs.existsSync(path.join(dir, 'img_0001.jpg')), true);
  }
});
