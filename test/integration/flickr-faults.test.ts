// Flickr's faults against the emulator, each ending in a clear recorded state with nothing lost and
// nothing twice: signature_invalid (never retried), a revoked token (98), a wrong key (100), the
// hourly limit (paused, then resumed), an async upload whose ticket fails, and VS Code closing while
// uploads are in flight (their answers never read, their tickets still pending).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { folder, flickrPhotos, flickrSets, startFlickrRig, type FlickrRig } from './flickr-harness';
import { makeJpeg, tempDir, writeTree } from '../unit/sync-fixtures';
import { waitFor } from '../helpers/waitFor';
import { DEFAULT_FLICKR_API_SECRET } from '../emulator/index';
import type { SyncFolder } from '../../src/sync/config';
import type { TaskGroup } from '../../src/tasks/api';
import { FLICKR_QUOTA } from '../../src/destinations/flickr/rules';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function photoFolder(name: string, count: number, seed: number, size = 16): Promise<{ f: SyncFolder; files: Record<string, Buffer> }> {
  const root = path.join(await tempDir(), name);
  const files: Record<string, Buffer> = {};
  for (let i = 0; i < count; i++) files[`p${i}.jpg`] = makeJpeg(seed + i, { original: '2021:03:04 05:06:07' }, size);
  await writeTree(root, files);
  return { f: folder({ path: root, destination: 'flickr' }), files };
}

const uploadsTried = async (rig: FlickrRig) => {
  const c = (await rig.flickr.state()).requestCounts;
  return ['upload', 'upload.async'].reduce((n, k) => n + (c[k]?.ok ?? 0) + (c[k]?.fail ?? 0), 0);
};

test('signature_invalid is not retried: the file fails with the request named and no secret, and the next sync sends it once', async () => {
  const rig = await startFlickrRig();
  try {
    const { f, files } = await photoFolder('Sig', 2, 300);
    await rig.pipeline.sync([f]);
    await writeTree(f.path, { 'late.jpg': makeJpeg(309) });
    const tried = await uploadsTried(rig);
    // The next request Flickr receives, the upload, is refused as signature_invalid.
    await rig.flickr.faults({ type: 'signatureInvalid', times: 1 });
    const { report } = await rig.pipeline.sync([f]);
    assert.equal(report.failed.length, 1);
    const message = report.failed[0].message;
    assert.match(message, /Flickr refused the signature of upload \(signature_invalid\)/);
    assert.match(message, /Flickr computed the same base string, so the API secret does not belong to the API key/);
    for (const secret of [DEFAULT_FLICKR_API_SECRET, rig.credentials.value.token?.secret ?? '', rig.credentials.value.token?.key ?? '']) assert.ok(!message.includes(secret));
    assert.equal(await uploadsTried(rig), tried + 1, 'not retried');
    const row = rig.index.localFiles.byPath(path.join(f.path, 'late.jpg'));
    assert.equal(row?.status, 'failed');
    assert.match(row?.lastError ?? '', /signature_invalid/);

    const again = await rig.pipeline.sync([f]);
    assert.deepEqual(again.report.failed, []);
    assert.deepEqual((await flickrPhotos(rig)).map((p) => p.sha256).sort(), [...Object.values(files), makeJpeg(309)].map(sha).sort());
  } finally {
    await rig.close();
  }
});

test('a token revoked on Flickr (98) and a key Flickr does not know (100) stop the sync with what to do; nothing is lost', async () => {
  const rig = await startFlickrRig();
  try {
    const { f, files } = await photoFolder('Revoked', 3, 310);
    await rig.flickr.revokeToken(rig.credentials.value.token?.key ?? '');
    const { report } = await rig.pipeline.sync([f]);
    assert.equal(report.uploaded, 0);
    assert.ok(report.failed.length >= 1);
    assert.match(report.failed[0].message, /no longer accepts your sign-in.*Sign in to Flickr again/);
    assert.deepEqual([...new Set(rig.credentials.rejectedAccounts)], [rig.nsid], 'the sign-in is forgotten');
    assert.equal((await flickrPhotos(rig)).length, 0);

    rig.credentials.value = { ...rig.credentials.value, consumer: { key: 'ffffffffffffffffffffffffffffffff', secret: '0000000000000000' } };
    await rig.restart();
    const second = await rig.pipeline.sync([f]);
    assert.match(second.report.failed[0]?.message ?? '', /does not accept the API key.*Set up the Flickr API key/);
    // Every file is still there to upload once the user acts.
    assert.equal(Object.keys(files).length, 3);
    assert.ok(Object.keys(files).every((n) => ['pending', 'failed'].includes(rig.index.localFiles.byPath(path.join(f.path, n))?.status ?? '')));
  } finally {
    await rig.close();
  }
});

test('the hourly limit pauses the Flickr tasks until the top of the hour; resumed, every file lands once', async () => {
  const rig = await startFlickrRig();
  try {
    const { f, files } = await photoFolder('Limit', 6, 320);
    // The sign-in took 2 calls of this key's hour; a few more are left.
    await rig.flickr.faults({ type: 'rateLimit', perHour: 8 });
    const started = Date.now();
    const syncing = rig.pipeline.sync([f]);
    const pause = await waitFor('the queue to pause', () => rig.queue.paused);
    assert.equal(pause.label, 'hourly limit');
    assert.equal(pause.key, `flickr:${rig.nsid}`);
    assert.ok(pause.until === FLICKR_QUOTA.resetsAt(started) || pause.until === FLICKR_QUOTA.resetsAt(Date.now()), 'until the top of the hour');
    const pausedAt = (await flickrPhotos(rig)).length;
    assert.ok(pausedAt < 6);

    await rig.flickr.faults({ type: 'rateLimit', perHour: 3600 });
    rig.queue.resumeNow();
    const { report } = await syncing;
    assert.deepEqual(report.failed, []);
    assert.deepEqual((await flickrPhotos(rig)).map((p) => p.sha256).sort(), Object.values(files).map(sha).sort());
    assert.equal((await flickrSets(rig))[0].photoIds.length, 6);
  } finally {
    await rig.close();
  }
});

test('the hourly budget counted on this machine stops the calls before Flickr has to refuse them', async () => {
  const rig = await startFlickrRig({ destination: { quotaUsed: () => FLICKR_QUOTA.limit } });
  try {
    const { f } = await photoFolder('Budget', 2, 330);
    const before = (await rig.flickr.state()).requestCounts;
    const syncing = rig.pipeline.sync([f]);
    const pause = await waitFor('the queue to pause', () => rig.queue.paused);
    assert.equal(pause.label, 'hourly limit');
    assert.deepEqual((await rig.flickr.state()).requestCounts, before, 'no request was sent');
    rig.queue.cancelAll();
    await syncing;
  } finally {
    await rig.close();
  }
});

test('an upload Flickr accepts but whose ticket fails is recorded as failed, nothing is added, and the next sync sends it once', async () => {
  const rig = await startFlickrRig({ destination: { transfer: { asyncThreshold: 1 } } });
  try {
    const { f, files } = await photoFolder('Tickets', 3, 340);
    await rig.flickr.faults([
      { type: 'ticketDelay', ms: 200 },
      { type: 'failTickets', times: 1 },
    ]);
    const { report } = await rig.pipeline.sync([f]);
    assert.equal(report.uploaded, 2);
    assert.equal(report.failed.length, 1);
    assert.match(report.failed[0].message, /Flickr accepted p\d\.jpg but could not process it \(upload ticket [\w-]+ failed\); nothing was added/);
    const failed = rig.index.localFiles.byPath(report.failed[0].path);
    assert.equal(failed?.status, 'failed');
    const state = await rig.flickr.state();
    assert.equal(state.tickets.filter((t) => t.status === 'failed').length, 1);
    assert.equal((await flickrPhotos(rig)).length, 2);

    const again = await rig.pipeline.sync([f]);
    assert.deepEqual(again.report.failed, []);
    assert.equal(again.report.uploaded, 1);
    assert.deepEqual((await flickrPhotos(rig)).map((p) => p.sha256).sort(), Object.values(files).map(sha).sort(), 'every file exactly once');
  } finally {
    await rig.close();
  }
});

test('VS Code closes while uploads are in flight (Flickr stored them, the answers were never read): the restart finds them by tag, sends nothing again', async () => {
  const rig = await startFlickrRig();
  try {
    const { f, files } = await photoFolder('Closing', 6, 350, 64);
    // Flickr keeps each photo, then takes 3 s to answer.
    await rig.control.faults({ type: 'latency', endpoint: 'flickr.upload', ms: 3000 });
    let group: TaskGroup | undefined;
    const syncing = rig.pipeline.sync([f], { onGroup: (g) => (group = g) });
    await waitFor('Flickr to have stored photos whose answers are on their way', async () => (await flickrPhotos(rig)).length >= 4);
    group?.cancel();
    await rig.queue.dispose();
    await syncing;
    await rig.control.faults({ type: 'clear' });
    const sent = await uploadsTried(rig);
    const stored = (await flickrPhotos(rig)).length;
    assert.ok(stored >= 4 && stored <= 6);

    await rig.restart();
    const plan = await rig.pipeline.planUnfinished([f]);
    assert.ok(plan && plan.uploads.length === 6, 'every upload is unfinished');
    const report = await rig.pipeline.run(plan);
    assert.deepEqual(report.failed, []);
    assert.equal(await uploadsTried(rig), sent + (6 - stored), 'only the photos Flickr never received were sent');
    assert.deepEqual((await flickrPhotos(rig)).map((p) => p.sha256).sort(), Object.values(files).map(sha).sort(), 'every file exactly once');
    const sets = await flickrSets(rig);
    assert.equal(sets.length, 1);
    assert.equal(sets[0].photoIds.length, 6);
  } finally {
    await rig.close();
  }
});

test('VS Code closes while async tickets are pending: the restart follows the journaled tickets instead of uploading again', async () => {
  const rig = await startFlickrRig({ destination: { transfer: { asyncThreshold: 1 } } });
  try {
    const { f, files } = await photoFolder('Pending', 3, 360);
    await rig.flickr.faults({ type: 'ticketDelay', ms: 60_000 });
    let group: TaskGroup | undefined;
    const syncing = rig.pipeline.sync([f], { onGroup: (g) => (group = g) });
    const ticketsJournaled = () => rig.index.uploads.byState('pending', { provider: 'flickr', accountId: rig.nsid }, { limit: 10 }).items.filter((r) => r.resumeState?.includes('"phase":"ticket"')).length;
    await waitFor('three tickets journaled', () => ticketsJournaled() === 3);
    group?.cancel();
    await rig.queue.dispose();
    await syncing;
    assert.equal(await uploadsTried(rig), 3);
    assert.ok((await rig.flickr.state()).tickets.every((t) => t.status === 'pending'));

    await rig.restart({ transfer: { asyncThreshold: 1 } });
    await rig.control.advanceClock(61_000);
    const plan = await rig.pipeline.planUnfinished([f]);
    assert.ok(plan);
    const report = await rig.pipeline.run(plan);
    assert.deepEqual(report.failed, []);
    assert.equal(await uploadsTried(rig), 3, 'nothing sent again');
    assert.deepEqual((await flickrPhotos(rig)).map((p) => p.sha256).sort(), Object.values(files).map(sha).sort());
    assert.equal((await flickrSets(rig))[0].photoIds.length, 3);
  } finally {
    await rig.close();
  }
});

test('photos deleted on Flickr’s site between their upload and their album (a restart in between) are sent again, once', async () => {
  const rig = await startFlickrRig();
  try {
    const { f, files } = await photoFolder('Vanished', 4, 370);
    // Album writes are slow, so "VS Code" closes after the uploads and before the album exists.
    await rig.flickr.faults({ type: 'error', method: 'flickr.photosets.create', code: 105, times: 100 });
    let group: TaskGroup | undefined;
    const syncing = rig.pipeline.sync([f], { onGroup: (g) => (group = g) });
    await waitFor('every upload to be journaled with its photo', () => rig.index.uploads.byState('uploaded', { provider: 'flickr', accountId: rig.nsid }, { limit: 10 }).items.length === 4);
    group?.cancel();
    await rig.queue.dispose();
    await syncing;
    await rig.flickr.faults({ type: 'clear' });
    const photos = await flickrPhotos(rig);
    assert.equal(photos.length, 4);
    await rig.flickr.deletePhotoOnSite(photos[0].id);
    await rig.flickr.deletePhotoOnSite(photos[1].id);

    await rig.restart();
    const plan = await rig.pipeline.planUnfinished([f]);
    assert.ok(plan);
    const report = await rig.pipeline.run(plan);
    assert.deepEqual(report.failed, []);
    assert.deepEqual((await flickrPhotos(rig)).map((p) => p.sha256).sort(), Object.values(files).map(sha).sort(), 'every file on Flickr once');
    assert.equal(await uploadsTried(rig), 6, 'the two deleted photos, and only they, were sent again');
    const sets = await flickrSets(rig);
    assert.equal(sets.length, 1);
    assert.equal(sets[0].photoIds.length, 4);
  } finally {
    await rig.close();
  }
});
