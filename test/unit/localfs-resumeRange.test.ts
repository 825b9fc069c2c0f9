import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import { newPartName } from '../../src/localfs/parts';
import { PlaceError, cleanupStaleParts, placeStream } from '../../src/localfs/placeFile';
import { continuesPart, discardPart, prepareResume, rangeHeader } from '../../src/localfs/resumeRange';
import { tempDir } from './localfs-mounts';
import { bytes, sha256, waitFor } from './localfs-place-helpers';

const MiB = 1024 * 1024;

/** A server that honours `Range: bytes=N-` for `data`, like a CDN. */
async function rangeServer(t: { after: (fn: () => void) => void }, data: Buffer): Promise<string> {
  const server = http.createServer((req, res) => {
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (!range) {
      res.writeHead(200, { 'content-length': data.length });
      res.end(data);
      return;
    }
    const start = Number(range[1]);
    res.writeHead(206, { 'content-length': data.length - start, 'content-range': `bytes ${start}-${data.length - 1}/${data.length}` });
    res.end(data.subarray(start));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/video`;
}

test('an interrupted download continues from its part: same bytes and sha256 as in one go', async (t) => {
  const dir = tempDir(t);
  const data = bytes(3 * MiB + 123);
  const url = await rangeServer(t, data);
  // What a crash leaves: a part with the first 2 MiB.
  const partPath = path.join(dir, newPartName());
  fs.writeFileSync(partPath, data.subarray(0, 2 * MiB));

  const point = await prepareResume(partPath, { expectedSize: data.length });
  assert.ok(point);
  assert.equal(point.bytes, 2 * MiB);
  assert.equal(rangeHeader(point), `bytes=${2 * MiB}-`);

  const response = await fetch(url, { headers: { range: rangeHeader(point) } });
  assert.equal(continuesPart(point, response.status, response.headers.get('content-range'), data.length), true);
  const placed = await placeStream(response.body!, path.join(dir, 'VID.mp4'), { resume: point, expectedSize: data.length, expectedSha256: sha256(data) });
  assert.deepEqual(placed, { path: path.join(dir, 'VID.mp4'), sha256: sha256(data), bytes: data.length, method: 'link' });
  assert.ok(fs.readFileSync(placed.path).equals(data));
  assert.deepEqual(fs.readdirSync(dir), ['VID.mp4'], 'the part became the file');
});

test('a part with wrong bytes is caught by the final sha256 and removed', async (t) => {
  const dir = tempDir(t);
  const data = bytes(2 * MiB);
  const partPath = path.join(dir, newPartName());
  fs.writeFileSync(partPath, bytes(MiB)); // not the start of data
  const point = await prepareResume(partPath);
  assert.ok(point);
  await assert.rejects(placeStream([data.subarray(MiB)], path.join(dir, 'a.mp4'), { resume: point, expectedSha256: sha256(data) }), (err: unknown) => err instanceof PlaceError && err.code === 'hash-mismatch');
  assert.deepEqual(fs.readdirSync(dir), []);
});

test('a part that changed after it was checked is not continued', async (t) => {
  const dir = tempDir(t);
  const partPath = path.join(dir, newPartName());
  fs.writeFileSync(partPath, bytes(MiB));
  const point = await prepareResume(partPath);
  assert.ok(point);
  fs.appendFileSync(partPath, 'more');
  await assert.rejects(placeStream([bytes(10)], path.join(dir, 'a.mp4'), { resume: point }), /changed since it was checked/);
  assert.deepEqual(fs.readdirSync(dir), []);
});

test('only our own plain parts of a useful size, smaller than the item, are resumed', async (t) => {
  const dir = tempDir(t);
  const part = (size: number) => {
    const p = path.join(dir, newPartName());
    fs.writeFileSync(p, Buffer.alloc(size));
    return p;
  };
  assert.equal(await prepareResume(part(100)), undefined, 'too small to bother');
  assert.ok(await prepareResume(part(100), { minBytes: 10 }));
  assert.equal(await prepareResume(part(MiB), { expectedSize: MiB }), undefined, 'already as large as the item');
  assert.equal(await prepareResume(path.join(dir, 'missing.part')), undefined);
  const photo = path.join(dir, 'IMG.jpg');
  fs.writeFileSync(photo, Buffer.alloc(2 * MiB));
  assert.equal(await prepareResume(photo), undefined, "a user's file is never a part");
  const link = path.join(dir, newPartName());
  fs.symlinkSync(photo, link);
  assert.equal(await prepareResume(link), undefined, 'a link named like a part is not followed');
  const elsewhere = tempDir(t);
  const point = await prepareResume(part(MiB));
  assert.ok(point);
  await assert.rejects(placeStream([bytes(1)], path.join(elsewhere, 'a.mp4'), { resume: point }), /is not in/);
  assert.equal(fs.existsSync(point.partPath), true, 'a part placeStream did not take is left alone');
});

test('a part is claimed before it is continued: a second taker is told it is gone, and cleanup leaves it alone', async (t) => {
  const dir = tempDir(t);
  const data = bytes(2 * MiB);
  const partPath = path.join(dir, '.photosync-999999-0123456789ab.part'); // left by a process that is gone
  fs.writeFileSync(partPath, data.subarray(0, MiB));
  const first = (await prepareResume(partPath))!;
  const second = (await prepareResume(partPath))!;
  let claimed = '';
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  async function* rest() {
    await gate;
    yield data.subarray(MiB);
  }
  const placing = placeStream(rest(), path.join(dir, 'a.mp4'), { resume: first, onTempFile: (p) => void (claimed = p) });
  await waitFor(() => claimed !== '', 'the part to be claimed');
  assert.deepEqual(await cleanupStaleParts(dir, { minAgeMs: 0 }), [], 'the claimed part has a live owner');
  assert.match(path.basename(claimed), new RegExp(`^\\.photosync-${process.pid}-`));
  assert.equal(fs.existsSync(partPath), false);
  await assert.rejects(placeStream([data.subarray(MiB)], path.join(dir, 'b.mp4'), { resume: second }), /is gone \(continued by another window/);
  release();
  const placed = await placing;
  assert.equal(placed.sha256, sha256(data));
  assert.deepEqual(fs.readdirSync(dir), ['a.mp4']);
});

test('answers that do not continue the part mean: start over', async (t) => {
  const dir = tempDir(t);
  const partPath = path.join(dir, newPartName());
  fs.writeFileSync(partPath, Buffer.alloc(MiB));
  const point = (await prepareResume(partPath))!;
  const start = MiB;
  assert.equal(continuesPart(point, 206, `bytes ${start}-${3 * MiB - 1}/${3 * MiB}`), true);
  assert.equal(continuesPart(point, 206, `bytes ${start}-${3 * MiB - 1}/${3 * MiB}`, 3 * MiB), true);
  assert.equal(continuesPart(point, 200, null), false, 'Range ignored: the whole file follows');
  assert.equal(continuesPart(point, 416, `bytes */${3 * MiB}`), false);
  assert.equal(continuesPart(point, 206, `bytes 0-${3 * MiB - 1}/${3 * MiB}`), false, 'another start');
  assert.equal(continuesPart(point, 206, `bytes ${start}-${2 * MiB - 1}/${3 * MiB}`), false, 'not up to the end');
  assert.equal(continuesPart(point, 206, `bytes ${start}-${3 * MiB - 1}/*`), false, 'unknown total');
  assert.equal(continuesPart(point, 206, `bytes ${start}-${3 * MiB - 1}/${3 * MiB}`, 4 * MiB), false, 'another total than announced');
  assert.equal(continuesPart(point, 206, undefined), false);
  await discardPart(point);
  assert.deepEqual(fs.readdirSync(dir), []);
  // Starting over is an ordinary placeStream of the full body.
  const data = bytes(1000);
  const placed = await placeStream(Readable.from([data]), path.join(dir, 'a.mp4'));
  assert.equal(placed.sha256, sha256(data));
});
