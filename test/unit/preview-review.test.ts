import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { attachPreview } from '../../src/preview/panel';
import type { ReviewFile, ReviewPlanData, ReviewSource } from '../../src/preview/reviewSession';
import { ThumbnailCache } from '../../src/preview/thumbnailCache';
import { ReviewModel } from '../../src/webview/reviewModel';
import { REVIEW_ACTIONS, type ExcludeRule, type ReviewAction, type ReviewRow } from '../../src/webview/protocol';
import { extensionUri, FakeWebview, fakeUri, until } from '../helpers/fakeWebview';

const FOLDERS = ['/photos/Camera', '/photos/Scans'];

/** A plan of n rows whose actions go round REVIEW_ACTIONS (new, changed, uploaded, duplicate, …) unless given. */
function makePlan(n: number, actionOf: (i: number) => ReviewAction = (i) => REVIEW_ACTIONS[i % REVIEW_ACTIONS.length]): ReviewPlanData {
  const rows: ReviewRow[] = Array.from({ length: n }, (_, i) => ({
    folder: i % 2,
    relPath: `${2000 + (i % 25)}/IMG_${String(i).padStart(6, '0')}.jpg`,
    action: actionOf(i),
    album: `${2000 + (i % 25)}`,
    reason: actionOf(i) === 'duplicate' ? `same bytes as IMG_${i - 1}.jpg` : undefined,
    size: 1000 + i,
  }));
  const counts = Object.fromEntries(REVIEW_ACTIONS.map((a) => [a, rows.filter((r) => r.action === a).length])) as Record<ReviewAction, number>;
  return { folders: FOLDERS, rows, summary: { counts, requests: 42, quotaUsedToday: 100, quotaPerDay: 10_000, bytesToUpload: 12345 } };
}

async function setup(source: ReviewSource) {
  const webview = new FakeWebview();
  const cache = await ThumbnailCache.open(mkdtempSync(path.join(os.tmpdir(), 'review-cache-')));
  let closed = 0;
  const preview = attachPreview(webview.asWebview(), { extensionUri, cache, Uri: fakeUri, openImage: async () => undefined, onUploadStarted: () => closed++ }, { mode: 'review', source });
  const page = webview.connectMessenger();
  const model = new ReviewModel();
  const outcomes: string[] = [];
  let title = '';
  page.onNotification('initReview', (p) => (title = p.title));
  page.onNotification('reviewPlan', (start) => outcomes.push(`plan ${start.version}: ${model.beginPlan(start)}`));
  page.onNotification('reviewRows', (chunk) => outcomes.push(model.addChunk(chunk)));
  return { webview, preview, page, model, outcomes, title: () => title, closed: () => closed };
}

test('the plan streams in chunks and the event loop keeps turning meanwhile (100,000 files)', async () => {
  const plan = makePlan(100_000);
  const source: ReviewSource = { title: 'Upload Camera', plan: async () => plan, exclude: async () => plan, upload: () => undefined };
  const { page, model, outcomes, title, preview } = await setup(source);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 0);
  void page.notify('ready', {});
  await until(() => model.complete, 20_000, 'the whole plan');
  clearInterval(timer);
  assert.equal(title(), 'Upload Camera');
  assert.equal(outcomes[0], 'plan 1: shown');
  assert.equal(outcomes.filter((o) => o === 'appended').length, 50, '2,000 rows a message');
  assert.ok(ticks >= 25, `timers ran between chunks (${ticks} ticks)`);
  assert.equal(model.rows.length, 100_000);
  assert.deepEqual(model.rows[99_999], plan.rows[99_999]);
  assert.equal(model.summary?.requests, 42);
  preview.dispose();
});

test('Exclude sends rules; the new plan is collected aside and swapped in whole', async () => {
  const excluded: ExcludeRule[][] = [];
  let plan = makePlan(5000, (i) => (i % 2 ? 'new' : 'changed'));
  const source: ReviewSource = {
    title: 'Review',
    plan: async () => plan,
    exclude: async (rules) => {
      excluded.push(rules);
      plan = makePlan(5000, (i) => (i < 10 ? 'excluded' : i % 2 ? 'new' : 'changed'));
      return plan;
    },
    upload: () => undefined,
  };
  const { page, model, outcomes, preview } = await setup(source);
  void page.notify('ready', {});
  await until(() => model.complete);
  const rule = { folder: FOLDERS[0], glob: '2000/**' };
  const bogus = { folder: '/not/a/sync/folder', glob: '*' };
  const { version } = await page.request('exclude', { rules: [rule, bogus, { folder: FOLDERS[1], glob: '' }] });
  assert.equal(version, 2);
  assert.deepEqual(excluded, [[rule]], 'only valid rules reach the source');
  await until(() => model.version === 2 && model.complete);
  const second = outcomes.slice(outcomes.indexOf('plan 2: pending'));
  assert.deepEqual(second, ['plan 2: pending', 'pending', 'pending', 'swapped'], 'old rows stay shown until the new plan is complete');
  assert.equal(model.rows[3].action, 'excluded');
  await assert.rejects(page.request('exclude', { rules: [bogus] }), /Nothing to exclude/);
  preview.dispose();
});

test('Upload These hands over only new and changed files of the current plan, with absolute paths', async () => {
  const uploads: ReviewFile[][] = [];
  const plan = makePlan(16);
  const source: ReviewSource = { title: 'Review', plan: async () => plan, exclude: async () => plan, upload: (files) => void uploads.push(files) };
  const { page, model, preview, closed } = await setup(source);
  void page.notify('ready', {});
  await until(() => model.complete);
  model.setFilter([], '');
  const chosen = model.uploadableInView();
  assert.deepEqual(chosen.map((f) => f.relPath), ['2000/IMG_000000.jpg', '2001/IMG_000001.jpg', '2008/IMG_000008.jpg', '2009/IMG_000009.jpg']);
  await assert.rejects(page.request('upload', { version: 7, files: chosen }), /plan changed/);
  const sneaky = [...chosen, chosen[0], { folder: 0, relPath: '2002/IMG_000002.jpg' }, { folder: 5, relPath: 'x.jpg' }];
  assert.deepEqual(await page.request('upload', { version: 1, files: sneaky }), { accepted: 4 });
  assert.deepEqual(uploads[0][0], { folder: '/photos/Camera', relPath: '2000/IMG_000000.jpg', path: path.join('/photos/Camera', '2000', 'IMG_000000.jpg') });
  assert.deepEqual(uploads[0].map((f) => f.folder), ['/photos/Camera', '/photos/Scans', '/photos/Camera', '/photos/Scans']);
  await until(() => closed() === 1, 1000, 'the panel to be told to close');
  preview.dispose();
});

test('the review model filters by action and searches path, album and reason, case-insensitively', () => {
  const plan = makePlan(40);
  const model = new ReviewModel();
  model.beginPlan({ version: 1, title: 't', folders: plan.folders, total: 40, summary: plan.summary });
  model.addChunk({ version: 1, start: 0, rows: plan.rows.slice(0, 20), done: false });
  assert.equal(model.view.length, 20, 'shown while streaming');
  model.setFilter(['duplicate'], '');
  model.addChunk({ version: 1, start: 20, rows: plan.rows.slice(20), done: true });
  assert.deepEqual(model.view.map((i) => model.rows[i].action), ['duplicate', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
  model.setFilter([], 'same BYTES as img_2');
  // Duplicates 3 and 27 name IMG_2.jpg and IMG_26.jpg.
  assert.deepEqual(model.view.map((i) => model.rows[i].relPath), ['2003/IMG_000003.jpg', '2002/IMG_000027.jpg']);
  model.setFilter(['new', 'changed'], '2001/');
  assert.deepEqual(model.view.map((i) => model.rows[i].relPath), ['2001/IMG_000001.jpg']);
  assert.equal(model.countUploadableInView(), 1);
  model.setFilter(['excluded'], '');
  assert.deepEqual(model.uploadableInView(), [], 'nothing to upload among excluded files');
  assert.equal(model.positionOf(model.keyOf(model.rows[model.view[0]])), 0);
  // An older plan's rows are dropped.
  assert.equal(model.addChunk({ version: 0, start: 0, rows: [], done: true }), 'ignored');
  assert.equal(model.beginPlan({ version: 0, title: 't', folders: [], total: 0, summary: plan.summary }), 'ignored');
});
