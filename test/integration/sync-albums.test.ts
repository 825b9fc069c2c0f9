import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { startRig, folder, remoteItems } from './sync-harness';
import { makeJpeg, tempDir, writeTree } from '../unit/sync-fixtures';
import type { PhotoProvider } from '../../src/sync/provider';
import { UploadPipeline } from '../../src/sync/upload/pipeline';
import { nullLogger } from '../../src/util/logger';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('seed 000: one fixed album, files moved to the archive only after Google confirmed them, nothing overwritten', async () => {
  const rig = await startRig();
  try {
    const base = await tempDir();
    const root = path.join(base, 'inbox');
    const archive = path.join(base, 'archive');
    const files = { 'a.jpg': makeJpeg(1), 'sub/b.jpg': makeJpeg(2), 'corrupt.jpg': 'not an image' };
    await writeTree(root, files);
    await writeTree(archive, { 'a.jpg': 'an older file already in the archive' });
    const f = folder({ path: root, album: { mode: 'fixed', name: 'My Google Photos Album' }, afterUpload: 'archive', archivePath: archive });
    const { report } = await rig.pipeline.sync([f]);

    const state = await rig.control.state();
    assert.deepEqual(state.albums.map((a) => a.title), ['My Google Photos Album']);
    assert.deepEqual((await remoteItems(rig.control)).map((m) => m.sha256).sort(), [sha(files['a.jpg']), sha(files['sub/b.jpg'])].sort());
    assert.equal(report.archived, 2);
    // Moved with their relative path; the existing archive file untouched.
    assert.equal(await fs.readFile(path.join(archive, 'a.jpg'), 'utf8'), 'an older file already in the archive');
    assert.deepEqual(await fs.readFile(path.join(archive, 'a (2).jpg')), files['a.jpg']);
    assert.deepEqual(await fs.readFile(path.join(archive, 'sub/b.jpg')), files['sub/b.jpg']);
    await assert.rejects(fs.stat(path.join(root, 'a.jpg')));
    // The file Google refused stays where it is.
    assert.equal(await fs.readFile(path.join(root, 'corrupt.jpg'), 'utf8'), 'not an image');
    await assert.rejects(fs.stat(path.join(archive, 'corrupt.jpg')));
  } finally {
    await rig.close();
  }
});

test('nothing is archived when the commit fails', async () => {
  const rig = await startRig({ queue: { backoff: { baseMs: 1, maxMs: 2 } } });
  try {
    const base = await tempDir();
    const root = path.join(base, 'inbox');
    const archive = path.join(base, 'archive');
    await writeTree(root, { 'a.jpg': makeJpeg(1) });
    await rig.control.faults({ type: 'status', endpoint: 'library.mediaItems.batchCreate', status: 500, times: 20 });
    const f = folder({ path: root, album: { mode: 'fixed', name: 'X' }, afterUpload: 'archive', archivePath: archive });
    const { report } = await rig.pipeline.sync([f]);
    assert.equal(report.failed.length, 1);
    assert.match(report.failed[0].message, /adding it to the album failed/);
    assert.deepEqual(await fs.readFile(path.join(root, 'a.jpg')), makeJpeg(1));
    await assert.rejects(fs.stat(path.join(archive, 'a.jpg')));
    assert.equal((await remoteItems(rig.control)).length, 0);
  } finally {
    await rig.close();
  }
});

test('template albums use the EXIF date, not the mtime; albums are reused by id on later syncs', async () => {
  const rig = await startRig();
  try {
    const root = path.join(await tempDir(), 'Camera');
    await writeTree(root, {
      'x/a.jpg': makeJpeg(1, { original: '2019:07:04 10:00:00' }),
      'x/b.jpg': makeJpeg(2, { create: '2020:01:02 10:00:00' }),
      'x/IMG_20180305_101010.jpg': makeJpeg(3),
    });
    const f = folder({ path: root, album: { mode: 'template', template: '{year}-{month} {folder}' } });
    await rig.pipeline.sync([f]);
    const state = await rig.control.state();
    assert.deepEqual(state.albums.map((a) => a.title).sort(), ['2018-03 x', '2019-07 x', '2020-01 x']);

    await writeTree(root, { 'x/c.jpg': makeJpeg(4, { original: '2019:07:30 10:00:00' }) });
    await rig.pipeline.sync([f]);
    const after = await rig.control.state();
    const july = after.albums.filter((a) => a.title === '2019-07 x');
    assert.equal(july.length, 1, 'the album is reused, never created twice');
    assert.equal(july[0].mediaItemIds.length, 2);
  } finally {
    await rig.close();
  }
});

test('an album that reaches its item limit spills over to "Name (2)"', async () => {
  const rig = await startRig();
  try {
    // The same Google provider, with an album limit of 2 instead of 20,000.
    const small = Object.create(rig.provider, { rules: { value: { ...rig.provider.rules, maxContainerItems: 2 } } }) as PhotoProvider;
    const pipeline = new UploadPipeline({ provider: small, index: rig.index, queue: rig.queue, accountId: 'acct-1', log: nullLogger });
    const root = path.join(await tempDir(), 'Big');
    await writeTree(root, { '1.jpg': makeJpeg(1), '2.jpg': makeJpeg(2), '3.jpg': makeJpeg(3), '4.jpg': makeJpeg(4), '5.jpg': makeJpeg(5) });
    const { report } = await pipeline.sync([folder({ path: root })]);
    assert.match(report.warnings[0], /"Big" is full/);
    const state = await rig.control.state();
    const sizes = Object.fromEntries(state.albums.map((a) => [a.title, a.mediaItemIds.length]));
    assert.deepEqual(sizes, { Big: 2, 'Big (2)': 2, 'Big (3)': 1 });
  } finally {
    await rig.close();
  }
});

test('an archive folder inside the sync folder: archived files stay done — not rescanned, not reported, not "missing"', async () => {
  const rig = await startRig();
  try {
    const root = path.join(await tempDir(), 'inbox');
    const archive = path.join(root, 'Archived');
    await writeTree(root, { 'a.jpg': makeJpeg(61) });
    const f = folder({ path: root, album: { mode: 'fixed', name: 'Inbox' }, afterUpload: 'archive', archivePath: archive });
    assert.equal((await rig.pipeline.sync([f])).report.archived, 1);
    const { plan, report } = await rig.pipeline.sync([f]);
    assert.deepEqual(report.archiveProblems, []);
    assert.equal(plan.alreadyUploaded.length, 0);
    assert.equal(rig.index.localFiles.byPath(path.join(archive, 'a.jpg'))?.status, 'uploaded');
    assert.deepEqual(await fs.readFile(path.join(archive, 'a.jpg')), makeJpeg(61));
    assert.equal((await remoteItems(rig.control)).length, 1);
  } finally {
    await rig.close();
  }
});
