// The command line and the extension on one machine: VS Code (code-server) is signed in with a sync
// folder in its machine settings; `photo-sync --vscode-user-data <dir> sync` — signed in on its own,
// reading VS Code's settings and writing the index in the extension's global storage — backs the
// folder up, and the open window's sidebar shows the album and the folder's counts without a refresh.
// Then a run of the command line and Sync Now in the window at once: the window waits and says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withVsCode } from './harness';
import { signIn } from './flows';
import { openPhotoSync, runCommand, treeRows, waitForNotification, waitForTreeRow } from './page';
import { makeJpeg } from '../unit/sync-fixtures';
import { cliHome, cliSignIn, ensureCliBuilt, eventOf, runCli, startCli } from '../helpers/cli';

function photoFolder(): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'photo-sync-e2e-cli-')), 'Trip');
  mkdirSync(dir);
  for (let i = 0; i < 8; i++) writeFileSync(path.join(dir, `IMG_${2000 + i}.jpg`), makeJpeg(700 + i, undefined, 64));
  return dir;
}

const folder = photoFolder();

test('photo-sync sync with the extension’s settings and index: the sidebar shows the album and counts without a refresh', () =>
  withVsCode('cli', { machineSettings: { 'photoSync.folders': [{ path: folder, album: { mode: 'subfolders' } }] } }, async (ctx) => {
    const { page } = ctx;
    await ensureCliBuilt();
    await signIn(ctx);
    await openPhotoSync(page);
    await waitForTreeRow(page, /^Trip$/, 'Library', { timeout: 30_000 });
    const before = await treeRows(page, 'Library');
    assert.equal(before.find((r) => r.label === 'Trip')?.description, 'not synced yet');
    await ctx.screenshot('before-cli');

    // The command line signs in on its own (VS Code's tokens are encrypted and not shared).
    const home = cliHome();
    const vscode = ['--vscode-user-data', ctx.userDataDir];
    await cliSignIn(home, undefined, vscode);
    const run = await runCli(home, ['sync', '--json', ...vscode]);
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    const start = eventOf<{ index: string; folders: string[] }>(run, 'start');
    assert.equal(start.index, path.join(ctx.globalStorageDir, 'index.sqlite'), "the extension's index");
    assert.equal(eventOf<{ uploaded: number }>(run, 'summary').uploaded, 8);

    const state = await ctx.emulator.control.state();
    const album = state.albums.filter((a) => a.title === 'Trip');
    assert.equal(album.length, 1);
    assert.equal(album[0].mediaItemIds.length, 8);

    // No refresh pressed: the window picks up the index the command line saved.
    const deadline = Date.now() + 30_000;
    let rows = await treeRows(page, 'Library');
    while (Date.now() < deadline && !(rows.some((r) => r.label === 'Trip' && r.description === '8 items') && rows.some((r) => r.label === 'Trip' && r.description === '8 uploaded'))) {
      await page.waitForTimeout(250);
      rows = await treeRows(page, 'Library');
    }
    await ctx.screenshot('after-cli-sync');
    assert.ok(rows.some((r) => r.label === 'Trip' && r.description === '8 items'), `album row: ${JSON.stringify(rows)}`);
    assert.ok(rows.some((r) => r.label === 'Trip' && r.description === '8 uploaded'), `sync folder row: ${JSON.stringify(rows)}`);
    assert.ok(rows.some((r) => r.label === 'Albums' && r.description === '1'));

    const status = await runCli(home, ['status', ...vscode]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /Trip → Google Photos, one album per sub-folder: 8 uploaded/);

    // A cron run and the open window at once: Sync Now in VS Code waits for the command line's run
    // (the run lease) and says so; the photos are sent once.
    for (let i = 8; i < 14; i++) writeFileSync(path.join(folder, `IMG_${2000 + i}.jpg`), makeJpeg(700 + i, undefined, 64));
    const uploads = (await ctx.emulator.control.state()).requestCounts['library.uploads'];
    await ctx.emulator.control.faults({ type: 'latency', endpoint: 'library.uploads', ms: 1500 });
    const cron = startCli(home, ['sync', '--concurrency', '1', ...vscode]);
    await cron.waitFor(/Syncing folders to Google Photos: Uploading/, 60_000);
    await runCommand(page, 'Photo Sync: Sync Now');
    await waitForNotification(page, /Syncing in the photo-sync command line/, { timeout: 60_000 });
    await ctx.screenshot('sync-now-waits-for-the-command-line');
    const done = await cron.done;
    assert.equal(done.code, 0, `${done.stdout}\n${done.stderr}`);
    assert.match(done.stdout, /Uploaded 6 files; 8 already in Google Photos\./);
    await waitForNotification(page, /Everything is up to date: 14 files backed up to Google Photos\./, { timeout: 60_000 });
    await ctx.screenshot('sync-now-after-the-command-line');
    const after = await ctx.emulator.control.state();
    assert.equal(after.requestCounts['library.uploads'], uploads + 6, 'each new photo sent once');
    assert.equal(after.albums.find((a) => a.title === 'Trip')?.mediaItemIds.length, 14);
  }));
