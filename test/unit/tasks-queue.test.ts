import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GoogleApiError } from '../../src/google/errors';
import { ManualClock, TaskQueue, type TaskKind, type TaskOutcome } from '../../src/tasks/api';
import { gate, settle, googleClassify } from './tasks-helpers';

test('each kind runs at most its concurrency at once, independently of other kinds', async () => {
  const queue = new TaskQueue({ classify: googleClassify, clock: new ManualClock(), concurrency: { upload: 2, hash: 3 } });
  const group = queue.group('Back up', 'Uploading');
  const running = new Map<TaskKind, number>();
  const peak = new Map<TaskKind, number>();
  const gates = Array.from({ length: 12 }, () => gate());
  gates.forEach((g, i) => {
    const kind: TaskKind = i % 2 === 0 ? 'upload' : 'hash';
    group.add({
      kind,
      title: `t${i}`,
      run: async () => {
        running.set(kind, (running.get(kind) ?? 0) + 1);
        peak.set(kind, Math.max(peak.get(kind) ?? 0, running.get(kind) ?? 0));
        await g.promise;
        running.set(kind, (running.get(kind) ?? 0) - 1);
      },
    });
  });
  await settle();
  assert.deepEqual(queue.snapshot().byKind, { upload: { running: 2, queued: 4 }, hash: { running: 3, queued: 3 } });
  for (const g of gates) {
    g.open();
    await settle(5);
  }
  const result = await group.finished;
  assert.equal(result.done, 12);
  assert.equal(peak.get('upload'), 2);
  assert.equal(peak.get('hash'), 3);
  await queue.idle();
});

test('higher priority runs first; equal priority keeps the order added', async () => {
  const queue = new TaskQueue({ classify: googleClassify, clock: new ManualClock(), concurrency: { verify: 1 } });
  const group = queue.group('Verify', 'Verifying');
  const order: string[] = [];
  const blocker = gate();
  group.add({ kind: 'verify', title: 'first', run: async () => {
      order.push('first');
      await blocker.promise;
    },
  });
  await settle(); // "first" is running before the others arrive
  for (const [title, priority] of [['low', 0], ['high', 5], ['low2', 0], ['mid', 1]] as const) {
    group.add({ kind: 'verify', title, priority, run: async () => void order.push(title) });
  }
  await settle();
  blocker.open();
  await group.finished;
  assert.deepEqual(order, ['first', 'high', 'mid', 'low', 'low2']);
});

test('a commit waits for its uploads and sees which succeeded (and their results); a strict dependent of a failed task fails', async () => {
  const queue = new TaskQueue({ classify: googleClassify, clock: new ManualClock() });
  const group = queue.group('Upload', 'Uploading', { countKinds: ['upload'] });
  const ok1 = group.add({ id: 'u1', kind: 'upload', title: 'a.jpg', bytes: 100, run: async (ctx) => (ctx.reportBytes(100), 'tokenA') });
  const bad = group.add({ id: 'u2', kind: 'upload', title: 'b.jpg', bytes: 50, run: async () => Promise.reject(new GoogleApiError(400, 'INVALID_ARGUMENT', 'Unsupported file type')) });
  let seen: Map<string, TaskOutcome> | undefined;
  const commit = group.add({
    kind: 'commit',
    title: 'Add 2 items',
    accountId: 'acc',
    dependsOn: [ok1.id, bad.id],
    waitFor: 'settled',
    run: async (ctx) => {
      seen = new Map(ctx.dependencies);
      return 'committed';
    },
  });
  const strict = group.add({ kind: 'album', title: 'Set cover', accountId: 'acc', dependsOn: [bad.id], run: async () => 'never' });
  const [commitOutcome, strictOutcome] = await Promise.all([commit.outcome, strict.outcome]);
  assert.deepEqual(commitOutcome, { state: 'done', value: 'committed' });
  assert.deepEqual(seen?.get('u1'), { state: 'done', value: 'tokenA' }, 'the upload’s result reaches its commit');
  assert.equal(seen?.get('u2')?.state, 'failed');
  assert.equal(strictOutcome.state, 'failed');
  const result = await group.finished;
  assert.deepEqual(
    result.failed.map((f) => [f.title, f.reason]),
    [
      ['b.jpg', 'Unsupported file type'],
      ['Set cover', 'A task it depends on did not finish.'],
    ],
  );
  const p = group.progress();
  assert.deepEqual([p.total, p.done, p.failed, p.bytesDone, p.bytesTotal, p.finished], [2, 1, 1, 100, 150, true], 'counts only uploads; bytes of every task');
});

test('commits with the same serial key never overlap; other keys run in parallel', async () => {
  const queue = new TaskQueue({ classify: googleClassify, clock: new ManualClock(), concurrency: { commit: 4 } });
  const group = queue.group('Commit', 'Adding');
  const active = new Set<string>();
  let overlapSameAccount = false;
  let overlapAcrossAccounts = false;
  const gates: ReturnType<typeof gate>[] = [];
  for (const account of ['acc1', 'acc1', 'acc1', 'acc2']) {
    const g = gate();
    gates.push(g);
    group.add({
      kind: 'commit',
      title: account,
      accountId: account,
      serialKey: `google-photos:${account}:commit`,
      run: async () => {
        if (active.has(account)) overlapSameAccount = true;
        if (active.size > 0) overlapAcrossAccounts = true;
        active.add(account);
        await g.promise;
        active.delete(account);
      },
    });
  }
  await settle();
  assert.equal(queue.snapshot().running, 2, 'one per account');
  for (const g of gates) {
    g.open();
    await settle(5);
  }
  await group.finished;
  assert.equal(overlapSameAccount, false);
  assert.equal(overlapAcrossAccounts, true);
});

test('setConcurrency takes effect for queued work', async () => {
  const queue = new TaskQueue({ classify: googleClassify, clock: new ManualClock(), concurrency: { download: 1 } });
  const group = queue.group('Download', 'Downloading');
  const gates = Array.from({ length: 4 }, () => gate());
  for (const g of gates) group.add({ kind: 'download', title: 'd', run: () => g.promise });
  await settle();
  assert.equal(queue.snapshot().running, 1);
  queue.setConcurrency({ download: 3 });
  await settle();
  assert.equal(queue.snapshot().running, 3);
  gates.forEach((g) => g.open());
  await group.finished;
});
