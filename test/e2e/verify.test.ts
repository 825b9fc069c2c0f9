// Verify Backup in real VS Code (code-server + Chromium) against the emulator: a folder uploaded and
// kept in sync; one file deleted on disk, another item deleted in Google Photos' web UI (the emulator's
// control API); Verify Backup shows both in its view with their actions; Re-download restores the file
// byte-identical (it has no GPS for Google to strip); Export Report… writes the Markdown file.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { withVsCode } from './harness';
import { signIn } from './flows';
import { answerInputBox, answerQuickPick, clickNotificationButton, explorerContextMenu, openPhotoSync, runCommand, waitForNotification, waitForTreeRow } from './page';
import { makeJpeg } from '../unit/sync-fixtures';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const TRIP = {
  'Trip/IMG_0101.jpg': makeJpeg(301, { original: '2024:06:01 10:00:00' }, 64),
  'Trip/IMG_0102.jpg': makeJpeg(302, { original: '2024:06:02 11:00:00' }, 64),
  'Trip/IMG_0103.jpg': makeJpeg(303, { original: '2024:06:03 12:00:00' }, 64),
};

test('Verify Backup: a file deleted locally and an item deleted in Google Photos show with their actions; Re-download restores the file; Re-upload sends the other again; Export Report writes Markdown', () =>
  withVsCode('verify', { files: TRIP }, async (ctx) => {
    const { page } = ctx;
    await signIn(ctx);
    await explorerContextMenu(page, 'Trip', 'Upload Folder to Google Photos…');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Upload Trip to Google Photos' }).waitFor({ timeout: 60_000 });
    await answerQuickPick(page, 'New album “Trip”');
    await answerInputBox(page, 'Trip');
    await clickNotificationButton(page, 'Upload', { on: /Upload 3 files/ });
    await waitForNotification(page, /Uploaded 3 files/, { timeout: 60_000 });
    await clickNotificationButton(page, 'Keep in Sync', { on: /Uploaded 3 files/ });
    await waitForNotification(page, /is now a sync folder/);

    // A clean verify says so in one line.
    await runCommand(page, 'Photo Sync: Verify Backup');
    await waitForNotification(page, /In sync: 3 items checked on disk, in the index and in Google Photos\./, { timeout: 60_000 });
    await ctx.screenshot('verify-clean');
    await runCommand(page, 'Notifications: Clear All Notifications');

    // One file deleted on disk; another item deleted in Google Photos' web UI.
    const deleted = path.join(ctx.workspace, 'Trip', 'IMG_0101.jpg');
    rmSync(deleted);
    const state = await ctx.emulator.control.state();
    const gone = state.mediaItems.find((m) => m.sha256 === sha(TRIP['Trip/IMG_0102.jpg']));
    assert.ok(gone);
    await ctx.emulator.control.deleteMediaItem(gone.id);

    await runCommand(page, 'Photo Sync: Verify Backup');
    const said = await waitForNotification(page, /2 findings: 1 missing locally, 1 missing remotely; 1 in sync\./, { timeout: 60_000 });
    assert.ok(said);
    await openPhotoSync(page);
    const rows = await waitForTreeRow(page, (all) => all.some((r) => r.label === 'IMG_0101.jpg') && all.some((r) => r.label === 'IMG_0102.jpg'), 'Verify Backup');
    const row = (label: string) => rows.find((r) => r.label === label);
    assert.equal(row('Missing locally')?.description, '1');
    assert.equal(row('Missing remotely')?.description, '1');
    assert.match(row('IMG_0101.jpg')?.description ?? '', /gone from the folder/);
    assert.match(row('IMG_0102.jpg')?.description ?? '', /deleted in Google Photos/);
    assert.equal(row('Trip')?.description, '2 findings · 1 in sync');
    await ctx.screenshot('verify-findings');

    // The actions of each row, in its context menu.
    const pane = page.locator('.part.sidebar .pane', { has: page.locator('.pane-header h3.title', { hasText: /^\s*Verify Backup\s*$/i }) });
    const rowOf = (label: string) => pane.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${label.replace('.', '\\.')}\\s*$`) }) }).first();
    const menuEntries = async (label: string) => {
      await rowOf(label).click({ button: 'right' });
      const menu = page.locator('.monaco-menu-container .monaco-menu, .context-view .monaco-menu').first();
      await menu.waitFor();
      await page.waitForTimeout(300);
      const entries = (await menu.locator('.action-label').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
      return entries;
    };
    const remoteEntries = await menuEntries('IMG_0102.jpg');
    await ctx.screenshot('missing-remotely-actions');
    await page.keyboard.press('Escape');
    for (const e of ['Re-upload', 'Reveal in Explorer', 'Forget…']) assert.ok(remoteEntries.includes(e), JSON.stringify(remoteEntries));
    const localEntries = await menuEntries('IMG_0101.jpg');
    await ctx.screenshot('missing-locally-actions');
    for (const e of ['Re-download', 'Open in Google Photos', 'Forget…']) assert.ok(localEntries.includes(e), JSON.stringify(localEntries));

    // Re-download from the menu restores the file, byte-identical.
    const menu = page.locator('.monaco-menu-container .monaco-menu, .context-view .monaco-menu').first();
    await menu.locator('.action-label', { hasText: /^Re-download$/ }).click();
    await waitForNotification(page, /Re-downloaded 1 file: IMG_0101\.jpg/, { timeout: 60_000 });
    assert.ok(existsSync(deleted), 'the file is back');
    assert.equal(sha(readFileSync(deleted)), sha(TRIP['Trip/IMG_0101.jpg']), 'byte-identical');
    await waitForTreeRow(page, (all) => !all.some((r) => r.label === 'IMG_0101.jpg') && all.some((r) => r.label === 'IMG_0102.jpg'), 'Verify Backup');
    await ctx.screenshot('re-downloaded');

    // Re-upload from the menu sends IMG_0102 to Google Photos again, into its album.
    await runCommand(page, 'Notifications: Clear All Notifications');
    await rowOf('IMG_0102.jpg').click({ button: 'right' });
    await menu.waitFor();
    await page.waitForTimeout(300);
    await menu.locator('.action-label', { hasText: /^Re-upload$/ }).click();
    await waitForNotification(page, /Uploaded 1 file/, { timeout: 60_000 });
    const after = await ctx.emulator.control.state();
    const back = after.mediaItems.find((m) => m.sha256 === sha(TRIP['Trip/IMG_0102.jpg']));
    assert.ok(back && back.id !== gone.id, 'a new item with the same bytes');
    assert.ok(after.albums.find((a) => a.title === 'Trip')?.mediaItemIds.includes(back.id), 'in its album');
    await waitForTreeRow(page, (all) => all.some((r) => r.label === 'In sync'), 'Verify Backup');
    await ctx.screenshot('re-uploaded');

    // Export Report… writes the Markdown file (the save dialog proposes the workspace).
    await runCommand(page, 'Photo Sync: Export Report…');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Export Verify Report' }).waitFor({ timeout: 30_000 });
    await ctx.screenshot('export-dialog');
    await page.keyboard.press('Enter');
    await waitForNotification(page, /Verify report written to/);
    const day = new Date().toISOString().slice(0, 10);
    const reportFile = path.join(ctx.workspace, `photo-sync-verify-${day}.md`);
    assert.ok(existsSync(reportFile), reportFile);
    const md = readFileSync(reportFile, 'utf8');
    assert.match(md, /^# Photo Sync — Verify Backup/);
    assert.match(md, /- Date: \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC/);
    assert.match(md, /- Result: In sync/);
    assert.match(md, /\| Missing locally \| 0 \|/);
    await page.locator('.tabs-container .tab', { hasText: `photo-sync-verify-${day}.md` }).waitFor({ timeout: 30_000 });
    await page.waitForTimeout(500);
    await ctx.screenshot('report-exported');
  }));
