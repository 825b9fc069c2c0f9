import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { NameReservations } from '../../src/localfs/collisions';
import { PlaceError, cleanupStaleParts, placeStream } from '../../src/localfs/placeFile';
import { tempDir } from './localfs-mounts';
import { brokenSource, bytes, chunksOf, partsIn, pausingSource, sha256, stalledSource, waitFor } from './localfs-place-helpers';

const isPlaceError = (code: string, message?: RegExp) => (err: unknown) => {
  assert.ok(err instanceof PlaceError, String(err));
  assert.equal(err.code, code, err.message);
  if (message) assert.match(err.message, message);
  return true;
};

test('bytes land under the final name with their sha256, size and the capture time as mtime; no temp left', async (t) => {
  const dir = tempDir(t);
  const data = bytes(300_000);
  const target = path.join(dir, 'IMG_0001.jpg');
  const mtime = new Date('2019-06-03T12:34:56.789Z');
  const placed = await placeStream(chunksOf(data), target, { expectedSize: data.length, expectedSha256: sha256(data).toUpperCase(), mtime });
  assert.deepEqual(placed, { path: target, sha256: sha256(data), bytes: data.length, method: 'link' });
  assert.deepEqual(fs.readdirSync(dir), ['IMG_0001.jpg']);
  assert.ok(fs.readFileSync(target).equals(data));
  const stat = fs.statSync(target);
  assert.equal(stat.mtime.getTime(), mtime.getTime());
  assert.equal(stat.nlink, 1, 'the temp name was unlinked');
});

test('while bytes arrive only a hidden temp file exists; the final name appears only complete', async (t) => {
  const dir = tempDir(t);
  const data = bytes(8 * 64 * 1024);
  const target = path.join(dir, 'VID.mp4');
  const { source, paused, resume } = pausingSource(chunksOf(data), 5);
  let journaled: string | undefined;
  const placing = placeStream(source, target, { onTempFile: (p) => void (journaled = p) });
  await paused;
  const [part] = partsIn(dir);
  await waitFor(() => fs.statSync(path.join(dir, part)).size >= 3 * 64 * 1024, 'some bytes in the temp file');
  assert.deepEqual(fs.readdirSync(dir), [part], 'no final name yet');
  assert.equal(journaled, path.join(dir, part));
  assert.match(part, /^\.photosync-\d+-[0-9a-f]{12}\.part$/);
  resume();
  await placing;
  assert.deepEqual(fs.readdirSync(dir), ['VID.mp4']);
  assert.ok(fs.readFileSync(target).equals(data));
});

test('a fetch body (web ReadableStream) is placed as is', async (t) => {
  const dir = tempDir(t);
  const data = bytes(100_000);
  const body = new Blob([new Uint8Array(data)]).stream();
  const placed = await placeStream(body, path.join(dir, 'a.jpg'));
  assert.equal(placed.sha256, sha256(data));
  assert.ok(fs.readFileSync(placed.path).equals(data));
});

test('too few or too many bytes, or other bytes: nothing under any name', async (t) => {
  const dir = tempDir(t);
  const data = bytes(200_000);
  const target = path.join(dir, 'a.jpg');
  await assert.rejects(placeStream(chunksOf(data), target, { expectedSize: data.length + 1 }), isPlaceError('size-mismatch', /200000 bytes, but the server announced 200001/));
  await assert.rejects(placeStream(chunksOf(data), target, { expectedSize: 1000 }), isPlaceError('size-mismatch', /larger than the 1000 bytes/));
  await assert.rejects(placeStream(chunksOf(data), target, { expectedSha256: sha256(bytes(10)) }), isPlaceError('hash-mismatch', new RegExp(sha256(data))));
  assert.deepEqual(fs.readdirSync(dir), []);
});

test('a stream that breaks off: stream-error saying how far it got, temp removed', async (t) => {
  const dir = tempDir(t);
  await assert.rejects(placeStream(brokenSource(bytes(5000)), path.join(dir, 'a.jpg')), isPlaceError('stream-error', /after 5000 bytes \(socket hang up\)/));
  assert.deepEqual(fs.readdirSync(dir), []);
});

test('cancelling a stalled download ends it at once and removes the temp file', async (t) => {
  const dir = tempDir(t);
  const controller = new AbortController();
  const source = stalledSource(bytes(10_000));
  const placing = placeStream(source, path.join(dir, 'a.jpg'), { signal: controller.signal });
  await waitFor(() => partsIn(dir).length === 1 && fs.statSync(path.join(dir, partsIn(dir)[0])).size === 10_000, 'the first chunk on disk');
  controller.abort();
  await assert.rejects(placing, isPlaceError('aborted', /cancelled; nothing was written/));
  assert.deepEqual(fs.readdirSync(dir), []);
  assert.equal(source.destroyed, true, 'the connection is released');

  let tempCreated = false;
  await assert.rejects(
    placeStream([bytes(10)], path.join(dir, 'b.jpg'), { signal: AbortSignal.abort(), onTempFile: () => void (tempCreated = true) }),
    isPlaceError('aborted'),
  );
  assert.equal(tempCreated, false, 'already cancelled: no temp file at all');
});

test("a file that appears under the final name during the download is never touched: the download takes ' (1)'", async (t) => {
  const dir = tempDir(t);
  const data = bytes(6 * 64 * 1024);
  const target = path.join(dir, 'IMG_0001.jpg');
  const { source, paused, resume } = pausingSource(chunksOf(data), 3);
  const placing = placeStream(source, target, { expectedSha256: sha256(data) });
  await paused;
  fs.writeFileSync(target, "the user's own photo");
  resume();
  const placed = await placing;
  assert.equal(placed.path, path.join(dir, 'IMG_0001 (1).jpg'));
  assert.equal(fs.readFileSync(target, 'utf8'), "the user's own photo");
  assert.ok(fs.readFileSync(placed.path).equals(data));
  assert.deepEqual(fs.readdirSync(dir).sort(), ['IMG_0001 (1).jpg', 'IMG_0001.jpg']);
});

test("with onNameTaken 'fail' the late collision is reported and nothing is written", async (t) => {
  const dir = tempDir(t);
  const target = path.join(dir, 'a.jpg');
  const { source, paused, resume } = pausingSource(chunksOf(bytes(3 * 64 * 1024)), 2);
  const placing = placeStream(source, target, { onNameTaken: 'fail' });
  await paused;
  fs.writeFileSync(target, 'user');
  resume();
  await assert.rejects(placing, isPlaceError('name-taken', /appeared while it was being downloaded; it was left untouched/));
  assert.deepEqual(fs.readdirSync(dir), ['a.jpg']);
  assert.equal(fs.readFileSync(target, 'utf8'), 'user');
});

test('parallel downloads to one name, with or without the run\'s reservations, all land under distinct names', async (t) => {
  const dir = tempDir(t);
  const payloads = Array.from({ length: 8 }, () => bytes(50_000));
  // Without reservations: the hard link is the atomic check.
  const bare = await Promise.all(payloads.map((p) => placeStream(chunksOf(p, 4096), path.join(dir, 'same.jpg'))));
  assert.equal(new Set(bare.map((p) => p.path)).size, 8);
  for (const [i, placed] of bare.entries()) assert.ok(fs.readFileSync(placed.path).equals(payloads[i]));

  const names = new NameReservations();
  const reserved = await Promise.all(payloads.map(() => names.reserve(path.join(dir, 'SAME.JPG'))));
  const placed = await Promise.all(payloads.map((p, i) => placeStream([p], reserved[i], { names })));
  assert.deepEqual(placed.map((p) => p.path), reserved, 'each lands on its reservation');
  assert.equal(fs.readdirSync(dir).length, 16);
  assert.deepEqual(partsIn(dir), []);
});

test('a folder that vanishes mid-download is reported and not created again', async (t) => {
  const root = tempDir(t);
  const folder = path.join(root, 'photos', '2024', '05');
  const { source, paused, resume } = pausingSource(chunksOf(bytes(4 * 64 * 1024)), 2);
  const placing = placeStream(source, path.join(folder, 'a.jpg'), { root });
  await paused;
  fs.rmSync(path.join(root, 'photos'), { recursive: true });
  resume();
  await assert.rejects(placing, isPlaceError('folder-missing', /disappeared while a\.jpg was being saved/));
  assert.deepEqual(fs.readdirSync(root), [], 'photos/ was not re-created');
});

test('with a root, missing folders below it are created; a missing root is not (unplugged drive)', async (t) => {
  const dir = tempDir(t);
  const root = path.join(dir, 'Photos');
  await assert.rejects(placeStream([bytes(10)], path.join(root, '2024', 'a.jpg'), { root }), isPlaceError('folder-missing', /does not exist \(was it moved, or is its drive disconnected\?\)/));
  assert.deepEqual(fs.readdirSync(dir), []);
  await assert.rejects(placeStream([bytes(10)], path.join(dir, 'no', 'a.jpg')), isPlaceError('folder-missing'));
  fs.mkdirSync(root);
  const placed = await placeStream([bytes(10)], path.join(root, '2024', '2024-05-17', 'a.jpg'), { root });
  assert.equal(fs.existsSync(placed.path), true);
});

test('unsafe names and paths outside the root are refused before anything is written', async (t) => {
  const dir = tempDir(t);
  const root = path.join(dir, 'root');
  fs.mkdirSync(root);
  await assert.rejects(placeStream([bytes(10)], path.join(root, 'CON.jpg')), isPlaceError('unsafe-name', /safeFileName/));
  await assert.rejects(placeStream([bytes(10)], path.join(root, '.hidden')), isPlaceError('unsafe-name'));
  await assert.rejects(placeStream([bytes(10)], path.join(root, '..', 'escape.jpg'), { root }), isPlaceError('outside-root'));
  await assert.rejects(placeStream([bytes(10)], path.join(root, 'a.jpg'), { root: path.join(root, 'a.jpg') }), isPlaceError('outside-root'));
  assert.deepEqual(fs.readdirSync(dir), ['root']);
  assert.deepEqual(fs.readdirSync(root), []);
});

test('stale temp files of dead processes are cleaned up; live ones, links and kept ones are not', async (t) => {
  const dir = tempDir(t);
  const dead = spawnSync(process.execPath, ['-e', '']).pid;
  const sleeper = spawn('sleep', ['30']);
  t.after(() => sleeper.kill());
  const name = (pid: number, hex: string) => `.photosync-${pid}-${hex}.part`;
  const files = {
    dead: path.join(dir, name(dead, 'aaaaaaaaaaaa')),
    deadKept: path.join(dir, name(dead, 'bbbbbbbbbbbb')),
    live: path.join(dir, name(sleeper.pid!, 'cccccccccccc')),
    own: path.join(dir, name(process.pid, 'dddddddddddd')),
    nested: path.join(dir, 'sub', name(dead, 'eeeeeeeeeeee')),
    fresh: path.join(dir, name(dead, 'ffffffffffff')),
    photo: path.join(dir, 'photosync-1-aaaaaaaaaaaa.part'),
  };
  fs.mkdirSync(path.join(dir, 'sub'));
  const old = new Date(Date.now() - 3600_000);
  for (const file of Object.values(files)) {
    fs.writeFileSync(file, 'x');
    if (file !== files.fresh) fs.utimesSync(file, old, old);
  }
  const link = path.join(dir, name(dead, '000000000000'));
  fs.symlinkSync(files.photo, link);

  const removed = await cleanupStaleParts(dir, { keep: [files.deadKept] });
  assert.deepEqual(removed, [files.dead]);
  const second = await cleanupStaleParts(dir, { recursive: true, minAgeMs: 0 });
  assert.deepEqual(second.sort(), [files.deadKept, files.fresh, files.nested].sort());
  for (const kept of [files.live, files.own, files.photo, link]) assert.equal(fs.existsSync(kept) || fs.lstatSync(kept).isSymbolicLink(), true, kept);
  assert.deepEqual(await cleanupStaleParts(path.join(dir, 'missing')), []);
});

test('a root that vanishes while placements start is never made again (no mkdir -p of the root after its check)', async (t) => {
  const dir = tempDir(t);
  // Many rounds: each starts placements into fresh sub-folders and renames the root away while they
  // run, so some placement is always between its check of the root and its folder creation.
  for (let round = 0; round < 20; round++) {
    const root = path.join(dir, `Stick${round}`);
    fs.mkdirSync(root);
    const placing = Array.from({ length: 40 }, (_, i) => placeStream([bytes(64)], path.join(root, 'photos', String(2000 + i), '01', `p${i}.jpg`), { root }).then(
      () => 'placed',
      (err: unknown) => (err instanceof PlaceError ? err.code : String(err)),
    ));
    await new Promise((resolve) => setImmediate(resolve));
    fs.renameSync(root, `${root}-gone`);
    const outcomes = await Promise.all(placing);
    assert.ok(!fs.existsSync(root), `round ${round}: the vanished root was made again (${outcomes.filter((o) => o === 'placed').length} placed after)`);
    assert.ok(outcomes.every((o) => o === 'placed' || o === 'folder-missing' || o === 'io'), outcomes.join(','));
  }
});
