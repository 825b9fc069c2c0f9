// Faults while downloading, against the emulator and real file systems: each ends in a clear recorded
// state and message, nothing half-written under a final name, and a retry or the next start finishes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { albumSource } from '../../src/sync/download/source';
import { DownloadFolderError } from '../../src/sync/download/pipeline';
import { makeJpeg } from '../unit/sync-fixtures';
import { bindReadOnly, mountTmpfs } from '../unit/localfs-mounts';
import { emulatorTokenSource } from '../helpers/emulatorAuth';
import { PICKER_SCOPES, SIGN_IN_SCOPES } from '../../src/google/scopes';
import { downloadFolder, listTree, partsIn, sha, startDownloadRig, uploadAlbum, waitFor } from './download-harness';

/** Photo-like JPEGs of about `kb` KB (noise does not compress). */
function bigJpeg(seed: number, kb: number): Buffer {
  const size = Math.ceil(Math.sqrt((kb * 1024) / 2));
  const jpegJs = makeJpeg(seed, { original: '2024:05:06 07:08:09' }, 8);
  // Random bytes after EOI make it big; the emulator accepts trailing data (motion photos carry a clip there).
  let x = seed >>> 0;
  const noise = Buffer.alloc(size * size * 2);
  for (let i = 0; i < noise.length; i++) noise[i] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
  return Buffer.concat([jpegJs, noise]);
}

test('a connection dropped after half the bytes, 429s on the listing and on the bytes: retried, every file whole, no temp file left', async () => {
  const rig = await startDownloadRig({ queue: { backoff: { baseMs: 10, maxMs: 50 } } });
  try {
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 4; i++) files[`f${i}.jpg`] = bigJpeg(900 + i, 200);
    const albumId = await uploadAlbum(rig, 'Flaky', files);
    const root = await downloadFolder();
    await rig.control.faults([
      { type: 'status', endpoint: 'library.mediaItems.search', status: 429, times: 2, retryAfterSeconds: 0 },
      { type: 'reset', endpoint: 'media.library', afterBytes: 100_000, times: 2 },
      { type: 'status', endpoint: 'media.library', status: 429, times: 2, retryAfterSeconds: 0 },
    ]);
    const plan = await rig.downloads.plan(albumSource(rig.provider, { id: albumId, title: 'Flaky' }), root, rig.settings, { retryDelayMs: () => 10 });
    const report = await rig.downloads.run(plan);
    assert.equal(report.downloaded, 4, JSON.stringify(report.failed));
    for (const file of report.files) assert.equal(sha(await fs.readFile(file)), sha(files[path.basename(file)]));
    assert.deepEqual(partsIn(await listTree(root)), []);
    const state = await rig.control.state();
    // A request may meet a reset and a 429 at once: at least two of them were asked again.
    assert.ok(state.requestCounts['media.library'] >= 6, `the dropped and refused ones were asked again (${state.requestCounts['media.library']})`);
  } finally {
    await rig.close();
  }
});

test('the disk fills up (a real 1 MiB tmpfs): the run stops saying how much space is needed, keeps what is whole, and a retry with space finishes', async (t) => {
  const tmpfs = mountTmpfs(t, 1024 * 1024);
  if (!tmpfs) {
    t.diagnostic('tmpfs cannot be mounted here: this test needs root');
    return;
  }
  const rig = await startDownloadRig({ queue: { concurrency: { download: 1 } } });
  try {
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 4; i++) files[`big${i}.jpg`] = bigJpeg(950 + i, 400);
    const albumId = await uploadAlbum(rig, 'Big', files);
    const root = tmpfs.dir;
    const source = albumSource(rig.provider, { id: albumId, title: 'Big' });
    const report = await rig.downloads.run(await rig.downloads.plan(source, root, rig.settings));
    assert.ok(report.stopped, 'stopped');
    assert.match(report.stopped ?? '', /Not enough space in .* it needs [\d,]+ bytes .* and [\d,]+ bytes .* are free/);
    assert.ok(report.downloaded >= 1 && report.downloaded < 4, `${report.downloaded} fitted`);
    const tree = await listTree(root);
    assert.deepEqual(partsIn(tree), [], 'no temp file left');
    for (const f of tree.filter((x) => x.startsWith('photos'))) assert.equal(sha(await fs.readFile(path.join(root, f))), sha(files[path.basename(f)]), `${f} is whole`);
    const rows = rig.index.downloads.bySource(`album:${albumId}`).items;
    assert.equal(rows.filter((r) => r.state === 'downloaded').length, report.downloaded);
    assert.equal(rows.filter((r) => r.state === 'pending').length + rows.filter((r) => r.state === 'failed').length, 4 - report.downloaded);

    // Space freed (the links and what fits moved away); the retry finishes the rest.
    for (const f of tree) await fs.rm(path.join(root, f));
    await rig.index.write((w) => {
      for (const r of rows) if (r.state === 'downloaded') w.downloads.update(r.id, { state: 'failed' });
    });
    const settings = { ...rig.settings, albumLinks: false };
    const retry = await rig.downloads.run(await rig.downloads.plan(source, root, settings));
    assert.ok(retry.downloaded >= 1, JSON.stringify(retry));
  } finally {
    await rig.close();
  }
});

test('a read-only download folder is refused before anything starts; a folder that vanishes mid-run stops the run and the retry into it again says so', async (t) => {
  const rig = await startDownloadRig({ queue: { concurrency: { download: 1 } } });
  try {
    const albumId = await uploadAlbum(rig, 'Ro', { 'a.jpg': makeJpeg(1001, undefined, 16), 'b.jpg': makeJpeg(1002, undefined, 16), 'c.jpg': makeJpeg(1003, undefined, 16) });
    const source = albumSource(rig.provider, { id: albumId, title: 'Ro' });
    const writable = await downloadFolder();
    const ro = bindReadOnly(t, writable);
    if (ro) {
      await assert.rejects(rig.downloads.plan(source, ro.dir, rig.settings), (err: unknown) => err instanceof DownloadFolderError && /read-only/.test(err.message));
    } else t.diagnostic('no bind mount here: the read-only case is not reached');

    const vanishing = path.join(await downloadFolder(), 'usb-stick');
    await fs.mkdir(vanishing);
    await rig.control.faults({ type: 'latency', endpoint: 'media.library', ms: 200 });
    const plan = await rig.downloads.plan(source, vanishing, rig.settings);
    const run = rig.downloads.run(plan);
    // Once the first photo is in place, the folder goes, as an unplugged or renamed drive folder does.
    await waitFor('a first photo in place', async () => (await listTree(vanishing).catch(() => [])).some((f) => f.endsWith('.jpg')), 10_000, 5);
    await fs.rename(vanishing, `${vanishing}-gone`);
    const report = await run;
    assert.match(report.stopped ?? '', /disappeared|does not exist/);
    assert.ok(report.downloaded >= 1 && report.downloaded < 3);
    const pending = rig.index.downloads.bySource(`album:${albumId}`).items.filter((r) => r.state !== 'downloaded');
    assert.ok(pending.length >= 1);
    await assert.rejects(rig.downloads.plan(source, vanishing, rig.settings), /does not exist/);
  } finally {
    await rig.close();
  }
});

test('the token is revoked mid-run: the run stops asking to sign in again; after signing in, the next start finishes it', async () => {
  const rig = await startDownloadRig({ queue: { concurrency: { download: 1 } } });
  try {
    const root = await downloadFolder();
    const state0 = await rig.control.state();
    const ids = state0.mediaItems.filter((m) => m.seeded).slice(0, 4).map((m) => m.id);
    await rig.control.faults({ type: 'latency', endpoint: 'media.picker', ms: 100 });
    let revoked = false;
    const result = await rig.flow().import({
      folder: root,
      settings: rig.settings,
      maxItemCount: 10,
      onSession: (info) => rig.control.pick(info.id, ids),
      onGroup: (group) => {
        const sub = group.onProgress((p) => {
          if (p.done >= 1 && !revoked) {
            revoked = true;
            sub.dispose();
            // The user removes the app's access in their Google account.
            void rig.tokens.client.revokeToken(rig.tokens.client.credentials.refresh_token as string).then(() => rig.control.expireTokens());
          }
        });
      },
    });
    assert.equal(result.kind, 'imported');
    if (result.kind !== 'imported') return;
    assert.match(result.report.stopped ?? '', /Sign in again/);
    assert.ok(result.report.downloaded >= 1 && result.report.downloaded < 4, String(result.report.downloaded));
    assert.deepEqual(partsIn(await listTree(root)), []);

    // Signed in again; the next start finishes what is left.
    await rig.restart(undefined, await emulatorTokenSource(rig.emulator, [...SIGN_IN_SCOPES, ...PICKER_SCOPES]));
    await rig.control.faults({ type: 'clear' });
    const leftovers = await rig.flow().finishLeftovers(rig.settings);
    assert.equal(leftovers.finished.length, 1);
    assert.deepEqual(rig.index.picker.countItems(result.sessionId), { downloaded: 4 });
    assert.equal((await listTree(root)).length, 4);
  } finally {
    await rig.close();
  }
});

test('VS Code closes mid-download of an album: rows stay pending, nothing half-written; the next start finishes from the journal with fresh addresses, each file once', async () => {
  const rig = await startDownloadRig({ queue: { concurrency: { download: 2 } } });
  try {
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 6; i++) files[`c${i}.jpg`] = bigJpeg(1100 + i, 100);
    const albumId = await uploadAlbum(rig, 'Closing', files);
    const root = await downloadFolder();
    await rig.control.faults({ type: 'bandwidth', mbps: 1 });
    const plan = await rig.downloads.plan(albumSource(rig.provider, { id: albumId, title: 'Closing' }), root, rig.settings);
    let closed: Promise<void> | undefined;
    await rig.downloads.run(plan, {
      onGroup: (group) => {
        const sub = group.onProgress((p) => {
          if (p.done >= 2 && !closed) {
            sub.dispose();
            closed = rig.queue.dispose();
          }
        });
      },
    });
    await closed;
    assert.deepEqual(partsIn(await listTree(root)), [], 'cancelled downloads removed their temp files');
    await rig.control.faults({ type: 'bandwidth', mbps: null });
    await rig.restart();
    const plans = await rig.downloads.planUnfinished(rig.settings);
    assert.equal(plans.length, 1);
    assert.ok(plans[0].downloads.length >= 1 && plans[0].downloads.length <= 4, String(plans[0].downloads.length));
    const report = await rig.downloads.run(plans[0]);
    assert.equal(report.failed.length, 0);
    const photos = (await listTree(root)).filter((f) => f.startsWith('photos'));
    assert.deepEqual(photos.map((f) => path.basename(f)).sort(), Object.keys(files).sort(), 'each file once, no " (1)" copies');
    for (const f of photos) assert.equal(sha(await fs.readFile(path.join(root, f))), sha(files[path.basename(f)]));
    assert.equal(rig.index.downloads.countBySource(`album:${albumId}`).downloaded, 6);
  } finally {
    await rig.close();
  }
});
