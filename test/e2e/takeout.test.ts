// Google Takeout and the metadata doctor in real VS Code (code-server + Chromium) against the emulator:
// 1. "Check Capture Dates…" on a sync folder's row: a photo dated only by its name
//    (IMG_20180102_101010.jpg, no EXIF date) and one with a date in the future are listed with the
//    proposed dates and their evidence; the fix is applied; Sync Now uploads both, and the emulator
//    (which reads the capture time from the uploaded EXIF, as Google does) holds the right creation times.
// 2. "Import Google Takeout…" on a part in the Explorer: both parts of the export are imported into
//    the download folder (photos/YYYY/MM, albums/ links), and the report lists what matched.
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeVsCode } from './harness';
import { signIn } from './flows';
import { clickNotificationButton, explorerContextMenu, openPhotoSync, pickContextMenuItem, runCommand, waitForNotification, waitForTreeRow, answerQuickPick } from './page';
import { makeJpeg, tempDir } from '../unit/sync-fixtures';
import { writeParts, type TakeoutFile } from '../helpers/takeoutArchive';
import { ALBUM, sidecarJson, YEAR } from '../helpers/takeoutFixture';

const NAME_DATED = 'IMG_20180102_101010.jpg';
const FUTURE = 'IMG_0002.jpg';

/** The sync folder "Trip", outside the workspace: a photo dated only by its name, and one dated 2031. */
function tripFolder(): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'photo-sync-e2e-doctor-')), 'Trip');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, NAME_DATED), makeJpeg(801, undefined, 64));
  writeFileSync(path.join(dir, FUTURE), makeJpeg(802, { original: '2031:05:01 10:00:00' }, 64));
  const mtime = new Date('2022-03-18T09:12:00Z');
  utimesSync(path.join(dir, FUTURE), mtime, mtime);
  return dir;
}

describeVsCode(
  'takeout',
  { machineSettings: { 'photoSync.folders': [{ path: tripFolder() }], 'photoSync.download.folder': 'Backup' } },
  (vsTest) => {
    vsTest('Check Capture Dates on a sync folder: a name-dated photo and a future date are fixed before upload; Sync Now carries the right creation times', async (ctx) => {
      const { page } = ctx;
      await signIn(ctx);
      await openPhotoSync(page);
      await waitForTreeRow(page, 'Trip', 'Library');
      const row = page.locator('.part.sidebar .monaco-list-row', { has: page.locator('.label-name', { hasText: /^\s*Trip\s*$/ }) }).first();
      await row.click({ button: 'right' });
      await pickContextMenuItem(page, 'Check Capture Dates…');
      const title = page.locator('.quick-input-widget .quick-input-title', { hasText: /Check Capture Dates — 2 of 2 files need a date/ });
      await title.waitFor({ timeout: 60_000 });
      const list = await page.locator('.quick-input-widget .quick-input-list').innerText();
      assert.match(list, /IMG_20180102_101010\.jpg/);
      assert.match(list, /no date → 2018-01-02 10:10:10 \(from file name IMG_20180102_101010\.jpg\)/);
      assert.match(list, /2031-05-01 10:00:00 → 2022-03-18 09:12:00/);
      await ctx.screenshot('doctor-proposals');
      await page.keyboard.press('Enter');
      const fixed = await waitForNotification(page, /Fixed 2 capture dates/, { timeout: 60_000 });
      assert.match(fixed, /\(2 in EXIF\) and read them back/);
      await ctx.screenshot('doctor-fixed');

      await runCommand(page, 'Photo Sync: Sync Now');
      await waitForNotification(page, /Uploaded 2 files/, { timeout: 90_000 });
      await ctx.screenshot('uploaded-after-fix');
      const state = await ctx.emulator.control.state();
      const byName = new Map(state.mediaItems.filter((m) => !m.seeded).map((m) => [m.filename, m.creationTime]));
      assert.equal(byName.get(NAME_DATED), '2018-01-02T10:10:10.000Z');
      assert.match(byName.get(FUTURE) ?? '', /^2022-03-18T\d{2}:12:00.000Z$/, `the mtime's day and minute (in the machine's zone): ${byName.get(FUTURE)}`);
    });

    vsTest('Import Google Takeout on a part in the Explorer: both parts into photos/YYYY/MM and albums/, with a report of what matched', async (ctx) => {
      const { page } = ctx;
      const build = await tempDir('takeout-e2e-');
      const files: TakeoutFile[] = [
        { name: `${YEAR}/IMG_0001.jpg`, part: 0, data: makeJpeg(901, undefined, 64) },
        { name: `${YEAR}/IMG_0001.jpg.supplemental-metadata.json`, part: 1, data: sidecarJson({ title: 'IMG_0001.jpg', taken: 1_556_000_000, exifLat: 52.37, exifLon: 4.89, description: 'Canal' }) },
        { name: `${ALBUM}/IMG_0001.jpg`, part: 1, data: makeJpeg(901, undefined, 64) },
        { name: `${ALBUM}/IMG_0001.jpg.json`, part: 1, data: sidecarJson({ title: 'IMG_0001.jpg', taken: 1_556_000_000, exifLat: 52.37, exifLon: 4.89, description: 'Canal' }) },
        { name: `${ALBUM}/metadata.json`, part: 0, data: JSON.stringify({ title: 'Amsterdam 2022' }) },
        { name: `${YEAR}/IMG_0004(1).jpg`, part: 1, data: makeJpeg(904, undefined, 64) },
        { name: `${YEAR}/IMG_0004.jpg(1).json`, part: 0, data: sidecarJson({ title: 'IMG_0004.jpg', taken: 1_556_100_000 }) },
        { name: `${YEAR}/received_1234.jpeg`, part: 0, data: makeJpeg(905, undefined, 64) },
      ];
      for (const part of await writeParts(build, files, 'zip')) writeFileSync(path.join(ctx.workspace, path.basename(part)), readFileSync(part));
      await explorerContextMenu(page, 'takeout-20240712T112341Z-001.zip', 'Import Google Takeout…', { timeout: 60_000 });
      await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Import Google Takeout into…' }).waitFor({ timeout: 60_000 });
      await ctx.screenshot('takeout-choose-folder');
      await answerQuickPick(page, 'Backup');
      const done = await waitForNotification(page, /Takeout imported:/, { timeout: 90_000 });
      assert.match(done, /3 stored, 1 duplicate linked/);
      assert.match(done, /sidecars: 2 matched, 1 by fallback, 1 without/);
      await ctx.screenshot('takeout-imported');
      await clickNotificationButton(page, 'Show Report', { on: /Takeout imported/ });
      await page.locator('.monaco-editor .view-lines', { hasText: 'Google Takeout import' }).first().waitFor({ timeout: 30_000 });
      await ctx.screenshot('takeout-report');

      const backup = path.join(ctx.workspace, 'Backup');
      const stored = path.join(backup, 'photos/2019/04/IMG_0001.jpg');
      assert.ok(existsSync(stored));
      assert.equal(statSync(stored).mtimeMs, 1_556_000_000_000);
      const link = path.join(backup, 'albums/2019/04 Amsterdam 2022/IMG_0001.jpg');
      assert.ok(lstatSync(link).isSymbolicLink());
      assert.equal(realpathSync(link), realpathSync(stored));
      assert.ok(existsSync(path.join(backup, 'photos/2019/04/IMG_0004(1).jpg')));
      assert.ok(existsSync(path.join(backup, 'photos/undated/received_1234.jpeg')));
      // The sidecar's date went into the JPEG's EXIF.
      const exif = (await import('exifr')).default;
      const tags = await exif.parse(stored, { reviveValues: false });
      assert.equal(tags.DateTimeOriginal, '2019:04:23 06:13:20');
      assert.equal(tags.ImageDescription, 'Canal');
      await runCommand(page, 'Photo Sync: Show Log');
    });
  },
);
