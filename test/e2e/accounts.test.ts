// Two Google accounts in real VS Code (code-server + Chromium) against the emulator (two users, each
// with a library of their own): sign in as the first, add two folders, then "Choose Account…" on the
// second folder's row → "Sign in with another account…" → the second user on the consent page; the
// rows show each folder's account; Sync Now puts each folder's photos into its own account's
// library. Then the second account signs out: Sync Now says the folder was not synced, offers Sign In
// and Choose Account…, and the first folder still syncs — nothing goes to the wrong library.
// Between: the Albums view lists each account's albums under its own row, and Verify Backup on the
// second account's album checks against the second account's library.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { withVsCode, type VsCodeContext } from './harness';
import { signIn } from './flows';
import { answerQuickPick, clickNotificationButton, explorerContextMenu, openPhotoSync, pickContextMenuItem, runCommand, waitForNewTab, waitForNotification, waitForTreeRow } from './page';
import { makeJpeg } from '../unit/sync-fixtures';

const ANN = 'photo.sync.tester@gmail.com';
const BEN = 'photo.sync.tester2@gmail.com';
const LIBRARY = 'Library';

const FILES: Record<string, string | Uint8Array> = {
  'Ann/a1.jpg': makeJpeg(901, undefined, 64),
  'Ann/a2.jpg': makeJpeg(902, undefined, 64),
  'Ben/b1.jpg': makeJpeg(911, undefined, 64),
  'Ben/b2.jpg': makeJpeg(912, undefined, 64),
  'Ben/b3.jpg': makeJpeg(913, undefined, 64),
};

/** Right-clicks a Library row by its label and picks a context menu entry. */
async function rowMenu(page: Page, label: string, entry: string): Promise<void> {
  const pane = page.locator('.part.sidebar .pane', { has: page.locator('.pane-header h3.title', { hasText: new RegExp(`^\\s*${LIBRARY}\\s*$`, 'i') }) }).first();
  const row = pane.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) }).first();
  await row.click({ button: 'right' });
  await pickContextMenuItem(page, entry);
}

/** App-created items per user email. */
async function libraries(ctx: VsCodeContext): Promise<Record<string, number>> {
  const state = await ctx.emulator.control.state();
  const out: Record<string, number> = {};
  for (const m of state.mediaItems.filter((i) => !i.seeded)) {
    const email = state.users.find((u) => u.sub === m.userSub)?.email ?? m.userSub;
    out[email] = (out[email] ?? 0) + 1;
  }
  return out;
}

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeout = 60_000): Promise<T> {
  const deadline = Date.now() + timeout;
  let last = await read();
  while (!ok(last) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 300));
    last = await read();
  }
  assert.ok(ok(last), `${what}: ${JSON.stringify(last)}`);
  return last;
}

async function addFolder(page: Page, name: string): Promise<void> {
  await explorerContextMenu(page, name, 'Add Folder to Sync…');
  await answerQuickPick(page, 'Google Photos');
  await answerQuickPick(page, 'One album per sub-folder');
  await answerQuickPick(page, 'Keep files where they are');
  await waitForNotification(page, new RegExp(`Added .*${name} to the sync folders`));
}

test('two accounts: Choose Account… on a folder row signs in the second account; each folder syncs into its own account’s library; a signed-out account’s folder is reported, not uploaded elsewhere', () =>
  withVsCode('accounts', { files: FILES, emulator: { users: 2 }, viewport: { width: 1280, height: 1100 } }, async (ctx) => {
    const { page } = ctx;
    await signIn(ctx);
    await addFolder(page, 'Ann');
    await addFolder(page, 'Ben');
    await runCommand(page, 'Notifications: Clear All Notifications');

    // Choose Account… on Ben's row: the signed-in account, and a new sign-in.
    await openPhotoSync(page);
    await waitForTreeRow(page, 'Ben', LIBRARY);
    await rowMenu(page, 'Ben', 'Choose Account…');
    await page.locator('.quick-input-widget .quick-input-list-row', { hasText: ANN }).first().waitFor();
    await ctx.screenshot('choose-account-one-signed-in');
    const consent = await waitForNewTab(ctx.browserContext, async () => {
      await answerQuickPick(page, 'Sign in with another account…');
      await clickNotificationButton(page, 'Allow', { on: /wants (you )?to sign in/ });
    });
    await consent.locator(`input[name="account"][value="${BEN}"]`).check();
    await Promise.all([consent.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/\?/), consent.click('#allow')]);
    await consent.getByText('Signed in to Google Photos').waitFor();
    await consent.close();
    await waitForNotification(page, `Ben syncs with ${BEN} from now on.`);

    // Both rows name their account now that there is a choice; the Accounts rows list both.
    await openPhotoSync(page);
    // The row shows the email's name part (short enough for a normal-width sidebar); the tooltip the whole address.
    const rows = await waitForTreeRow(page, (all) => all.some((r) => r.label === 'Ben' && r.description.endsWith('· photo.sync.tester2')) && all.some((r) => r.label === 'Ann' && r.description.endsWith('· photo.sync.tester')), LIBRARY);
    assert.ok(rows.some((r) => r.label === ANN) && rows.some((r) => r.label === BEN), `both accounts listed: ${JSON.stringify(rows)}`);
    await ctx.screenshot('rows-with-accounts');

    // The palette's Choose Account… asks which folder, then offers both accounts, Ben's marked current.
    await runCommand(page, 'Photo Sync: Choose Account…');
    await answerQuickPick(page, 'Ben');
    await page.locator('.quick-input-widget .quick-input-list-row', { hasText: BEN }).filter({ hasText: 'current' }).first().waitFor();
    await ctx.screenshot('choose-account-two-signed-in');
    await page.keyboard.press('Escape');

    await runCommand(page, 'Photo Sync: Sync Now');
    const libs = await until('each folder in its own library', () => libraries(ctx), (l) => l[ANN] === 2 && l[BEN] === 3, 120_000);
    assert.deepEqual(libs, { [ANN]: 2, [BEN]: 3 });
    const state = await ctx.emulator.control.state();
    const owner = (title: string) => state.users.find((u) => u.sub === state.albums.find((a) => a.title === title)?.userSub)?.email;
    assert.equal(owner('Ann'), ANN);
    assert.equal(owner('Ben'), BEN);
    await openPhotoSync(page);
    await waitForTreeRow(page, (all) => all.some((r) => r.label === 'Ben' && /^3 uploaded/.test(r.description)) && all.some((r) => r.label === 'Ann' && /^2 uploaded/.test(r.description)), LIBRARY, { timeout: 30_000 });
    await ctx.screenshot('synced-per-account');

    // Albums: one row per signed-in account, each holding its own account's album with its own count.
    const grouped = await waitForTreeRow(
      page,
      (all) => {
        const at = (label: string, description: RegExp) => all.findIndex((r) => r.label === label && description.test(r.description));
        // Account rows show the email's name part (the whole address is in the tooltip).
        const ann = at('photo.sync.tester', /^1 album$/);
        const ben = at('photo.sync.tester2', /^1 album$/);
        const annAlbum = at('Ann', /^2 items$/);
        const benAlbum = at('Ben', /^3 items$/);
        return ann >= 0 && ben > ann && annAlbum > ann && annAlbum < ben && benAlbum > ben;
      },
      LIBRARY,
      { timeout: 30_000 },
    );
    assert.ok(grouped.some((r) => r.label === 'Albums' && r.description === '2'), `Albums counts both accounts: ${JSON.stringify(grouped)}`);
    await ctx.screenshot('albums-per-account');

    // Show Thumbnails from the palette: with two accounts each album names the account it lives in.
    await runCommand(page, 'Photo Sync: Show Thumbnails');
    const albumRow = (title: string, email: string) => page.locator('.quick-input-widget .quick-input-list-row', { hasText: title }).filter({ hasText: `in the Google Photos of ${email}` }).first();
    await albumRow('Ann', ANN).waitFor();
    await albumRow('Ben', BEN).waitFor();
    await ctx.screenshot('show-thumbnails-albums-per-account');
    await page.keyboard.press('Escape');

    // Verify Backup on Ben's album row checks Ben's folder against Ben's library: an item taken out of
    // that album in Ben's library (the emulator's per-user state) is reported missing remotely.
    // With Ann's token Ben's album is not even readable (another user's app-created album).
    const benAlbum = state.albums.find((a) => a.title === 'Ben');
    const b1 = state.mediaItems.find((m) => m.userSub === benAlbum?.userSub && m.filename === 'b1.jpg');
    assert.ok(benAlbum && b1, 'Ben’s album and b1 in the emulator');
    await ctx.emulator.control.removeFromAlbum(benAlbum.id, [b1.id]);
    await runCommand(page, 'Notifications: Clear All Notifications');
    await rowMenu(page, 'Ben', 'Verify Backup');
    const verified = await waitForNotification(page, /finding|In sync/, { timeout: 60_000 });
    assert.match(verified, /^1 finding: 1 missing remotely; 2 in sync\./m);
    await waitForTreeRow(page, (all) => all.some((r) => /b1\.jpg/.test(r.label)), 'Verify Backup');
    await ctx.screenshot('verify-second-account');

    // Export Report… with two accounts signed in: the report names the account Ben's folder was checked against.
    await runCommand(page, 'Photo Sync: Export Report…');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Export Verify Report' }).waitFor({ timeout: 30_000 });
    await page.keyboard.press('Enter');
    await waitForNotification(page, /Verify report written to/);
    const reportName = `photo-sync-verify-${new Date().toISOString().slice(0, 10)}.md`;
    const report = readFileSync(path.join(ctx.workspace, reportName), 'utf8');
    assert.match(report, new RegExp(`^- Account: ${BEN.replace(/\./g, '\\.')}$`, 'm'));
    assert.match(report, /\| [^|]*Ben \| 3 \| 2 \| 1 \| 0 \|/);
    await page.locator('.tabs-container .tab', { hasText: reportName }).waitFor({ timeout: 30_000 });
    await page.waitForTimeout(500);
    await ctx.screenshot('verify-report-names-account');

    // Ben signs out; new photos in both folders: Ann's sync, Ben's is reported with Sign In / Choose Account….
    await runCommand(page, 'Photo Sync: Sign Out');
    await answerQuickPick(page, BEN);
    await waitForNotification(page, `Signed out of Google Photos (${BEN}).`);
    writeFileSync(path.join(ctx.workspace, 'Ann', 'a3.jpg'), makeJpeg(903, undefined, 64));
    writeFileSync(path.join(ctx.workspace, 'Ben', 'b4.jpg'), makeJpeg(914, undefined, 64));
    await runCommand(page, 'Notifications: Clear All Notifications');
    await runCommand(page, 'Photo Sync: Sync Now');
    const text = await waitForNotification(page, new RegExp(`Ben syncs with ${BEN.replace(/\./g, '\\.')}, which is not signed in`));
    assert.match(text, /Sign In/);
    assert.match(text, /Choose Account…/);
    await until('Ann’s new photo uploaded', () => libraries(ctx), (l) => l[ANN] === 3);
    await ctx.screenshot('signed-out-account-reported');
    assert.deepEqual(await libraries(ctx), { [ANN]: 3, [BEN]: 3 }, 'Ben’s new photo went nowhere');
    await openPhotoSync(page);
    await waitForTreeRow(page, (all) => all.some((r) => r.label === 'Ben' && r.description.startsWith('photo.sync.tester2 signed out · ')), LIBRARY);
    await ctx.screenshot('row-signed-out');
  }));
