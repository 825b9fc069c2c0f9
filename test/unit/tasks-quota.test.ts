import assert from 'node:assert/strict';
import { test } from 'node:test';
import { calendarDay, hourlyQuota, ManualClock, nextMidnight, TaskQueue, type QueueSnapshot } from '../../src/tasks/api';

const LA = 'America/Los_Angeles';
import { dailyQuotaError, settle, googleClassify } from './tasks-helpers';

test('a daily-quota error pauses that quota’s tasks until midnight Pacific, then they resume by themselves', async () => {
  // 12:00 UTC on 15 Jan = 04:00 in California; the quota resets at 08:00 UTC on 16 Jan.
  const clock = new ManualClock(Date.UTC(2026, 0, 15, 12));
  const queue = new TaskQueue({ classify: googleClassify, clock, concurrency: { upload: 1 } });
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
  assert.deepEqual(queue.paused, { reason: 'quota', key: 'acc', until: resetAt, label: 'daily quota' });
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
  const queue = new TaskQueue({ classify: googleClassify, clock });
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
  assert.equal(nextMidnight(Date.UTC(2026, 2, 8, 7, 59), LA), Date.UTC(2026, 2, 8, 8)); // 23:59 PST on 7 Mar
  assert.equal(nextMidnight(Date.UTC(2026, 2, 8, 12), LA), Date.UTC(2026, 2, 9, 7)); // DST starts 8 Mar
  assert.equal(nextMidnight(Date.UTC(2026, 10, 1, 12), LA), Date.UTC(2026, 10, 2, 8)); // DST ends 1 Nov
  assert.equal(nextMidnight(Date.UTC(2026, 11, 31, 9), LA), Date.UTC(2027, 0, 1, 8));
  assert.equal(calendarDay(Date.UTC(2026, 0, 1, 7, 59), LA), '2025-12-31');
  assert.equal(calendarDay(Date.UTC(2026, 0, 1, 8), LA), '2026-01-01');
});

test('an hourly limit (Flickr’s kind) counts per clock hour and resets at the top of the hour', () => {
  const policy = hourlyQuota('flickr', 3600);
  assert.equal(policy.periodOf(Date.UTC(2026, 0, 1, 17, 59, 59)), '2026-01-01T17');
  assert.equal(policy.resetsAt(Date.UTC(2026, 0, 1, 17, 20)), Date.UTC(2026, 0, 1, 18));
});

test('a spent quota pauses only its own tasks: another destination’s keep running', async () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 15, 17, 20));
  const queue = new TaskQueue({ clock, concurrency: { upload: 4 } });
  const group = queue.group('Upload', 'Uploading');
  const ran: string[] = [];
  // The Flickr-like tasks classify their own errors into an hourly pause.
  const flickrHour = hourlyQuota('flickr', 3600);
  let flickrSpent = true;
  const flickr = group.add({
    kind: 'upload',
    title: 'to flickr',
    quotaKey: 'flickr:acc',
    classify: (_err, now) => ({ kind: 'quota', until: flickrHour.resetsAt(now), label: flickrHour.label }),
    run: async () => {
      ran.push('flickr');
      if (flickrSpent) throw new Error('Rate limit exceeded');
    },
  });
  const photos = group.add({ kind: 'upload', title: 'to photos', quotaKey: 'google-photos:acc', run: async () => void ran.push('photos') });
  await settle();
  assert.equal((await photos.outcome).state, 'done', 'the other quota is not held back');
  assert.deepEqual(queue.snapshot().pauses, [{ reason: 'quota', key: 'flickr:acc', until: Date.UTC(2026, 0, 15, 18), label: 'hourly limit' }]);
  flickrSpent = false;
  await clock.advance(Date.UTC(2026, 0, 15, 18) - clock.now());
  assert.equal((await flickr.outcome).state, 'done');
  assert.deepEqual(ran, ['flickr', 'photos', 'flickr']);
  assert.equal(queue.paused, undefined);
});
