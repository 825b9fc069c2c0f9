// Two VS Code windows share one index file and one folder list. Pressing Sync Now in both at once
// made the same album twice and sent some bytes twice; a lease beside the index lets one run per
// account and folder at a time, and album creation is guarded across windows too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { createDestination } from '../../src/destinations/factory';
import { openIndex } from '../../src/index/openIndex';
import type { SyncFolder } from '../../src/sync/config';
import { RunLeases, type LeaseHolder } from '../../src/sync/runLease';
import { createIndexJournal } from '../../src/tasks/indexJournal';
import { TaskQueue } from '../../src/tasks/queue';
import { nullLogger } from '../../src/util/logger';
import { makeJpeg, tempDir, writeTree } from '../unit/sync-fixtures';
import { ACCOUNT, folder, remoteItems, startRig, WASM_DIR, type Rig } from './sync-harness';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A second window: its own index instance over the same file (watching it), its own queue and pipeline. */
async function secondWindow(rig: Rig, indexOptions: { watch?: boolean; saveDebounceMs?: number; maxSaveDelayMs?: number } = {}) {
  const index = await openIndex({ storageDir: rig.storageDir, wasmDir: WASM_DIR, saveDebounceMs: 50, maxSaveDelayMs: 500, ...indexOptions });
  const queue = new TaskQueue({ concurrency: { upload: 4 }, journal: createIndexJournal(index) });
  const { pipeline } = await createDestination('google-photos', { index, queue, accountId: ACCOUNT, tokenSource: rig.tokens, endpoints: rig.emulator.endpoints, log: nullLogger, leaseLabel: 'window B' });
  return { index, queue, pipeline, close: async () => (await queue.dispose(), await index.dispose()) };
}

/** What the Sync Now command does: the run holds the folders' leases. */
function syncNow(pipeline: Rig['pipeline'], folders: SyncFolder[], onBusy?: (h: LeaseHolder) => void) {
  return pipeline.exclusive(folders, () => pipeline.sync(folders), { onBusy });
}

test('Sync Now in two windows at once: one run at a time, one album, every file sent once; the second says who is syncing', async () => {
  const rig = await startRig();
  const b = await secondWindow(rig);
  try {
    const root = path.join(await tempDir(), 'Shared');
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 9; i++) files[`p${i}.jpg`] = makeJpeg(700 + i);
    await writeTree(root, files);
    const f = folder({ path: root });
    // Slow uploads, so the two runs overlap.
    await rig.control.faults({ type: 'latency', endpoint: 'library.uploads', ms: 150 });
    const seen: LeaseHolder[] = [];
    const [ra, rb] = await Promise.all([syncNow(rig.pipeline, [f]), new Promise((r) => setTimeout(r, 20)).then(() => syncNow(b.pipeline, [f], (h) => seen.push(h)))]);
    assert.ok(seen.length > 0, 'the second window waited for the first');
    assert.equal(seen[0].label, 'another Photo Sync', 'and could say who holds it');
    assert.equal(ra.report.uploaded + rb.report.uploaded, 9);
    assert.equal(rb.plan.uploads.length, 0, 'the second run found everything done');
    const state = await rig.control.state();
    assert.equal(state.albums.filter((a) => a.title === 'Shared').length, 1, 'one album');
    assert.equal(state.requestCounts['library.uploads'], 9, 'no bytes sent twice');
    assert.deepEqual((await remoteItems(rig.control)).map((m) => m.sha256).sort(), Object.values(files).map(sha).sort());
  } finally {
    await b.close();
    await rig.close();
  }
});

test('two windows syncing different folders into the same album at once create it once', async () => {
  const rig = await startRig();
  const b = await secondWindow(rig);
  try {
    const base = await tempDir();
    await writeTree(path.join(base, 'One'), { 'a.jpg': makeJpeg(801) });
    await writeTree(path.join(base, 'Two'), { 'b.jpg': makeJpeg(802) });
    const one = folder({ path: path.join(base, 'One'), album: { mode: 'fixed', name: 'Together' } });
    const two = folder({ path: path.join(base, 'Two'), album: { mode: 'fixed', name: 'Together' } });
    // A slow create: without the guard both windows would send one.
    await rig.control.faults({ type: 'latency', endpoint: 'library.albums.create', ms: 300 });
    const [ra, rb] = await Promise.all([syncNow(rig.pipeline, [one]), syncNow(b.pipeline, [two])]);
    assert.deepEqual([...ra.report.failed, ...rb.report.failed], []);
    const state = await rig.control.state();
    const together = state.albums.filter((a) => a.title === 'Together');
    assert.equal(together.length, 1, 'one album “Together”');
    assert.equal(together[0].mediaItemIds.length, 2);
    assert.equal(state.requestCounts['library.albums.create'], 1);
  } finally {
    await b.close();
    await rig.close();
  }
});

test('a lease left by a run whose process died is taken over', async () => {
  const rig = await startRig();
  try {
    const root = path.join(await tempDir(), 'Orphan');
    await writeTree(root, { 'a.jpg': makeJpeg(811) });
    const f = folder({ path: root });
    const key = RunLeases.runKey('google-photos', ACCOUNT, root);
    mkdirSync(path.join(rig.storageDir, 'leases'), { recursive: true });
    // pid 2^22+1 is above Linux's pid_max: no such process.
    writeFileSync(path.join(rig.storageDir, 'leases', `${key}.lease`), JSON.stringify({ pid: 4_194_305, host: hostname(), owner: 'gone', acquiredAt: 1, label: 'a crashed window' }));
    const { report } = await syncNow(rig.pipeline, [f]);
    assert.equal(report.uploaded, 1);
  } finally {
    await rig.close();
  }
});

// The hand-over: a run saved its last receipts only after letting go of the lease (the command line
// saves on a debounce), or the next window planned from its copy before its file watch re-read the
// save. Either way the next run planned the files again and committed their uploads a second time.
for (const [name, first, next] of [
  ['the first run’s last receipts are still unsaved when it lets go', { saveDebounceMs: 60_000, maxSaveDelayMs: 60_000 }, {}],
  ['the next window’s copy has not yet seen the save (no file watch)', {}, { watch: false }],
] as const) {
  test(`a run that waited for another finds its files done: ${name}`, async () => {
    const rig = await startRig();
    const a = await secondWindow(rig, first);
    const b = await secondWindow(rig, next);
    try {
      const root = path.join(await tempDir(), 'Handover');
      await writeTree(root, { 'a.jpg': makeJpeg(821), 'b.jpg': makeJpeg(822) });
      const f = folder({ path: root });
      await syncNow(a.pipeline, [f]);
      // b read the index before a's run and has not looked since.
      await writeTree(root, { 'c.jpg': makeJpeg(823), 'd.jpg': makeJpeg(824) });
      await syncNow(a.pipeline, [f]);
      const { plan, report } = await syncNow(b.pipeline, [f]);
      assert.equal(plan.uploads.length, 0, 'the waiting run planned nothing');
      assert.equal(report.uploaded, 0);
      const state = await rig.control.state();
      assert.equal(state.requestCounts['library.uploads'], 4, 'no bytes sent twice');
      assert.equal(state.requestCounts['library.mediaItems.batchCreate'], 2, 'nothing committed twice');
      assert.equal((await remoteItems(rig.control)).length, 4);
    } finally {
      await b.close();
      await a.close();
      await rig.close();
    }
  });
}
