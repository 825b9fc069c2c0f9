// Damaged-file detection on real bytes: the media-validity fixtures (a camera-like JPEG, PNG, GIF,
// MP4, MOV, HEIC…), real camera photos, and copies of them cut off or broken the way cards and
// interrupted copies break them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { damageReason, flagDamaged, gifProblem, jpegProblem, pngProblem } from '../../src/sync/damage';
import { buildPlan } from '../../src/sync/plan';
import { scanFolder } from '../../src/sync/scan';
import { parseSyncFolders } from '../../src/sync/config';
import { photosRules, tempDir, writeTree, openTestIndex } from './sync-fixtures';

const FIX = path.join(process.cwd(), 'test/fixtures/media-validity');
const PHOTOS = path.join(process.cwd(), 'test/fixtures/photos');
const read = (dir: string, name: string) => fs.readFile(path.join(dir, name));

test('whole files of every judged kind pass: JPEG (with trailing data), PNG, GIF, MP4, MOV, and real camera photos', async () => {
  const cases: [string, string][] = [
    ['ok-photo.jpg', 'image/jpeg'],
    ['ok-trailing-data.jpg', 'image/jpeg'],
    ['ok-photo.png', 'image/png'],
    ['ok-photo.gif', 'image/gif'],
    ['ok-clip.mp4', 'video/mp4'],
    ['ok-clip.mov', 'video/quicktime'],
    ['ok-photo.heic', 'image/heic'],
    ['ok-photo.webp', 'image/webp'],
  ];
  for (const [name, mime] of cases) assert.equal(await damageReason(path.join(FIX, name), mime), undefined, name);
  for (const name of await fs.readdir(PHOTOS)) assert.equal(await damageReason(path.join(PHOTOS, name), 'image/jpeg'), undefined, name);
});

test('the broken fixtures are flagged with a reason: cut-off JPEG, SOI only, random bytes, a text file named .gif, an MP4 without moov', async () => {
  const expect: [string, string, RegExp][] = [
    ['bad-truncated.jpg', 'image/jpeg', /ends before its end-of-image marker/],
    ['bad-soi-only.jpg', 'image/jpeg', /end-of-image|structure/],
    ['bad-random.jpg', 'image/jpeg', /not a JPEG/],
    ['bad-text.gif', 'image/gif', /not a GIF/],
    ['bad-no-moov.mp4', 'video/mp4', /no 'moov' box/],
  ];
  for (const [name, mime, reason] of expect) {
    const got = await damageReason(path.join(FIX, name), mime);
    assert.match(got ?? '', reason, name);
    assert.match(got ?? '', /^damaged: /, name);
  }
});

test('real photos cut off anywhere after the header are flagged; trailing bytes after EOI (a motion photo video) are not', async () => {
  const photo = await read(PHOTOS, (await fs.readdir(PHOTOS))[0]);
  for (const keep of [0.3, 0.6, 0.9, 0.999]) assert.match(jpegProblem(photo.subarray(0, Math.floor(photo.length * keep))) ?? '', /cut off|structure/, `kept ${keep}`);
  const clip = await read(FIX, 'ok-clip.mp4');
  assert.equal(jpegProblem(Buffer.concat([photo, clip])), undefined);
});

test('PNG: cut off, a flipped byte (checksum), no IEND, header not first', async () => {
  const png = await read(FIX, 'ok-photo.png');
  assert.equal(pngProblem(png), undefined);
  assert.match(pngProblem(png.subarray(0, png.length - 12)) ?? '', /ends before its end chunk/);
  assert.match(pngProblem(png.subarray(0, png.length - 20)) ?? '', /cut off inside/);
  const flipped = Buffer.from(png);
  flipped[20] ^= 0xff; // inside the header's width
  assert.match(pngProblem(flipped) ?? '', /fails its checksum/);
  const noHeader = Buffer.concat([png.subarray(0, 8), png.subarray(8 + 25)]);
  assert.match(pngProblem(noHeader) ?? '', /header chunk/);
});

test('GIF: cut off before the trailer, a stray block, no image', async () => {
  const gif = await read(FIX, 'ok-photo.gif');
  assert.equal(gifProblem(gif), undefined);
  assert.match(gifProblem(gif.subarray(0, gif.length - 1)) ?? '', /ends before its trailer/);
  assert.match(gifProblem(gif.subarray(0, Math.floor(gif.length / 2))) ?? '', /ends before its trailer|structure/);
  const header = gif.subarray(0, 13 + ((gif[10] & 0x80) ? 3 * (1 << ((gif[10] & 7) + 1)) : 0));
  assert.match(gifProblem(Buffer.concat([header, Buffer.from([0x3b])])) ?? '', /no image/);
  assert.match(gifProblem(Buffer.concat([header, Buffer.from([0x99, 0x3b])])) ?? '', /structure breaks/);
});

test('MP4: a box running past the end of the file (cut off) is flagged; a PNG named .jpg is no damage', async () => {
  const dir = await tempDir();
  const clip = await read(FIX, 'ok-clip.mp4');
  await fs.writeFile(path.join(dir, 'cut.mp4'), clip.subarray(0, clip.length - 100));
  assert.match((await damageReason(path.join(dir, 'cut.mp4'), 'video/mp4')) ?? '', /cut off inside/);
  await fs.writeFile(path.join(dir, 'png.jpg'), await read(FIX, 'ok-photo.png'));
  assert.equal(await damageReason(path.join(dir, 'png.jpg'), 'image/jpeg'), undefined);
});

test('a scan flags damaged new files; the plan lists them as damaged (not uploads), and no quota is planned for them', async () => {
  const root = path.join(await tempDir(), 'Card');
  await writeTree(root, {
    'good.jpg': await read(FIX, 'ok-photo.jpg'),
    'cut.jpg': await read(FIX, 'bad-truncated.jpg'),
    'fake.gif': await read(FIX, 'bad-text.gif'),
    'clip.mp4': await read(FIX, 'bad-no-moov.mp4'),
  });
  const folder = parseSyncFolders([{ path: root, album: { mode: 'fixed', name: 'Card' } }], path.isAbsolute).folders[0];
  const rules = await photosRules();
  const scan = await scanFolder(folder, { rules });
  assert.equal(await flagDamaged(scan), 3);
  const index = await openTestIndex();
  const plan = buildPlan([{ folder, scan }], index, { accountId: 'acct', provider: 'google-photos', rules, batchSize: 50 });
  assert.deepEqual(plan.uploads.map((u) => u.file.rel), ['good.jpg']);
  assert.deepEqual(plan.damaged.map((d) => d.file.rel).sort(), ['clip.mp4', 'cut.jpg', 'fake.gif']);
  assert.ok(plan.damaged.every((d) => d.file.reason?.startsWith('damaged: ')));
  assert.equal(plan.cost.uploadRequests, 1);
});
