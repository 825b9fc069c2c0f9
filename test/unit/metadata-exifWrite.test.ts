import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import exifr from 'exifr';
import { ExifWriteError, toDmsRationals, writeJpegExif } from '../../src/metadata/exifWrite';
import * as piexif from 'piexif-ts';
import { copyPhoto, imageData, leftoverTemps, photoNames, photoWithExif, photoWithoutExif, stripExif, writePng } from './metadata-fixtures';
import { makeJpeg } from './sync-fixtures';

const raw = { translateKeys: true, translateValues: false, reviveValues: false, mergeOutput: false } as const;
type Blocks = { ifd0?: Record<string, unknown>; exif?: Record<string, unknown>; gps?: Record<string, unknown> };
const readRaw = async (file: string) => ((await exifr.parse(file, { ...raw, exif: true, gps: true })) ?? {}) as Blocks;

test('Artist and Copyright are set and Software dropped on every camera photo; other tags and image bytes stay', async () => {
  for (const name of await photoNames()) {
    const file = await copyPhoto(name);
    const bytesBefore = await fs.readFile(file);
    const before = await readRaw(file);
    assert.equal(before.ifd0?.Software, 'PhotoSyncFixtures 1.0', name);

    const result = await writeJpegExif(file, { artist: 'Ana Müller', copyright: '© 2024 Ana Müller', removeSoftware: true });
    assert.deepEqual(result.written, ['Artist', 'Copyright', 'Software (removed)'], name);

    const after = await readRaw(file);
    assert.equal(after.ifd0?.Artist, 'Ana Müller', name);
    assert.equal(after.ifd0?.Copyright, '© 2024 Ana Müller', name);
    assert.equal(after.ifd0?.Software, undefined, name);
    const { Artist: _a, Copyright: _c, ...ifd0After } = after.ifd0 ?? {};
    const { Software: _s, ...ifd0Before } = before.ifd0 ?? {};
    assert.deepEqual(ifd0After, ifd0Before, name);
    assert.deepEqual(after.exif, before.exif, name);
    assert.deepEqual(after.gps, before.gps, name);
    assert.ok(imageData(await fs.readFile(file)).equals(imageData(bytesBefore)), `${name}: image data changed`);
    assert.deepEqual(await leftoverTemps(path.dirname(file)), []);
  }
});

test('an existing DateTimeOriginal is kept unless told to overwrite; nothing is rewritten when nothing changes', async () => {
  const file = await copyPhoto('DSC_0412.jpg');
  const bytes = await fs.readFile(file);
  const kept = await writeJpegExif(file, { dateTimeOriginal: { local: '2011-11-11T11:11:11' } });
  assert.deepEqual(kept, { changed: false, written: [], kept: ['DateTimeOriginal'] });
  assert.ok((await fs.readFile(file)).equals(bytes));

  const overwritten = await writeJpegExif(file, { dateTimeOriginal: { local: '2011-11-11T11:11:11', offset: '-03:30' }, overwrite: true });
  assert.deepEqual(overwritten.written, ['DateTimeOriginal', 'OffsetTimeOriginal']);
  const after = await readRaw(file);
  assert.equal(after.exif?.DateTimeOriginal, '2011:11:11 11:11:11');
  assert.equal(after.exif?.OffsetTimeOriginal, '-03:30');
  assert.equal(after.exif?.CreateDate, '2020:02:03 14:02:51', 'CreateDate is not ours to change');
});

test('overwriting a date whose offset is unknown removes the old OffsetTimeOriginal', async () => {
  const file = await copyPhoto('IMG_0031.JPG'); // has OffsetTimeOriginal -07:00
  const result = await writeJpegExif(file, { dateTimeOriginal: { local: '2021-05-10T08:00:00' }, overwrite: true });
  assert.deepEqual(result.written, ['DateTimeOriginal', 'OffsetTimeOriginal (removed)']);
  const after = await readRaw(file);
  assert.equal(after.exif?.DateTimeOriginal, '2021:05:10 08:00:00');
  assert.equal(after.exif?.OffsetTimeOriginal, undefined);
});

test('DateTimeOriginal and its offset are added to a photo without EXIF', async () => {
  const file = await photoWithoutExif('IMG_20190822_191544.jpg');
  const bytes = await fs.readFile(file);
  assert.equal(await exifr.parse(file), undefined);
  const result = await writeJpegExif(file, { dateTimeOriginal: { local: '2019-08-22T19:15:44', offset: '+02:00' } });
  assert.deepEqual(result.written, ['DateTimeOriginal', 'OffsetTimeOriginal']);
  const after = await readRaw(file);
  assert.equal(after.exif?.DateTimeOriginal, '2019:08:22 19:15:44');
  assert.equal(after.exif?.OffsetTimeOriginal, '+02:00');
  assert.ok(imageData(await fs.readFile(file)).equals(imageData(bytes)));
});

test('a zero DateTimeOriginal counts as missing and is replaced', async () => {
  const file = await photoWithExif('DSCF3150.JPG', { dateTimeOriginal: '0000:00:00 00:00:00' });
  const result = await writeJpegExif(file, { dateTimeOriginal: { local: '2022-07-02T20:48:33' } });
  assert.deepEqual(result.written, ['DateTimeOriginal']);
  assert.equal((await readRaw(file)).exif?.DateTimeOriginal, '2022:07:02 20:48:33');
});

test('GPS is written from decimal degrees with the right N/S/E/W refs, rationals and altitude', async () => {
  const places = [
    { name: 'Sydney', latitude: -33.8568, longitude: 151.2153, altitude: 58, refs: ['S', 'E'] },
    { name: 'New York', latitude: 40.6892, longitude: -74.0445, altitude: 3.4, refs: ['N', 'W'] },
    { name: 'Rio', latitude: -22.9519, longitude: -43.2105, refs: ['S', 'W'] },
    { name: 'Dead Sea', latitude: 31.559, longitude: 35.4732, altitude: -430.5, refs: ['N', 'E'] },
  ];
  for (const place of places) {
    const file = await copyPhoto('DSC_0977.jpg'); // no GPS of its own
    assert.equal((await readRaw(file)).gps, undefined);
    const { name: _n, refs, ...gps } = place;
    assert.deepEqual((await writeJpegExif(file, { gps })).written, ['GPS'], place.name);
    const read = await readRaw(file);
    assert.equal(read.gps?.GPSLatitudeRef, refs[0], place.name);
    assert.equal(read.gps?.GPSLongitudeRef, refs[1], place.name);
    const position = await exifr.gps(file);
    assert.ok(Math.abs(position.latitude - place.latitude) < 1e-7, `${place.name} latitude ${position.latitude}`);
    assert.ok(Math.abs(position.longitude - place.longitude) < 1e-7, `${place.name} longitude ${position.longitude}`);
    if (place.altitude === undefined) assert.equal(read.gps?.GPSAltitude, undefined);
    else {
      assert.equal(read.gps?.GPSAltitude, Math.abs(place.altitude), place.name);
      assert.deepEqual([...(read.gps?.GPSAltitudeRef as Uint8Array)], [place.altitude < 0 ? 1 : 0], place.name);
    }
  }
});

test('degrees to rationals carries rounded seconds into minutes and degrees', () => {
  assert.deepEqual(toDmsRationals(-33.8568), [[33, 1], [51, 1], [244800, 10_000]]);
  assert.deepEqual(toDmsRationals(10.99999999999), [[11, 1], [0, 1], [0, 10_000]]);
  assert.deepEqual(toDmsRationals(5.5 - 1e-12), [[5, 1], [30, 1], [0, 10_000]]);
});

test('existing GPS is kept unless told to overwrite', async () => {
  const file = await copyPhoto('IMG_0031.JPG'); // San Francisco
  assert.deepEqual((await writeJpegExif(file, { gps: { latitude: 1, longitude: 2 } })).kept, ['GPS']);
  assert.ok(Math.abs((await exifr.gps(file)).latitude - 37.7955) < 1e-6);
  await writeJpegExif(file, { gps: { latitude: 1, longitude: 2 }, overwrite: true });
  const moved = await exifr.gps(file);
  assert.ok(Math.abs(moved.latitude - 1) < 1e-9 && Math.abs(moved.longitude - 2) < 1e-9);
});

test('a UTF-8 description reads back unchanged, XML-like characters included', async () => {
  const file = await copyPhoto('DSCF2044.JPG');
  const description = 'Kyōto — 清水寺 at dawn <3 & "friends" • café';
  await writeJpegExif(file, { description });
  assert.equal((await readRaw(file)).ifd0?.ImageDescription, description);
  assert.deepEqual((await writeJpegExif(file, { description: 'other' })).kept, ['ImageDescription']);
});

test('a file that is not a JPEG is refused and left as it was', async () => {
  const png = await writePng(path.join(path.dirname(await copyPhoto('DSC_0412.jpg')), 'not-a-jpeg.jpg'));
  const bytes = await fs.readFile(png);
  await assert.rejects(writeJpegExif(png, { artist: 'x' }), (err: Error) => err instanceof ExifWriteError && /not a JPEG/.test(err.message));
  assert.ok((await fs.readFile(png)).equals(bytes));
});

test('tags the writer cannot carry over stop the write: the photo is left untouched', async () => {
  // 0xFDE8 is a private tag the EXIF library does not know; rewriting would drop it.
  const file = await photoWithExif('PXL_20230415_102233.jpg', { dateTimeOriginal: '2023:04:15 10:22:33', extraIfd0Ascii: { 0xfde8: 'vendor data' } });
  const bytes = await fs.readFile(file);
  await assert.rejects(writeJpegExif(file, { artist: 'x' }), (err: Error) => err instanceof ExifWriteError && /ifd0:0xfde8 was lost/.test(err.message) && /left unchanged/.test(err.message));
  assert.ok((await fs.readFile(file)).equals(bytes));
  assert.deepEqual(await leftoverTemps(path.dirname(file)), []);
});

test('data after the image (a motion photo’s video) is streamed through byte for byte', async () => {
  const file = await copyPhoto('PXL_20240101_000512.jpg', { as: 'PXL_20240101_000512.MP.jpg' });
  const trailer = Buffer.alloc(3 * 1024 * 1024);
  for (let i = 0; i < trailer.length; i += 4) trailer.writeUInt32LE((i * 2654435761) >>> 0, i);
  await fs.appendFile(file, trailer);
  const before = await fs.readFile(file);
  await writeJpegExif(file, { artist: 'Pat', removeSoftware: true });
  const after = await fs.readFile(file);
  assert.ok(after.subarray(after.length - trailer.length).equals(trailer));
  assert.ok(imageData(after).equals(imageData(before)));
  assert.equal((await readRaw(file)).ifd0?.Artist, 'Pat');
});

test('invalid dates, offsets and coordinates are refused before anything is written', async () => {
  const file = await copyPhoto('DSC_0977.jpg');
  const bytes = await fs.readFile(file);
  await assert.rejects(writeJpegExif(file, { dateTimeOriginal: { local: '2021-02-30T10:00:00' }, overwrite: true }), /not a valid date/);
  await assert.rejects(writeJpegExif(file, { dateTimeOriginal: { local: '2021-02-03T10:00:00', offset: '2h' }, overwrite: true }), /not a UTC offset/);
  await assert.rejects(writeJpegExif(file, { gps: { latitude: 91, longitude: 0 } }), /out of range/);
  assert.ok((await fs.readFile(file)).equals(bytes));
});

test('EXIF behind a multi-picture (MPF) index is not resized: the links to the extra images would break', async () => {
  const file = await copyPhoto('IMG_0388.JPG');
  const bytes = await fs.readFile(file);
  const exifEnd = 2 + 2 + bytes.readUInt16BE(4); // the fixtures start with SOI + EXIF APP1
  const mpfPayload = Buffer.concat([Buffer.from('MPF\0', 'latin1'), Buffer.from('MM\0\x2a\0\0\0\x08\0\0\0\0\0\0', 'latin1')]);
  const mpf = Buffer.concat([Buffer.from([0xff, 0xe2, 0, mpfPayload.length + 2]), mpfPayload]);
  const mpfFirst = Buffer.concat([bytes.subarray(0, 2), mpf, bytes.subarray(2, exifEnd), bytes.subarray(exifEnd)]);
  await fs.writeFile(file, mpfFirst);
  await assert.rejects(writeJpegExif(file, { artist: 'Pat' }), /multi-picture \(MPF\)/);
  assert.ok((await fs.readFile(file)).equals(mpfFirst));

  const mpfAfter = Buffer.concat([bytes.subarray(0, exifEnd), mpf, bytes.subarray(exifEnd)]);
  await fs.writeFile(file, mpfAfter);
  await writeJpegExif(file, { artist: 'Pat' });
  const written = await fs.readFile(file);
  assert.ok(written.includes(mpf), 'MPF kept byte for byte, after the EXIF block');
  assert.equal((await readRaw(file)).ifd0?.Artist, 'Pat');
});

test('the embedded thumbnail (IFD1) survives the rewrite byte for byte', async () => {
  // Camera JPEGs carry a small preview in IFD1; give a fixture one the way cameras store it.
  const file = await copyPhoto('DSCF2044.JPG');
  const original = await fs.readFile(file);
  const exif = piexif.load(original.toString('latin1'));
  const thumbnail = makeJpeg(7, undefined, 32);
  exif['1st'] = { 259: 6, 282: [72, 1], 283: [72, 1], 296: 2 };
  exif.thumbnail = thumbnail.toString('latin1');
  const withThumb = Buffer.from(piexif.insert(piexif.dump(exif), stripExif(original).toString('latin1')), 'latin1');
  await fs.writeFile(file, withThumb);
  const stored = Buffer.from((await exifr.thumbnail(file)) ?? []);
  assert.ok(stored.length > 500 && stored[0] === 0xff && stored[1] === 0xd8, 'the fixture carries a JPEG thumbnail');

  await writeJpegExif(file, { artist: 'Pat', removeSoftware: true, gps: { latitude: 1.5, longitude: 2.5 }, overwrite: true });
  assert.ok(Buffer.from((await exifr.thumbnail(file)) ?? []).equals(stored));
  assert.equal((await readRaw(file)).ifd0?.Artist, 'Pat');
  assert.ok(imageData(await fs.readFile(file)).equals(imageData(withThumb)));
});
