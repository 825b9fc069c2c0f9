// Bad input and faults of a Drive sync, each against the emulator: Drive full (stop, say how much is
// needed, keep everything journaled), rate limits, the base folder or an album folder trashed or
// deleted in Drive's web UI (made again once, said so, never uploaded into the trash), a revoked
// grant, and a sign-in without Drive access.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { ACCOUNT, folder, waitFor } from './sync-harness';
import { driveView, startDriveRig, type DriveRig } from './drive-sync-harness';
import { testBytes } from './emulator-drive-harness';
import { emulatorTokenSource } from '../helpers/emulatorAuth';
import { makeJpeg, tempDir, writeTree } from '../unit/sync-fixtures';
import { DRIVE_SCOPES, SIGN_IN_SCOPES } from '../../src/google/scopes';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const driveFolder = (p: string) => folder({ path: p, destination: 'google-drive' });
const KiB = 1024;

function photo(seed: number, size = 10 * KiB): Buffer {
  const head = makeJpeg(seed);
  return Buffer.concat([head.subarray(0, head.length - 2), testBytes(size, seed), Buffer.from([0xff, 0xd9])]);
}

async function withRig(run: (rig: DriveRig) => Promise<void>, options: Parameters<typeof startDriveRig>[0] = {}): Promise<void> {
  const rig = await startDriveRig(options);
  try {
    await run(rig);
  } finally {
    await rig.close();
  }
}

test('Drive full: the plan warns how much is missing, uploads stop at the first refusal with what to free, the rest stays journaled and goes once space is free', () =>
  withRig(
    async (rig) => {
      const root = path.join(await tempDir(), 'Full');
      const files: Record<string, Buffer> = {};
      for (let i = 0; i < 5; i++) files[`p${i}.jpg`] = photo(40 + i);
      await writeTree(root, files);
      const f = driveFolder(root);
      // Room for two of the five.
      await rig.control.faults({ type: 'driveStorage', limitBytes: 25 * KiB });
      const plan = rig.pipeline.plan(await rig.pipeline.scan([f]));
      assert.match(plan.warnings.join('\n'), /Google Drive has 25 KB free but this sync uploads \d+(\.\d)? KB: free \d+(\.\d)? KB more/);
      const report = await rig.pipeline.run(plan);
      assert.equal(report.uploaded, 2);
      assert.equal(report.failed.length, 3);
      assert.match(report.failed[0].message, /Google Drive is full \(2\d(\.\d)? KB of 25 KB used\): p\d\.jpg needs \d+(\.\d)? KB more\. Free space in Google Drive, then sync again/);
      const state = await rig.control.state();
      assert.equal(state.requestCounts['drive.upload'], 3, 'one refused upload; the rest were not sent to a full Drive');
      const waiting = rig.index.uploads.byState('pending', { provider: 'google-drive', accountId: ACCOUNT }).items;
      assert.equal(waiting.length, 3, 'journaled, waiting');

      await rig.control.faults({ type: 'driveStorage', limitBytes: 15 * 1024 ** 3 });
      const again = await rig.pipeline.sync([f]);
      assert.deepEqual(again.report.failed, []);
      assert.equal(again.plan.uploads.length, 3);
      assert.deepEqual((await driveView(rig.control)).photos.map((x) => x.sha256).sort(), Object.values(files).map(sha).sort(), 'every file once');
    },
    { queue: { concurrency: { upload: 1 }, backoff: { baseMs: 10, maxMs: 50 } } },
  ));

test('rate limits: Drive’s per-user limit (403 userRateLimitExceeded), 429 and rateLimitExceeded are waited out; every file once', () =>
  withRig(async (rig) => {
    const root = path.join(await tempDir(), 'Busy');
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 6; i++) files[`b${i}.jpg`] = photo(60 + i, 2 * KiB);
    await writeTree(root, files);
    await rig.control.faults([
      { type: 'status', endpoint: 'drive.files.create', status: 429, times: 1, retryAfterSeconds: 0 },
      { type: 'status', endpoint: 'drive.upload', status: 403, reason: 'rateLimitExceeded', times: 2 },
      { type: 'latency', endpoint: 'drive.upload', ms: 150 },
    ]);
    const uploads = async () => (await rig.control.state()).requestCounts['drive.upload'] ?? 0;
    const syncing = rig.pipeline.sync([driveFolder(root)]);
    // Then the user's per-minute quota runs out: everything is refused until the minute turns.
    await waitFor('the first uploads', async () => (await uploads()) >= 3);
    await rig.control.faults({ type: 'driveRateLimit', perUserPerMinute: 0 });
    const limited = await uploads();
    await waitFor('uploads refused by the per-user limit', async () => (await uploads()) >= limited + 2);
    await rig.control.faults([{ type: 'advanceClock', ms: 60_000 }, { type: 'driveRateLimit', perUserPerMinute: 12_000 }]);
    const { report } = await syncing;
    assert.deepEqual(report.failed, []);
    assert.deepEqual((await driveView(rig.control)).photos.map((x) => x.sha256).sort(), Object.values(files).map(sha).sort());
    assert.ok((await uploads()) >= 6 + 2 + 2, 'refused requests were sent again');
  }, { queue: { backoff: { baseMs: 100, maxMs: 400 } } }));

for (const how of ['trashed', 'deleted'] as const) {
  test(`the base folder ${how} in Drive’s web UI: made again once and said so; its files are uploaded again into the new one, nothing into the trash`, () =>
    withRig(async (rig) => {
      const root = path.join(await tempDir(), 'Trip');
      const files: Record<string, Buffer> = { 'a.jpg': photo(71, KiB), 'b.jpg': photo(72, KiB) };
      await writeTree(root, files);
      const f = driveFolder(root);
      await rig.pipeline.sync([f]);
      const before = await driveView(rig.control);
      const oldBase = before.bases[0];
      const oldAlbum = before.albums.get('Trip');
      assert.ok(oldBase && oldAlbum);
      if (how === 'trashed') await rig.web.change(oldBase.id, { trashed: true });
      else await rig.web.delete(oldBase.id);
      files['c.jpg'] = photo(73, KiB);
      await writeTree(root, { 'c.jpg': files['c.jpg'] });

      const { plan, report } = await rig.pipeline.sync([f]);
      assert.deepEqual(report.failed, []);
      const notice = how === 'trashed' ? /The Google Drive folder “Photo Sync” was moved to the trash in Google Drive; Photo Sync made a new “Photo Sync” folder/ : /The Google Drive folder “Photo Sync” was deleted in Google Drive; Photo Sync made a new/;
      assert.match(report.warnings.join('\n'), notice);
      assert.equal(plan.uploads.length, 3, 'the two that went with the folder, and the new one');
      const after = await driveView(rig.control);
      assert.equal(after.bases.length, 1);
      assert.notEqual(after.bases[0].id, oldBase.id);
      const album = after.albums.get('Trip');
      assert.ok(album && album.id !== oldAlbum.id);
      assert.deepEqual(after.inFolder(album.id).map((x) => x.sha256).sort(), Object.values(files).map(sha).sort());
      if (how === 'trashed') {
        const stillThere = after.files.filter((x) => x.parents.includes(oldAlbum.id));
        assert.equal(stillThere.length, 2, 'the trashed folder got nothing new');
        assert.ok(stillThere.every((x) => x.trashed));
      }
      assert.equal(rig.index.destinationState.get('google-drive', ACCOUNT, 'baseFolder'), after.bases[0].id);
      // Once: the next sync has nothing to do and makes no third folder.
      const again = await rig.pipeline.sync([f]);
      assert.equal(again.plan.uploads.length, 0);
      assert.deepEqual(again.report.warnings, []);
      assert.equal((await driveView(rig.control)).bases.length, 1);
    }));
}

test('an album folder trashed in the web UI is made again with its files; another album is left alone', () =>
  withRig(async (rig) => {
    const root = path.join(await tempDir(), 'Lib');
    await writeTree(root, { 'Keep/k.jpg': photo(81, KiB), 'Gone/g1.jpg': photo(82, KiB), 'Gone/g2.jpg': photo(83, KiB) });
    const f = driveFolder(root);
    await rig.pipeline.sync([f]);
    const before = await driveView(rig.control);
    await rig.web.change(before.albums.get('Gone')?.id ?? '', { trashed: true });
    const uploads = (await rig.control.state()).requestCounts['drive.upload'];
    const { plan, report } = await rig.pipeline.sync([f]);
    assert.deepEqual(report.failed, []);
    assert.deepEqual(plan.uploads.map((u) => u.file.name).sort(), ['g1.jpg', 'g2.jpg']);
    assert.deepEqual(plan.albumsToCreate, ['Gone']);
    const after = await driveView(rig.control);
    assert.equal(after.albums.get('Keep')?.id, before.albums.get('Keep')?.id);
    assert.deepEqual(after.inFolder(after.albums.get('Gone')?.id ?? '').map((x) => x.name).sort(), ['g1.jpg', 'g2.jpg']);
    assert.equal((await rig.control.state()).requestCounts['drive.upload'], uploads + 2);
  }));

test('a revoked grant stops the sync with the reason and loses nothing; after signing in again every file lands once', () =>
  withRig(async (rig) => {
    const root = path.join(await tempDir(), 'Revoked');
    const files = { 'r1.jpg': photo(91, KiB), 'r2.jpg': photo(92, KiB) };
    await writeTree(root, files);
    const f = driveFolder(root);
    await rig.tokens.client.revokeToken(rig.tokens.client.credentials.refresh_token ?? '');
    const { report } = await rig.pipeline.sync([f]).catch((err: unknown) => ({ report: { failed: [{ path: '', message: String(err) }] } }));
    assert.ok(report.failed.length > 0);
    assert.match(report.failed.map((x) => x.message).join('\n'), /invalid_grant|revoked|Invalid Credentials|sign in/i);
    assert.equal((await driveView(rig.control)).photos.length, 0);

    await rig.restart(undefined, await emulatorTokenSource(rig.emulator, [...SIGN_IN_SCOPES, ...DRIVE_SCOPES]));
    const again = await rig.pipeline.sync([f]);
    assert.deepEqual(again.report.failed, []);
    assert.deepEqual((await driveView(rig.control)).photos.map((x) => x.sha256).sort(), Object.values(files).map(sha).sort());
  }));

test('signed in without Drive access: the sync says to allow Google Drive access, and nothing is uploaded', () =>
  withRig(
    async (rig) => {
      const root = path.join(await tempDir(), 'NoScope');
      await writeTree(root, { 'n.jpg': photo(95, KiB) });
      const result = await rig.pipeline.sync([driveFolder(root)]).then(
        (r) => r.report.failed.map((x) => x.message).join('\n'),
        (err: unknown) => {
          const outcome = rig.provider.rules.classify(err, Date.now());
          return outcome.kind === 'needs-user' ? (outcome.message ?? '') : String(err);
        },
      );
      assert.match(result, /allow Google Drive access/);
      assert.equal((await rig.control.state()).drive.files.length, 0);
    },
    { scopes: SIGN_IN_SCOPES },
  ));
