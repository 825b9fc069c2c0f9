// The sidebar, the Explorer badges and the status bar in real VS Code (code-server + Chromium) against
// the emulator, as a user sees them after backing up a folder: right-click → Add Folder to Sync… →
// Sync Now; then the Library view shows the account with today's requests, the albums with counts,
// the sync folder with its counts (each opening to its files: uploaded, failed with the reason,
// excluded with the reason); the Explorer marks uploaded and failed files; a failed upload stays in
// Activity with Retry, which uploads it; a spent daily quota shows "paused until" in Activity and in
// the status bar.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { withVsCode } from './harness';
import { signIn } from './flows';
import { answerQuickPick, clickNotificationButton, explorerContextMenu, openPhotoSync, openViewContainer, runCommand, treeRows, waitForNotification, waitForTreeRow, type TreeRow } from './page';
import { makeJpeg } from '../unit/sync-fixtures';

const FILES: Record<string, string | Uint8Array> = {
  'Trip/IMG_0001.jpg': makeJpeg(801, { original: '2024:06:01 10:00:00' }, 64),
  'Trip/IMG_0002.jpg': makeJpeg(802, undefined, 64),
  'Trip/day two/IMG_0003.jpg': makeJpeg(803, undefined, 64),
  // Not an image, under a type the damage check does not judge: Google itself refuses it (a failure with its reason).
  'Trip/corrupt.webp': 'this is not a webp at all',
  // Never sent: an empty file (excluded, with the reason); a text file is no photo and not listed.
  'Trip/empty.jpg': '',
  'Trip/notes.txt': 'not a photo',
};

const LIBRARY = 'Library';
const ACTIVITY = 'Activity';
const find = (rows: TreeRow[], label: string) => rows.find((r) => r.label === label);

/** Clicks a tree row (by label, and description when given, in a view) to expand or collapse it. */
async function clickRow(page: Page, viewTitle: string, label: string, description?: string): Promise<void> {
  const pane = page.locator('.part.sidebar .pane', { has: page.locator('.pane-header h3.title', { hasText: new RegExp(`^\\s*${viewTitle}\\s*$`, 'i') }) }).first();
  let row = pane.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) });
  if (description) row = row.filter({ has: page.locator('.label-description', { hasText: description }) });
  await row.first().click();
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Hovers a tree row and clicks one of its inline actions (by its title). */
async function inlineAction(page: Page, viewTitle: string, label: string, action: string): Promise<void> {
  const pane = page.locator('.part.sidebar .pane', { has: page.locator('.pane-header h3.title', { hasText: new RegExp(`^\\s*${viewTitle}\\s*$`, 'i') }) }).first();
  const row = pane.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: label }) }).first();
  await row.hover();
  await row.locator(`.actions .action-label[aria-label="${action}"]`).click();
}

/** The badge VS Code draws after an Explorer row's name (file decorations are CSS ::after content). */
async function explorerBadges(page: Page): Promise<Record<string, string>> {
  return page.locator('.part.sidebar .explorer-folders-view .monaco-list-row').evaluateAll((rows) => {
    const out: Record<string, string> = {};
    for (const row of rows) {
      const name = row.querySelector('.label-name')?.textContent?.trim() ?? '';
      let badge = '';
      for (const el of [row, ...Array.from(row.querySelectorAll('*'))]) {
        const content = getComputedStyle(el, '::after').content;
        if (content && content !== 'none' && content !== 'normal' && content !== '""') badge += content.replace(/^"|"$/g, '');
      }
      out[name] = badge;
    }
    return out;
  });
}

async function statusText(page: Page): Promise<string> {
  const item = page.locator('.part.statusbar .statusbar-item', { hasText: /Photo Sync|tasks?\b/ }).first();
  await item.waitFor();
  return (await item.innerText()).trim();
}

async function waitFor<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeout = 30_000): Promise<T> {
  const deadline = Date.now() + timeout;
  let last = await read();
  while (!ok(last) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 300));
    last = await read();
  }
  assert.ok(ok(last), `${what}: ${JSON.stringify(last)}`);
  return last;
}

test('the sidebar after an upload: accounts, albums with counts, a sync folder whose counts open to their files, Activity with Retry, Explorer badges, the status bar', () =>
  withVsCode('sidebar', { files: FILES, viewport: { width: 1280, height: 1100 } }, async (ctx) => {
    const { page } = ctx;
    await signIn(ctx);
    await openPhotoSync(page);
    // Signed in, nothing to sync yet: the status bar says idle, Activity offers to add a folder.
    assert.match(await waitFor('status bar', () => statusText(page), (t) => t === 'Photo Sync'), /^Photo Sync$/);
    await ctx.screenshot('signed-in-no-folder');

    // Explorer → Add Folder to Sync… (new in the folder's menu) → Google Photos, one album per sub-folder, keep files.
    await explorerContextMenu(page, 'Trip', 'Add Folder to Sync…');
    await answerQuickPick(page, 'Google Photos');
    await answerQuickPick(page, 'One album per sub-folder');
    await answerQuickPick(page, 'Keep files where they are');
    await clickNotificationButton(page, 'Sync Now', { on: /Added .*Trip to the sync folders/ });
    await waitForNotification(page, /Uploaded 3 files/, { timeout: 90_000 });
    const state = await ctx.emulator.control.state();
    assert.equal(state.mediaItems.filter((m) => !m.seeded).length, 3, 'three photos in Google Photos');

    // The Library view.
    await openPhotoSync(page);
    let rows = await waitForTreeRow(page, (all) => all.some((r) => r.label === 'Trip' && r.description === '3 uploaded · 1 failed'), LIBRARY, { timeout: 30_000 });
    const account = rows.find((r) => r.level === 2 && /^\d+\/10,000 today$/.test(r.description));
    assert.ok(account, `an account row with today's requests: ${JSON.stringify(rows)}`);
    const used = Number(/^(\d+)\//.exec(account.description)?.[1]);
    assert.ok(used >= 4, `the sync's requests are counted (${used})`);
    assert.equal(find(rows, 'Albums')?.description, '2');
    assert.deepEqual(
      rows.filter((r) => /items?$/.test(r.description)).map((r) => [r.label, r.description]),
      [
        ['day two', '1 item'],
        ['Trip', '2 items'],
      ],
    );

    // The sync folder opens to its counts, each count to exactly its files.
    await clickRow(page, LIBRARY, 'Trip', '3 uploaded · 1 failed');
    rows = await waitForTreeRow(page, 'Excluded', LIBRARY);
    assert.deepEqual(
      rows.filter((r) => ['Uploaded', 'To upload', 'Failed', 'Excluded'].includes(r.label)).map((r) => [r.label, r.description]),
      [
        ['Uploaded', '3'],
        ['Failed', '1'],
        ['Excluded', '1'],
      ],
    );
    await clickRow(page, LIBRARY, 'Failed');
    await clickRow(page, LIBRARY, 'Excluded');
    // Under the counts (level 4), not the folder's own file rows (level 3), which show first.
    rows = await waitForTreeRow(page, (all) => all.some((r) => r.label === 'empty.jpg' && r.level === 4) && all.some((r) => r.label === 'corrupt.webp' && r.level === 4), LIBRARY);
    const failedRow = rows.find((r) => r.label === 'corrupt.webp' && r.level === 4);
    assert.match(failedRow?.description ?? '', /\S/, 'the failure says why');
    const excluded = rows.filter((r) => r.level === 4 && ['empty.jpg', 'notes.txt'].includes(r.label));
    assert.deepEqual(excluded.map((r) => [r.label, r.description]), [['empty.jpg', 'the file is empty (0 bytes)']], `the excluded file with its reason: ${JSON.stringify(rows)}`);
    await ctx.screenshot('library-after-upload');

    // The Explorer: a badge on uploaded and on failed files (the reason in the hover), and on the folder.
    await openViewContainer(page, 'Explorer');
    await page.locator('.part.sidebar .explorer-folders-view .monaco-list-row', { has: page.locator('.label-name', { hasText: /^Trip$/ }) }).first().click();
    const badges = await waitFor('Explorer badges', () => explorerBadges(page), (b) => b['IMG_0001.jpg'] === '✓' && b['corrupt.webp'] === '!' && b.Trip === '!');
    assert.equal(badges['IMG_0002.jpg'], '✓');
    assert.equal(badges['empty.jpg'], '−');
    assert.equal(badges['notes.txt'], '', 'no badge on what is not a photo');
    assert.equal(badges.Trip, '!', 'the folder shows it holds a failure');
    await page.locator('.part.sidebar .explorer-folders-view .monaco-list-row', { has: page.locator('.label-name', { hasText: /^corrupt\.webp$/ }) }).first().hover();
    await page.waitForTimeout(1500);
    await ctx.screenshot('explorer-badges');

    // A failed upload stays in Activity with Retry; Retry uploads it.
    writeFileSync(path.join(ctx.workspace, 'Trip', 'IMG_0004.jpg'), makeJpeg(804, undefined, 64));
    await ctx.emulator.control.faults({ type: 'status', endpoint: 'POST /photoslibrary/v1/uploads*', status: 400, times: 1, message: 'Bad request (injected)' });
    await runCommand(page, 'Notifications: Clear All Notifications');
    await runCommand(page, 'Photo Sync: Sync Now');
    await openPhotoSync(page);
    rows = await waitForTreeRow(page, (all) => all.some((r) => r.description === '1 failed' && /Syncing folders/.test(r.label)), ACTIVITY, { timeout: 60_000 });
    await clickRow(page, ACTIVITY, rows.find((r) => r.description === '1 failed')?.label ?? '');
    await waitForTreeRow(page, 'IMG_0004.jpg', ACTIVITY);
    assert.equal(await statusText(page), 'Photo Sync', 'idle again');
    await ctx.screenshot('activity-failed-with-retry');
    await inlineAction(page, ACTIVITY, 'Syncing folders', 'Retry');
    await waitFor('IMG_0004 uploaded after Retry', async () => (await ctx.emulator.control.state()).mediaItems.filter((m) => !m.seeded).length, (n) => n === 4, 90_000);
    await waitFor('the failed action is gone from Activity', () => treeRows(page, ACTIVITY).catch(() => [] as TreeRow[]), (all) => !all.some((r) => r.description === '1 failed'));

    // The daily quota is spent: Activity and the status bar say until when; Cancel stops the waiting work.
    // The emulator's project has spent its day: every further Library request is answered 429 RESOURCE_EXHAUSTED.
    await ctx.emulator.control.faults({ type: 'dailyQuota', limit: 1 });
    for (let i = 5; i <= 7; i++) writeFileSync(path.join(ctx.workspace, 'Trip', `IMG_000${i}.jpg`), makeJpeg(800 + i, undefined, 64));
    await runCommand(page, 'Photo Sync: Sync Now');
    const paused = await waitFor('status bar paused', () => statusText(page), (t) => /paused until \d\d:\d\d/.test(t), 90_000);
    assert.match(paused, /Photo Sync paused until \d\d:\d\d \(daily quota\)/);
    await openPhotoSync(page);
    rows = await waitForTreeRow(page, (all) => all.some((r) => /^Paused until \d\d:\d\d$/.test(r.label)), ACTIVITY);
    await ctx.screenshot('activity-paused-status-bar');
    await page.locator('.part.statusbar .statusbar-item', { hasText: /paused until/ }).first().click();
    await inlineAction(page, ACTIVITY, 'Syncing folders', 'Cancel');
    await waitFor('idle after Cancel', () => statusText(page), (t) => t === 'Photo Sync', 30_000);
    await ctx.screenshot('after-cancel');
  }));
