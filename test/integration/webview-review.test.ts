// The pre-upload review in Debian's Chromium against the real host code: 100,000 files stream in
// without long tasks, filter by action, search, Exclude (the host re-plans with the new rule and
// the list keeps its place), Upload These, keyboard selection, and screenshots in both themes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import picomatch from 'picomatch';
import type { Page } from 'playwright-core';
import type { ReviewFile, ReviewPlanData, ReviewSource } from '../../src/preview/reviewSession';
import { REVIEW_ACTIONS, type ExcludeRule, type ReviewAction, type ReviewRow } from '../../src/webview/protocol';
import { ARTIFACTS, countDomNodes, openView, startHarness, type Harness, type OpenedView } from './webview-harness';

const TOTAL = 100_000;
const FOLDERS = ['/home/ana/Pictures/Camera', '/home/ana/Pictures/Scans'];

/** What each file would be without extra rules: mostly new or already uploaded, a few of every other kind. */
function baseRow(i: number): ReviewRow {
  const year = 2010 + (i % 15);
  const month = String(1 + (Math.floor(i / 15) % 12)).padStart(2, '0');
  const dir = i % 97 === 5 ? `${year}/Temp` : `${year}/${month}`;
  const slot = (i * 37) % 100; // actions mixed along the list
  const [action, ext, reason]: [ReviewAction, string, string | undefined] =
    slot < 40 ? ['new', 'jpg', undefined]
    : slot < 45 ? ['changed', 'jpg', 'edited since it was uploaded']
    : slot < 85 ? ['uploaded', 'jpg', undefined]
    : slot < 90 ? ['duplicate', 'jpg', `same bytes as ${year}/${month}/IMG_${String(i - 1).padStart(6, '0')}.jpg`]
    : slot < 93 ? ['unsupported', 'psd', 'Google Photos does not accept PSD files']
    : slot < 95 ? ['too-large', 'jpg', 'larger than 200 MB']
    : slot < 97 ? ['damaged', 'jpg', 'not a JPEG: the file ends early']
    : ['excluded', 'jpg', 'matched by exclude rule *.tmp.jpg'];
  return { folder: i % 2, relPath: `${dir}/IMG_${String(i).padStart(6, '0')}.${ext}`, action, album: `${year}-${month}`, reason, size: 1_500_000 + ((i * 7919) % 4_000_000) };
}

/** A sync planner in miniature: rules added by "Exclude" turn matching files into excluded ones. */
function reviewSource() {
  const rules: ExcludeRule[] = [];
  const uploads: ReviewFile[][] = [];
  const plan = (): ReviewPlanData => {
    const matchers = rules.map((r) => ({ folder: FOLDERS.indexOf(r.folder), glob: r.glob, test: picomatch(r.glob, { dot: true, nocase: true }) }));
    const rows = Array.from({ length: TOTAL }, (_, i) => {
      const row = baseRow(i);
      const rule = matchers.find((m) => m.folder === row.folder && m.test(row.relPath));
      return rule ? { ...row, action: 'excluded' as const, reason: `matched by exclude rule ${rule.glob}` } : row;
    });
    const counts = Object.fromEntries(REVIEW_ACTIONS.map((a) => [a, 0])) as Record<ReviewAction, number>;
    let bytes = 0;
    for (const r of rows) {
      counts[r.action]++;
      if (r.action === 'new' || r.action === 'changed') bytes += r.size;
    }
    const uploadable = counts.new + counts.changed;
    return { folders: FOLDERS, rows, summary: { counts, requests: uploadable + Math.ceil(uploadable / 50) + 180, quotaUsedToday: 2300, quotaPerDay: 10_000, bytesToUpload: bytes } };
  };
  const source: ReviewSource = {
    title: 'Upload Camera and Scans',
    plan: async () => plan(),
    exclude: async (added) => {
      rules.push(...added);
      return plan();
    },
    upload: (files) => void uploads.push(files),
  };
  return { source, rules, uploads, plan };
}

let harness: Harness;
let view: OpenedView;
let fake: ReturnType<typeof reviewSource>;
before(async () => {
  harness = await startHarness();
});
after(() => harness.close());

const visibleRows = (page: Page) =>
  page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('.review-list .row'))
      .filter((r) => r.getBoundingClientRect().top >= (document.querySelector('.review-list') as HTMLElement).getBoundingClientRect().top)
      .sort((a, b) => Number(a.dataset.position) - Number(b.dataset.position))
      .map((r) => ({ position: Number(r.dataset.position), action: r.querySelector('.col-action')?.textContent ?? '', file: r.querySelector('.col-file')?.textContent ?? '', classes: r.className })),
  );

test('100,000 files stream in without freezing the page; counts and the quota come from the host', async () => {
  fake = reviewSource();
  view = await openView(harness, { mode: 'review', source: fake.source }, 'dark');
  const { page } = view;
  await page.locator('.review-list .row').first().waitFor();
  const firstRows = await page.evaluate(() => performance.now());
  await page.locator('.status', { hasText: /^100,000 of 100,000 files shown$/ }).waitFor({ timeout: 60_000 });
  const complete = await page.evaluate(() => performance.now());
  const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
  const nodes = await countDomNodes(page);
  console.log(`review of 100,000 files: first rows ${firstRows.toFixed(0)} ms, all rows ${complete.toFixed(0)} ms after navigation; long tasks ${longTasks.length} (longest ${Math.max(0, ...longTasks)} ms); ${nodes} DOM nodes`);
  assert.ok(Math.max(0, ...longTasks) < 500, `no task blocked the page for half a second: ${longTasks}`);
  assert.ok(nodes <= 600, `${nodes} DOM nodes`);
  const counts = fake.plan().summary.counts;
  assert.equal(await page.locator('.chip.action-new').textContent(), `New ${counts.new.toLocaleString('en-US')}`);
  assert.equal(await page.locator('.chip.action-all').textContent(), 'All 100,000');
  assert.match((await page.locator('.quota').textContent()) ?? '', /^46,\d{3} requests · 7,700 of 10,000 left today — more than today’s quota allows: the rest continues when it resets · \d+(\.\d)? GB to upload$/);
  assert.match((await page.locator('.quota').getAttribute('class')) ?? '', /\bover\b/, 'more requests than the quota left: shown as a warning');
  await page.screenshot({ path: path.join(ARTIFACTS, 'review-dark.png') });
});

test('filter by action and search narrow the list', async () => {
  const { page } = view;
  await page.locator('.chip.action-changed').click();
  await page.locator('.status', { hasText: /^5,000 of 100,000 files shown/ }).waitFor();
  const rows = await visibleRows(page);
  assert.ok(rows.length > 10);
  assert.ok(rows.every((r) => r.action === 'Changed'), 'only changed files');
  assert.equal(await page.locator('vscode-button.upload').textContent(), 'Upload These 5,000');
  await page.locator('.chip.action-changed').click(); // again: back to all
  await page.locator('vscode-textfield.search').click();
  await page.keyboard.type('temp/');
  const expected = Array.from({ length: TOTAL }, (_, i) => baseRow(i)).filter((r) => /temp\//i.test(r.relPath)).length;
  await page.locator('.status', { hasText: new RegExp(`^${expected.toLocaleString('en-US')} of 100,000 files shown`) }).waitFor();
  assert.ok((await visibleRows(page)).every((r) => r.file.includes('/Temp/')));
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  await page.locator('.status', { hasText: /^100,000 of 100,000 files shown/ }).waitFor();
});

test('Exclude posts a glob for the selected file; the new plan replaces the rows without moving the list', async () => {
  const { page } = view;
  await scrollListTo(page, 1_200_000);
  const before = await visibleRows(page);
  const target = before.slice(3).find((r) => r.action === 'New');
  assert.ok(target);
  await page.locator(`.review-list .row[data-position="${target.position}"]`).click();
  await page.locator('.status', { hasText: '1 selected' }).waitFor();
  await page.locator('vscode-button.exclude-file').click();
  await page.locator(`.review-list .row[data-position="${target.position}"] .col-action`, { hasText: 'Excluded' }).waitFor();
  const row = baseRow(Number(/IMG_(\d+)/.exec(target.file)?.[1]));
  assert.deepEqual(fake.rules, [{ folder: FOLDERS[row.folder], glob: row.relPath }]);
  assert.equal(await page.evaluate(() => (document.querySelector('.review-list') as HTMLElement).scrollTop), 1_200_000, 'scroll position kept');
  const afterRows = await visibleRows(page);
  assert.deepEqual(afterRows.map((r) => r.file), before.map((r) => r.file), 'the same rows in view');
  assert.equal(await page.locator(`.review-list .row[data-position="${target.position}"] .col-why`).textContent(), `matched by exclude rule ${row.relPath}`);

  // Keyboard: a range with Shift+Down, then Exclude Folder: one rule per folder.
  await page.locator('.review-list').focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Shift+ArrowDown');
  await page.locator('.status', { hasText: '3 selected' }).waitFor();
  const selected = await page.evaluate(() => Array.from(document.querySelectorAll('.review-list .row.selected .col-file')).map((e) => e.textContent ?? ''));
  assert.equal(selected.length, 3);
  await page.locator('vscode-button.exclude-folder').click();
  await page.locator('.status', { hasText: /^100,000 of 100,000 files shown$/ }).waitFor();
  await waitFor(() => fake.rules.length > 1);
  const expectedRules = [...new Set(selected.map((f) => { const r = baseRow(Number(/IMG_(\d+)/.exec(f)?.[1])); return `${FOLDERS[r.folder]}|${path.posix.dirname(r.relPath)}/**`; }))];
  assert.deepEqual(fake.rules.slice(1).map((r) => `${r.folder}|${r.glob}`).sort(), expectedRules.sort());
  assert.equal(await page.evaluate(() => (document.querySelector('.review-list') as HTMLElement).scrollTop), 1_200_000);
  assert.deepEqual(await view.violations(), []);
});

test('after a reload the list comes back at the same place with the same filter', async () => {
  const { page } = view;
  await page.locator('.chip.action-uploaded').click();
  await scrollListTo(page, 400_000);
  const before = await visibleRows(page);
  assert.ok(before.length > 20 && before.every((r) => r.action === 'Already uploaded'));
  await page.waitForTimeout(300); // the state is saved 200 ms after the last scroll
  await page.reload();
  await page.locator('.status', { hasText: /files shown$/ }).waitFor({ timeout: 60_000 });
  await page.locator('.review-list .row').first().waitFor();
  assert.equal(await page.evaluate(() => (document.querySelector('.review-list') as HTMLElement).scrollTop), 400_000);
  assert.equal(await page.locator('.chip.action-uploaded').getAttribute('aria-checked'), 'true');
  assert.deepEqual((await visibleRows(page)).map((r) => r.file), before.map((r) => r.file));
  await page.locator('.chip.action-all').click();
});

test('Upload These sends the new and changed files shown, for the plan on screen', async () => {
  const { page } = view;
  const counts = fake.plan().summary.counts;
  await page.locator('.chip.action-new').click();
  await page.locator('.status', { hasText: new RegExp(`^${counts.new.toLocaleString('en-US')} of 100,000 files shown`) }).waitFor();
  await page.locator('vscode-button.upload').click();
  await page.locator('.notice', { hasText: `Uploading ${counts.new.toLocaleString('en-US')} files.` }).waitFor();
  assert.equal(fake.uploads.length, 1);
  const files = fake.uploads[0];
  assert.equal(files.length, counts.new);
  const planned = new Map(fake.plan().rows.map((r) => [`${FOLDERS[r.folder]}/${r.relPath}`, r.action]));
  assert.ok(files.every((f) => planned.get(f.path) === 'new' && f.path === `${f.folder}/${f.relPath}`), 'absolute paths of new files only');
  await page.locator('.chip.action-all').click();
  await page.locator('.review-list').focus();
  await page.keyboard.press('Home');
  await page.screenshot({ path: path.join(ARTIFACTS, 'review-dark-upload.png') });
  await view.close();
});

test('light theme', async () => {
  const light = await openView(harness, { mode: 'review', source: reviewSource().source }, 'light');
  const { page } = light;
  await page.locator('.status', { hasText: /^100,000 of 100,000 files shown$/ }).waitFor({ timeout: 60_000 });
  await page.locator('.review-list').focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Shift+ArrowDown');
  await page.locator('.review-list .row[data-position="5"]').hover();
  await page.screenshot({ path: path.join(ARTIFACTS, 'review-light.png') });
  const colours = await page.evaluate(() => ({ body: getComputedStyle(document.body).backgroundColor, selected: getComputedStyle(document.querySelector('.review-list .row.selected') as Element).backgroundColor }));
  assert.deepEqual(colours, { body: 'rgb(255, 255, 255)', selected: 'rgb(232, 232, 232)' });
  assert.deepEqual(await light.violations(), []);
  await light.close();
});

test('date? marks the new files whose capture date the doctor flags; Check Capture Dates… asks the host for that folder', async () => {
  const rows: ReviewRow[] = [
    { folder: 0, relPath: '2019/IMG_20190822_191544.jpg', action: 'new', size: 2048 },
    { folder: 0, relPath: '2019/IMG_20190823_101010.jpg', action: 'new', size: 2048 },
    { folder: 1, relPath: 'scan-001.jpg', action: 'uploaded', size: 4096 },
  ];
  const counts = Object.fromEntries(REVIEW_ACTIONS.map((a) => [a, rows.filter((r) => r.action === a).length])) as Record<ReviewAction, number>;
  const plan: ReviewPlanData = { folders: FOLDERS, rows, summary: { counts, requests: 3, quotaUsedToday: 0, quotaPerDay: 10_000, bytesToUpload: 4096 } };
  const reason = 'no capture date (no EXIF DateTimeOriginal) — Check Capture Dates… proposes 2019-08-22 19:15:44 (from file name IMG_20190822_191544.jpg)';
  const source: ReviewSource = {
    title: 'Review Camera',
    plan: async () => plan,
    exclude: async () => plan,
    upload: () => undefined,
    flagDates: async (_folders, checked, _signal, onFlags) => {
      assert.deepEqual(checked.map((r) => r.relPath), ['2019/IMG_20190822_191544.jpg', '2019/IMG_20190823_101010.jpg'], 'only new and changed files');
      const flags = [{ folder: 0, relPath: rows[0].relPath, reason }];
      await onFlags(flags);
      return flags;
    },
  };
  const asked: string[] = [];
  const view = await openView(harness, { mode: 'review', source }, 'dark', { checkDates: (f) => void asked.push(f) });
  const { page } = view;
  await page.locator('.status', { hasText: '1 with a questionable capture date' }).waitFor();
  const flagged = page.locator('.review-list .row .col-action.date-flag');
  assert.equal(await flagged.count(), 1);
  assert.equal(await flagged.getAttribute('title'), `Capture date: ${reason}`);
  assert.equal(await flagged.textContent(), 'New');
  assert.match((await page.locator('.review-list .row:has(.col-action.date-flag) .col-why').textContent()) ?? '', /^date\? no capture date/);
  await page.screenshot({ path: path.join(ARTIFACTS, 'review-dates.png') });
  await page.locator('vscode-button.check-dates', { hasText: 'Check Capture Dates… (1)' }).click();
  await waitFor(() => asked.length === 1);
  assert.deepEqual(asked, [FOLDERS[0]]);
  await view.close();
});

/** Scrolls the list and waits until the rows there are rendered. */
async function scrollListTo(page: Page, top: number): Promise<void> {
  await page.evaluate(async (y) => {
    (document.querySelector('.review-list') as HTMLElement).scrollTop = y;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  }, top);
}

async function waitFor(predicate: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
