import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { nodeFileSystem, type LocalFileSystem } from '../../src/localfs/fileSystem';
import { PlaceError, placeStream } from '../../src/localfs/placeFile';
import { bindReadOnly, mountExfat, mountTmpfs, tempDir } from './localfs-mounts';
import { bytes, chunksOf, errnoError, partsIn, pausingSource, sha256 } from './localfs-place-helpers';

const MiB = 1024 * 1024;

function placeError(err: unknown, code: string): PlaceError {
  assert.ok(err instanceof PlaceError, String(err));
  assert.equal(err.code, code, err.message);
  return err;
}

/** A file system whose disk is full after `capacity` bytes of writes (used only where tmpfs cannot be mounted). */
function fullAfter(capacity: number): LocalFileSystem {
  let used = 0;
  return {
    ...nodeFileSystem,
    open: async (file, flags) => {
      const handle = await nodeFileSystem.open(file, flags);
      const write = handle.write.bind(handle) as (b: Buffer, o: number, l: number, p: number) => Promise<{ bytesWritten: number }>;
      Object.defineProperty(handle, 'write', {
        value: async (buffer: Buffer, offset: number, length: number, position: number) => {
          if (used + length > capacity) throw errnoError('ENOSPC', 'write', file);
          used += length;
          return write(buffer, offset, length, position);
        },
      });
      return handle;
    },
  };
}

test('disk full during the download (real 1 MiB tmpfs): no-space with bytes needed and free; temp removed', async (t) => {
  const small = mountTmpfs(t, MiB);
  if (!small) t.diagnostic('tmpfs could not be mounted here (needs root or password-less sudo): the full disk is an injected ENOSPC');
  const dir = small?.dir ?? tempDir(t);
  const fileSystem = small ? undefined : fullAfter(MiB);
  const freeBefore = fs.statfsSync(dir).bavail * fs.statfsSync(dir).bsize;

  const err = await placeStream(chunksOf(bytes(2 * MiB)), path.join(dir, 'VID.mp4'), { fileSystem }).then(
    () => assert.fail('a 2 MiB file fitted into 1 MiB'),
    (e: unknown) => placeError(e, 'no-space'),
  );
  assert.match(err.message, /^Not enough space in .* for VID\.mp4: the disk was full after [\d,]+ bytes \(.*\) of it had been written; [\d,]+ bytes .* are free now\. Free up space/);
  assert.equal(err.needed, undefined, 'the size was not announced');
  assert.ok(err.written! >= 900 * 1024 && err.written! <= MiB, `written ${err.written}`);
  assert.ok(err.message.includes(err.written!.toLocaleString('en-US')));
  assert.ok(err.free! >= (small ? 0.9 * MiB : 0), `free ${err.free}`);
  assert.ok(err.message.includes(err.free!.toLocaleString('en-US')));

  // Announced: the message says what the whole file needs.
  const announced = await placeStream(chunksOf(bytes(2 * MiB)), path.join(dir, 'VID.mp4'), { fileSystem, expectedSize: small ? 2 * MiB : MiB + 1 }).then(
    () => assert.fail('placed'),
    (e: unknown) => placeError(e, 'no-space'),
  );
  assert.ok(announced.needed! > MiB);
  assert.match(announced.message, /it needs [\d,]+ bytes \(.*\) and [\d,]+ bytes .* are free/);
  assert.deepEqual(fs.readdirSync(dir), [], 'temp file removed');
  if (small) assert.equal(fs.statfsSync(dir).bavail * fs.statfsSync(dir).bsize, freeBefore, 'all space given back');
});

test('a download announced larger than the free space is refused before any byte is written', async (t) => {
  const small = mountTmpfs(t, MiB);
  if (!small) t.diagnostic('tmpfs could not be mounted here: checked against this machine\'s real free space with an impossible size');
  const dir = small?.dir ?? tempDir(t);
  const expectedSize = small ? 2 * MiB : fs.statfsSync(dir).bavail * fs.statfsSync(dir).bsize + MiB;
  let tempCreated = false;
  const err = await placeStream(chunksOf(bytes(small ? 2 * MiB : 10)), path.join(dir, 'VID.mp4'), { expectedSize, onTempFile: () => void (tempCreated = true) }).then(
    () => assert.fail('placed'),
    (e: unknown) => placeError(e, 'no-space'),
  );
  assert.equal(err.needed, expectedSize);
  assert.ok(err.free! < expectedSize);
  assert.match(err.message, new RegExp(`it needs ${expectedSize.toLocaleString('en-US')} bytes .* and ${err.free!.toLocaleString('en-US')} bytes`));
  assert.equal(tempCreated, false);
  assert.deepEqual(fs.readdirSync(dir), []);
});

test('a read-only file system (real read-only bind mount): read-only, nothing created', async (t) => {
  const source = tempDir(t);
  const readOnly = bindReadOnly(t, source);
  if (!readOnly) t.diagnostic('a read-only bind mount is not possible here: EROFS is injected');
  const dir = readOnly?.dir ?? source;
  const fileSystem: LocalFileSystem | undefined = readOnly ? undefined : { ...nodeFileSystem, open: async (file) => Promise.reject(errnoError('EROFS', 'open', file)) };
  const err = await placeStream([bytes(100)], path.join(dir, 'a.jpg'), { fileSystem }).then(
    () => assert.fail('written on a read-only file system'),
    (e: unknown) => placeError(e, 'read-only'),
  );
  assert.match(err.message, /is on a read-only file system, so a\.jpg cannot be saved there\. Choose another download folder/);
  assert.deepEqual(fs.readdirSync(source), []);
});

test('a folder without write permission: permission error naming the folder', async (t) => {
  const dir = tempDir(t);
  const locked = path.join(dir, 'locked');
  fs.mkdirSync(locked, { mode: 0o755 });
  fs.chmodSync(dir, 0o755);
  const target = path.join(locked, 'a.jpg');
  let outcome: { code?: string; message?: string };
  if (process.getuid?.() === 0) {
    // Root ignores permissions: run the same code as "nobody", for whom the folder is read-only.
    const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'localfs-place-child.ts'), target], { uid: 65534, gid: 65534, encoding: 'utf8', cwd: path.join(__dirname, '..', '..') });
    assert.equal(child.status, 0, child.stderr);
    outcome = JSON.parse(child.stdout.trim().split('\n').pop()!);
  } else {
    fs.chmodSync(locked, 0o555);
    t.after(() => fs.chmodSync(locked, 0o755));
    outcome = await placeStream([Buffer.from('x')], target).then(() => ({}), (e: PlaceError) => ({ code: e.code, message: e.message }));
  }
  assert.equal(outcome.code, 'permission', JSON.stringify(outcome));
  assert.match(outcome.message!, new RegExp(`No permission to write a\\.jpg in ${locked.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  assert.deepEqual(fs.readdirSync(locked), []);
});

test('a drive without hard links (real exFAT): O_EXCL claim + rename, still never replacing a file, case variants included', async (t) => {
  const exfat = mountExfat(t);
  if (!exfat) t.diagnostic('exFAT could not be mounted here: hard links are refused by an injected EPERM');
  const dir = exfat?.dir ?? tempDir(t);
  const fileSystem: LocalFileSystem | undefined = exfat ? undefined : { ...nodeFileSystem, link: async (_from, to) => Promise.reject(errnoError('EPERM', 'link', to)) };
  const data = bytes(5 * 64 * 1024);
  const mtime = new Date('2019-06-03T12:34:56Z'); // exFAT keeps 10 ms steps at best
  const placed = await placeStream(chunksOf(data), path.join(dir, 'a.jpg'), { fileSystem, mtime, expectedSha256: sha256(data) });
  assert.equal(placed.method, 'exclusive-rename');
  assert.ok(fs.readFileSync(placed.path).equals(data));
  assert.equal(fs.statSync(placed.path).mtime.getTime(), mtime.getTime());
  assert.deepEqual(fs.readdirSync(dir), ['a.jpg']);

  // The user's IMG.JPG appears while img.jpg downloads: on exFAT they are the same name.
  const { source, paused, resume } = pausingSource(chunksOf(data), 2);
  const placing = placeStream(source, path.join(dir, 'img.jpg'), { fileSystem });
  await paused;
  fs.writeFileSync(path.join(dir, exfat ? 'IMG.JPG' : 'img.jpg'), 'user');
  resume();
  const second = await placing;
  assert.equal(path.basename(second.path), 'img (1).jpg');
  assert.equal(fs.readFileSync(path.join(dir, exfat ? 'IMG.JPG' : 'img.jpg'), 'utf8'), 'user');
  assert.ok(fs.readFileSync(second.path).equals(data));
  assert.deepEqual(partsIn(dir), []);
});
