import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { dateFromFileName, parseExifDate, readCaptureDate } from '../../src/metadata/captureDate';
import { makeJpeg, tempDir } from './sync-fixtures';

const now = new Date('2026-11-21T00:00:00Z');

test('EXIF DateTimeOriginal wins over CreateDate, file name and mtime', async () => {
  const dir = await tempDir();
  const file = path.join(dir, 'IMG_20200101_000000.jpg');
  await fs.writeFile(file, makeJpeg(1, { original: '2019:07:04 18:30:05', create: '2019:08:01 00:00:00' }));
  const d = await readCaptureDate(file, Date.UTC(2024, 0, 1), now);
  assert.deepEqual(d, { year: 2019, month: 7, day: 4, local: '2019-07-04T18:30:05', source: 'exif-original' });
});

test('CreateDate is used when DateTimeOriginal is absent', async () => {
  const dir = await tempDir();
  const file = path.join(dir, 'photo.jpg');
  await fs.writeFile(file, makeJpeg(2, { create: '2018:02:03 04:05:06' }));
  const d = await readCaptureDate(file, Date.UTC(2024, 0, 1), now);
  assert.equal(d.source, 'exif-create');
  assert.equal(d.local, '2018-02-03T04:05:06');
});

test('a date in the file name is used when the file has no EXIF', async () => {
  const dir = await tempDir();
  const file = path.join(dir, 'PXL_20210503_101500123.jpg');
  await fs.writeFile(file, makeJpeg(3));
  const d = await readCaptureDate(file, Date.UTC(2024, 0, 1), now);
  assert.equal(d.source, 'filename');
  assert.deepEqual([d.year, d.month, d.day], [2021, 5, 3]);
});

test('mtime is the last resort, also for corrupt files', async () => {
  const dir = await tempDir();
  const file = path.join(dir, 'broken.jpg');
  await fs.writeFile(file, Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0x00, 0x10, 1, 2, 3]));
  const mtime = new Date(2015, 5, 20, 12, 0, 0).getTime();
  const d = await readCaptureDate(file, mtime, now);
  assert.equal(d.source, 'mtime');
  assert.deepEqual([d.year, d.month, d.day], [2015, 6, 20]);
});

test('file-name dates reject impossible and future dates', () => {
  assert.equal(dateFromFileName('IMG_20210231_120000.jpg', now), undefined);
  assert.equal(dateFromFileName('IMG_20301231.jpg', now), undefined);
  assert.equal(dateFromFileName('DSC01234.jpg', now), undefined);
  assert.equal(dateFromFileName('2020-12-24 18.00.00.jpg', now)?.local, '2020-12-24T18:00:00');
  assert.equal(dateFromFileName('IMG-20190105-WA0003.jpg', now)?.local, '2019-01-05T00:00:00');
});

test('EXIF strings with zeros ("0000:00:00") are not dates', () => {
  assert.equal(parseExifDate('0000:00:00 00:00:00', 'exif-original', now), undefined);
  assert.equal(parseExifDate('2001:02:03 04:05:06', 'exif-original', now)?.day, 3);
});
