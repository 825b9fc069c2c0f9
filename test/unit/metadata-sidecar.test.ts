import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { SaxesParser } from 'saxes';
import * as exifr from 'exifr';
import {
  buildXmp,
  jsonSidecarPath,
  readJsonSidecar,
  readXmpSidecar,
  SidecarExistsError,
  toXmpCoordinate,
  writeJsonSidecar,
  writeXmpSidecar,
  xmpSidecarPath,
} from '../../src/metadata/sidecar';
import { copyPhoto, leftoverTemps, writePng } from './metadata-fixtures';

const NS = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  dc: 'http://purl.org/dc/elements/1.1/',
  exif: 'http://ns.adobe.com/exif/1.0/',
  photoshop: 'http://ns.adobe.com/photoshop/1.0/',
};

/**
 * Parses with saxes, a strict XML 1.0 parser (any well-formedness error or forbidden character throws),
 * and returns each property's text: a simple property's own text, or its first rdf:li's.
 */
function parseXml(xml: string) {
  const values = new Map<string, string>();
  const stack: { key: string; text: string; li?: string }[] = [];
  const parser = new SaxesParser({ xmlns: true });
  parser.on('error', (err) => {
    throw err;
  });
  parser.on('opentag', (tag) => stack.push({ key: `${tag.uri} ${tag.local}`, text: '' }));
  parser.on('text', (text) => {
    if (stack.length) stack[stack.length - 1].text += text;
  });
  parser.on('closetag', () => {
    const closed = stack.pop()!;
    if (closed.key === `${NS.rdf} li`) {
      const property = [...stack].reverse().find((e) => !e.key.startsWith(NS.rdf));
      if (property && property.li === undefined) property.li = closed.text;
    } else if (!values.has(closed.key)) values.set(closed.key, closed.li ?? closed.text);
  });
  parser.write(xml).close();
  return { text: (ns: keyof typeof NS, name: string) => values.get(`${NS[ns]} ${name}`) };
}

/** "DDD,MM.mmmmK" back to decimal degrees. */
function fromXmpCoordinate(value: string): number {
  const m = /^(\d+),(\d+(?:\.\d+)?)([NSEW])$/.exec(value);
  assert.ok(m, `not an XMP coordinate: ${value}`);
  const abs = Number(m[1]) + Number(m[2]) / 60;
  return m[3] === 'S' || m[3] === 'W' ? -abs : abs;
}

const tricky = 'Tom & Jerry\'s "<best>" day — 東京 🌸\r\nline two';

test('the XMP sidecar of a PNG is well-formed XML and holds every field exactly', async () => {
  const dir = path.dirname(await copyPhoto('DSC_0412.jpg'));
  const png = await writePng(path.join(dir, 'Screenshot 2019-06-14 at 08.30.12.png'));
  const fields = {
    description: tricky,
    artist: 'Ana <Müller>',
    copyright: '© 2019 Ana & Co',
    dateTimeOriginal: { local: '2019-06-14T08:30:12', offset: '+02:00' },
    gps: { latitude: -33.8568, longitude: -70.6483, altitude: -12.34 },
  };
  const written = await writeXmpSidecar(png, fields);
  assert.equal(written, `${png}.xmp`);
  const { text } = parseXml(await fs.readFile(written, 'utf8'));
  assert.equal(text('dc', 'description'), tricky.trim());
  assert.equal(text('dc', 'creator'), 'Ana <Müller>');
  assert.equal(text('dc', 'rights'), '© 2019 Ana & Co');
  assert.equal(text('exif', 'DateTimeOriginal'), '2019-06-14T08:30:12+02:00');
  assert.equal(text('photoshop', 'DateCreated'), '2019-06-14T08:30:12+02:00');
  assert.ok(Math.abs(fromXmpCoordinate(text('exif', 'GPSLatitude')!) - -33.8568) < 1e-7);
  assert.ok(Math.abs(fromXmpCoordinate(text('exif', 'GPSLongitude')!) - -70.6483) < 1e-7);
  assert.equal(text('exif', 'GPSAltitude'), '1234/100');
  assert.equal(text('exif', 'GPSAltitudeRef'), '1');
  assert.deepEqual(await leftoverTemps(dir), []);
});

test('exifr, a real XMP reader, reads the sidecar’s date, position and description', async () => {
  const photo = await copyPhoto('IMG_20190614_083012.jpg');
  const file = await writeXmpSidecar(photo, { description: 'Furka pass', dateTimeOriginal: { local: '2019-06-14T08:30:12' }, gps: { latitude: 46.5586, longitude: 8.5612 } });
  const read = (await exifr.sidecar(file)) as Record<string, Record<string, unknown>>;
  assert.equal(read.exif.DateTimeOriginal, '2019-06-14T08:30:12');
  assert.equal(read.photoshop.DateCreated, '2019-06-14T08:30:12');
  assert.equal(read.exif.GPSLatitude, '46,33.516000N');
  assert.equal(read.exif.GPSLongitude, '8,33.672000E');
  assert.deepEqual(read.dc.description, { lang: 'x-default', value: 'Furka pass' });
});

test('XMP coordinates use degrees, decimal minutes and the hemisphere letter, carrying at 60 minutes', () => {
  assert.equal(toXmpCoordinate(46.5586, 'latitude'), '46,33.516000N');
  assert.equal(toXmpCoordinate(-122.3937, 'longitude'), '122,23.622000W');
  assert.equal(toXmpCoordinate(-0.5, 'latitude'), '0,30.000000S');
  assert.equal(toXmpCoordinate(10.99999999999, 'longitude'), '11,0.000000E');
});

test('characters XML forbids are dropped and the rest escaped, so the packet always parses', () => {
  const xml = buildXmp({ description: 'bell\u0007 nul\u0000 lone\uD800 surrogate ]]> <!-- & ok' });
  assert.equal(parseXml(xml).text('dc', 'description'), 'bell nul lone surrogate ]]> <!-- & ok');
  assert.doesNotMatch(buildXmp({}), /dc:description|exif:GPS/, 'empty fields are left out');
  assert.throws(() => parseXml('<a>bell\u0007 & </a>'), 'the checking parser itself rejects what escapeXml removes');
});

test('a sidecar written by another program is kept unless overwrite is asked; ours is replaced', async () => {
  const photo = await copyPhoto('DSCF2044.JPG');
  const sidecar = xmpSidecarPath(photo);
  const theirs = '<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="XMP Core 5.5.0"><!-- darktable edits --></x:xmpmeta>';
  await fs.writeFile(sidecar, theirs);
  await assert.rejects(writeXmpSidecar(photo, { description: 'x' }), (err: Error) => err instanceof SidecarExistsError && /another program/.test(err.message));
  assert.equal(await fs.readFile(sidecar, 'utf8'), theirs);

  await writeXmpSidecar(photo, { description: 'first' }, { overwrite: true });
  await writeXmpSidecar(photo, { description: 'second' });
  assert.equal(parseXml(await fs.readFile(sidecar, 'utf8')).text('dc', 'description'), 'second');
});

test('the JSON sidecar keeps what Google Photos knows and reads back; foreign JSON is not taken for ours', async () => {
  const photo = await copyPhoto('PXL_20230415_102233.jpg');
  const facts = {
    source: 'google-photos-picker' as const,
    id: 'AF1QipN-picked-1',
    filename: 'PXL_20230415_102233.jpg',
    description: 'Colosseo 🏛',
    creationTime: '2023-04-15T08:22:33Z',
    mimeType: 'image/jpeg',
    camera: { make: 'Google', model: 'Pixel 7' },
    width: 4080,
    height: 3072,
  };
  const file = await writeJsonSidecar(photo, facts, new Date('2026-01-02T03:04:05Z'));
  assert.equal(file, jsonSidecarPath(photo));
  assert.equal(path.basename(file), 'PXL_20230415_102233.jpg.photo-sync.json');
  assert.deepEqual(await readJsonSidecar(photo), { ...facts, writtenAt: '2026-01-02T03:04:05.000Z' });

  await fs.writeFile(file, JSON.stringify({ title: 'PXL_20230415_102233.jpg', photoTakenTime: { timestamp: '1681546953' } }));
  assert.equal(await readJsonSidecar(photo), undefined);
  await fs.writeFile(file, '{ truncated');
  assert.equal(await readJsonSidecar(photo), undefined);
});

test('our sidecar reads back field for field, and a later write keeps the fields it does not give', async () => {
  const photo = await copyPhoto('DSC_0977.jpg');
  await writeXmpSidecar(photo, { description: tricky, artist: 'Ana', copyright: '© Ana', gps: { latitude: 51.5007, longitude: -0.1246, altitude: -3.5 } });
  await writeXmpSidecar(photo, { dateTimeOriginal: { local: '2020-12-24T17:45:03', offset: '+01:00' } });
  const back = await readXmpSidecar(photo);
  assert.equal(back?.description, tricky.trim());
  assert.deepEqual([back?.artist, back?.copyright, back?.dateTimeOriginal], ['Ana', '© Ana', { local: '2020-12-24T17:45:03', offset: '+01:00' }]);
  assert.ok(Math.abs(back!.gps!.latitude - 51.5007) < 1e-7 && Math.abs(back!.gps!.longitude - -0.1246) < 1e-7);
  assert.equal(back?.gps?.altitude, -3.5);
  assert.equal(await readXmpSidecar(await copyPhoto('DSC_0412.jpg')), undefined);
});
