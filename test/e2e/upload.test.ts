// Uploading a folder in real VS Code (code-server + Chromium) against the emulator: sign in,
// right-click a folder of photos in the Explorer → "Upload Folder to Google Photos…" → the album
// appears in the Photo Sync tree with its count and the emulator holds every file once; "Keep in
// Sync", then Sync Now uploads nothing, and after renaming a file it still uploads nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { renameSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { withVsCode, type VsCodeContext } from './harness';
import { signIn } from './flows';
import { answerInputBox, answerQuickPick, clickNotificationButton, openPhotoSync, openViewContainer, runCommand, waitForNotification, waitForTreeRow } from './page';
import { makeJpeg } from '../unit/sync-fixtures';
import { waitFor } from '../helpers/waitFor';

// Two of them carry 2 MB after the image (as motion photos carry their clip): files of 1 MB or more
// are hashed on worker threads, so this also proves the hashing threads run in the extension host.
const motion = (seed: number) => Buffer.concat([makeJpeg(seed, undefined, 64), Buffer.alloc(2 * 1024 * 1024, seed)]);
const PHOTOS = { 'Trip/IMG_0001.jpg': makeJpeg(1, { original: '2024:06:01 10:00:00' }, 64), 'Trip/IMG_0002.jpg': motion(2), 'Trip/day two/IMG_0003.jpg': motion(3) };
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Right-clicks a folder row of the Explorer and picks a context-menu entry. */
async function explorerContextMenu(page: Page, folder: string, entry: string): Promise<void> {
  await openViewContainer(page, 'Explorer');
  const row = page.locator('.part.sidebar .explorer-folders-view .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${folder}$`) }) }).first();
  await row.waitFor();
  await row.click({ button: 'right' });
  const item = page.locator('.monaco-menu .action-item .action-label', { hasText: entry }).first();
  await item.waitFor();
  // Let the menu finish opening (a click during its fade-in is ignored), then choose the entry.
  await page.waitForTimeout(300);
  await item.click();
}

async function libraryUploads(ctx: VsCodeContext): Promise<number> {
  return (await ctx.emulator.control.state()).requestCounts['library.uploads'] ?? 0;
}

test('Explorer → Upload Folder to Google Photos…: the album shows in the tree with its count, every file once; Sync Now and a rename upload nothing', () =>
  withVsCode('sync-upload', { files: PHOTOS }, async (ctx) => {
    const { page } = ctx;
    await signIn(ctx);
    await ctx.screenshot('signed-in');

    await explorerContextMenu(page, 'Trip', 'Upload Folder to Google Photos…');
    // The first use opens the index and loads the type table before the album list shows.
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Upload Trip to Google Photos' }).waitFor({ timeout: 60_000 });
    await answerQuickPick(page, 'New album “Trip”');
    await answerInputBox(page, 'Trip');
    const preview = await waitForNotification(page, /Upload 3 files .* to “Trip”\?/);
    assert.match(preview, /New: 3/);
    await ctx.screenshot('preview');
    await clickNotificationButton(page, 'Upload', { on: /Upload 3 files/ });
    await waitForNotification(page, /Uploaded 3 files/);
    await ctx.screenshot('uploaded');

    const state = await ctx.emulator.control.state();
    const mine = state.mediaItems.filter((m) => !m.seeded);
    assert.deepEqual(mine.map((m) => m.sha256).sort(), Object.values(PHOTOS).map(sha).sort(), 'every file once');
    const album = state.albums.find((a) => a.title === 'Trip');
    assert.equal(album?.mediaItemIds.length, 3);
    // The two big files were hashed on two worker threads, none handed back to the extension host's thread.
    const hashedOn = /Scanned .*Trip: files of 1 MB or more hashed (.*)$/m;
    const line = await waitFor('the scan’s hashing line in the Photo Sync log', async () => hashedOn.exec(await ctx.extensionLog())?.[1], 20_000, 250);
    assert.equal(line, '2 on 2 worker threads');

    await openPhotoSync(page);
    const rows = await waitForTreeRow(page, 'Trip', 'Library');
    assert.equal(rows.find((r) => r.label === 'Trip')?.description, '3 items');
    await ctx.screenshot('tree-album');

    await clickNotificationButton(page, 'Keep in Sync', { on: /Uploaded 3 files/ });
    await waitForNotification(page, /is now a sync folder/);
    const uploads = await libraryUploads(ctx);

    await runCommand(page, 'Photo Sync: Sync Now');
    await waitForNotification(page, /Everything is up to date: 3 files backed up to Google Photos\./);
    renameSync(path.join(ctx.workspace, 'Trip', 'IMG_0002.jpg'), path.join(ctx.workspace, 'Trip', 'renamed.jpg'));
    // So the next wait sees the new sync's message, not the previous one.
    await runCommand(page, 'Notifications: Clear All Notifications');
    await runCommand(page, 'Photo Sync: Sync Now');
    await waitForNotification(page, /Everything is up to date: 3 files backed up to Google Photos\./);
    await ctx.screenshot('sync-now-up-to-date');
    assert.equal(await libraryUploads(ctx), uploads, 'no bytes sent again');
    assert.equal((await ctx.emulator.control.state()).mediaItems.filter((m) => !m.seeded).length, 3);
  }));
