import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import exifr, { sidecar as readXmp } from 'exifr';
import { readCaptureDate } from '../../src/metadata/captureDate';
import { diagnoseCaptureDate, fixCaptureDate, type DateDiagnosis } from '../../src/metadata/dateDoctor';
import { copyPhoto, photoWithExif, photoWithoutExif, writePng } from './metadata-fixtures';
import { tempDir } from './sync-fixtures';

const now = new Date('2026-11-21T12:00:00Z');
const base = { now, timeZone: 'UTC' };
const kinds = (d: DateDiagnosis) => d.problems.map((p) => p.kind);
const setMtime = (file: string, iso: string) => fs.utimes(file, new Date(iso), new Date(iso));

test('a photo without any EXIF date is "missing"; the file name gives the date, with its time', async () => {
  const file = await photoWithoutExif('IMG_20190822_191544.jpg');
  const d = await diagnoseCaptureDate(file, base);
  assert.deepEqual(kinds(d), ['missing']);
  assert.equal(d.current, undefined);
  assert.deepEqual(d.proposal, { local: '2019-08-22T19:15:44', source: 'filename', precision: 'second', confidence: 'high', detail: 'file name IMG_20190822_191544.jpg' });
  assert.deepEqual(
    d.evidence.map((e) => e.source),
    ['filename', 'mtime'],
  );
});

test('a zero date ("0000:00:00 00:00:00") is reported; the dated folder gives the day', async () => {
  const dir = path.join(await tempDir(), '2022-07-02 Tokyo');
  const file = await photoWithExif('DSCF3150.JPG', { dateTimeOriginal: '0000:00:00 00:00:00' }, { dir });
  const d = await diagnoseCaptureDate(file, base);
  assert.deepEqual(kinds(d), ['zero']);
  assert.equal(d.proposal?.source, 'folder');
  assert.equal(d.proposal?.local, '2022-07-02T00:00:00');
  assert.equal(d.proposal?.precision, 'day');
  assert.equal(d.proposal?.confidence, 'medium');
});

test('a zero DateTimeOriginal next to a good CreateDate: CreateDate is proposed', async () => {
  const file = await photoWithExif('DSCF3150.JPG', { dateTimeOriginal: '0000:00:00 00:00:00', createDate: '2022:07:02 20:48:33' });
  const d = await diagnoseCaptureDate(file, base);
  assert.deepEqual(kinds(d), ['zero']);
  assert.deepEqual([d.proposal?.source, d.proposal?.local, d.proposal?.confidence], ['exif-create', '2022-07-02T20:48:33', 'medium']);
});

test('a DateTimeOriginal that is not a date at all is "unreadable"', async () => {
  const file = await photoWithExif('DSCF2044.JPG', { dateTimeOriginal: 'sometime in spring' }, { as: 'IMG_20220318_091200.jpg' });
  const d = await diagnoseCaptureDate(file, base);
  assert.deepEqual(kinds(d), ['unreadable']);
  assert.equal(d.proposal?.local, '2022-03-18T09:12:00');
});

test('a date in the future is reported; with nothing else to go on the mtime is proposed', async () => {
  const file = await photoWithExif('DSCF2044.JPG', { dateTimeOriginal: '2031:05:01 10:00:00' });
  await setMtime(file, '2022-03-18T09:12:00Z');
  const d = await diagnoseCaptureDate(file, base);
  assert.deepEqual(kinds(d), ['future']);
  assert.equal(d.current?.local, '2031-05-01T10:00:00');
  assert.deepEqual(d.proposal, { local: '2022-03-18T09:12:00', offset: '+00:00', source: 'mtime', precision: 'second', confidence: 'low', detail: 'file modification time 2022-03-18T09:12:00.000Z' });
});

test('an EXIF date that agrees with the file name is fine; one that disagrees by more than a day is not', async () => {
  const agrees = await diagnoseCaptureDate(await copyPhoto('IMG_20190614_083012.jpg'), base);
  assert.deepEqual(agrees.problems, []);
  assert.equal(agrees.proposal, undefined);
  assert.equal(agrees.current?.source, 'exif-original');

  const renamed = await diagnoseCaptureDate(await copyPhoto('IMG_20190614_083012.jpg', { as: 'IMG_20180102_101010.jpg' }), base);
  assert.deepEqual(kinds(renamed), ['disagrees-with-file-name']);
  assert.match(renamed.problems[0].message, /2019-06-14 08:30:12 is 528 days away from file name IMG_20180102_101010\.jpg/);
  assert.equal(renamed.proposal?.local, '2018-01-02T10:10:10');
});

test('a name whose "date" lies in the future is no evidence, so it cannot make a good date look wrong', async () => {
  const d = await diagnoseCaptureDate(await copyPhoto('DSC_0412.jpg', { as: 'IMG_20301231_120000.jpg' }), base);
  assert.deepEqual(d.problems, []);
  assert.equal(d.evidence.find((e) => e.source === 'filename'), undefined);
});

test('a date-only name (WhatsApp) tolerates a day: 14 hours off is fine, 2.6 days is not', async () => {
  // PXL_20230415_102233.jpg was taken 2023-04-15 10:22:33.
  const near = await diagnoseCaptureDate(await copyPhoto('PXL_20230415_102233.jpg', { as: 'IMG-20230416-WA0001.jpg' }), base);
  assert.deepEqual(near.problems, []);
  const far = await diagnoseCaptureDate(await copyPhoto('PXL_20230415_102233.jpg', { as: 'IMG-20230418-WA0001.jpg' }), base);
  assert.deepEqual(kinds(far), ['disagrees-with-file-name']);
  assert.equal(far.proposal?.precision, 'day');
  assert.equal(far.proposal?.confidence, 'medium');
});

test('folder names: a day, a year/month pair and a Takeout year are checked against the EXIF date', async () => {
  const root = await tempDir();
  const cases: [string, string[]][] = [
    ['2018-01-02 Trip', ['disagrees-with-folder']],
    ['2020/02', []],
    ['2020/03', ['disagrees-with-folder']],
    ['Photos from 2020', []],
    ['Photos from 2018', ['disagrees-with-folder']],
  ];
  for (const [folder, expected] of cases) {
    const file = await copyPhoto('DSC_0412.jpg', { dir: path.join(root, folder) }); // 2020-02-03 14:02:51
    const d = await diagnoseCaptureDate(file, { ...base, stopAt: root });
    assert.deepEqual(kinds(d), expected, folder);
  }
  const yearOnly = await diagnoseCaptureDate(path.join(root, 'Photos from 2018', 'DSC_0412.jpg'), { ...base, stopAt: root });
  const folderEvidence = yearOnly.evidence.find((e) => e.source === 'folder');
  assert.deepEqual([folderEvidence?.precision, folderEvidence?.confidence], ['year', 'low']);
});

test('the sync folder’s own name is not evidence', async () => {
  const root = path.join(await tempDir(), '2015 Backup');
  const file = await copyPhoto('DSC_0412.jpg', { dir: root });
  assert.deepEqual((await diagnoseCaptureDate(file, { ...base, stopAt: root })).problems, []);
  assert.deepEqual(kinds(await diagnoseCaptureDate(file, base)), ['disagrees-with-folder']);
});

test('a folder that gives only a year defers to an mtime inside that year', async () => {
  const dir = path.join(await tempDir(), 'Photos from 2020');
  const file = await photoWithoutExif('DSC_0977.jpg', { dir });
  await setMtime(file, '2020-12-24T17:45:03Z');
  const d = await diagnoseCaptureDate(file, base);
  assert.equal(d.proposal?.source, 'mtime');
  assert.equal(d.proposal?.local, '2020-12-24T17:45:03');
  assert.equal(d.proposal?.confidence, 'medium');
  assert.match(d.proposal?.detail ?? '', /inside folder Photos from 2020/);

  await setMtime(file, '2024-01-01T00:00:00Z'); // copied later: mtime outside the folder's year
  const later = await diagnoseCaptureDate(file, base);
  assert.equal(later.proposal?.source, 'folder');
  assert.equal(later.proposal?.local, '2020-01-01T00:00:00');
});

test('Takeout’s photoTakenTime comes first, in the local time zone with its offset', async () => {
  const file = await photoWithoutExif('PXL_20230415_102233.jpg', { as: 'Screenshot_20230101-000000.png.jpg' });
  const takenAt = new Date('2023-04-15T08:22:33Z');
  const d = await diagnoseCaptureDate(file, { now, timeZone: 'Europe/Rome', takeoutTakenAt: takenAt });
  assert.deepEqual(kinds(d), ['missing']);
  assert.equal(d.evidence[0].source, 'takeout');
  assert.deepEqual(
    { local: d.proposal?.local, offset: d.proposal?.offset, source: d.proposal?.source, confidence: d.proposal?.confidence },
    { local: '2023-04-15T10:22:33', offset: '+02:00', source: 'takeout', confidence: 'high' },
  );
});

test('a date changed inside Google Photos (Takeout disagrees with EXIF) is reported', async () => {
  const file = await copyPhoto('DSCF2044.JPG'); // EXIF 2022-03-18 09:12:00
  const d = await diagnoseCaptureDate(file, { ...base, takeoutTakenAt: new Date('2021-12-25T10:00:00Z') });
  assert.deepEqual(kinds(d), ['disagrees-with-takeout']);
  assert.equal(d.proposal?.source, 'takeout');
  assert.equal(d.proposal?.local, '2021-12-25T10:00:00');
});

test('fixing a JPEG writes DateTimeOriginal that every reader then sees, and the doctor is satisfied', async () => {
  const file = await photoWithoutExif('IMG_20190614_083012.jpg');
  const before = await diagnoseCaptureDate(file, base);
  assert.ok(before.proposal);
  const result = await fixCaptureDate(file, before.proposal);
  assert.deepEqual(result, { method: 'exif', written: ['DateTimeOriginal'] });
  const raw = (await exifr.parse(file, { pick: ['DateTimeOriginal'], reviveValues: false })) as { DateTimeOriginal: string };
  assert.equal(raw.DateTimeOriginal, '2019:06:14 08:30:12');
  assert.deepEqual(await readCaptureDate(file, 0, now), { year: 2019, month: 6, day: 14, local: '2019-06-14T08:30:12', source: 'exif-original' });
  assert.deepEqual((await diagnoseCaptureDate(file, base)).problems, []);
});

test('fixing a PNG sets its mtime and writes an XMP sidecar that the doctor reads next time', async () => {
  const dir = await tempDir();
  const png = await writePng(path.join(dir, 'Screenshot 2019-06-14 at 08.30.12.png'));
  const before = await diagnoseCaptureDate(png, base);
  assert.deepEqual(kinds(before), ['missing']);
  assert.equal(before.proposal?.local, '2019-06-14T08:30:12');

  const result = await fixCaptureDate(png, { local: before.proposal!.local, offset: '+02:00' }, { xmpSidecar: true });
  assert.equal(result.method, 'mtime');
  assert.equal(result.sidecar, `${png}.xmp`);
  assert.equal((await fs.stat(png)).mtime.toISOString(), '2019-06-14T06:30:12.000Z');
  const xmp = (await readXmp(`${png}.xmp`)) as { exif: { DateTimeOriginal: string } };
  assert.equal(xmp.exif.DateTimeOriginal, '2019-06-14T08:30:12+02:00');

  const after = await diagnoseCaptureDate(png, base);
  assert.deepEqual(after.problems, []);
  assert.deepEqual([after.current?.source, after.current?.local, after.current?.offset], ['xmp-sidecar', '2019-06-14T08:30:12', '+02:00']);
});

test('a non-JPEG date without an offset is read in the given time zone for the mtime', async () => {
  const png = await writePng(path.join(await tempDir(), 'clip.png'));
  await fixCaptureDate(png, { local: '2021-07-01T12:00:00' }, { timeZone: 'America/New_York' });
  assert.equal((await fs.stat(png)).mtime.toISOString(), '2021-07-01T16:00:00.000Z');
});
