// The metadata doctor over a folder (Check Capture Dates…): one real file per rule — missing, zero,
// future, disagreeing with the name, the folder or the Takeout sidecar — each with the evidence it is
// fixed from (Takeout sidecar, IMG_/PXL_/Screenshot_/WhatsApp names, folder, mtime); then the fixes
// are written and read back, and the folder checks clean.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import exifr from 'exifr';
import { applyDateFixes, checkFolderDates } from '../../src/metadata/folderDates';
import { describeDiagnosis, folderOfArgument } from '../../src/ui/commands/fixDates';
import { sidecarJson } from '../helpers/takeoutFixture';
import { photoWithExif, photoWithoutExif, writePng } from './metadata-fixtures';
import { tempDir } from './sync-fixtures';

const now = new Date('2026-11-21T12:00:00Z');
const setMtime = (file: string, iso: string) => fs.utimes(file, new Date(iso), new Date(iso));

test('each rule on a real file in one folder: what is wrong, the proposal and its evidence; fixed and read back, the folder then checks clean', async () => {
  const root = await tempDir('doctor-');
  const rel = (f: string) => path.relative(root, f);
  // missing → file name (IMG_)
  const missing = await photoWithoutExif('DSC_0977.jpg', { dir: root, as: 'IMG_20180102_101010.jpg' });
  // future → file name (PXL_)
  const future = await photoWithExif('DSCF2044.JPG', { dateTimeOriginal: '2031:05:01 10:00:00' }, { dir: root, as: 'PXL_20230415_102233123.jpg' });
  // zero → folder name
  const zero = await photoWithExif('DSCF3150.JPG', { dateTimeOriginal: '0000:00:00 00:00:00' }, { dir: path.join(root, '2022-07-02 Tokyo'), as: 'DSCF3150.JPG' });
  // disagrees with a WhatsApp name by more than a day
  const whatsapp = await photoWithExif('DSC_0412.jpg', { dateTimeOriginal: '2019:06:20 08:00:00' }, { dir: root, as: 'IMG-20190614-WA0001.jpg' });
  // disagrees with the Takeout sidecar beside it (a date changed inside Google Photos)
  const takeout = await photoWithExif('IMG_0031.JPG', { dateTimeOriginal: '2015:01:01 00:00:00' }, { dir: root, as: 'IMG_0031.JPG' });
  await fs.writeFile(`${takeout}.supplemental-metadata.json`, sidecarJson({ title: 'IMG_0031.JPG', taken: 1_434_276_612 })); // 2015-06-14T10:10:12Z
  // missing on a PNG screenshot → file name, fixed as mtime
  const screenshot = await writePng(path.join(root, 'Screenshot_2019-06-14-08-30-12.png'));
  // missing with nothing but the mtime
  const plain = await photoWithoutExif('DSC_0977.jpg', { dir: root, as: 'scan.jpg' });
  await setMtime(plain, '2020-02-02T02:02:02Z');
  // fine: a good date that agrees with its name; and a text file, not media
  await photoWithExif('DSC_0977.jpg', { dateTimeOriginal: '2019:06:14 08:30:12' }, { dir: root, as: 'IMG_20190614_083012.jpg' });
  await fs.writeFile(path.join(root, 'notes.txt'), 'not a photo');

  const report = await checkFolderDates(root, { now, timeZone: 'UTC' });
  assert.equal(report.checked, 8);
  const byFile = new Map(report.problems.map((d) => [rel(d.file), d]));
  const summary = (f: string) => {
    const d = byFile.get(rel(f))!;
    return [d.problems.map((p) => p.kind).join(','), d.proposal?.source, d.proposal?.local];
  };
  assert.deepEqual(summary(missing), ['missing', 'filename', '2018-01-02T10:10:10']);
  assert.deepEqual(summary(future), ['future,disagrees-with-file-name', 'filename', '2023-04-15T10:22:33']);
  assert.deepEqual(summary(zero), ['zero', 'folder', '2022-07-02T00:00:00']);
  assert.deepEqual(summary(whatsapp), ['disagrees-with-file-name', 'filename', '2019-06-14T00:00:00']);
  assert.deepEqual(summary(takeout), ['disagrees-with-takeout', 'takeout', '2015-06-14T10:10:12']);
  assert.deepEqual(summary(screenshot), ['missing', 'filename', '2019-06-14T08:30:12']);
  assert.deepEqual(summary(plain), ['missing', 'mtime', '2020-02-02T02:02:02']);
  assert.equal(report.problems.length, 7, 'the good photo and the text file are not listed');

  // What the confirmation list shows: the change and its evidence.
  const row = describeDiagnosis(byFile.get(rel(takeout))!, root);
  assert.equal(row.label, 'IMG_0031.JPG');
  assert.match(row.description, /^2015-01-01 00:00:00 → 2015-06-14 10:10:12 \+00:00 \(from Google Takeout photoTakenTime/);
  assert.match(row.detail, /days away from Google Takeout photoTakenTime/);
  assert.match(row.detail, /evidence: Google Takeout photoTakenTime .* file modification time/);

  const fixes = await applyDateFixes(report.problems, { timeZone: 'UTC', now, stopAt: root });
  assert.deepEqual(
    fixes.filter((f) => !f.ok),
    [],
  );
  assert.deepEqual(
    fixes.map((f) => [rel(f.file), f.method]),
    report.problems.map((d) => [rel(d.file), d.file.endsWith('.png') ? 'mtime' : 'exif']),
  );
  assert.equal((await exifr.parse(missing, { reviveValues: false })).DateTimeOriginal, '2018:01:02 10:10:10');
  assert.equal((await exifr.parse(future, { reviveValues: false })).DateTimeOriginal, '2023:04:15 10:22:33');
  assert.equal((await fs.stat(screenshot)).mtime.toISOString(), '2019-06-14T08:30:12.000Z');
  const after = await checkFolderDates(root, { now, timeZone: 'UTC' });
  assert.deepEqual(
    after.problems.map((d) => [rel(d.file), d.problems.map((p) => p.message)]),
    [],
  );
});

test('the Takeout capture time the index knows for an imported file is the first evidence', async () => {
  const root = await tempDir('doctor-index-');
  const file = await photoWithoutExif('DSC_0977.jpg', { dir: root, as: 'IMG_0001.jpg' });
  const report = await checkFolderDates(root, { now, timeZone: 'UTC', takeoutTakenAt: (f) => (f === file ? new Date('2019-04-23T06:13:20Z') : undefined) });
  assert.deepEqual([report.problems[0].proposal?.source, report.problems[0].proposal?.local], ['takeout', '2019-04-23T06:13:20']);
});

test('the command finds its folder in an Explorer Uri or a sync folder row', () => {
  assert.equal(folderOfArgument({ fsPath: '/photos/Trip' }), '/photos/Trip');
  assert.equal(folderOfArgument({ id: 'photoSync.syncFolder:/photos/Trip' }), '/photos/Trip');
  assert.equal(folderOfArgument({ id: 'photoSync.album:x' }), undefined);
  assert.equal(folderOfArgument(undefined), undefined);
});
