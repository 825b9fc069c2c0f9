import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ALBUM_LINK_LAYOUT, DAY_LAYOUT, LayoutError, MONTH_LAYOUT, albumLinkPath, calendarDate, compileLayout, renderLayout } from '../../src/localfs/layout';
import { isBelow } from '../../src/localfs/paths';
import { utf8Bytes } from '../../src/localfs/safeName';
import { tempDir } from './localfs-mounts';

const root = path.resolve('/srv/Photos');
const rel = (p: string) => path.relative(root, p).split(path.sep).join('/');

test('the month layout (gphotos-sync) and the day layout (seed 002)', () => {
  const item = { filename: 'IMG_0001.JPG', captureTime: '2024-05-17T10:00:00Z' };
  assert.equal(rel(renderLayout(root, MONTH_LAYOUT, item)), 'photos/2024/05/IMG_0001.JPG');
  assert.equal(rel(renderLayout(root, DAY_LAYOUT, item)), '2024/2024-05-17/IMG_0001.JPG');
  assert.equal(rel(renderLayout(root, 'by-album/{album}/{yyyy}-{mm}-{dd} {filename}', { ...item, album: 'Rome' })), 'by-album/Rome/2024-05-17 IMG_0001.JPG');
});

test('day boundary: the date written in the capture time, in the offset it carries', () => {
  // Google reports UTC: 23:30 on 31 December in New York is 04:30Z on 1 January → next year, as gphotos-sync does.
  assert.deepEqual(calendarDate('2025-01-01T04:30:00Z'), { yyyy: '2025', mm: '01', dd: '01' });
  assert.equal(rel(renderLayout(root, MONTH_LAYOUT, { filename: 'a.jpg', captureTime: '2025-01-01T04:30:00Z' })), 'photos/2025/01/a.jpg');
  // The same instant with the camera's offset: the evening of the 31st.
  assert.deepEqual(calendarDate('2024-12-31T23:30:00-05:00'), { yyyy: '2024', mm: '12', dd: '31' });
  assert.deepEqual(calendarDate('2025-01-01T08:30:00+09:00'), { yyyy: '2025', mm: '01', dd: '01' });
  // Fractions, lower-case t/z, space separator (RFC 3339 allows them).
  assert.deepEqual(calendarDate('2019-06-03t12:34:56.123456789z'), { yyyy: '2019', mm: '06', dd: '03' });
  assert.deepEqual(calendarDate('2019-06-03 23:59:59+00:00'), { yyyy: '2019', mm: '06', dd: '03' });
  // A wall-clock time without an offset (Flickr's date taken, EXIF): the date it says.
  assert.deepEqual(calendarDate('2021-03-04T05:06:07'), { yyyy: '2021', mm: '03', dd: '04' });
  assert.deepEqual(calendarDate('2024-12-31 23:30:00'), { yyyy: '2024', mm: '12', dd: '31' });
  // A Date has no offset: UTC, whatever the machine's time zone.
  assert.deepEqual(calendarDate(new Date(Date.UTC(2020, 1, 29, 23, 59, 59))), { yyyy: '2020', mm: '02', dd: '29' });
  assert.deepEqual(calendarDate(new Date('2025-01-01T04:30:00Z')), calendarDate('2025-01-01T04:30:00Z'));
});

test('capture times that are not times are refused with the value in the message', () => {
  for (const bad of ['', 'yesterday', '2024-05-17', '2024-05-17T10', '2024-02-30T10:00:00Z', '2024-13-01T00:00:00Z', '2024-05-17T25:00:00Z']) {
    assert.throws(() => calendarDate(bad), (err: Error) => err instanceof LayoutError && err.message.includes(`"${bad}"`), bad);
  }
  assert.throws(() => calendarDate(new Date(NaN)), LayoutError);
});

test('templates that would leave the root, or cannot work, are refused with a clear message', () => {
  const refused: Array<[string, RegExp]> = [
    ['', /is empty/],
    ['/abs/{filename}', /absolute path/],
    ['\\\\server\\share\\{filename}', /absolute path/],
    ['C:\\Photos\\{filename}', /absolute path/],
    ['c:{filename}', /absolute path/],
    ['../{filename}', /"\.\.", which would leave the download folder/],
    ['photos/../../{filename}', /"\.\."/],
    ['photos\\..\\{filename}', /"\.\."/],
    ['./{filename}', /"\."/],
    ['photos//{filename}', /empty folder name/],
    ['photos/{filename}/', /empty folder name/],
    ['photos/{year}/{filename}', /unknown token \{year\}.*\{yyyy\}/],
    ['photos/{yyyy/{filename}', /unmatched/],
    ['photos/a:b/{filename}', /":"/],
    ['photos/a|b/{filename}', /"\|"/],
    ['CON/{filename}', /not allowed on every system/],
    ['photos./{filename}', /not allowed on every system/],
    ['photos/{yyyy}/{mm}', /\{filename\} exactly once/],
    ['{filename}/{filename}', /\{filename\} exactly once/],
    ['{filename}-{filename}', /\{filename\} exactly once/],
  ];
  for (const [template, message] of refused) {
    assert.throws(
      () => compileLayout(template),
      (err: Error) => err instanceof LayoutError && message.test(err.message) && err.message.includes(`"${template.trim()}"`),
      template,
    );
  }
  assert.deepEqual(compileLayout('photos\\{yyyy}\\{filename}').segments, ['photos', '{yyyy}', '{filename}'], 'backslashes separate folders too');
});

test('hostile file names and album titles stay inside the root as one level each', () => {
  const hostile = ['..', '.', '../../../etc/passwd', '/etc/passwd', 'C:\\Windows\\System32\\x.dll', '\\\\srv\\s\\x', 'a/../../b', 'CON', 'nul.jpg', ' . ', '', '\u0000', '~/.ssh/id_rsa'];
  for (const name of hostile) {
    for (const template of [MONTH_LAYOUT, DAY_LAYOUT, ALBUM_LINK_LAYOUT, '{album}/{filename}']) {
      const target = renderLayout(root, template, { filename: name, captureTime: '2024-05-17T10:00:00Z', album: name || 'x' });
      assert.ok(isBelow(root, target), `${template} with ${JSON.stringify(name)} → ${target}`);
      const levels = rel(target).split('/');
      assert.equal(levels.length, template.split('/').length, `${JSON.stringify(name)} added or removed a level: ${rel(target)}`);
      for (const level of levels) assert.ok(level !== '..' && level !== '.' && !level.startsWith('.'), level);
    }
  }
  assert.equal(rel(renderLayout(root, '{album}/{filename}', { filename: 'a.jpg', captureTime: '2024-05-17T10:00:00Z', album: 'Paris / London' })), 'Paris _ London/a.jpg');
  assert.equal(rel(renderLayout(root, MONTH_LAYOUT, { filename: '', captureTime: '2024-05-17T10:00:00Z', fallbackFilename: 'AF1Qip.jpg' })), 'photos/2024/05/AF1Qip.jpg');
});

test('{album} without an album is an error, not a folder named "undefined"', () => {
  assert.throws(() => renderLayout(root, '{album}/{filename}', { filename: 'a.jpg', captureTime: '2024-05-17T10:00:00Z' }), /uses \{album\}/);
});

test('long album titles and file names are cut to 255 bytes per level, extensions kept', () => {
  const album = '旅行'.repeat(200);
  const target = albumLinkPath(root, { title: album, date: '2024-05-17T10:00:00Z' }, `${'写'.repeat(200)}.HEIC`);
  const levels = rel(target).split('/');
  assert.equal(levels[0], 'albums');
  assert.equal(levels[1], '2024');
  assert.ok(levels[2].startsWith('05 旅行'));
  for (const level of levels) assert.ok(utf8Bytes(level) <= 255, `${utf8Bytes(level)} bytes`);
  assert.ok(levels[3].endsWith('.HEIC'));
});

test('the album link tree path (gphotos-sync albums/YYYY/MM Title/)', () => {
  assert.equal(rel(albumLinkPath(root, { title: 'Summer: Rome?', date: '2023-08-31T22:00:00Z' }, 'IMG_1 (1).jpg')), 'albums/2023/08 Summer_ Rome_/IMG_1 (1).jpg');
  assert.equal(rel(albumLinkPath(root, { title: '   ', date: '2023-08-31T22:00:00Z' }, 'a.jpg')), 'albums/2023/08 Untitled album/a.jpg');
});

test('rendered paths can be created on disk and land where they say', (t) => {
  const dir = tempDir(t);
  const target = renderLayout(dir, DAY_LAYOUT, { filename: 'CON.jpg', captureTime: '2024-12-31T23:30:00-05:00' });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, 'x');
  assert.deepEqual(fs.readdirSync(path.join(dir, '2024', '2024-12-31')), ['CON_.jpg']);
});
