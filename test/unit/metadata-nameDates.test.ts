import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { dateFromFileName, parseDateInFolders, parseDateInName } from '../../src/metadata/captureDate';
import { diagnoseCaptureDate } from '../../src/metadata/dateDoctor';
import { photoWithoutExif, writePng } from './metadata-fixtures';
import { tempDir } from './sync-fixtures';

const now = new Date('2026-11-21T12:00:00Z');

// Every name pattern the doctor knows, on a real photo (EXIF removed) so the name is the evidence.
const NAMES: [string, string, string][] = [
  ['IMG_20180102_101010.jpg', '2018-01-02T10:10:10', 'second'],
  ['PXL_20230415_102233123.jpg', '2023-04-15T10:22:33', 'second'],
  ['PXL_20230415_102233123.MP.jpg', '2023-04-15T10:22:33', 'second'],
  ['Screenshot_2019-06-14-08-30-12.jpg', '2019-06-14T08:30:12', 'second'],
  ['Screenshot 2019-06-14 at 08.30.12.jpg', '2019-06-14T08:30:12', 'second'],
  ['IMG-20180102-WA0001.jpg', '2018-01-02T00:00:00', 'day'],
  ['VID_20180102_101010.jpg', '2018-01-02T10:10:10', 'second'],
  ['20180102_101010.jpg', '2018-01-02T10:10:10', 'second'],
  ['2018-01-02 10.10.10.jpg', '2018-01-02T10:10:10', 'second'],
  ['IMG_20180102_1010.jpg', '2018-01-02T10:10:00', 'minute'],
];

test('each file-name pattern gives its date and precision as the doctor’s evidence for a real photo', async () => {
  const dir = await tempDir();
  for (const [name, local, precision] of NAMES) {
    const file = await photoWithoutExif('DSC_0977.jpg', { dir, as: name });
    const d = await diagnoseCaptureDate(file, { now, timeZone: 'UTC' });
    const fromName = d.evidence.find((e) => e.source === 'filename');
    assert.deepEqual([fromName?.local, fromName?.precision], [local, precision], name);
    assert.equal(d.proposal?.source, 'filename', name);
  }
});

test('a PNG without EXIF is dated by its name just the same', async () => {
  const file = await writePng(path.join(await tempDir(), 'VID_20180102_101010.png'));
  const d = await diagnoseCaptureDate(file, { now, timeZone: 'UTC' });
  assert.deepEqual([d.proposal?.source, d.proposal?.local], ['filename', '2018-01-02T10:10:10']);
});

test('names without a real date give none: camera counters, impossible and future dates', () => {
  for (const name of ['DSC01234.jpg', 'IMG_1234.JPG', 'IMG_20210231_120000.jpg', '1514887810000.jpg', 'Canon 2000D.jpg']) {
    assert.equal(parseDateInName(name, now), undefined, name);
  }
  assert.equal(dateFromFileName('IMG_20301231.jpg', now), undefined);
});

test('the older file-name behaviour stays: same dates and the "filename" source', () => {
  assert.deepEqual(dateFromFileName('IMG_20190614_083012.jpg', now), { year: 2019, month: 6, day: 14, local: '2019-06-14T08:30:12', source: 'filename' });
  assert.equal(dateFromFileName('2020-12-24 18.00.00.jpg', now)?.local, '2020-12-24T18:00:00');
  assert.equal(dateFromFileName('IMG-20190105-WA0003.jpg', now)?.local, '2019-01-05T00:00:00');
});

test('folder names give a day, a month (also as year/month folders) or only a year', () => {
  const cases: [string, string | undefined, string | undefined][] = [
    ['/photos/2018-01-02 Trip', '2018-01-02T00:00:00', 'day'],
    ['/photos/2018/01', '2018-01-01T00:00:00', 'month'],
    ['/photos/2018/01/Trip', '2018-01-01T00:00:00', 'month'],
    ['/photos/2018-01 Paris', '2018-01-01T00:00:00', 'month'],
    ['/photos/Photos from 2018', '2018-01-01T00:00:00', 'year'],
    ['/photos/Photos from 2018/03 March', '2018-03-01T00:00:00', 'month'],
    ['/photos/Summer 2018', '2018-01-01T00:00:00', 'year'],
    ['/photos/Canon 2000D', undefined, undefined],
    ['/photos/misc', undefined, undefined],
    ['/photos/2031', undefined, undefined],
  ];
  for (const [dir, local, precision] of cases) {
    const d = parseDateInFolders(dir, { now });
    assert.deepEqual([d?.local, d?.precision], [local, precision], dir);
  }
  assert.equal(parseDateInFolders('/photos/2018/a/b/c', { now }), undefined, 'only three levels up');
  assert.equal(parseDateInFolders('/sync/2018/misc', { now, stopAt: '/sync/2018' }), undefined, 'not at or above the sync folder');
});
