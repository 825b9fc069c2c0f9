import { test } from 'node:test';
import assert from 'node:assert/strict';
import { safeEntryName, entryKindOf } from '../../src/takeout/entryNames';
import { classifyFolder } from '../../src/takeout/folders';
import { parseTakeoutJson } from '../../src/takeout/sidecarJson';
import { sidecarJson } from '../helpers/takeoutFixture';

const NOW = { now: new Date('2025-01-01T00:00:00Z') };

test('media sidecar: every field read, 0,0 means no place, EXIF place preferred, times are UTC epoch seconds', () => {
  const parsed = parseTakeoutJson(sidecarJson({ title: 'IMG_1.jpg', taken: 1_556_000_000, created: 1_600_000_000, lat: 45.1, lon: 7.2, people: ['Ann', ' '], description: 'Lake' }), NOW);
  assert.equal(parsed.kind, 'media');
  if (parsed.kind !== 'media') return;
  const s = parsed.sidecar;
  assert.deepEqual(
    [s.title, s.description, s.photoTakenTime?.toISOString(), s.creationTime?.toISOString(), s.geoData, s.geoDataExif, s.location, s.people, s.url, s.origin, s.deviceFolder, s.trashed],
    ['IMG_1.jpg', 'Lake', '2019-04-23T06:13:20.000Z', '2020-09-13T12:26:40.000Z', { latitude: 45.1, longitude: 7.2 }, undefined, { latitude: 45.1, longitude: 7.2 }, ['Ann'], 'https://photos.google.com/photo/AF1QipExample', 'mobileUpload', 'Camera', false],
  );
  assert.deepEqual(parsed.issues, []);
});

test('absurd values are reported and not used: time 0, far future, before 1800, non-numeric, off-globe place, bad url', () => {
  const base = JSON.parse(sidecarJson({ title: 'x.jpg' })) as Record<string, unknown>;
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ photoTakenTime: { timestamp: '0' } }, /photoTakenTime.timestamp is 0/],
    [{ photoTakenTime: { timestamp: '4102444800' } }, /2100-01-01.*not a believable time/],
    [{ photoTakenTime: { timestamp: '-6000000000' } }, /not a believable time/],
    [{ photoTakenTime: { timestamp: 'yesterday' } }, /not a number of seconds/],
    [{ geoDataExif: { latitude: 200, longitude: 10 } }, /outside the globe/],
    [{ url: 'javascript:alert(1)' }, /not an https link/],
    [{ title: 42 }, /title is not a string/],
  ];
  for (const [patch, issue] of cases) {
    const parsed = parseTakeoutJson(JSON.stringify({ ...base, ...patch }), NOW);
    assert.equal(parsed.kind, 'media');
    assert.ok(parsed.kind === 'media' && parsed.issues.some((i) => issue.test(i)), `${JSON.stringify(patch)} → ${JSON.stringify(parsed)}`);
  }
  const pre1970 = parseTakeoutJson(JSON.stringify({ ...base, photoTakenTime: { timestamp: '-315619200' } }), NOW);
  assert.equal(pre1970.kind === 'media' && pre1970.sidecar.photoTakenTime?.toISOString(), '1960-01-01T00:00:00.000Z', 'scanned old photos keep their date');
  assert.equal(parseTakeoutJson('{"title": "x", ', NOW).kind, 'invalid');
  assert.equal(parseTakeoutJson('\ufeff' + JSON.stringify(base), NOW).kind, 'media', 'a byte-order mark is tolerated');
});

test('album JSON: plain, wrapped in albumData, or just a title; other JSON is "other"', () => {
  const plain = parseTakeoutJson(JSON.stringify({ title: 'Trip', description: 'd', access: 'protected', date: { timestamp: '1656000000' }, location: 'Rome', geoData: { latitude: 41.9, longitude: 12.5 } }), NOW);
  assert.deepEqual(plain.kind === 'album' && plain.album, { title: 'Trip', description: 'd', access: 'protected', date: new Date(1_656_000_000_000), location: 'Rome', geoData: { latitude: 41.9, longitude: 12.5 } });
  const wrapped = parseTakeoutJson(JSON.stringify({ albumData: { title: 'Old export' } }), NOW);
  assert.equal(wrapped.kind === 'album' && wrapped.album.title, 'Old export');
  assert.equal(parseTakeoutJson('[1,2]', NOW).kind, 'other');
  assert.equal(parseTakeoutJson('{"subscriptions": []}', NOW).kind, 'other');
});

test('folders: year folders (localised), special folders, albums with their JSON title, untitled albums, outside Google Photos', () => {
  const cases: [string, string | undefined, unknown][] = [
    ['Takeout/Google Photos/Photos from 2019', undefined, { kind: 'year', year: 2019 }],
    ['Takeout/Google Fotos/Fotos von 2003', undefined, { kind: 'year', year: 2003 }],
    ['Takeout/Google Foto/Fotos del 1999', undefined, { kind: 'year', year: 1999 }],
    ['Takeout/Google Photos/Photos from 2150', undefined, { kind: 'album', albumTitle: 'Photos from 2150', untitled: false }],
    ['Takeout/Google Photos/Trash', undefined, { kind: 'trash' }],
    ['Takeout/Google Фото/Корзина', undefined, { kind: 'trash' }],
    ['Takeout/Google Photos/Failed Videos', undefined, { kind: 'failed-videos' }],
    ['Takeout/Google Photos/Locked Folder', undefined, { kind: 'locked' }],
    ['Takeout/Google Photos/Rome 2023', 'Rome, spring 2023', { kind: 'album', albumTitle: 'Rome, spring 2023', untitled: false }],
    ['Takeout/Google Photos/Sans titre(2)', undefined, { kind: 'album', albumTitle: 'Sans titre(2)', untitled: true }],
    ['Takeout/Google Photos', undefined, { kind: 'photos-root' }],
    ['Takeout/YouTube', undefined, { kind: 'outside' }],
    ['Photos from 2020', undefined, { kind: 'year', year: 2020 }],
  ];
  for (const [folder, title, want] of cases) assert.deepEqual(classifyFolder(folder, title), { path: folder, ...(want as object) }, folder);
});

test('entry names: normalised to safe NFC relative paths, or refused with a reason; kinds from names', () => {
  assert.deepEqual(safeEntryName('./Takeout//Google Photos\\Été.jpg'.normalize('NFD')), { ok: true, name: 'Takeout/Google Photos/Été.jpg'.normalize('NFC') });
  for (const bad of ['../x.jpg', 'a/../../x.jpg', '/abs.jpg', '\\\\server\\share\\x.jpg', 'C:\\x.jpg', 'a/D:x.jpg', 'a\u0000b.jpg', '', './']) {
    assert.equal(safeEntryName(bad).ok, false, JSON.stringify(bad));
  }
  assert.deepEqual(
    ['a/IMG.HEIC', 'a/IMG.jpg.json', 'a/metadata.json', 'a/Metadaten.json', 'a/métadonnées.json'.normalize('NFD'), 'a/print-subscriptions.json', 'archive_browser.html', 'a/PXL.MP'].map(entryKindOf),
    ['media', 'sidecar', 'album-metadata', 'album-metadata', 'album-metadata', 'sidecar', 'other', 'media'],
  );
});
