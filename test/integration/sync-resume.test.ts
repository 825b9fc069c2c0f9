import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { startRig, folder, remoteItems, unfinishedUploads, waitFor } from './sync-harness';
import { makeJpeg, tempDir, writeTree } from '../unit/sync-fixtures';
import { emulatorTokenSource } from '../helpers/emulatorAuth';
import { SIGN_IN_SCOPES } from '../../src/google/scopes';
import type { TaskGroup } from '../../src/tasks/api';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function photos(n: number, seed: number) {
  const root = path.join(await tempDir(), 'Resume');
  const files: Record<string, Buffer> = {};
  for (let i = 0; i < n; i++) files[`img${String(i).padStart(3, '0')}.jpg`] = makeJpeg(seed + i, undefined, 32);
  await writeTree(root, files);
  return { root, files };
}

/** Runs a sync and closes "VS Code" once `when` says so (requests aborted, queue disposed, index saved). */
async function syncAndClose(rig: Awaited<ReturnType<typeof startRig>>, f: ReturnType<typeof folder>, when: (group: TaskGroup) => boolean) {
  let closing: Promise<void> | undefined;
  const queue = rig.queue;
  const run = rig.pipeline.sync([f], {
    onGroup: (group) =>
      group.onProgress(() => {
        // The window closes: running requests are aborted, then the queue stops (journal saved).
        if (!closing && when(group))
          closing = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
            group.cancel();
            return queue.dispose();
          });
      }),
  });
  const { report } = await run;
  await closing;
  // The closed window's batchCreate may still be held by the server (its latency): let it finish.
  await waitFor('the emulator to finish the closed window’s requests', async () => (await rig.control.state()).inFlight === 0);
  return report;
}

test('VS Code closing mid-sync: journaled tokens are committed on resume without re-sending bytes, and no item is created twice', async () => {
  const rig = await startRig();
  try {
    const { root, files } = await photos(30, 1);
    const f = folder({ path: root });
    // batchCreate is slow, so the window closes after bytes went up but before (some) commits.
    await rig.control.faults({ type: 'latency', endpoint: 'library.mediaItems.batchCreate', ms: 600 });
    // Closed once every upload is done (progress counts uploads): the batchCreate is then in flight.
    const first = await syncAndClose(rig, f, (g) => g.progress().done >= 30);
    assert.equal(first.cancelled, true);
    const uploadedBeforeClose = rig.index.uploads.countByState({ accountId: 'acct-1' });
    const journaledTokens = uploadedBeforeClose.uploaded ?? 0;
    assert.ok(journaledTokens + (uploadedBeforeClose.committed ?? 0) >= 1, JSON.stringify(uploadedBeforeClose));
    const uploadsBefore = (await rig.control.state()).requestCounts['library.uploads'] ?? 0;

    await rig.control.faults({ type: 'clear' });
    await rig.restart();
    const { plan, report } = await rig.pipeline.sync([f]);
    assert.deepEqual(report.failed, []);
    assert.equal(plan.uploads.filter((u) => u.reason === 'resume').length, journaledTokens, 'every journaled token is reused');
    const uploadsAfter = (await rig.control.state()).requestCounts['library.uploads'] ?? 0;
    assert.equal(uploadsAfter - uploadsBefore, plan.uploads.length - journaledTokens, 'bytes re-sent only for files without a token');

    const mine = await remoteItems(rig.control);
    assert.deepEqual(mine.map((m) => m.sha256).sort(), Object.values(files).map(sha).sort(), 'every file exactly once');
    const album = (await rig.control.state()).albums.filter((a) => a.title === 'Resume');
    assert.equal(album.length, 1);
    assert.equal(album[0].mediaItemIds.length, 30);
    assert.equal(new Set(album[0].mediaItemIds).size, 30);
  } finally {
    await rig.close();
  }
});

test('tokens older than a day are not reused: the bytes go up again, still one item per file', async () => {
  const rig = await startRig();
  try {
    const { root, files } = await photos(8, 100);
    const f = folder({ path: root });
    await rig.control.faults({ type: 'latency', endpoint: 'library.mediaItems.batchCreate', ms: 600 });
    await syncAndClose(rig, f, (g) => g.progress().done >= 8);
    const tokens = rig.index.uploads.countByState().uploaded ?? 0;
    assert.ok(tokens >= 1);
    await rig.control.faults({ type: 'clear' });
    await rig.control.advanceClock(25 * 3600_000);
    // The engine's clock also moved a day on: its journaled tokens are dead.
    await rig.restart({ now: () => Date.now() + 25 * 3600_000 });
    const { plan, report } = await rig.pipeline.sync([f]);
    assert.equal(plan.uploads.filter((u) => u.reason === 'resume').length, 0);
    assert.deepEqual(report.failed, []);
    const mine = await remoteItems(rig.control);
    assert.deepEqual(mine.map((m) => m.sha256).sort(), Object.values(files).map(sha).sort());
  } finally {
    await rig.close();
  }
});

test('a token Google no longer honours (per-item batchCreate failure) is uploaded again in the same run', async () => {
  const rig = await startRig();
  try {
    const { root, files } = await photos(6, 200);
    const f = folder({ path: root });
    await rig.control.faults({ type: 'latency', endpoint: 'library.mediaItems.batchCreate', ms: 600 });
    await syncAndClose(rig, f, (g) => g.progress().done >= 6);
    await rig.control.faults({ type: 'clear' });
    // Google's clock moved past the tokens' life, ours did not (clock skew): the commit fails per item.
    await rig.control.advanceClock(25 * 3600_000);
    await rig.restart();
    const { plan, report } = await rig.pipeline.sync([f]);
    assert.ok(plan.uploads.some((u) => u.reason === 'resume'));
    assert.deepEqual(report.failed, []);
    const mine = await remoteItems(rig.control);
    assert.deepEqual(mine.map((m) => m.sha256).sort(), Object.values(files).map(sha).sort());
  } finally {
    await rig.close();
  }
});

test('access revoked mid-run: remaining files fail with a clear message, nothing is lost, and after signing in again the rest goes up once', async () => {
  const rig = await startRig({ queue: { concurrency: { upload: 1 }, backoff: { baseMs: 5, maxMs: 20 } } });
  try {
    const { root, files } = await photos(10, 300);
    const f = folder({ path: root });
    let revoked: Promise<void> | undefined;
    const { report } = await rig.pipeline.sync([f], {
      onGroup: (group) =>
        group.onProgress((p) => {
          if (!revoked && p.done >= 3) revoked = new Promise<void>((resolve) => setImmediate(resolve)).then(() => revokeAll(rig));
        }),
    });
    await revoked;
    assert.ok(report.failed.length > 0, 'some files could not be uploaded');
    assert.ok(report.failed.every((x) => x.message.length > 0));
    const partial = await remoteItems(rig.control);
    assert.ok(partial.length < 10);

    const fresh = await emulatorTokenSource(rig.emulator, SIGN_IN_SCOPES);
    await rig.restart({}, fresh);
    const again = await rig.pipeline.sync([f]);
    assert.deepEqual(again.report.failed, []);
    const mine = await remoteItems(rig.control);
    assert.deepEqual(mine.map((m) => m.sha256).sort(), Object.values(files).map(sha).sort(), 'each file once');
  } finally {
    await rig.close();
  }
});

async function revokeAll(rig: Awaited<ReturnType<typeof startRig>>): Promise<void> {
  const refresh = rig.tokens.client.credentials.refresh_token;
  const res = await fetch(rig.emulator.endpoints.revoke, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `token=${encodeURIComponent(String(refresh))}` });
  await res.text();
  await rig.control.expireTokens();
}

test('on the next start the journal alone resumes the interrupted upload (no scan), then a sync finds nothing to do', async () => {
  const rig = await startRig();
  try {
    const { root, files } = await photos(12, 400);
    const f = folder({ path: root });
    await rig.control.faults({ type: 'latency', endpoint: 'library.mediaItems.batchCreate', ms: 600 });
    await syncAndClose(rig, f, (g) => g.progress().done >= 12);
    await rig.control.faults({ type: 'clear' });
    await rig.restart();
    const unfinished = unfinishedUploads(rig).length;
    assert.equal(unfinished, 12);
    const uploadsBefore = (await rig.control.state()).requestCounts['library.uploads'] ?? 0;

    const plan = await rig.pipeline.planUnfinished([f]);
    assert.ok(plan);
    assert.equal(plan.uploads.filter((u) => u.reason === 'resume').length, 12);
    const report = await rig.pipeline.run(plan);
    assert.deepEqual(report.failed, []);
    assert.equal((await rig.control.state()).requestCounts['library.uploads'] ?? 0, uploadsBefore, 'no bytes sent again');
    assert.equal(unfinishedUploads(rig).length, 0);
    const mine = await remoteItems(rig.control);
    assert.deepEqual(mine.map((m) => m.sha256).sort(), Object.values(files).map(sha).sort());

    const again = await rig.pipeline.sync([f]);
    assert.equal(again.plan.uploads.length, 0);
    assert.equal(again.plan.alreadyUploaded.length, 12);
  } finally {
    await rig.close();
  }
});

test('a resumable upload interrupted by closing VS Code, then edited to the same size, starts a new session: Google gets exactly the new bytes', async () => {
  const CHUNK = 262_144;
  const rig = await startRig({ destination: { transfer: { resumableThreshold: 100_000, chunkSize: CHUNK } } });
  try {
    const root = path.join(await tempDir(), 'Big');
    // A real JPEG followed by padding (decoders stop at EOI), large enough for several chunks.
    const original = Buffer.concat([makeJpeg(7, undefined, 32), Buffer.alloc(3 * CHUNK, 1)]);
    await writeTree(root, { 'big.jpg': original });
    const f = folder({ path: root });
    // Each upload request is slow, so the window closes after the first chunk was confirmed.
    await rig.control.faults({ type: 'latency', endpoint: 'POST /photoslibrary/v1/uploads*', ms: 400 });
    await syncAndClose(rig, f, (g) => g.progress().bytesDone >= CHUNK);
    const journaled = rig.index.uploads.byLocalPath(path.join(root, 'big.jpg'))[0];
    assert.ok(journaled?.resumeState, 'the resumable session was journaled before the close');

    // The user edits the photo: same size, other bytes.
    const edited = Buffer.from(original);
    edited.fill(2, original.length - 3 * CHUNK);
    await writeTree(root, { 'big.jpg': edited });

    await rig.control.faults({ type: 'clear' });
    await rig.restart();
    const { report } = await rig.pipeline.sync([f]);
    assert.deepEqual(report.failed, []);
    const mine = await remoteItems(rig.control);
    assert.deepEqual(mine.map((m) => m.sha256), [sha(edited)], 'one item, holding exactly the edited bytes');
  } finally {
    await rig.close();
  }
});
