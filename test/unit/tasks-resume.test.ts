import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { JournalRow } from '../../src/index/api';
import { createIndexJournal, ManualClock, TaskQueue, type TaskSpec } from '../../src/tasks/api';
import { childDone, open, runChild, tempStorage } from './index-helpers';
import { commitTask, uploadTask, type Calls } from './tasks-crash-tasks';
import { googleClassify } from './tasks-helpers';

test('after a crash, unfinished tasks resume: young upload tokens are reused, old ones discarded, a commit that succeeded is not repeated', async () => {
  const dir = tempStorage();
  const remoteLog = path.join(dir, 'remote.log');
  fs.writeFileSync(remoteLog, '');
  const start = Date.UTC(2026, 0, 10, 12);
  const child = runChild('tasks-crash-child.ts', [dir, remoteLog, String(start)]);
  const exited = childDone(child);
  await new Promise<void>((resolve) => child.stdout?.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()));
  child.kill('SIGKILL');
  assert.equal((await exited).signal, 'SIGKILL');
  assert.deepEqual(fs.readFileSync(remoteLog, 'utf8').trim().split('\n'), ['bA:a1,a2', 'bC:c1']);

  // The next start, a minute later (b1's token is now more than a day old).
  const clock = new ManualClock(start + 25 * 60 * 60 * 1000 + 60_000);
  const index = await open(dir, { watch: false, now: () => clock.now() });
  const queue = new TaskQueue({ classify: googleClassify, clock, journal: createIndexJournal(index) });
  assert.equal(await queue.pendingFromJournal(), 5);
  assert.deepEqual(
    index.tasks.unfinished().map((r) => `${r.id}:${r.state}`).sort(),
    ['b1:running', 'b2:running', 'b3:running', 'bB:queued', 'bC:running'],
  );

  const calls: Calls = { uploaded: [], reusedToken: [] };
  const rebuilt: string[] = [];
  const factories = {
    upload: (row: JournalRow): TaskSpec => (rebuilt.push(row.id), uploadTask(index, row.id, calls)),
    commit: (row: JournalRow): TaskSpec => {
      rebuilt.push(row.id);
      const { uploadIds } = JSON.parse(row.payload ?? '{}') as { uploadIds: string[] };
      return commitTask(index, row.id, uploadIds, remoteLog);
    },
  };
  const group = await queue.resumeFromJournal(factories);
  assert.ok(group);
  const result = await group.finished;
  assert.equal(result.done, 5);

  assert.deepEqual(rebuilt.sort(), ['b1', 'b2', 'b3', 'bB', 'bC'], 'finished work (a1, a2, bA, c1) is not rebuilt');
  assert.deepEqual(calls.reusedToken, ['b2'], 'a token younger than a day is reused');
  assert.deepEqual(calls.uploaded.sort(), ['b1', 'b3'], 'the day-old token is discarded and the bytes sent again');
  assert.deepEqual(
    fs.readFileSync(remoteLog, 'utf8').trim().split('\n'),
    ['bA:a1,a2', 'bC:c1', 'bB:b1,b2,b3'],
    'bA and bC reached the server once each',
  );
  await index.flush();
  assert.equal(index.tasks.countUnfinished(), 0);
  assert.deepEqual(index.uploads.countByState(), { committed: 6 });
  await queue.dispose();
  await index.dispose();
});

test('unfinished rows with no factory are marked cancelled instead of lingering', async () => {
  const index = await open(tempStorage(), { watch: false });
  await index.write((w) =>
    w.tasks.upsert([{ id: 'v1', kind: 'verify', groupId: 'g', title: 'check', state: 'queued', dependsOn: [], priority: 0, attempts: 0, createdAt: 1, updatedAt: 1 }]),
  );
  const queue = new TaskQueue({ classify: googleClassify, journal: createIndexJournal(index) });
  const group = await queue.resumeFromJournal({});
  await group?.finished;
  await queue.dispose();
  assert.equal(index.tasks.get('v1')?.state, 'cancelled');
  assert.equal(index.tasks.countUnfinished(), 0);
  await index.dispose();
});
