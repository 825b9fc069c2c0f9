import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startRig, folder, waitFor } from './sync-harness';
import { makeJpeg, tempDir, writeTree } from '../unit/sync-fixtures';

/** Resolves once the provider has sent `endpoint` (the request is then in flight). */
async function sent(requests: Map<string, number>, endpoint: string): Promise<void> {
  await waitFor(`${endpoint} to be sent`, () => (requests.get(endpoint) ?? 0) > 0, 10_000, 5);
}

/** Resolves once the emulator holds an album of this title (it finishes a create the client stopped waiting for). */
async function albumMade(rig: Awaited<ReturnType<typeof startRig>>, title: string): Promise<void> {
  await waitFor(`the emulator to finish creating “${title}”`, async () => (await rig.control.state()).albums.some((a) => a.title === title), 10_000, 50);
}

// albums.create is not idempotent. When its answer never arrives (VS Code closed, connection lost)
// Google may still have made the album; the next attempt must find it, not make a second one.
test('an album create whose answer was lost (window closed mid-request) is not repeated on the next start', async () => {
  const rig = await startRig();
  try {
    const base = await tempDir();
    const first = path.join(base, 'First');
    const second = path.join(base, 'Second');
    await writeTree(first, { 'a.jpg': makeJpeg(301) });
    await writeTree(second, { 'b.jpg': makeJpeg(302) });
    // An earlier sync: the index knows one album of this account already.
    await rig.pipeline.sync([folder({ path: first })]);

    await rig.control.faults({ type: 'latency', endpoint: 'library.albums.create', ms: 600 });
    rig.requests.clear();
    let closing: Promise<void> | undefined;
    const queue = rig.queue;
    await rig.pipeline.sync([folder({ path: second })], {
      onGroup: (group) => {
        closing = sent(rig.requests, 'albums.create').then(() => {
          group.cancel();
          return queue.dispose();
        });
      },
    });
    await closing;
    // The server still finishes the create it was holding.
    await albumMade(rig, 'Second');
    await rig.control.faults({ type: 'clear' });

    await rig.restart();
    const { report } = await rig.pipeline.sync([folder({ path: second })]);
    assert.deepEqual(report.failed, []);
    const state = await rig.control.state();
    const seconds = state.albums.filter((a) => a.title === 'Second');
    assert.equal(seconds.length, 1, 'one album “Second”');
    assert.equal(seconds[0].mediaItemIds.length, 1);
  } finally {
    await rig.close();
  }
});

test('an album create that failed without an answer in this run is looked up before it is tried again', async () => {
  const rig = await startRig({ queue: { backoff: { baseMs: 1, maxMs: 2 } } });
  try {
    const base = await tempDir();
    const first = path.join(base, 'First');
    const second = path.join(base, 'Again');
    await writeTree(first, { 'a.jpg': makeJpeg(311) });
    await writeTree(second, { 'b.jpg': makeJpeg(312) });
    await rig.pipeline.sync([folder({ path: first })]);

    await rig.control.faults({ type: 'latency', endpoint: 'library.albums.create', ms: 600 });
    rig.requests.clear();
    await rig.pipeline.sync([folder({ path: second })], {
      onGroup: (group) => void sent(rig.requests, 'albums.create').then(() => group.cancel()),
    });
    await albumMade(rig, 'Again');
    await rig.control.faults({ type: 'clear' });

    // Same window, same pipeline: the user presses Sync Now again.
    const { report } = await rig.pipeline.sync([folder({ path: second })]);
    assert.deepEqual(report.failed, []);
    const albums = (await rig.control.state()).albums.filter((a) => a.title === 'Again');
    assert.equal(albums.length, 1, 'one album “Again”');
    assert.equal(albums[0].mediaItemIds.length, 1);
  } finally {
    await rig.close();
  }
});
