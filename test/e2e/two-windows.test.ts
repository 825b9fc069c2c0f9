// Two VS Code windows on one machine share the index and the folder list. Sync Now pressed in both
// at once: the second window says a sync is running in another window and shows its progress, then
// finds everything done; Google holds one album and every photo once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withVsCode } from './harness';
import { signIn } from './flows';
import { openPhotoSync, runCommand, waitForNotification, waitForTreeRow, waitForWorkbench } from './page';
import { makeJpeg } from '../unit/sync-fixtures';

/** The sync folder: outside the workspace (a NAS share, a camera dump), named in the settings from the start. */
function photoFolder(): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'photo-sync-e2e-two-windows-')), 'Trip');
  mkdirSync(dir);
  for (let i = 0; i < 8; i++) writeFileSync(path.join(dir, `IMG_${1000 + i}.jpg`), makeJpeg(500 + i, undefined, 64));
  return dir;
}

test('Sync Now in two windows at once: the second waits for the first and says so; one album, every photo once', () =>
  withVsCode('two-windows', { machineSettings: { 'photoSync.folders': [{ path: photoFolder(), album: { mode: 'subfolders' } }] } }, async (ctx) => {
    const { page } = ctx;
    await signIn(ctx);
    // Slow uploads, so the first window's run is still going when the second asks.
    await ctx.emulator.control.faults({ type: 'latency', endpoint: 'library.uploads', ms: 1500 });

    const second = await ctx.browserContext.newPage();
    await second.setViewportSize({ width: 1280, height: 800 });
    await second.goto(ctx.url);
    await waitForWorkbench(second);

    // Both windows have read the new folder list once the sidebar shows it.
    for (const p of [page, second]) {
      await openPhotoSync(p);
      await waitForTreeRow(p, /^Trip$/, 'Library', { timeout: 30_000 });
    }

    await runCommand(page, 'Photo Sync: Sync Now');
    await waitForNotification(page, /Syncing folders to Google Photos/);
    await runCommand(second, 'Photo Sync: Sync Now');
    await waitForNotification(second, /Syncing in another VS Code window/, { timeout: 60_000 });
    await ctx.screenshot('second-window-waits', second);
    await ctx.screenshot('first-window-syncs');

    await waitForNotification(page, /Uploaded 8 files/, { timeout: 90_000 });
    await waitForNotification(second, /Everything is up to date: 8 files backed up to Google Photos/, { timeout: 90_000 });
    // The second window's sidebar follows what the first saved, without a refresh.
    await waitForTreeRow(second, (rows) => rows.some((r) => r.label === 'Trip' && r.description === '8 uploaded') && rows.some((r) => r.label === 'Trip' && r.description === '8 items'), 'Library', { timeout: 15_000 });
    await ctx.screenshot('second-window-up-to-date', second);

    const state = await ctx.emulator.control.state();
    assert.equal(state.albums.filter((a) => a.title === 'Trip').length, 1, 'one album');
    assert.equal(state.requestCounts['library.uploads'], 8, 'every photo sent once');
    assert.equal(state.mediaItems.filter((m) => !m.seeded).length, 8);
  }));
