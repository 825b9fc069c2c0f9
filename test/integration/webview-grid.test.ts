// The thumbnail grid in Debian's Chromium, against the real host code with a 10,000-item source:
// first paint, DOM size while scrolling, keyboard, placeholders, the browser-side decode, the
// filter, state across a reload, and screenshots in the dark and light themes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ItemGoneError, NoThumbnailError, type GridSource, type SourceItem } from '../../src/preview/gridSource';
import { ThumbnailCache } from '../../src/preview/thumbnailCache';
import { localFolderSource } from '../../src/preview/localFolderSource';
import { bandColour, halvesJpeg, inspectJpeg, sceneJpeg, solidJpeg, withExifThumbnail } from '../helpers/photoFiles';
import { ARTIFACTS, countDomNodes, openView, startHarness, type Harness, type OpenedView } from './webview-harness';

const TOTAL = 10_000;
const FIXTURE = readFileSync(path.join(__dirname, '../fixtures/photos/DSC_0412.jpg')); // 480×360, no EXIF thumbnail
const THUMBS = Array.from({ length: 24 }, (_, i) => sceneJpeg(256, 192, i + 1));
const nameOf = (i: number) => `IMG_${String(i + 1).padStart(5, '0')}.jpg`;

/** An album of 10,000 items. Item 3 needs the browser to decode, 5 is damaged, 7 has no preview, 9 was deleted remotely, 11 locally. */
function album(size = TOTAL): GridSource & { pages: number } {
  const source = {
    title: 'Summer 2024',
    pages: 0,
    count: async () => size,
    page: async (offset: number, limit: number) => {
      source.pages++;
      return Array.from({ length: Math.max(0, Math.min(limit, size - offset)) }, (_, k): SourceItem => {
        const i = offset + k;
        return { id: `m${i}`, name: nameOf(i), detail: '2024-07-14', kind: i % 50 === 49 ? 'video' : 'image', cacheKey: `remote:m${i}`, gone: i === 11 || undefined };
      });
    },
    thumbnail: async (item: SourceItem) => {
      const i = Number(item.id.slice(1));
      if (i === 3) return { kind: 'decode' as const, bytes: FIXTURE, mimeType: 'image/jpeg' };
      if (i === 5) return { kind: 'decode' as const, bytes: Buffer.from('not an image '.repeat(40)), mimeType: 'image/jpeg' };
      if (i === 7) throw new NoThumbnailError('No preview: NEF files without an embedded thumbnail cannot be shown here');
      if (i === 9) throw new ItemGoneError(item.id);
      return { kind: 'jpeg' as const, bytes: THUMBS[i % THUMBS.length] };
    },
    fullImage: async (item: SourceItem) => `/photos/${item.name}`,
  };
  return source;
}

let harness: Harness;
before(async () => {
  harness = await startHarness();
  console.log(`webview bundle: dist/webview.js ${(harness.bundleBytes / 1024).toFixed(1)} KB, dist/webview.css ${(harness.cssBytes / 1024).toFixed(1)} KB (minified)`);
});
after(() => harness.close());

type GridProgress = 'anyLoaded' | 'firstRow' | 'allVisible';

/** Milliseconds from navigation until the cells in view reach `stage`, checked every frame. */
async function msUntil(page: Page, stage: GridProgress): Promise<number> {
  const handle = await page.waitForFunction(
    (stage: GridProgress) => {
      const inView = Array.from(document.querySelectorAll('.cell')).filter((c) => {
        const r = c.getBoundingClientRect();
        return r.bottom > 0 && r.top < innerHeight && r.height > 0;
      });
      const settled = (c: Element) => ['loaded', 'failed', 'gone'].some((k) => c.classList.contains(k));
      const done =
        stage === 'anyLoaded' ? inView.some((c) => c.classList.contains('loaded')) : stage === 'firstRow' ? inView.length >= 8 && inView.slice(0, 8).every(settled) : inView.length > 0 && inView.every(settled);
      return done ? performance.now() : false;
    },
    stage,
    { polling: 'raf', timeout: 15_000 },
  );
  return (await handle.jsonValue()) as number;
}
const cellsInView = (page: Page) =>
  page.evaluate(() => Array.from(document.querySelectorAll('.cell')).filter((c) => c.getBoundingClientRect().bottom > 0 && c.getBoundingClientRect().top < innerHeight).length);
const focusedIndex = (page: Page) => page.evaluate(() => Number(document.querySelector<HTMLElement>('.cell.focused')?.dataset.index));

let dark: OpenedView;
const opened: string[] = [];

/** Opens the grid with a cold cache and measures from navigation to thumbnails on screen. */
async function firstPaint(view: OpenedView) {
  const firstThumbnail = await msUntil(view.page, 'anyLoaded');
  const firstRow = await msUntil(view.page, 'firstRow');
  const allVisible = await msUntil(view.page, 'allVisible');
  return { firstThumbnail, firstRow, allVisible, visible: await cellsInView(view.page) };
}

test('10,000 items: the first thumbnails paint within about a second, as fast as for 100 items', async () => {
  // The same page with 100 items, in the same run, best of two each: the machine's load (shared
  // cores) affects both alike. A first page warms the browser up and is not counted.
  const measure = async (size: number) => {
    const view = await openView(harness, { mode: 'grid', source: album(size) }, 'dark');
    const figures = await firstPaint(view);
    await view.close();
    return figures;
  };
  await measure(100);
  const best = (a: Awaited<ReturnType<typeof firstPaint>>, b: Awaited<ReturnType<typeof firstPaint>>) => (a.allVisible <= b.allVisible ? a : b);
  const baseline = best(await measure(100), await measure(100));
  const first = await measure(TOTAL);
  dark = await openView(harness, { mode: 'grid', source: album() }, 'dark', { openImage: async (p) => void opened.push(p) });
  const { page } = dark;
  const large = best(first, await firstPaint(dark));
  const load = os.loadavg()[0].toFixed(1);
  console.log(`first paint, cold cache (load average ${load} on ${os.cpus().length} cores):`);
  console.log(`  10,000 items: first thumbnail ${large.firstThumbnail.toFixed(0)} ms, first row ${large.firstRow.toFixed(0)} ms, all ${large.visible} visible cells ${large.allVisible.toFixed(0)} ms after navigation (target ≤ 1000 ms)`);
  console.log(`  100 items:    first thumbnail ${baseline.firstThumbnail.toFixed(0)} ms, first row ${baseline.firstRow.toFixed(0)} ms, all visible ${baseline.allVisible.toFixed(0)} ms`);
  console.log(`  messages: ${(await dark.timeline()).slice(0, 8).join(' | ')}`);
  const ratio = large.allVisible / baseline.allVisible;
  console.log(`  ratio 10,000 / 100 items (all visible): ${ratio.toFixed(2)}`);
  assert.ok(ratio <= 1.5, `10,000 items take ${ratio.toFixed(2)}× as long as 100 items to show the first screen`);
  assert.equal(await page.locator('.count').textContent(), '10,000 items');
  await page.screenshot({ path: path.join(ARTIFACTS, 'grid-dark.png') });
});

test('placeholders: a damaged file, a file without preview and deleted items never break the grid', async () => {
  const { page, cache } = dark;
  const cell = (i: number) => page.locator(`.cell[data-index="${i}"]`);
  await assert.doesNotReject(cell(5).and(page.locator('.failed')).waitFor());
  assert.match((await cell(5).getAttribute('title')) ?? '', /IMG_00006\.jpg — The image could not be decoded .* damaged/);
  assert.match((await cell(7).getAttribute('title')) ?? '', /NEF files without an embedded thumbnail/);
  assert.match((await cell(9).getAttribute('class')) ?? '', /\bgone\b/);
  assert.match((await cell(9).getAttribute('title')) ?? '', /the file was deleted/);
  assert.match((await cell(11).getAttribute('class')) ?? '', /\bgone\b/);
  const look = await page.evaluate(() => {
    const failed = document.querySelector('.cell[data-index="7"]') as HTMLElement;
    const ok = document.querySelector('.cell[data-index="1"]') as HTMLElement;
    return {
      placeholder: getComputedStyle(failed, '::before').content,
      failedImage: getComputedStyle(failed.querySelector('img') as HTMLElement).visibility,
      okImage: getComputedStyle(ok.querySelector('img') as HTMLElement).visibility,
      okNatural: (ok.querySelector('img') as HTMLImageElement).naturalWidth,
    };
  });
  assert.match(look.placeholder, /No preview/);
  assert.equal(look.failedImage, 'hidden', 'no broken-image icon');
  assert.equal(look.okImage, 'visible');
  assert.equal(look.okNatural, 256);

  // Item 3 had no thumbnail: Chromium decoded the 480×360 photo and the host cached its 256×192 JPEG.
  await cell(3).and(page.locator('.loaded')).waitFor();
  const cached = readFileSync(path.join(cache.dir, ThumbnailCache.fileName('remote:m3', 256)));
  const made = inspectJpeg(cached);
  const original = inspectJpeg(FIXTURE);
  assert.deepEqual([made.width, made.height], [256, 192]);
  for (let c = 0; c < 3; c++) assert.ok(Math.abs(made.rgb[c] - original.rgb[c]) < 12, `colour kept: ${made.rgb} vs ${original.rgb}`);
  assert.deepEqual(await dark.violations(), [], 'nothing blocked by the CSP (vscode-elements styles included)');
});

test('keyboard: arrows, Page keys, Home/End move the focus, Enter and a click open the full image', async () => {
  const { page } = dark;
  const columns = await page.evaluate(() => new Set(Array.from(document.querySelectorAll<HTMLElement>('.cell')).map((c) => c.style.transform.split(',')[0])).size);
  await page.locator('.grid').focus();
  await page.keyboard.press('Home');
  assert.equal(await focusedIndex(page), 0);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.equal(await focusedIndex(page), 2);
  await page.keyboard.press('ArrowDown');
  assert.equal(await focusedIndex(page), 2 + columns);
  await page.keyboard.press('ArrowLeft');
  assert.equal(await focusedIndex(page), 1 + columns);
  await page.keyboard.press('ArrowUp');
  assert.equal(await focusedIndex(page), 1);
  const rowsPerPage = Math.floor((await page.evaluate(() => (document.querySelector('.grid') as HTMLElement).clientHeight)) / 168);
  await page.keyboard.press('PageDown');
  assert.equal(await focusedIndex(page), 1 + rowsPerPage * columns);
  await page.keyboard.press('PageUp');
  assert.equal(await focusedIndex(page), 1);
  assert.equal(await page.locator('.grid').getAttribute('aria-activedescendant'), 'cell-1');
  await page.keyboard.press('Enter');
  await page.locator('.cell[data-index="4"]').click();
  await waitFor(() => opened.length === 2);
  assert.deepEqual(opened, ['/photos/IMG_00002.jpg', '/photos/IMG_00005.jpg']);
  assert.equal(await focusedIndex(page), 4, 'the click moved the focus');
});

test('scrolling to the end keeps the DOM under 600 nodes (frame times reported)', async () => {
  const { page } = dark;
  const stats = await page.evaluate(async () => {
    const scroller = document.querySelector('.grid') as HTMLElement;
    const frame = () => new Promise<number>((r) => requestAnimationFrame(r));
    const countNodes = () => {
      let n = 0;
      const walk = (root: Document | ShadowRoot) => Array.from(root.querySelectorAll('*')).forEach((el) => (n++, el.shadowRoot && walk(el.shadowRoot)));
      walk(document);
      return n;
    };
    const intervals: number[] = [];
    let maxNodes = 0;
    let last = await frame();
    // Fling from top to bottom: 500 px a frame.
    while (scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 1) {
      scroller.scrollTop += 500;
      const now = await frame();
      intervals.push(now - last);
      last = now;
      maxNodes = Math.max(maxNodes, countNodes());
    }
    intervals.sort((a, b) => a - b);
    return { frames: intervals.length, p50: intervals[Math.floor(intervals.length / 2)], p95: intervals[Math.floor(intervals.length * 0.95)], max: intervals[intervals.length - 1], maxNodes };
  });
  await page.keyboard.press('End');
  assert.equal(await focusedIndex(page), TOTAL - 1);
  await page.locator(`.cell[data-index="${TOTAL - 1}"].loaded`).waitFor();
  const nodesAtEnd = await countDomNodes(page);
  console.log(`scroll to the end: ${stats.frames} frames at 500 px, frame interval p50 ${stats.p50.toFixed(1)} ms, p95 ${stats.p95.toFixed(1)} ms, max ${stats.max.toFixed(1)} ms; DOM nodes max while scrolling ${stats.maxNodes}, at the end ${nodesAtEnd} (shadow roots included)`);
  assert.ok(nodesAtEnd <= 600, `DOM nodes at the end: ${nodesAtEnd}`);
  assert.ok(stats.maxNodes <= 600, `DOM nodes while scrolling: ${stats.maxNodes}`);
  assert.equal(await page.locator('.cell[data-index="0"]').count(), 0, 'the first cells left the DOM');
  assert.equal(await page.locator(`.cell[data-index="${TOTAL - 1}"] .name`).textContent(), 'IMG_10000.jpg');
  await page.screenshot({ path: path.join(ARTIFACTS, 'grid-dark-end.png') });
});

test('the filter box narrows the grid on the host; scroll, focus and filter survive a reload', async () => {
  const { page } = dark;
  await page.locator('vscode-textfield.filter').click();
  await page.keyboard.type('img_0999');
  await page.locator('.count', { hasText: /^10 items$/ }).waitFor();
  const names = await page.locator('.cell .name').allTextContents();
  assert.deepEqual(names, Array.from({ length: 10 }, (_, k) => nameOf(9989 + k)));
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  await page.locator('.count', { hasText: /^10,000 items$/ }).waitFor();
  await page.locator('.grid').focus();
  await page.keyboard.press('Home');
  for (let i = 0; i < 6; i++) await page.keyboard.press('PageDown');
  const before = { scrollTop: await page.evaluate(() => document.querySelector('.grid')?.scrollTop), focus: await focusedIndex(page) };
  assert.ok((before.scrollTop ?? 0) > 3000);
  await page.waitForTimeout(300); // the state is saved 200 ms after the last move
  await page.reload();
  await page.locator(`.cell[data-index="${before.focus}"].focused`).waitFor();
  assert.deepEqual({ scrollTop: await page.evaluate(() => document.querySelector('.grid')?.scrollTop), focus: await focusedIndex(page) }, before);
  assert.deepEqual(await dark.violations(), []);
});

test('light theme, warm cache: the same grid from cached thumbnails', async () => {
  const light = await openView(harness, { mode: 'grid', source: album() }, 'light', { cacheDir: dark.cache.dir });
  const { page } = light;
  const firstRow = await msUntil(page, 'firstRow');
  console.log(`first paint (10,000 items, warm cache): first row ${firstRow.toFixed(0)} ms after navigation; messages: ${(await light.timeline()).slice(0, 6).join(' | ')}`);
  await page.locator('.grid').focus();
  await page.keyboard.press('ArrowRight');
  await page.locator('.cell[data-index="1"]').hover();
  await page.screenshot({ path: path.join(ARTIFACTS, 'grid-light.png') });
  const colours = await page.evaluate(() => ({ body: getComputedStyle(document.body).backgroundColor, text: getComputedStyle(document.querySelector('.cell .name') as Element).color }));
  assert.deepEqual(colours, { body: 'rgb(255, 255, 255)', text: 'rgb(59, 59, 59)' }, 'the theme variables are used');
  assert.deepEqual(await light.violations(), []);
  await light.close();
  await dark.close();
});

test('a local folder in the browser: a turned EXIF thumbnail is turned upright, a photo without one is decoded, HEIC gets a reason', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'grid-local-'));
  const red: [number, number, number] = [220, 30, 30];
  const blue: [number, number, number] = [30, 30, 220];
  writeFileSync(path.join(root, 'a-turned.jpg'), withExifThumbnail(solidJpeg(320, 200, [90, 90, 90]), halvesJpeg(160, 100, red, blue), 6));
  writeFileSync(path.join(root, 'b-plain.jpg'), FIXTURE);
  writeFileSync(path.join(root, 'c-photo.heic'), Buffer.alloc(4096, 7));
  const local = await openView(harness, { mode: 'grid', source: localFolderSource(root) }, 'dark');
  const { page } = local;
  await msUntil(page, 'allVisible');
  const thumbnail = async (i: number) => {
    const src = await page.locator(`.cell[data-index="${i}"] img`).getAttribute('src');
    return readFileSync(decodeURIComponent(new URL(src ?? '').pathname.replace(/^\/res/, '')));
  };
  // Orientation 6 is "turn 90° clockwise": the left (red) half ends on top.
  const turned = await thumbnail(0);
  assert.deepEqual([inspectJpeg(turned).width, inspectJpeg(turned).height], [100, 160]);
  const top = bandColour(turned, 0.05, 0.4);
  const bottom = bandColour(turned, 0.6, 0.95);
  assert.ok(top[0] > 180 && top[2] < 80, `top is red: ${top}`);
  assert.ok(bottom[2] > 180 && bottom[0] < 80, `bottom is blue: ${bottom}`);
  assert.deepEqual([inspectJpeg(await thumbnail(1)).width, inspectJpeg(await thumbnail(1)).height], [256, 192]);
  assert.match((await page.locator('.cell[data-index="2"]').getAttribute('title')) ?? '', /No preview: HEIC files without an embedded thumbnail/);
  assert.deepEqual(await local.violations(), []);
  await local.close();
});

async function waitFor(predicate: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
