// The metadata doctor in the pre-upload review: new and changed files whose capture date the doctor
// would flag get "date?" with the reason (real JPEGs on disk, the real dateDoctor), after the rows;
// each file is checked once per review; "Check Capture Dates…" asks the host for the folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { attachPreview } from '../../src/preview/panel';
import { flagReviewDates } from '../../src/preview/reviewDates';
import type { ReviewPlanData, ReviewSource } from '../../src/preview/reviewSession';
import { ThumbnailCache } from '../../src/preview/thumbnailCache';
import { ReviewModel } from '../../src/webview/reviewModel';
import { REVIEW_ACTIONS, type ReviewAction, type ReviewRow } from '../../src/webview/protocol';
import { extensionUri, FakeWebview, fakeUri, until } from '../helpers/fakeWebview';
import { photoWithExif, photoWithoutExif } from './metadata-fixtures';
import { tempDir } from './sync-fixtures';

const now = new Date('2026-11-21T12:00:00Z');

/** A sync folder with one photo per case; rows as the plan would list them. */
async function folderWithDates(): Promise<ReviewPlanData> {
  const root = path.join(await tempDir(), 'Camera');
  await photoWithoutExif('IMG_20190822_191544.jpg', { dir: root }); // missing
  await photoWithExif('DSCF3150.JPG', { dateTimeOriginal: '2022:07:02 20:48:33' }, { dir: path.join(root, 'trip'), as: 'IMG_20230101_120000.jpg' }); // disagrees with the name
  await photoWithExif('DSCF2044.JPG', { dateTimeOriginal: '2031:01:01 10:00:00' }, { dir: root, as: 'DSCF2044.JPG' }); // future
  await photoWithExif('DSC_0412.jpg', { dateTimeOriginal: '2021:05:05 10:00:00' }, { dir: root, as: 'IMG_20210505_100000.jpg' }); // fine
  await photoWithoutExif('IMG_0031.JPG', { dir: root }); // no date, but already uploaded: not checked
  const rows: ReviewRow[] = [
    { folder: 0, relPath: 'DSCF2044.JPG', action: 'new', size: 1 },
    { folder: 0, relPath: 'IMG_0031.JPG', action: 'uploaded', size: 1 },
    { folder: 0, relPath: 'IMG_20190822_191544.jpg', action: 'changed', size: 1 },
    { folder: 0, relPath: 'IMG_20210505_100000.jpg', action: 'new', size: 1 },
    { folder: 0, relPath: 'trip/IMG_20230101_120000.jpg', action: 'new', size: 1 },
  ];
  const counts = Object.fromEntries(REVIEW_ACTIONS.map((a) => [a, rows.filter((r) => r.action === a).length])) as Record<ReviewAction, number>;
  return { folders: [root], rows, summary: { counts, requests: 3, quotaUsedToday: 0, quotaPerDay: 10_000, bytesToUpload: 3 } };
}

test('flagReviewDates: missing, future and disagreeing dates of new and changed files are flagged with the reason; good dates and uploaded files are not', async () => {
  const plan = await folderWithDates();
  const batches: number[] = [];
  const flags = await flagReviewDates(plan.folders, plan.rows, { signal: new AbortController().signal, now, timeZone: 'UTC', batchSize: 2, onFlags: (b) => void batches.push(b.length) });
  const byPath = new Map(flags.map((f) => [f.relPath, f.reason]));
  assert.deepEqual([...byPath.keys()].sort(), ['DSCF2044.JPG', 'IMG_20190822_191544.jpg', 'trip/IMG_20230101_120000.jpg']);
  assert.match(byPath.get('IMG_20190822_191544.jpg') ?? '', /no capture date|missing|no date/i);
  assert.match(byPath.get('IMG_20190822_191544.jpg') ?? '', /proposes 2019-08-22 19:15:44 \(from file name IMG_20190822_191544\.jpg\)/);
  assert.match(byPath.get('DSCF2044.JPG') ?? '', /future/i);
  assert.match(byPath.get('trip/IMG_20230101_120000.jpg') ?? '', /name/i);
  assert.equal(batches.reduce((a, b) => a + b, 0), 3, 'every flag handed out in the batches');
  await assert.rejects(flagReviewDates(plan.folders, plan.rows, { signal: AbortSignal.abort(), now }), /abort/i);
});

test('the review shows the rows first, then "date?" flags; a later plan reuses the verdicts; Check Capture Dates… asks for the folder', async () => {
  const plan = await folderWithDates();
  const checked: string[][] = [];
  const source: ReviewSource = {
    title: 'Review',
    plan: async () => plan,
    exclude: async () => ({ ...plan, rows: plan.rows.filter((r) => r.relPath !== 'DSCF2044.JPG') }),
    upload: () => undefined,
    flagDates: (folders, rows, signal, onFlags) => {
      checked.push(rows.map((r) => r.relPath));
      return flagReviewDates(folders, rows, { signal, onFlags, now, timeZone: 'UTC' });
    },
  };
  const webview = new FakeWebview();
  const cache = await ThumbnailCache.open(mkdtempSync(path.join(os.tmpdir(), 'review-cache-')));
  const asked: string[] = [];
  const preview = attachPreview(webview.asWebview(), { extensionUri, cache, Uri: fakeUri, openImage: async () => undefined, checkDates: (f) => void asked.push(f) }, { mode: 'review', source });
  const page = webview.connectMessenger();
  const model = new ReviewModel();
  const order: string[] = [];
  page.onNotification('reviewPlan', (start) => model.beginPlan(start));
  page.onNotification('reviewRows', (chunk) => (model.addChunk(chunk), order.push('rows')));
  page.onNotification('reviewDates', (chunk) => (model.addDates(chunk), order.push(`dates ${chunk.version}${chunk.done ? ' done' : ''}`)));
  void page.notify('ready', {});
  await until(() => model.datesDone, 15_000, 'the dates of plan 1');
  assert.equal(order[0], 'rows', 'the rows come before any date');
  assert.deepEqual(checked, [['DSCF2044.JPG', 'IMG_20190822_191544.jpg', 'IMG_20210505_100000.jpg', 'trip/IMG_20230101_120000.jpg']], 'only new and changed files, once');
  assert.deepEqual([...model.dateFlags.keys()].map((k) => k.split('\0')[1]).sort(), ['DSCF2044.JPG', 'IMG_20190822_191544.jpg', 'trip/IMG_20230101_120000.jpg']);
  assert.match(model.dateFlagOf(model.rows[2]) ?? '', /2019-08-22 19:15:44/);
  assert.equal(model.dateFlagOf(model.rows[3]), undefined);

  // Searching "date?" finds the flagged files.
  model.setFilter([], 'date?');
  assert.deepEqual(model.view.map((i) => model.rows[i].relPath), ['DSCF2044.JPG', 'IMG_20190822_191544.jpg', 'trip/IMG_20230101_120000.jpg']);
  assert.deepEqual(model.flaggedFolders(), [0]);

  // Check Capture Dates… → the host runs photoSync.fixDates for the sync folder.
  void page.notify('checkDates', { folder: 0 });
  void page.notify('checkDates', { folder: 9 });
  await until(() => asked.length === 1);
  assert.deepEqual(asked, [plan.folders[0]]);

  // Exclude → plan 2: the verdicts come again at once, no file is diagnosed a second time.
  await page.request('exclude', { rules: [{ folder: plan.folders[0], glob: 'DSCF2044.JPG' }] });
  await until(() => model.version === 2 && model.datesDone, 15_000, 'the dates of plan 2');
  assert.equal(checked.length, 1, 'nothing checked again');
  assert.deepEqual([...model.dateFlags.keys()].map((k) => k.split('\0')[1]).sort(), ['IMG_20190822_191544.jpg', 'trip/IMG_20230101_120000.jpg']);
  assert.ok(order.includes('dates 2 done'));
  preview.dispose();
});
