// A folder synced to Google Drive in real VS Code (code-server + Chromium) against the emulator: the
// user signed in for Google Photos presses Sync Now on a folder whose destination is Google Drive;
// Google asks once more, for Drive access only (incremental consent on the same account); the
// upload runs; the sidebar's "Google Drive" row lists the Drive folders with their counts; the
// emulator holds every file once in the right Drive folder under "Photo Sync". A second Sync Now
// uploads nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withVsCode } from './harness';
import { signIn } from './flows';
import { clickNotificationButton, openPhotoSync, runCommand, treeRows, waitForNewTab, waitForNotification, waitForTreeRow } from './page';
import { makeJpeg } from '../unit/sync-fixtures';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const FOLDER_MIME = 'application/vnd.google-apps.folder';
const DRIVE_FILE = 'https://www.googleapis.com/auth/drive.file';

const PHOTOS: Record<string, Buffer> = {
  'IMG_0001.jpg': makeJpeg(701, { original: '2024:06:01 10:00:00' }, 64),
  'IMG_0002.jpg': makeJpeg(702, undefined, 64),
  'Beach/IMG_0003.jpg': makeJpeg(703, undefined, 64),
};

/** The sync folder "Trip", outside the workspace, named in the settings with "destination": "google-drive". */
function tripFolder(): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'photo-sync-e2e-drive-')), 'Trip');
  for (const [name, bytes] of Object.entries(PHOTOS)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), bytes);
  }
  return dir;
}

test('Sync Now on a folder synced to Google Drive: one more consent for Drive only, the Drive folders in the tree with counts, every file once in its Drive folder', () =>
  withVsCode('drive', { machineSettings: { 'photoSync.folders': [{ path: tripFolder(), destination: 'google-drive' }] } }, async (ctx) => {
    const { page } = ctx;
    await signIn(ctx);
    await openPhotoSync(page);
    await waitForTreeRow(page, 'Google Drive', 'Library', { timeout: 30_000 });
    await ctx.screenshot('drive-row-before-sync');
    const granted = async () => Object.values((await ctx.emulator.control.state()).grants).flat();
    assert.ok(!(await granted()).includes(DRIVE_FILE), 'signed in for Google Photos only');

    // Sync Now: Google asks for Drive access on the same account (incremental consent).
    const consent = await waitForNewTab(ctx.browserContext, async () => {
      await runCommand(page, 'Photo Sync: Sync Now');
      await clickNotificationButton(page, 'Allow', { on: /wants to sign in using Google Photos/ });
    });
    await consent.locator('#allow').waitFor();
    const consentText = await consent.locator('body').innerText();
    assert.match(consentText, /drive\.file|Google Drive/i, 'the consent page asks for Drive');
    await ctx.screenshot('drive-consent', consent);
    await Promise.all([consent.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/\?/), consent.click('#allow')]);
    await consent.close();

    await waitForNotification(page, /Uploaded 3 files/, { timeout: 90_000 });
    await ctx.screenshot('uploaded');

    // The sidebar: "Google Drive" beside Albums, its folders with counts.
    await openPhotoSync(page);
    await waitForTreeRow(page, /^Beach$/, 'Library', { timeout: 30_000 });
    const rows = await treeRows(page, 'Library');
    const driveRow = rows.find((r) => r.label === 'Google Drive');
    assert.equal(driveRow?.description, '2', 'two Drive folders');
    assert.deepEqual(
      rows.filter((r) => /items?$/.test(r.description ?? '')).map((r) => [r.label, r.description]),
      [
        ['Beach', '1 item'],
        ['Trip', '2 items'],
      ],
    );
    await ctx.screenshot('tree-drive-folders');

    // The emulator: one base folder, one Drive folder per album under it, every file once where it belongs.
    const state = await ctx.emulator.control.state();
    const files = state.drive.files;
    const bases = files.filter((f) => f.mimeType === FOLDER_MIME && f.name === 'Photo Sync' && !f.trashed);
    assert.equal(bases.length, 1);
    const folderOf = (name: string) => files.find((f) => f.mimeType === FOLDER_MIME && f.name === name && f.parents.includes(bases[0].id));
    const inFolder = (name: string) => files.filter((f) => f.parents.includes(folderOf(name)?.id ?? '-')).map((f) => [f.name, f.sha256]);
    assert.deepEqual(inFolder('Trip').sort(), [
      ['IMG_0001.jpg', sha(PHOTOS['IMG_0001.jpg'])],
      ['IMG_0002.jpg', sha(PHOTOS['IMG_0002.jpg'])],
    ]);
    assert.deepEqual(inFolder('Beach'), [['IMG_0003.jpg', sha(PHOTOS['Beach/IMG_0003.jpg'])]]);
    assert.equal(files.filter((f) => f.mimeType !== FOLDER_MIME).length, 3, 'every file once');
    assert.equal(state.mediaItems.filter((m) => !m.seeded).length, 0, 'nothing went to Google Photos');
    assert.ok((await granted()).includes(DRIVE_FILE), 'the same account now allows drive.file');
    const uploads = state.requestCounts['drive.upload'];

    // Sync Now again: nothing to do, no consent asked.
    await runCommand(page, 'Notifications: Clear All Notifications');
    await runCommand(page, 'Photo Sync: Sync Now');
    await waitForNotification(page, /Everything is up to date: 3 files backed up to Google Drive\./, { timeout: 60_000 });
    // Let the scan's notification finish closing before the picture.
    await page.waitForTimeout(1000);
    await ctx.screenshot('up-to-date');
    assert.equal((await ctx.emulator.control.state()).requestCounts['drive.upload'], uploads);
  }));
