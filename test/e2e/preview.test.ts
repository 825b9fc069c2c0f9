// The preview webview in real VS Code (code-server + Chromium) against the emulator: the thumbnail
// grid of an album (thumbnails fetched by the extension at fresh baseUrls, one batchGet) and of a
// local folder; the pre-upload review of a sync folder with new, duplicate, excluded, too-large and
// damaged files, then "Exclude" on one and "Upload These" (the emulator holds exactly the reviewed
// set); a 10,000-photo folder in the grid scrolled to the end, with the time from the command to the
// first thumbnails painted and the webview's DOM node count printed.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { describeVsCode } from './harness';
import { signIn } from './flows';
import { answerInputBox, answerQuickPick, clickNotificationButton, explorerContextMenu, openPhotoSync, pickContextMenuItem, runCommand, waitForNotification, waitForTreeRow } from './page';
import { makeJpeg } from '../unit/sync-fixtures';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const TRIP: Record<string, Buffer> = { 'Trip/IMG_0001.jpg': makeJpeg(11, { original: '2024:06:01 10:00:00' }, 96), 'Trip/IMG_0002.jpg': makeJpeg(12, undefined, 96), 'Trip/beach/IMG_0003.jpg': makeJpeg(13, undefined, 96) };
const NEW = Array.from({ length: 6 }, (_, i) => makeJpeg(100 + i, undefined, 48));
const CUT = readFileSync(path.join(process.cwd(), 'test/fixtures/media-validity/bad-truncated.jpg'));

/** The sync folder "Inbox", outside the workspace: 6 new photos, a copy of one, a Temp file the rules exclude, a damaged JPEG. */
function inboxFolder(): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'photo-sync-e2e-preview-')), 'Inbox');
  const files: Record<string, Buffer> = { 'copy of new1.jpg': NEW[0], 'Temp/skip.jpg': makeJpeg(200, undefined, 48), 'cut.jpg': CUT };
  NEW.forEach((b, i) => (files[`new${i + 1}.jpg`] = b));
  for (const [name, bytes] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), bytes);
  }
  // Past Google's 200 MB for photos, without writing 200 MB (a sparse file).
  writeFileSync(path.join(dir, 'huge.gif'), Buffer.alloc(1));
  truncateSync(path.join(dir, 'huge.gif'), 201 * 1024 * 1024);
  return dir;
}
const INBOX = inboxFolder();

/** The newest webview's content frame (VS Code nests the page in an iframe inside an iframe). */
function webview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
}

/**
 * Waits for the newest webview's page to exist and says how long that took. In some runs VS Code's
 * webview host (not our page) held every webview of the window for about 2.5 minutes while waiting
 * for its service worker to take control (the diagnosis of a failing test shows it); this waits that
 * out and prints it, so the steps after it measure our page, not that wait.
 */
async function webviewPage(page: Page): Promise<FrameLocator> {
  const started = Date.now();
  await webview(page).locator('#app').waitFor({ state: 'attached', timeout: 240_000 });
  const waited = Date.now() - started;
  if (waited > 10_000) console.log(`[preview] the webview page started only after ${Math.round(waited / 1000)} s (VS Code's webview host waiting for its service worker)`);
  return webview(page);
}

/** Right-clicks a row of the Photo Sync tree and picks a menu entry. */
async function treeContextMenu(page: Page, label: string, entry: string): Promise<void> {
  const row = page.locator('.part.sidebar .pane-body .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) }).first();
  await row.waitFor();
  await row.click({ button: 'right' });
  await pickContextMenuItem(page, entry);
}

async function loadedCells(frame: FrameLocator): Promise<number> {
  return frame.locator('.cell.loaded').count();
}

/** Waits for the n-th (0-based) painted thumbnail; a placeholder instead fails with its reason. */
async function waitForThumbnail(frame: FrameLocator, n = 0, timeout = 60_000): Promise<void> {
  const loaded = frame.locator('.cell.loaded').nth(n);
  const failed = frame.locator('.cell.failed').first();
  await Promise.race([loaded.waitFor({ timeout }), failed.waitFor({ timeout })]);
  if (!(await loaded.isVisible()) && (await failed.isVisible())) throw new Error(`A thumbnail failed: ${await failed.getAttribute('title')}`);
}

/** Requests of one Library method the emulator answered (its counters carry a service prefix). */
function countOf(counts: Record<string, number>, method: string): number {
  return Object.entries(counts).reduce((n, [key, value]) => (key === method || key.endsWith(`.${method}`) ? n + value : n), 0);
}

describeVsCode('preview', { testTimeoutMs: 7 * 60_000, machineSettings: { 'photoSync.folders': [{ path: INBOX, album: { mode: 'fixed', name: 'Inbox' }, exclude: ['**/Temp/**'] }] }, files: TRIP }, (vsTest) => {
  vsTest('an album’s thumbnail grid: fetched by the extension (one batchGet for the album), then a local folder’s grid', async (ctx) => {
    const { page } = ctx;
    await signIn(ctx);
    await explorerContextMenu(page, 'Trip', 'Upload Folder to Google Photos…');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Upload Trip to Google Photos' }).waitFor({ timeout: 60_000 });
    await answerQuickPick(page, 'New album “Trip”');
    await answerInputBox(page, 'Trip');
    await clickNotificationButton(page, 'Upload', { on: /Upload 3 files/ });
    await waitForNotification(page, /Uploaded 3 files/);
    const before = countOf((await ctx.emulator.control.state()).requestCounts, 'mediaItems.batchGet');

    await openPhotoSync(page);
    await waitForTreeRow(page, 'Trip', 'Library');
    await treeContextMenu(page, 'Trip', 'Show Thumbnails');
    const grid = await webviewPage(page);
    await waitForThumbnail(grid, 2);
    assert.equal(await loadedCells(grid), 3);
    assert.deepEqual((await grid.locator('.cell .name').allInnerTexts()).sort(), ['IMG_0001.jpg', 'IMG_0002.jpg', 'IMG_0003.jpg']);
    assert.equal(await grid.locator('.cell.failed').count(), 0);
    const counts = (await ctx.emulator.control.state()).requestCounts;
    const after = countOf(counts, 'mediaItems.batchGet');
    console.log(`[preview] emulator requests: ${JSON.stringify(counts)}`);
    assert.equal(after - before, 1, 'one batchGet for the three addresses');
    // The thumbnails come from the cache under global storage, through asWebviewUri.
    const src = await grid.locator('.cell.loaded img').first().getAttribute('src');
    assert.match(src ?? '', /thumbnails/);
    await ctx.screenshot('album-grid');

    // Click opens the full image in VS Code's image preview.
    await grid.locator('.cell.loaded').first().click();
    await page.locator('.tabs-container .tab', { hasText: 'IMG_0001.jpg' }).first().waitFor({ timeout: 30_000 });
    await webview(page).locator('img').first().waitFor({ timeout: 30_000 });
    await ctx.screenshot('album-full-image');
    await runCommand(page, 'View: Close All Editors');

    await explorerContextMenu(page, 'Trip', 'Show Thumbnails');
    const local = webview(page);
    await waitForThumbnail(local, 2);
    assert.equal(await local.locator('.cell').filter({ hasText: /IMG_000/ }).count(), 3);
    await ctx.screenshot('folder-grid');
    await runCommand(page, 'View: Close All Editors');
  });

  vsTest('Review Before Sync: every file with its action; Exclude on one; Upload These sends exactly the reviewed set', async (ctx) => {
    const { page } = ctx;
    await runCommand(page, 'Photo Sync: Review Before Sync');
    await answerQuickPick(page, 'Inbox');
    const review = webview(page);
    const chip = (action: string) => review.locator(`.chip.action-${action}`);
    await review.locator('.status', { hasText: /^10 of 10 files shown/ }).waitFor({ timeout: 60_000 });
    assert.equal(await chip('new').innerText(), 'New 6');
    assert.equal(await chip('duplicate').innerText(), 'Duplicate 1');
    // The scan meets "copy of new1.jpg" first: that one goes up, new1.jpg is its duplicate.
    assert.equal(await chip('excluded').innerText(), 'Excluded 1');
    assert.equal(await chip('too-large').innerText(), 'Too large 1');
    assert.equal(await chip('damaged').innerText(), 'Damaged 1');
    const row = (file: string) => review.locator('.row', { has: review.locator('.col-file', { hasText: new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });
    assert.match(await row('new1.jpg').innerText(), /Duplicate[\s\S]*same bytes as copy of new1\.jpg/);
    assert.match(await row('Temp/skip.jpg').innerText(), /exclude rule \*\*\/Temp\/\*\*/);
    assert.match(await row('cut.jpg').innerText(), /end-of-image/);
    assert.match(await review.locator('.summary').innerText(), /requests · [\d,]+ of 10,000 left today/);
    await ctx.screenshot('review');

    await row('new6.jpg').click();
    await review.locator('vscode-button.exclude-file').click();
    await review.locator('.chip.action-new', { hasText: 'New 5' }).waitFor({ timeout: 30_000 });
    assert.match(await row('new6.jpg').innerText(), /Excluded[\s\S]*exclude rule \.\/new6\.jpg/);
    await ctx.screenshot('review-after-exclude');

    await review.locator('vscode-button.upload', { hasText: 'Upload These 5' }).click();
    await waitForNotification(page, /Uploaded 5 files/, { timeout: 120_000 });
    await ctx.screenshot('review-uploaded');
    const state = await ctx.emulator.control.state();
    const inbox = state.albums.find((a) => a.title === 'Inbox');
    const inAlbum = state.mediaItems.filter((m) => inbox?.mediaItemIds.includes(m.id)).map((m) => m.sha256).sort();
    assert.deepEqual(inAlbum, NEW.slice(0, 5).map(sha).sort(), 'exactly the five reviewed new files; not new6 (excluded), not the damaged or the too-large one');
    assert.ok(!state.mediaItems.some((m) => m.sha256 === sha(CUT)), 'no request spent on the damaged file');
    const settings = [path.join(ctx.userDataDir, 'Machine', 'settings.json'), path.join(ctx.userDataDir, 'User', 'settings.json')].map((f) => {
      try {
        return readFileSync(f, 'utf8');
      } catch {
        return '';
      }
    });
    assert.ok(settings.some((s) => s.includes('./new6.jpg')), 'the exclude rule is saved with the folder');
    await runCommand(page, 'View: Close All Editors');
  });

  vsTest('10,000 photos: first thumbnails within about a second, scrolled to the end with a few hundred DOM nodes', async (ctx) => {
    const { page } = ctx;
    const big = path.join(ctx.workspace, 'Big');
    mkdirSync(big, { recursive: true });
    const base = makeJpeg(7, undefined, 32);
    for (let i = 0; i < 10_000; i++) {
      // Same picture, different bytes (a comment segment), like a burst.
      const comment = Buffer.from(`\xff\xfe\x00\x08${String(i).padStart(4, '0')}\x00\x00`, 'latin1');
      writeFileSync(path.join(big, `IMG_${String(i + 1).padStart(5, '0')}.jpg`), Buffer.concat([base.subarray(0, 2), comment, base.subarray(2)]));
    }
    await explorerContextMenu(page, 'Big', 'Show Thumbnails');
    const started = Date.now();
    const grid = webview(page);
    await waitForThumbnail(grid, 0);
    const seen = Date.now() - started;
    // Where the time went: the webview's marks (epoch ms on this machine's clock) since the command.
    const marks = await grid.locator('body').evaluate(async () => {
      // The painted mark comes two animation frames after the load the test just saw.
      for (let i = 0; i < 50 && !performance.getEntriesByName('photoSync:firstThumbnailPainted').length; i++) await new Promise((r) => setTimeout(r, 20));
      return performance.getEntriesByType('mark').map((m) => [m.name, performance.timeOrigin + m.startTime] as const);
    });
    const painted = marks.find(([name]) => name === 'photoSync:firstThumbnailPainted');
    assert.ok(painted, 'the webview marked its first painted thumbnail');
    // The page's own clock: Playwright's polling of two nested frames adds its own latency to `seen`.
    const firstPaint = Math.round(painted[1] - started);
    const navigation = await grid.locator('body').evaluate(() => performance.timeOrigin);
    console.log(`[preview] first screen: ${[['page', navigation] as const, ...marks].map(([name, at]) => `${name.replace('photoSync:', '')} +${Math.round(at - started)} ms`).join(', ')}`);
    await ctx.screenshot('grid-10000-first');
    assert.equal(await grid.locator('.count').innerText(), '10,000 items');

    await grid.locator('.grid').focus();
    await page.keyboard.press('End');
    const last = grid.locator('.cell[aria-posinset="10000"]');
    await last.waitFor({ timeout: 30_000 });
    await grid.locator('.cell.loaded[aria-posinset="10000"]').waitFor({ timeout: 60_000 });
    const nodes = await grid.locator('body').evaluate(() => document.getElementsByTagName('*').length);
    await ctx.screenshot('grid-10000-end');
    console.log(`[preview] 10,000 items: command → first thumbnails painted ${firstPaint} ms (target ≤ 1000; seen by the test's polling after ${seen} ms); webview DOM nodes at the end: ${nodes} (target ≤ 600)`);
    assert.ok(nodes <= 600, `${nodes} DOM nodes`);
    assert.equal(await last.locator('.name').innerText(), 'IMG_10000.jpg');
  });
});
