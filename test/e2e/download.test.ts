// Getting photos back in real VS Code (code-server + Chromium) against the emulator:
// 1. "Import from Google Photos…" asks for the Picker scope (incremental consent in the browser), opens
//    the emulator's picker page in a browser tab; the test ticks three photos and presses Done; the
//    files arrive in photos/YYYY/MM of the workspace, as =d serves them; the sidebar shows the import.
// 2. "Download Album…" on the row of an album uploaded earlier brings its files back byte-identical
//    (they carry no GPS, which Google would strip).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describeVsCode, REPO_ROOT } from './harness';
import { signIn } from './flows';
import {
  answerInputBox,
  answerQuickPick,
  clickNotificationButton,
  explorerContextMenu,
  notificationTexts,
  openPhotoSync,
  runCommand,
  showNotificationCenter,
  treeRows,
  waitForNewTab,
  waitForNotification,
  waitForTreeRow,
} from './page';
import { stripGps } from '../emulator/exif';
import { makeJpeg } from '../unit/sync-fixtures';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const LIBRARY = path.join(REPO_ROOT, 'test', 'fixtures', 'photos');
const PICKED = ['DSC_0412.jpg', 'IMG_20190614_083012.jpg', 'PXL_20230415_102233.jpg'];
const TRIP = {
  'Trip/IMG_0101.jpg': makeJpeg(101, { original: '2024:06:01 10:00:00' }, 64),
  'Trip/IMG_0102.jpg': makeJpeg(102, { original: '2024:06:02 11:00:00' }, 64),
  'Trip/IMG_0103.jpg': makeJpeg(103, { original: '2024:07:03 12:00:00' }, 64),
};

describeVsCode('download', { files: TRIP }, (vsTest) => {
  vsTest('Import from Google Photos: consent for the Picker, the picker page in a browser tab, three photos picked, files in photos/YYYY/MM, the import in the sidebar', async (ctx) => {
    const { page } = ctx;
    await signIn(ctx);
    await runCommand(page, 'Photo Sync: Import from Google Photos…');
    // The folder: the workspace (the default), or another.
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Import from Google Photos into…' }).waitFor({ timeout: 60_000 });
    await ctx.screenshot('choose-folder');
    await answerQuickPick(page, 'workspace');

    // First use of the Picker: VS Code asks, then Google's consent page asks for the new scope.
    const consent = await waitForNewTab(ctx.browserContext, () => clickNotificationButton(page, 'Allow', { on: /wants to sign in using Google Photos/, timeout: 30_000 }));
    await consent.locator('#allow').waitFor();
    await ctx.screenshot('picker-consent', consent);
    const picker = await waitForNewTab(ctx.browserContext, async () => {
      await consent.click('#allow');
      await consent.getByText('Signed in to Google Photos').waitFor();
      await consent.close();
    });
    await picker.waitForLoadState('load');
    await ctx.screenshot('picker-opened', picker);
    assert.match(picker.url(), /\/photos\/picker\/[^/]+\/autoclose$/, `pickerUri + /autoclose: ${picker.url()}`);
    // The waiting is a progress notification (Cancel ends the session); the link lives in a status bar item.
    await waitForNotification(page, /Waiting for you to pick photos in Google Photos…/);
    const linkItem = page.locator('.part.statusbar .statusbar-item', { hasText: 'Google Photos Picker' });
    await linkItem.waitFor();
    await ctx.screenshot('waiting-for-pick');

    for (const name of PICKED) await picker.locator('label', { hasText: name }).locator('input[type=checkbox]').check();
    await picker.locator('#count', { hasText: '3 selected' }).waitFor();
    await ctx.screenshot('picker-page', picker);
    await picker.locator('#done').click();

    const done = await waitForNotification(page, /Imported 3 items/, { timeout: 60_000 });
    assert.match(done, /into photos\/2019\/06, photos\/2020\/02 and photos\/2023\/04/);
    await ctx.screenshot('imported');
    // Nothing about the picking stays behind: not the link in the status bar, not a notification
    // (toast or notification center) offering the link or asking to pick.
    await linkItem.waitFor({ state: 'detached' });
    await page.locator('.notification-toast', { hasText: /Waiting for you to pick/ }).waitFor({ state: 'detached', timeout: 10_000 });
    await showNotificationCenter(page);
    const stale = (await notificationTexts(page)).filter((t) => /pick photos|Copy Link|Open Again|Google Photos opened/.test(t));
    assert.deepEqual(stale, [], 'no stale Picker notification');
    await ctx.screenshot('imported-nothing-stale');
    await page.keyboard.press('Escape');

    const state = await ctx.emulator.control.state();
    assert.equal(state.pickerSessions.length, 1);
    assert.equal(state.pickerSessions[0].deleted, true, 'the session was deleted');
    for (const name of PICKED) {
      const item = state.mediaItems.find((m) => m.filename === name);
      const file = path.join(ctx.workspace, 'photos', item?.creationTime.slice(0, 4) ?? '', item?.creationTime.slice(5, 7) ?? '', name);
      assert.ok(existsSync(file), `${file} arrived`);
      assert.equal(sha(readFileSync(file)), sha(stripGps(readFileSync(path.join(LIBRARY, name)))), `${name}: what Google serves with =d`);
    }

    await openPhotoSync(page);
    // The import's row is redrawn once the index records the import (refreshes are throttled while
    // work runs): wait for its final text rather than read the first drawing ("listing what was picked…").
    const importRowOf = (all: { label: string; description?: string }[]) => all[all.findIndex((r) => r.label === 'Imported') + 1];
    const rows = await waitForTreeRow(page, (all) => /^3 downloaded · workspace$/.test(importRowOf(all)?.description ?? ''), 'Library').catch(async (err: Error) => {
      await ctx.screenshot('sidebar-imported-not-updated');
      throw err;
    });
    assert.match(importRowOf(rows)?.description ?? '', /^3 downloaded · workspace$/);
    await ctx.screenshot('sidebar-imported');
  });

  vsTest('Download Album on an album uploaded earlier brings its files back byte-identical into photos/YYYY/MM, with its albums/ entries', async (ctx) => {
    const { page } = ctx;
    await explorerContextMenu(page, 'Trip', 'Upload Folder to Google Photos…');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Upload Trip to Google Photos' }).waitFor({ timeout: 60_000 });
    await answerQuickPick(page, 'New album “Trip”');
    await answerInputBox(page, 'Trip');
    await clickNotificationButton(page, 'Upload', { on: /Upload 3 files/ });
    await waitForNotification(page, /Uploaded 3 files/, { timeout: 60_000 });

    await openPhotoSync(page);
    await waitForTreeRow(page, 'Trip', 'Library');
    const album = page.locator('.part.sidebar .monaco-list-row', { has: page.locator('.label-name', { hasText: /^\s*Trip\s*$/ }) }).first();
    await album.hover();
    const action = album.locator('.actions .action-label[aria-label="Download Album…"]');
    await action.waitFor();
    await ctx.screenshot('album-row-download-action');
    await action.click();
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Download “Trip” into…' }).waitFor();
    await answerQuickPick(page, 'workspace');
    const ask = await waitForNotification(page, /Download 3 items from “Trip” into/);
    assert.match(ask, /without location data/);
    await ctx.screenshot('confirm-download');
    await clickNotificationButton(page, 'Download', { on: /Download 3 items from “Trip”/ });
    const done = await waitForNotification(page, /Downloaded 3 items of “Trip”/, { timeout: 60_000 });
    assert.match(done, /into photos\/2024\/06 and photos\/2024\/07/);
    await ctx.screenshot('album-downloaded');

    for (const [rel, bytes] of Object.entries(TRIP)) {
      const name = path.basename(rel);
      const month = name === 'IMG_0103.jpg' ? '07' : '06';
      const file = path.join(ctx.workspace, 'photos', '2024', month, name);
      assert.equal(sha(readFileSync(file)), sha(bytes), `${name} is byte-identical to the uploaded file`);
      assert.equal(sha(readFileSync(path.join(ctx.workspace, 'albums', '2024', '07 Trip', name))), sha(bytes), `albums/2024/07 Trip/${name} leads to it`);
    }

    // The album row opens to its items, whose menu says plainly that apps cannot delete.
    await album.click();
    await waitForTreeRow(page, 'IMG_0101.jpg', 'Library');
    const item = page.locator('.part.sidebar .monaco-list-row', { has: page.locator('.label-name', { hasText: /^\s*IMG_0101\.jpg\s*$/ }) }).first();
    await item.click({ button: 'right' });
    const menu = page.locator('.monaco-menu-container .monaco-menu, .context-view .monaco-menu').first();
    await menu.waitFor();
    const entries = (await menu.locator('.action-label').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
    for (const entry of ['Open in Google Photos', 'Remove from Album', 'Delete from Google Photos…']) assert.ok(entries.includes(entry), JSON.stringify(entries));
    await ctx.screenshot('album-item-menu');
    await menu.locator('.action-label', { hasText: 'Delete from Google Photos…' }).hover();
    await page.waitForTimeout(200);
    await page.keyboard.press('Enter');
    const said = await waitForNotification(page, /Photo Sync cannot delete “IMG_0101\.jpg”/);
    assert.match(said, /does not let apps delete photos or videos/);
    await ctx.screenshot('delete-impossible');
    await clickNotificationButton(page, 'Cancel', { on: /cannot delete/ }).catch(() => page.keyboard.press('Escape'));
    const rows = await treeRows(page, 'Library');
    assert.ok(rows.some((r) => r.label === 'Imported'));
  });
});
