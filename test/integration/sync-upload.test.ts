import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { startRig, folder, remoteItems } from './sync-harness';
import { makeJpeg, tempDir, writeTree } from '../unit/sync-fixtures';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('sub-folder albums: every file once, in its album; a second sync sends nothing; a rename sends nothing', async () => {
  const rig = await startRig();
  try {
    const root = path.join(await tempDir(), 'Holidays');
    const files = { 'top.jpg': makeJpeg(1), 'Rome/r1.jpg': makeJpeg(2), 'Rome/_raw/r2.jpg': makeJpeg(3), 'Paris/p1.jpg': makeJpeg(4), '.hidden/h.jpg': makeJpeg(5) };
    await writeTree(root, files);
    const f = folder({ path: root });

    const { plan, report } = await rig.pipeline.sync([f]);
    assert.equal(plan.uploads.length, 4);
    assert.deepEqual(report.failed, []);
    assert.equal(report.uploaded, 4);

    const state = await rig.control.state();
    const mine = await remoteItems(rig.control);
    assert.equal(mine.length, 4);
    const albums = new Map(state.albums.map((a) => [a.title, a]));
    assert.deepEqual([...albums.keys()].sort(), ['Holidays', 'Paris', 'Rome']);
    const itemsOf = (title: string) => mine.filter((m) => albums.get(title)?.mediaItemIds.includes(m.id)).map((m) => m.sha256).sort();
    assert.deepEqual(itemsOf('Rome'), [sha(files['Rome/r1.jpg']), sha(files['Rome/_raw/r2.jpg'])].sort());
    assert.deepEqual(itemsOf('Holidays'), [sha(files['top.jpg'])]);
    assert.deepEqual(itemsOf('Paris'), [sha(files['Paris/p1.jpg'])]);

    // The index agrees with the emulator.
    const indexed = rig.index.albums.listWithCounts({ accountId: 'acct-1' }).items;
    assert.deepEqual(indexed.map((a) => [a.title, a.indexedItems]).sort(), [['Holidays', 1], ['Paris', 1], ['Rome', 2]]);

    const requestsBefore = (await rig.control.state()).requestCounts;
    const again = await rig.pipeline.sync([f]);
    assert.equal(again.plan.uploads.length, 0);
    assert.equal(again.plan.alreadyUploaded.length, 4);

    await fs.rename(path.join(root, 'Rome/r1.jpg'), path.join(root, 'Rome/renamed.jpg'));
    const renamed = await rig.pipeline.sync([f]);
    assert.equal(renamed.plan.uploads.length, 0);
    assert.equal(renamed.plan.alreadyUploaded.length, 4);
    const requestsAfter = (await rig.control.state()).requestCounts;
    assert.equal(requestsAfter['library.uploads'] ?? 0, requestsBefore['library.uploads'] ?? 0, 'no bytes sent again');
    assert.equal((await remoteItems(rig.control)).length, 4);
  } finally {
    await rig.close();
  }
});
