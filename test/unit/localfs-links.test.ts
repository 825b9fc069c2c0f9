import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { nodeFileSystem, type LocalFileSystem } from '../../src/localfs/fileSystem';
import { albumLinkPath } from '../../src/localfs/layout';
import { LinkError, linkIntoAlbum } from '../../src/localfs/links';
import { mountExfat, tempDir } from './localfs-mounts';
import { errnoError } from './localfs-place-helpers';

function photoTree(t: Parameters<typeof tempDir>[0]): { root: string; stored: string; link: string } {
  const root = path.join(tempDir(t), 'Photos');
  const stored = path.join(root, 'photos', '2024', '05', 'IMG_0001.jpg');
  fs.mkdirSync(path.dirname(stored), { recursive: true });
  fs.writeFileSync(stored, 'photo bytes');
  const link = albumLinkPath(root, { title: 'Rome', date: '2024-05-31T10:00:00Z' }, 'IMG_0001.jpg');
  return { root, stored, link };
}

const linkError = (code: string, message?: RegExp) => (err: unknown) => {
  assert.ok(err instanceof LinkError, String(err));
  assert.equal(err.code, code, err.message);
  if (message) assert.match(err.message, message);
  return true;
};

test('an album entry is a relative symlink to the stored file, and survives moving the whole root', async (t) => {
  const { root, stored, link } = photoTree(t);
  const made = await linkIntoAlbum(root, stored, link);
  assert.deepEqual(made, { linkPath: link, kind: 'symlink', created: true });
  assert.equal(fs.readlinkSync(link), path.join('..', '..', '..', 'photos', '2024', '05', 'IMG_0001.jpg'));
  assert.equal(fs.readFileSync(link, 'utf8'), 'photo bytes');
  const moved = `${root}-moved`;
  fs.renameSync(root, moved);
  assert.equal(fs.readFileSync(path.join(moved, path.relative(root, link)), 'utf8'), 'photo bytes');
});

test('linking again is fine; a wrong entry already there is reported and left as it is', async (t) => {
  const { root, stored, link } = photoTree(t);
  await linkIntoAlbum(root, stored, link);
  assert.deepEqual(await linkIntoAlbum(root, stored, link), { linkPath: link, kind: 'symlink', created: false });

  const other = path.join(path.dirname(stored), 'IMG_0002.jpg');
  fs.writeFileSync(other, 'another photo');
  await assert.rejects(linkIntoAlbum(root, other, link), linkError('conflict', /already exists and points to .*IMG_0001\.jpg, not to .*IMG_0002\.jpg; it was left as it is/));
  assert.equal(fs.readFileSync(link, 'utf8'), 'photo bytes', 'the existing entry still points where it did');

  const userFile = path.join(path.dirname(link), 'IMG_0002.jpg');
  fs.writeFileSync(userFile, "user's own file");
  await assert.rejects(linkIntoAlbum(root, other, userFile), linkError('conflict', /is a different file/));
  assert.equal(fs.readFileSync(userFile, 'utf8'), "user's own file");

  const folder = path.join(path.dirname(link), 'IMG_0003.jpg');
  fs.mkdirSync(folder);
  await assert.rejects(linkIntoAlbum(root, other, folder), linkError('conflict', /is not a file/));
});

test('where symlinks are refused (Windows without the privilege: EPERM) a hard link is made, and reported', async (t) => {
  const { root, stored, link } = photoTree(t);
  const noSymlinks: LocalFileSystem = { ...nodeFileSystem, symlink: async (_target, at) => Promise.reject(errnoError('EPERM', 'symlink', at)) };
  const made = await linkIntoAlbum(root, stored, link, { fileSystem: noSymlinks });
  assert.deepEqual(made, { linkPath: link, kind: 'hardlink', created: true });
  assert.equal(fs.lstatSync(link).isSymbolicLink(), false);
  assert.equal(fs.statSync(link).ino, fs.statSync(stored).ino);
  assert.equal(fs.statSync(stored).nlink, 2);
  // Idempotent for hard links too, with or without symlink support.
  assert.deepEqual(await linkIntoAlbum(root, stored, link, { fileSystem: noSymlinks }), { linkPath: link, kind: 'hardlink', created: false });
  assert.deepEqual(await linkIntoAlbum(root, stored, link), { linkPath: link, kind: 'hardlink', created: false });
});

test("prefer: 'hardlink' (gphotos-sync --use-hardlinks)", async (t) => {
  const { root, stored, link } = photoTree(t);
  assert.equal((await linkIntoAlbum(root, stored, link, { prefer: 'hardlink' })).kind, 'hardlink');
  assert.equal(fs.statSync(link).ino, fs.statSync(stored).ino);
});

test('a drive with no links at all (real exFAT): a clear "unsupported" error, nothing created', async (t) => {
  const exfat = mountExfat(t);
  if (!exfat) t.diagnostic('exFAT could not be mounted here: symlink and link refusals are injected (ENOSYS, EPERM as exFAT answers)');
  const root = exfat ? exfat.dir : path.join(tempDir(t), 'Photos');
  const stored = path.join(root, 'photos', 'a.jpg');
  fs.mkdirSync(path.dirname(stored), { recursive: true });
  fs.writeFileSync(stored, 'x');
  const fileSystem: LocalFileSystem | undefined = exfat
    ? undefined
    : { ...nodeFileSystem, symlink: async (_t, at) => Promise.reject(errnoError('ENOSYS', 'symlink', at)), link: async (_f, to) => Promise.reject(errnoError('EPERM', 'link', to)) };
  const link = path.join(root, 'albums', '2024', '05 Rome', 'a.jpg');
  await assert.rejects(linkIntoAlbum(root, stored, link, { fileSystem }), linkError('unsupported', /allows neither symbolic nor hard links \(symbolic link: ENOSYS, hard link: EPERM\).*Developer Mode/));
  assert.deepEqual(fs.readdirSync(path.dirname(link)), []);
});

test('nothing is created or followed outside the root', async (t) => {
  const { root, stored, link } = photoTree(t);
  const outside = path.join(path.dirname(root), 'outside');
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'secret.jpg'), 'secret');

  await assert.rejects(linkIntoAlbum(root, stored, path.join(root, '..', 'outside', 'a.jpg')), linkError('outside-root'));
  await assert.rejects(linkIntoAlbum(root, path.join(outside, 'secret.jpg'), link), linkError('outside-root'));
  await assert.rejects(linkIntoAlbum(root, stored, root), linkError('outside-root'), 'the root itself is not an entry');

  // albums/ is a link to a folder outside: no folders are made there.
  fs.symlinkSync(outside, path.join(root, 'albums'));
  await assert.rejects(linkIntoAlbum(root, stored, link), linkError('outside-root', /through .*outside/));
  assert.deepEqual(fs.readdirSync(outside), ['secret.jpg']);
  fs.unlinkSync(path.join(root, 'albums'));

  // The "stored file" is a link to a file outside, or lives in a linked-out folder: refused.
  const sneaky = path.join(path.dirname(stored), 'sneaky.jpg');
  fs.symlinkSync(path.join(outside, 'secret.jpg'), sneaky);
  await assert.rejects(linkIntoAlbum(root, sneaky, link), linkError('not-a-file'));
  fs.symlinkSync(outside, path.join(root, 'photos', 'elsewhere'));
  await assert.rejects(linkIntoAlbum(root, path.join(root, 'photos', 'elsewhere', 'secret.jpg'), link), linkError('outside-root', /really/));
  await assert.rejects(linkIntoAlbum(root, path.join(root, 'photos', 'missing.jpg'), link), linkError('not-a-file', /does not exist/));
  assert.equal(fs.existsSync(link), false);
});
