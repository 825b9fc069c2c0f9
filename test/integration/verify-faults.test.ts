import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { restoreFindings } from '../../src/sync/verify/actions';
import { summaryLine } from '../../src/sync/verify/types';
import { translateStopReason } from '../../src/sync/verify/detailText';
import type { SyncL10n } from '../../src/sync/l10n';
import { found, startVerifyRig } from './verify-harness';

test('an unplugged folder (renamed away) is reported unavailable, never as everything deleted; nothing remote is touched', async () => {
  const rig = await startVerifyRig();
  try {
    const before = await rig.control.state();
    await fs.rename(rig.root, `${rig.root}-unplugged`);
    const report = await rig.verify().run();
    assert.deepEqual(
      report.findings.map((f) => f.kind),
      ['unavailable'],
    );
    assert.equal(found(report, 'missing-locally').length, 0);
    assert.equal(report.folders[0].available, false);
    assert.equal(report.requests, 0, 'no request for a folder that is not there');
    // Re-download into a missing sync folder is refused.
    const restored = await restoreFindings(rig.downloads, [{ kind: 'missing-locally', folder: rig.root, path: path.join(rig.root, 'top.jpg'), mediaItemId: await rig.itemOf('top.jpg'), detail: '' }]);
    assert.equal(restored.reports.length, 0);
    assert.match(restored.skipped[0], /not available/);
    await assert.rejects(fs.access(rig.root));
    const after = await rig.control.state();
    assert.deepEqual(
      after.mediaItems.map((m) => [m.id, m.albumIds.length]),
      before.mediaItems.map((m) => [m.id, m.albumIds.length]),
    );
    assert.equal(after.requestCounts['library.albums.batchRemoveMediaItems'] ?? 0, 0);
  } finally {
    await rig.close();
  }
});

test('a 429 that does not go away stops the verify with what it found; continuing asks only what is left', async () => {
  const rig = await startVerifyRig();
  try {
    await fs.rm(path.join(rig.root, 'Rome/r1.jpg'));
    await rig.control.faults({ type: 'status', endpoint: 'library.mediaItems.search', status: 429, times: 3, message: 'Too many requests' });
    const run = rig.verify({ attempts: 3 });
    const first = await run.run();
    assert.equal(first.complete, false);
    assert.equal(first.stoppedBy, 'error');
    assert.match(first.stopped ?? '', /Too many requests|429/);
    // Stored in English; the Verify view and its notification show it through its template.
    const marked = { t: (m: string, ...a: unknown[]) => `«${m.replace(/\{(\d+)\}/g, (_, i: string) => `[${String(a[Number(i)])}]`)}»` } as unknown as SyncL10n;
    assert.match(translateStopReason(first.stopped ?? '', marked), /^«\[Google Photos\] answered: \[.*(Too many requests|429).*\]»$/s);
    assert.deepEqual(found(first, 'missing-locally'), ['Rome/r1.jpg'], 'the getItems answer is kept');
    assert.ok(first.folders[0].unchecked > 0);
    assert.match(summaryLine(first), /Stopped early.*Continue Verify/);
    const batchGets = (await rig.control.state()).requestCounts['library.mediaItems.batchGet'];
    assert.equal(batchGets, 1);

    const second = await run.run();
    assert.equal(second.complete, true, second.stopped);
    assert.deepEqual(found(second, 'missing-locally'), ['Rome/r1.jpg']);
    assert.equal(second.folders[0].unchecked, 0);
    assert.equal((await rig.control.state()).requestCounts['library.mediaItems.batchGet'], batchGets, 'the ids were not asked again');
  } finally {
    await rig.close();
  }
});

test('cancel keeps what was found and can continue; the quota left bounds the requests', async () => {
  const rig = await startVerifyRig();
  try {
    const controller = new AbortController();
    const run = rig.verify();
    const estimate = await run.prepare();
    const cancelled = await run.run({ signal: controller.signal, onProgress: (p) => p.phase === 'remote' && p.done === 1 && controller.abort() });
    assert.equal(cancelled.complete, false);
    assert.equal(cancelled.stoppedBy, 'cancelled');
    const spent = cancelled.requests;
    assert.ok(spent >= 1 && spent < estimate);

    const limited = await run.run({ budget: 1 });
    assert.equal(limited.complete, false);
    assert.equal(limited.stoppedBy, 'quota');
    assert.equal(limited.requests, spent + 1, 'exactly the one request the budget allowed');

    const done = await run.run();
    assert.equal(done.complete, true);
    assert.equal(done.requests, estimate, 'all together, what the estimate said');
    assert.deepEqual(done.findings, []);
  } finally {
    await rig.close();
  }
});

test('clock skew and time zones: every mtime moved by hours is still in sync; a same-size edit with the mtime put back is found by a deep verify only', async () => {
  const rig = await startVerifyRig();
  try {
    for (const rel of Object.keys(rig.files)) {
      const p = path.join(rig.root, rel);
      const st = await fs.stat(p);
      await fs.utimes(p, st.atime, new Date(st.mtimeMs + 3 * 3600_000));
    }
    const shifted = await rig.verify().run();
    assert.deepEqual(shifted.findings, []);
    assert.equal(shifted.folders[0].inSync, 6);

    // A record the index keeps from now: the same size and mtime with other bytes (bit rot, a tool that restores mtimes).
    const p = path.join(rig.root, 'Paris/p1.jpg');
    await rig.pipeline.sync([rig.folder]); // records the shifted mtimes
    const st = await fs.stat(p);
    const other = Buffer.from(await fs.readFile(p));
    other[other.length - 10] ^= 0xff; // one flipped byte: same size
    await fs.writeFile(p, other);
    await fs.utimes(p, st.atime, st.mtime);
    assert.deepEqual((await rig.verify().run()).findings, [], 'quick: size and mtime unchanged, not hashed');
    const deep = await rig.verify({ deep: true }).run();
    assert.deepEqual(found(deep, 'changed-locally'), ['Paris/p1.jpg']);
  } finally {
    await rig.close();
  }
});
