import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { compareRewrite, readTiffTags } from '../../src/metadata/exifVerify';
import { rewriteFile, RewriteVerificationError, writeFileSafely } from '../../src/metadata/safeRewrite';
import { copyPhoto, leftoverTemps, photoWithExif, scanStart } from './metadata-fixtures';

test('a rewrite replaces the head, keeps the tail and the file mode, and leaves no temp file', async () => {
  const file = await copyPhoto('DSC_0412.jpg');
  await fs.chmod(file, 0o640);
  const bytes = await fs.readFile(file);
  const start = scanStart(bytes);
  const head = Buffer.from([0xff, 0xd8]);
  let sawTemp = '';
  await rewriteFile(file, {
    head,
    tailStart: start,
    verify: async (temp) => {
      sawTemp = path.basename(temp);
      assert.ok((await fs.readFile(temp)).equals(Buffer.concat([head, bytes.subarray(start)])));
    },
  });
  assert.match(sawTemp, /^\.DSC_0412\.jpg\.photo-sync-\d+-[0-9a-f]{8}\.tmp$/, 'hidden temp name in the same folder');
  assert.ok((await fs.readFile(file)).equals(Buffer.concat([head, bytes.subarray(start)])));
  assert.equal((await fs.stat(file)).mode & 0o777, 0o640);
  assert.deepEqual(await leftoverTemps(path.dirname(file)), []);
});

test('a failed check aborts the rewrite: the original stays, the temp file goes', async () => {
  const file = await copyPhoto('DSC_0977.jpg');
  const bytes = await fs.readFile(file);
  await assert.rejects(
    rewriteFile(file, { head: Buffer.from([0xff, 0xd8]), tailStart: scanStart(bytes), verify: () => Promise.reject(new RewriteVerificationError('tag mismatch')) }),
    /tag mismatch/,
  );
  assert.ok((await fs.readFile(file)).equals(bytes));
  assert.deepEqual(await leftoverTemps(path.dirname(file)), []);
});

test('a photo changed by another program during the rewrite is not overwritten', async () => {
  const file = await copyPhoto('IMG_0388.JPG');
  const bytes = await fs.readFile(file);
  const edited = Buffer.concat([bytes, Buffer.from('edited elsewhere')]);
  await assert.rejects(
    rewriteFile(file, { head: Buffer.from([0xff, 0xd8]), tailStart: scanStart(bytes), verify: () => fs.writeFile(file, edited) }),
    /changed by another program/,
  );
  assert.ok((await fs.readFile(file)).equals(edited), 'the other program’s version survives');
  assert.deepEqual(await leftoverTemps(path.dirname(file)), []);
});

test('the EXIF comparison reports changed, lost and appeared tags between two real files', async () => {
  const dir = path.dirname(await copyPhoto('DSC_0412.jpg'));
  const a = await photoWithExif('DSC_0412.jpg', { dateTimeOriginal: '2020:02:03 14:02:51', make: 'NIKON CORPORATION' }, { dir, as: 'a.jpg' });
  const b = await photoWithExif('DSC_0412.jpg', { dateTimeOriginal: '2020:02:03 14:02:51', make: 'Canon', gps: { lat: 1, lon: 2 } }, { dir, as: 'b.jpg' });
  const problems = compareRewrite(await readTiffTags(a), await readTiffTags(b), {});
  assert.ok(problems.includes('ifd0:0x010f changed'), problems.join('; '));
  assert.ok(problems.includes('gps:0x0002 appeared'), problems.join('; '));
  assert.ok(compareRewrite(await readTiffTags(b), await readTiffTags(a), {}).includes('gps:0x0002 was lost'));
  assert.deepEqual(compareRewrite(await readTiffTags(a), await readTiffTags(a), {}), []);
});

test('small files (sidecars) are written whole through a temp file', async () => {
  const dir = path.dirname(await copyPhoto('DSC_0412.jpg'));
  const file = path.join(dir, 'DSC_0412.jpg.xmp');
  await writeFileSafely(file, 'first');
  await writeFileSafely(file, 'second');
  assert.equal(await fs.readFile(file, 'utf8'), 'second');
  assert.deepEqual(await leftoverTemps(dir), []);
});
