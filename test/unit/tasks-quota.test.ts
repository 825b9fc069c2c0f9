import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock, TaskQueue, nextPacificMidnight, pacificDay, type QueueSnapshot } from '../../src/tasks/api';
import { dailyQuotaError, settle } from './tasks-helpers';

test('a daily-quota error pauses the whole queue until midnight Pacific, then it resumes by itself', async () => {
  // 12:00 UTC on 15 Jan = 04:00 in California; the quota resets at 08:00 UTC on 16 Jan.
  const clock = new ManualClock(Date.UTC(2026, 0, 15, 12));
  const queue = new TaskQueue({ clock, concurrency: { upload: 1 } });
  const snapshots: QueueSnapshot[] = [];
  queue.onDidChange((s) => snapshots.push(s));
  const group = queue.group('Upload', 'Uploading');
  const ran: string[] = [];
  let quotaLeft = false;
  for (const name of ['a', 'b', 'c']) {
    group.add({
      kind: 'upload',
      title: name,
      accountId: 'acc',
      run: async (ctx) => {
        ran.push(`${name}@${new Date(ctx.clock.now()).toISOString()}#${ctx.attempt}`);
        if (!quotaLeft) throw dailyQuotaError();
      },
    });
  }
  await settle();
  const resetAt = Date.UTC(2026, 0, 16, 8);
  assert.deepEqual(queue.paused, { reason: 'dailyQuota', until: resetAt, accountId: 'acc' });
  assert.ok(snapshots.some((s) => s.paused?.until === resetAt), 'listeners (the status bar) hear about the pause');
  assert.deepEqual(ran, ['a@2026-01-15T12:00:00.000Z#1'], 'nothing else starts while paused');

  await clock.advance(resetAt - clock.now() - 1);
  assert.equal(ran.length, 1);
  assert.ok(queue.paused);

  quotaLeft = true;
  await clock.advance(1);
  await group.finished;
  assert.equal(queue.paused, undefined);
  assert.deepEqual(ran, ['a@2026-01-15T12:00:00.000Z#1', 'a@2026-01-16T08:00:00.000Z#1', 'b@2026-01-16T08:00:00.000Z#1', 'c@2026-01-16T08:00:00.000Z#1'], 'the quota hit did not use up an attempt');
});

test('resumeNow ends a pause early', async () => {
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 20));
  const queue = new TaskQueue({ clock });
  const group = queue.group('Upload', 'Uploading');
  let calls = 0;
  const h = group.add({
    kind: 'upload',
    title: 'a',
    run: async () => {
      if (++calls === 1) throw dailyQuotaError();
    },
  });
  await settle();
  assert.equal(queue.paused?.until, Date.UTC(2026, 5, 2, 7), 'summer time: midnight PDT is 07:00 UTC');
  queue.resumeNow();
  assert.equal((await h.outcome).state, 'done');
  assert.equal(calls, 2);
});

test('Pacific midnight and day boundaries across daylight-saving changes', () => {
  assert.equal(nextPacificMidnight(Date.UTC(2026, 2, 8, 7, 59)), Date.UTC(2026, 2, 8, 8)); // 23:59 PST on 7 Mar
  assert.equal(nextPacificMidnight(Date.UTC(2026, 2, 8, 12)), Date.UTC(2026, 2, 9, 7)); // DST starts 8 Mar
  assert.equal(nextPacificMidnight(Date.UTC(2026, 10, 1, 12)), Date.UTC(2026, 10, 2, 8)); // DST ends 1 Nov
  assert.equal(nextPacificMidnight(Date.UTC(2026, 11, 31, 9)), Date.UTC(2027, 0, 1, 8));
  assert.equal(pacificDay(Date.UTC(2026, 0, 1, 7, 59)), '2025-12-31');
  assert.equal(pacificDay(Date.UTC(2026, 0, 1, 8)), '2026-01-01');
});
