import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GoogleApiError, parseGoogleError } from '../../src/google/errors';
import { backoffDelay } from '../../src/tasks/backoff';
import { ManualClock, TaskQueue } from '../../src/tasks/api';
import { settle, googleClassify } from './tasks-helpers';

const unavailable = () => new GoogleApiError(503, 'UNAVAILABLE', 'The service is currently unavailable.');

test('server errors are retried with exponential backoff and jitter', async () => {
  const clock = new ManualClock();
  const t0 = clock.now();
  const queue = new TaskQueue({ classify: googleClassify, clock, random: () => 0.5, backoff: { baseMs: 1000, maxMs: 64_000 } });
  const group = queue.group('Upload', 'Uploading');
  const attempts: number[] = [];
  const handle = group.add({
    kind: 'upload',
    title: 'a.jpg',
    run: async (ctx) => {
      attempts.push(ctx.clock.now() - t0);
      if (ctx.attempt < 4) throw unavailable();
      return 'ok';
    },
  });
  await settle();
  assert.deepEqual(attempts, [0]);
  assert.equal(handle.state, 'retrying');
  await clock.advance(749);
  assert.deepEqual(attempts, [0], 'not before the backoff');
  await clock.advance(60_000);
  // Delays with jitter 0.5: 1 s → 750 ms, 2 s → 1.5 s, 4 s → 3 s.
  assert.deepEqual(attempts, [0, 750, 2250, 5250]);
  assert.deepEqual(await handle.outcome, { state: 'done', value: 'ok' });
});

test('Retry-After from the server is honoured when longer than the backoff', async () => {
  const clock = new ManualClock();
  const t0 = clock.now();
  const queue = new TaskQueue({ classify: googleClassify, clock, random: () => 1 });
  const group = queue.group('Upload', 'Uploading');
  const attempts: number[] = [];
  const handle = group.add({
    kind: 'upload',
    title: 'a.jpg',
    run: async (ctx) => {
      attempts.push(ctx.clock.now() - t0);
      // A per-minute rate limit, not the daily quota: the queue must not pause for the day.
      if (ctx.attempt === 1) throw parseGoogleError(429, JSON.stringify({ error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Quota exceeded for quota metric Write requests per minute per user' } }), '30');
      return 'ok';
    },
  });
  await settle();
  await clock.advance(29_999);
  assert.deepEqual(attempts, [0]);
  assert.equal(queue.paused, undefined);
  await clock.advance(1);
  assert.deepEqual(attempts, [0, 30_000]);
  assert.equal((await handle.outcome).state, 'done');
});

test('network errors are retried; after maxAttempts the task fails with the reason', async () => {
  const clock = new ManualClock();
  const queue = new TaskQueue({ classify: googleClassify, clock, random: () => 0 });
  const group = queue.group('Download', 'Downloading');
  let calls = 0;
  const handle = group.add({
    kind: 'download',
    title: 'b.jpg',
    maxAttempts: 3,
    run: async () => {
      calls++;
      throw Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
    },
  });
  await clock.advance(10 * 60_000);
  const outcome = await handle.outcome;
  assert.equal(calls, 3);
  assert.equal(outcome.state, 'failed');
  assert.match(outcome.state === 'failed' ? outcome.reason : '', /fetch failed \(gave up after 3 attempts\)/);
});

test('an error that will not heal fails that item at once and the rest go on', async () => {
  const clock = new ManualClock();
  const queue = new TaskQueue({ classify: googleClassify, clock, concurrency: { upload: 1 } });
  const group = queue.group('Upload', 'Uploading');
  const ran: string[] = [];
  for (const name of ['a.jpg', 'bad.heic', 'c.jpg']) {
    group.add({
      kind: 'upload',
      title: name,
      run: async () => {
        ran.push(name);
        if (name === 'bad.heic') throw new GoogleApiError(400, 'INVALID_ARGUMENT', 'Failed: There was an error while trying to create this media item.');
      },
    });
  }
  const result = await group.finished;
  assert.deepEqual(ran, ['a.jpg', 'bad.heic', 'c.jpg'], 'no retry of the bad file');
  assert.equal(result.done, 2);
  assert.deepEqual(result.failed, [{ taskId: result.failed[0].taskId, title: 'bad.heic', reason: 'Failed: There was an error while trying to create this media item.' }]);
});

test('backoff is capped and grows with the attempt number', () => {
  const at = (attempt: number, random: number) => backoffDelay(attempt, { baseMs: 1000, maxMs: 8000, random: () => random });
  assert.deepEqual([1, 2, 3, 4, 5, 9].map((a) => at(a, 1)), [1000, 2000, 4000, 8000, 8000, 8000]);
  assert.deepEqual([1, 2, 3].map((a) => at(a, 0)), [500, 1000, 2000]);
  assert.equal(backoffDelay(1, { baseMs: 1000, maxMs: 8000, random: () => 1, retryAfterMs: 120_000 }), 120_000);
});
