import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_LAYOUT, MONTH_LAYOUT } from '../../src/localfs/layout';
import { editsExif, parseDownloadSettings, parseMaxPickerItems } from '../../src/sync/download/settings';
import type { DownloadReport } from '../../src/sync/download/report';
import { albumIdOf } from '../../src/ui/commands/downloadAlbum';
import { yearChoices } from '../../src/ui/commands/downloadYear';
import { describeDownload, folderList } from '../../src/sync/download/reportText';
import { l10n } from '../helpers/vscodeFake';
import { importCounts } from '../../src/ui/importedNodes';

test('download settings: defaults keep the bytes Google sent; a bad layout or sidecar value is named and replaced by the default', () => {
  const defaults = parseDownloadSettings(() => undefined);
  assert.equal(defaults.settings.layout.template, MONTH_LAYOUT);
  assert.equal(editsExif(defaults.settings.exif), false, 'no EXIF edit unless asked for');
  assert.equal(defaults.settings.sidecar, 'xmp');
  assert.deepEqual(defaults.problems, []);

  const day = parseDownloadSettings((k) => ({ 'download.layout': DAY_LAYOUT, 'download.exif.artist': ' Alex ' })[k]);
  assert.equal(day.settings.layout.template, DAY_LAYOUT);
  assert.equal(day.settings.exif.artist, 'Alex');
  assert.equal(editsExif(day.settings.exif), true);

  const bad = parseDownloadSettings((k) => ({ 'download.layout': '../{filename}', 'download.sidecar': 'yaml' })[k]);
  assert.equal(bad.settings.layout.template, MONTH_LAYOUT);
  assert.equal(bad.settings.sidecar, 'xmp');
  assert.equal(bad.problems.length, 2);
  assert.match(bad.problems[0], /photoSync\.download\.layout: .*leave the download folder.* Using "photos\/\{yyyy\}\/\{mm\}\/\{filename\}"/);
  assert.match(bad.problems[1], /photoSync\.download\.sidecar must be/);

  assert.equal(parseMaxPickerItems(undefined), 2000);
  assert.equal(parseMaxPickerItems(5000), 2000, 'Google’s cap');
  assert.equal(parseMaxPickerItems(0), 1);
  assert.equal(parseMaxPickerItems(12.7), 12);
});

test('years offered: this year first, then the years the index knows, then the ten before', () => {
  assert.deepEqual(yearChoices(2026, [2003, 2024, 3000]).slice(0, 3), [2026, 2025, 2024]);
  assert.ok(yearChoices(2026, [2003]).includes(2003));
  assert.ok(!yearChoices(2026, [3000]).includes(3000));
  assert.equal(yearChoices(2026, []).length, 11);
});

test('an album row, its id or a plain id name the album', () => {
  assert.equal(albumIdOf({ id: 'photoSync.album:AB12' }), 'AB12');
  assert.equal(albumIdOf('photoSync.album:AB12'), 'AB12');
  assert.equal(albumIdOf('AB12'), 'AB12');
  assert.equal(albumIdOf({ albumId: 'CD34', id: 'x' }), 'CD34');
  assert.equal(albumIdOf(undefined), undefined);
});

function report(change: Partial<DownloadReport>): DownloadReport {
  return {
    source: { kind: 'album', key: 'album:a', title: 'Trip' },
    root: '/dl',
    listed: 5,
    downloaded: 3,
    bytes: 3 * 1024 * 1024,
    already: 2,
    notReady: [],
    failed: [],
    files: ['/dl/photos/2024/01/a.jpg'],
    folders: { 'photos/2024/01': 2, 'photos/2024/02': 1 },
    renamed: [],
    links: { symlink: 3, hardlink: 0, problems: [] },
    exifWritten: 0,
    sidecars: 0,
    warnings: [],
    cancelled: false,
    interrupted: false,
    errors: [],
    ...change,
  };
}

test('the result says what arrived where, what was there, which link kind was made, and why a run stopped', () => {
  const ok = describeDownload(report({}), { verb: 'Downloaded', service: 'Google Photos' }, l10n);
  assert.equal(ok.level, 'info');
  assert.equal(ok.message, 'Downloaded 3 items of “Trip” (3.0 MB) into photos/2024/01 and photos/2024/02. 2 items were already there.');
  assert.match(ok.detail, /3 entries under albums\/, as symbolic links/);
  assert.match(ok.detail, /without their location \(GPS\) data and videos re-encoded/);

  const hard = describeDownload(report({ links: { symlink: 0, hardlink: 2, problems: [] }, renamed: [{ wanted: 'a.jpg', placed: 'photos/2024/01/a (1).jpg' }] }), { verb: 'Downloaded', service: 'Google Photos' }, l10n);
  assert.match(hard.detail, /hard links \(this drive does not allow symbolic links\)/);
  assert.match(hard.detail, /1 name was taken, so that file got a “ \(n\)” name \(e\.g\. photos\/2024\/01\/a \(1\)\.jpg\); nothing was overwritten/);

  const full = describeDownload(report({ downloaded: 1, stopped: 'Not enough space in /dl for b.jpg: it needs 5 MB and 1 MB are free.', cancelled: true }), { verb: 'Imported', service: 'Google Photos' }, l10n);
  assert.equal(full.level, 'error');
  assert.match(full.message, /Stopped: Not enough space/);

  const picked = describeDownload(report({ source: { kind: 'picker', key: 'picker:s', title: 'Import' }, notReady: [{ name: 'clip.mp4', reason: 'still being processed' }] }), { verb: 'Imported', service: 'Google Photos' }, l10n);
  assert.equal(picked.level, 'warning');
  assert.match(picked.message, /^Imported 3 items \(3\.0 MB\) into .* 1 item not available yet \(clip\.mp4: still being processed\)\./);

  assert.equal(folderList({ a: 1, b: 1, c: 1, d: 1 }), 'a, b and 2 more folders');
  assert.equal(importCounts({ downloaded: 3, pending: 1, failed: 2 }, l10n), '3 downloaded · 1 to download · 2 failed');
});
