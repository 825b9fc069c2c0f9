// The Drive provider's capabilities beyond the upload flow, tested directly: deletes go to Drive's
// trash (with the copies made for other albums) and are permanent only when built so; a name Drive
// allows but a local file system does not lands on disk under a safe name with Drive's checksum
// verified; a folder trashed while a sync runs is never uploaded into.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { inspect } from 'node:util';
import { driveView, startDriveRig, type DriveRig } from './drive-sync-harness';
import { makeJpeg, tempDir } from '../unit/sync-fixtures';
import type { LocalUpload, PhotoProvider, RemoteItem } from '../../src/sync/provider';
import { safeFileName } from '../../src/localfs/safeName';
import { placeStream } from '../../src/localfs/placeFile';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function withRig(run: (rig: DriveRig) => Promise<void>, options: Parameters<typeof startDriveRig>[0] = {}): Promise<void> {
  const rig = await startDriveRig(options);
  try {
    await run(rig);
  } finally {
    await rig.close();
  }
}

async function localFile(name: string, bytes: Buffer): Promise<LocalUpload> {
  const p = path.join(await tempDir(), name);
  await fs.writeFile(p, bytes);
  return { path: p, fileName: name, mimeType: 'image/jpeg', size: bytes.length, mtimeMs: (await fs.stat(p)).mtimeMs, sha256: sha(bytes) };
}

/** Uploads into a new album folder `title` and returns the item. */
async function uploaded(provider: PhotoProvider, title: string, file: LocalUpload): Promise<{ albumId: string; item: RemoteItem }> {
  const album = await provider.createContainer(title);
  const [result] = await provider.commit(album.id, [{ receipt: await provider.uploadBytes(file, undefined, undefined, { containerId: album.id }), file }]);
  if (!result.ok) throw new Error(result.message);
  return { albumId: album.id, item: result.item };
}

test('deleteItems moves the item and its copies in other albums to Drive’s trash (recoverable), never deleting them', () =>
  withRig(async (rig) => {
    const { provider } = rig;
    const file = await localFile('gone.jpg', makeJpeg(1, undefined, 64));
    const keep = await localFile('kept.jpg', makeJpeg(2, undefined, 64));
    const { item } = await uploaded(provider, 'First', file);
    const other = await uploaded(provider, 'Other', keep);
    const second = await provider.createContainer('Second');
    await provider.addToContainer(second.id, [item.id]);
    assert.equal((await driveView(rig.control)).photos.length, 3, 'the item, its copy, another item');

    await provider.deleteItems?.([item.id], { mirrorDeletes: true, confirm: async () => true });
    const view = await driveView(rig.control);
    const mine = view.files.filter((f) => view.props(f).photoSyncSha256 === file.sha256);
    assert.equal(mine.length, 2, 'both still exist');
    assert.ok(mine.every((f) => f.explicitlyTrashed), 'in the trash');
    assert.deepEqual(view.photos.map((f) => f.id), [other.item.id], 'the other item untouched');
    assert.equal((await rig.control.state()).requestCounts['drive.files.delete'] ?? 0, 0);
    const found = await provider.getItems([item.id]);
    assert.match((found.get(item.id) as Error).message, /in the Google Drive trash/);
  }));

test('deleteItems deletes permanently only when the provider is built for it (a user setting)', () =>
  withRig(
    async (rig) => {
      const file = await localFile('forever.jpg', makeJpeg(3, undefined, 64));
      const { item } = await uploaded(rig.provider, 'Album', file);
      assert.deepEqual(await rig.provider.deleteItems?.([item.id], { mirrorDeletes: false, confirm: async () => true }).catch((e: Error) => e.message), 'Photo Sync deletes files on Google Drive only for a sync folder with mirror deletes on; nothing was deleted.');
      await rig.provider.deleteItems?.([item.id], { mirrorDeletes: true, confirm: async () => true });
      const state = await rig.control.state();
      assert.equal(state.drive.files.filter((f) => Object.values(f.appProperties)[0]?.photoSyncSha256 === file.sha256).length, 0);
      assert.equal(state.requestCounts['drive.files.delete'], 1);
    },
    { destination: { permanentDeletes: true } },
  ));

test('a name Drive allows but a local file system does not is downloaded under a safe name, its bytes checked against Drive’s sha256', () =>
  withRig(async (rig) => {
    const bytes = makeJpeg(4, undefined, 256);
    const { albumId, item } = await uploaded(rig.provider, 'Trip', await localFile('plain.jpg', bytes));
    await rig.web.change(item.id, { name: 'Day 1: Rome/Paris? <best> "view"*|.jpg' });
    const listed: RemoteItem[] = [];
    for await (const i of rig.provider.listItems(albumId)) listed.push(i);
    assert.equal(listed[0].filename, 'Day 1: Rome/Paris? <best> "view"*|.jpg', 'the name as Drive has it');
    assert.equal(listed[0].checksum, sha(bytes));

    const dir = await tempDir();
    const target = path.join(dir, safeFileName(listed[0].filename));
    const pass = new PassThrough();
    const placing = placeStream(pass, target, { expectedSha256: listed[0].checksum, expectedSize: bytes.length });
    await rig.provider.download(listed[0], async (c) => {
      if (!pass.write(c)) await once(pass, 'drain');
    });
    pass.end();
    const placed = await placing;
    assert.equal(path.dirname(placed.path), dir, 'no folder made from the slash');
    assert.doesNotMatch(path.basename(placed.path), /[/\\:*?"<>|]/);
    assert.equal(sha(await fs.readFile(placed.path)), sha(bytes));
  }));

test('an album folder trashed in the web UI while a sync runs is never uploaded into: the upload fails with the reason', () =>
  withRig(async (rig) => {
    const album = await rig.provider.createContainer('Vanishing');
    await rig.web.change(album.id, { trashed: true });
    // A new check cycle (as the next sync starts) forgets what it saw alive.
    await rig.provider.check([]);
    const file = await localFile('late.jpg', makeJpeg(5, undefined, 64));
    await assert.rejects(rig.provider.uploadBytes(file, undefined, undefined, { containerId: album.id }), /“Vanishing” is in the Google Drive trash; Photo Sync does not upload into it/);
    assert.equal((await rig.control.state()).requestCounts['drive.upload'] ?? 0, 0);
    assert.deepEqual((await rig.provider.check([album.id])).goneContainers, [album.id]);
  }));

test('a dropped connection surfaces as a retryable error without the request gaxios keeps on its errors (headers, body, session URLs)', () =>
  withRig(async (rig) => {
    await rig.control.faults({ type: 'reset', endpoint: 'drive.files.list', afterBytes: 0, times: 1 });
    const err = await (async () => {
      for await (const _ of rig.provider.listContainers()) void _;
    })().then(
      () => assert.fail('no error'),
      (e: unknown) => e,
    );
    assert.equal(rig.provider.rules.classify(err, Date.now()).kind, 'retry');
    const token = rig.tokens.currentToken;
    assert.ok(token);
    const text = inspect(err, { depth: 10 });
    assert.ok(!text.includes(token), 'no token');
    assert.ok(!('config' in (err as object)), 'no request');
    assert.doesNotMatch(text, /authorization|x-goog-api-client/i);
  }));
