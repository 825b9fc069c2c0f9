import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { instantFromLocal, localFromInstant } from '../../src/metadata/localTime';
import { parseTakeoutSidecar, readTakeoutSidecar } from '../../src/metadata/takeoutSidecar';
import { tempDir } from './sync-fixtures';

// Shaped like a real Takeout sidecar (fields as in shared/reference/takeout.md).
const sidecar = {
  title: 'PXL_20230415_102233123.jpg',
  description: 'Colosseo at noon  ',
  imageViews: '3',
  creationTime: { timestamp: '1681568000', formatted: 'Apr 15, 2023, 2:13:20 PM UTC' },
  photoTakenTime: { timestamp: '1681546953', formatted: 'Apr 15, 2023, 8:22:33 AM UTC' },
  geoData: { latitude: 41.8902, longitude: 12.4922, altitude: 0, latitudeSpan: 0, longitudeSpan: 0 },
  geoDataExif: { latitude: 41.9028, longitude: 12.4964, altitude: 21.5, latitudeSpan: 0, longitudeSpan: 0 },
  url: 'https://photos.google.com/photo/AF1Qip',
  googlePhotosOrigin: { mobileUpload: { deviceType: 'ANDROID_PHONE' } },
};

test('a Takeout sidecar gives the capture instant (UTC seconds), upload time, description and the EXIF position', async () => {
  const file = path.join(await tempDir(), 'PXL_20230415_102233123.jpg.supplemental-metadata.json');
  await fs.writeFile(file, JSON.stringify(sidecar));
  assert.deepEqual(await readTakeoutSidecar(file), {
    title: 'PXL_20230415_102233123.jpg',
    description: 'Colosseo at noon',
    takenAt: new Date('2023-04-15T08:22:33Z'),
    uploadedAt: new Date('2023-04-15T14:13:20Z'),
    location: { latitude: 41.9028, longitude: 12.4964, altitude: 21.5 },
  });
});

test('geoData is used when geoDataExif is 0,0; "0" times and 0,0 positions mean unknown', () => {
  const edited = parseTakeoutSidecar({ ...sidecar, geoDataExif: { latitude: 0, longitude: 0, altitude: 0 } });
  assert.deepEqual(edited?.location, { latitude: 41.8902, longitude: 12.4922 });
  const empty = parseTakeoutSidecar({ title: 'x.jpg', photoTakenTime: { timestamp: '0' }, geoData: { latitude: 0, longitude: 0 } });
  assert.deepEqual(empty, { title: 'x.jpg' });
});

test('an album metadata.json (no photoTakenTime) is not a media sidecar; broken JSON is reported', async () => {
  assert.equal(parseTakeoutSidecar({ title: 'Rome 2023', description: '', access: 'protected', date: { timestamp: '1681546953' } }), undefined);
  assert.equal(parseTakeoutSidecar({ albumData: { title: 'Rome' } }), undefined);
  const file = path.join(await tempDir(), 'IMG_1.jpg.json');
  await fs.writeFile(file, '{"title": "IMG_1.jpg", "photoTakenTime": {');
  await assert.rejects(readTakeoutSidecar(file), /not readable JSON.*re-download/);
});

test('instants become wall-clock times with the zone’s offset, and back, across DST', () => {
  assert.deepEqual(localFromInstant(new Date('2023-04-15T08:22:33Z'), 'Europe/Rome'), { local: '2023-04-15T10:22:33', offset: '+02:00' });
  assert.deepEqual(localFromInstant(new Date('2023-01-15T08:22:33Z'), 'Europe/Rome'), { local: '2023-01-15T09:22:33', offset: '+01:00' });
  assert.deepEqual(localFromInstant(new Date('2023-01-15T08:22:33Z'), 'Asia/Kolkata'), { local: '2023-01-15T13:52:33', offset: '+05:30' });
  assert.deepEqual(localFromInstant(new Date('2023-01-15T08:22:33Z'), 'America/St_Johns'), { local: '2023-01-15T04:52:33', offset: '-03:30' });
  assert.equal(instantFromLocal({ local: '2023-04-15T10:22:33' }, 'Europe/Rome').toISOString(), '2023-04-15T08:22:33.000Z');
  assert.equal(instantFromLocal({ local: '2023-01-15T09:22:33' }, 'Europe/Rome').toISOString(), '2023-01-15T08:22:33.000Z');
  assert.equal(instantFromLocal({ local: '2023-03-26T02:30:00' }, 'Europe/Rome').toISOString(), '2023-03-26T01:30:00.000Z', 'a time inside the spring-forward gap');
  assert.equal(instantFromLocal({ local: '2023-01-15T09:22:33', offset: '-03:30' }).toISOString(), '2023-01-15T12:52:33.000Z');
});
