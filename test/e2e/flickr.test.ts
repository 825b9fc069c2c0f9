// Flickr in real VS Code (code-server + Chromium) against the emulator's Flickr: set up the API key,
// sign in from the welcome view through Flickr's authorize page (VS Code's "wants to sign in using
// Flickr", then "OK, I'll authorize it" in the browser tab), Sync Now a folder whose destination is
// Flickr, and the Flickr album appears in the Photo Sync tree with its count; the emulator holds
// every photo once, private, in one album made around its first photo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withVsCode } from './harness';
import { answerInputBox, clickNotificationButton, clickWelcomeButton, openPhotoSync, runCommand, waitForNewTab, waitForNotification, waitForTreeRow, welcomeButtons } from './page';
import { FlickrControl } from '../emulator/flickr/client';
import { DEFAULT_FLICKR_API_KEY, DEFAULT_FLICKR_API_SECRET } from '../emulator/index';
import { makeJpeg } from '../unit/sync-fixtures';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const PHOTOS: Record<string, Buffer> = {
  'IMG_0001.jpg': makeJpeg(701, { original: '2024:06:01 10:00:00' }, 64),
  'IMG_0002.jpg': makeJpeg(702, { original: '2024:06:01 11:00:00' }, 64),
  'Screenshot 2024-06-02 at 09.30.00.jpg': makeJpeg(703, undefined, 64),
};

/** The sync folder: outside the workspace (a camera dump), named in the settings with Flickr as its destination. */
function photoFolder(): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'photo-sync-e2e-flickr-')), 'Trip');
  mkdirSync(dir);
  for (const [name, bytes] of Object.entries(PHOTOS)) writeFileSync(path.join(dir, name), bytes);
  return dir;
}

test('Flickr: key set-up, sign-in on the authorize page, Sync Now, the album in the tree with its count', () =>
  withVsCode('flickr', { machineSettings: { 'photoSync.folders': [{ path: photoFolder(), destination: 'flickr' }] } }, async (ctx) => {
    const { page } = ctx;
    const flickr = new FlickrControl(ctx.emulator.controlUrl);
    await openPhotoSync(page);
    assert.ok((await welcomeButtons(page, 'Library')).includes('Sign In to Flickr'), 'the welcome view offers Flickr');
    await ctx.screenshot('welcome');

    await runCommand(page, 'Photo Sync: Set Up Flickr API Key…');
    await answerInputBox(page, DEFAULT_FLICKR_API_KEY);
    await answerInputBox(page, DEFAULT_FLICKR_API_SECRET);
    await waitForNotification(page, /Flickr API key saved/);

    const authorize = await waitForNewTab(ctx.browserContext, async () => {
      await clickWelcomeButton(page, 'Sign In to Flickr', 'Library');
      await clickNotificationButton(page, 'Allow', { on: /wants to sign in using Flickr/ });
    });
    assert.match(authorize.url(), /\/flickr\/services\/oauth\/authorize\?oauth_token=[^&]+&perms=write$/, `authorize tab opened ${authorize.url()}`);
    const allow = authorize.locator('button[value="allow"]');
    await allow.waitFor();
    await ctx.screenshot('authorize-page', authorize);
    await Promise.all([authorize.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/\?oauth_token=/), allow.click()]);
    await authorize.getByText('Flickr answered').waitFor();
    await ctx.screenshot('authorized-tab', authorize);
    await authorize.close();
    await waitForNotification(page, /Signed in to Flickr as photo\.sync\.tester\./);
    const afterSignIn = await waitForTreeRow(page, 'Flickr', 'Library', { timeout: 30_000 });
    assert.equal(afterSignIn.find((r) => r.label === 'Flickr')?.description, '0 albums');
    assert.ok(afterSignIn.some((r) => r.label === 'Trip'), 'the sync folder row');
    await ctx.screenshot('signed-in-tree');

    const state = await flickr.state();
    assert.equal(state.tokens.length, 1);
    assert.equal(state.tokens[0].perms, 'write');

    await runCommand(page, 'Photo Sync: Sync Now');
    await waitForNotification(page, /Syncing folders to Flickr/, { timeout: 60_000 });
    await waitForNotification(page, /Uploaded 3 files/, { timeout: 90_000 });
    await ctx.screenshot('synced');

    // The sync folder row is also labelled Trip: wait for the refreshed Flickr row, not for any Trip.
    const rows = await waitForTreeRow(page, (all) => all.some((r) => r.label === 'Flickr' && r.description === '1 album'), 'Library', { timeout: 30_000 });
    const flickrAt = rows.findIndex((r) => r.label === 'Flickr');
    const album = rows.find((r, i) => i > flickrAt && r.label === 'Trip' && r.level === 2);
    assert.equal(rows[flickrAt]?.description, '1 album');
    assert.equal(album?.description, '3 items');
    await ctx.screenshot('tree-flickr-album');

    const after = await flickr.state();
    const photos = after.photos.filter((p) => p.owner === '190012345@N07');
    assert.deepEqual(photos.map((p) => p.sha256).sort(), Object.values(PHOTOS).map(sha).sort(), 'every photo once');
    assert.ok(photos.every((p) => !p.is_public), 'uploaded private');
    assert.deepEqual(after.photosets.map((s) => [s.title, s.photoIds.length]), [['Trip', 3]]);
    assert.equal(photos.find((p) => p.title === 'Screenshot 2024-06-02 at 09.30.00')?.date_taken, '2024-06-02 09:30:00', 'the date from the file name');

    await runCommand(page, 'Notifications: Clear All Notifications');
    await runCommand(page, 'Photo Sync: Sync Now');
    await waitForNotification(page, /Everything is up to date: 3 files backed up to Flickr\./, { timeout: 60_000 });
    await ctx.screenshot('up-to-date');
  }));
