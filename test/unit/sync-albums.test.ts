import { test } from 'node:test';
import assert from 'node:assert/strict';
import { albumTitleFor, cleanTitle, spillTitle, MAX_ALBUM_TITLE } from '../../src/sync/albums';
import { FolderFilters } from '../../src/sync/filters';
import { DEFAULT_EXCLUDE_FOLDERS, DEFAULT_MERGE_FOLDERS, parseSyncFolders } from '../../src/sync/config';

const root = '/photos/Trips';
const date = { year: 2019, month: 7, day: 4, local: '2019-07-04T18:30:05', source: 'exif-original' as const };

test('seed 004: each sub-folder is an album; merge folders go to the parent; root files to the root name', () => {
  const rule = { mode: 'subfolders' as const };
  assert.equal(albumTitleFor(rule, { root, folders: [], merged: [] }), 'Trips');
  assert.equal(albumTitleFor(rule, { root, folders: ['Rome 2019'], merged: [false] }), 'Rome 2019');
  assert.equal(albumTitleFor(rule, { root, folders: ['Rome 2019', '_raw'], merged: [false, true] }), 'Rome 2019');
  assert.equal(albumTitleFor(rule, { root, folders: ['_edits'], merged: [true] }), 'Trips');
  assert.equal(albumTitleFor(rule, { root, folders: ['Italy', 'Rome'], merged: [false, false] }), 'Rome');
});

test('templates fill folder, parent, path and the capture date', () => {
  const rule = { mode: 'template' as const, template: '{year}-{month} {parent} / {folder} ({path}) {day}' };
  assert.equal(albumTitleFor(rule, { root, folders: ['Italy', 'Rome'], merged: [false, false], captureDate: date }), '2019-07 Italy / Rome (Italy/Rome) 04');
  assert.equal(albumTitleFor({ mode: 'template', template: '{folder} {parent}' }, { root, folders: [], merged: [] }), 'Trips');
});

test('fixed album name (seed 000) and title limits', () => {
  assert.equal(albumTitleFor({ mode: 'fixed', name: 'My Google Photos Album' }, { root, folders: ['a'], merged: [false] }), 'My Google Photos Album');
  const long = '😀'.repeat(600);
  const t = cleanTitle(long, 'x');
  assert.equal(Array.from(t).length, MAX_ALBUM_TITLE);
  assert.ok(!/[\uD800-\uDBFF]$/.test(t), 'no half surrogate pair at the end');
  assert.equal(cleanTitle('  a\tb\n ', 'x'), 'a b');
  assert.equal(cleanTitle('   ', 'fallback'), 'fallback');
  assert.equal(spillTitle('Rome', 1), 'Rome');
  assert.equal(spillTitle('Rome', 2), 'Rome (2)');
  assert.equal(Array.from(spillTitle('a'.repeat(500), 3)).length, 500);
});

test('folder rules: default excludes skip dot, double-underscore and Synology folders', () => {
  const f = new FolderFilters({ include: [], exclude: [], excludeFolders: DEFAULT_EXCLUDE_FOLDERS, mergeFolders: DEFAULT_MERGE_FOLDERS });
  assert.equal(f.folder('.git'), 'skip');
  assert.equal(f.folder('__MACOSX'), 'skip');
  assert.equal(f.folder('@eaDir'), 'skip');
  assert.equal(f.folder('@eaDirX'), 'sync');
  assert.equal(f.folder('_raw'), 'merge');
  assert.equal(f.folder('Rome'), 'sync');
});

test('globs: include limits, exclude wins, name-only patterns match any depth, case-insensitive', () => {
  const f = new FolderFilters({ include: ['*.jpg', 'videos/**'], exclude: ['**/Temp/**', 'IMG_9*'], excludeFolders: [], mergeFolders: [] });
  assert.deepEqual(f.file('a/b/x.JPG'), { ok: true });
  assert.deepEqual(f.file('videos/clip.mp4'), { ok: true });
  assert.equal(f.file('a/x.png').ok, false);
  assert.equal(f.file('a/Temp/x.jpg').ok, false);
  assert.equal(f.file('a/IMG_9001.jpg').ok, false);
});

test('settings: defaults applied, bad entries reported, archive needs a path', () => {
  const abs = (p: string) => p.startsWith('/');
  const { folders, problems } = parseSyncFolders(
    [
      { path: '/p/a' },
      { path: 'relative' },
      { path: '/p/b', album: { mode: 'fixed' } },
      { path: '/p/c', afterUpload: 'archive' },
      { path: '/p/d', album: { mode: 'template', template: '{year}' }, excludeFolders: ['('], afterUpload: 'archive', archivePath: '/arch' },
    ],
    abs,
  );
  assert.equal(folders.length, 4);
  assert.deepEqual(folders[0].album, { mode: 'subfolders' });
  assert.deepEqual(folders[0].excludeFolders, DEFAULT_EXCLUDE_FOLDERS);
  assert.deepEqual(folders[0].mergeFolders, ['^_']);
  assert.equal(folders[2].afterUpload, 'keep');
  assert.equal(folders[3].afterUpload, 'archive');
  assert.deepEqual(folders[3].excludeFolders, []);
  assert.equal(problems.length, 4, problems.join('\n'));
});

test('album titles are NFC: a folder named in decomposed form (macOS) and one in composed form share one album', () => {
  const nfd = 'Cafe\u0301 Zu\u0308rich';
  const nfc = 'Caf\u00e9 Z\u00fcrich';
  const rule = { mode: 'subfolders' } as const;
  const fromMac = albumTitleFor(rule, { root: '/photos', folders: [nfd], merged: [false] });
  const fromLinux = albumTitleFor(rule, { root: '/photos', folders: [nfc], merged: [false] });
  assert.equal(fromMac, nfc);
  assert.equal(fromLinux, nfc);
  assert.equal(albumTitleFor({ mode: 'fixed', name: nfd }, { root: '/photos', folders: [], merged: [] }), nfc);
});
