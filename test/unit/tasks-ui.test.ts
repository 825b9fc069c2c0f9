import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as vscode from 'vscode';
import { ManualClock, TaskQueue, type GroupProgress } from '../../src/tasks/api';
import { QueueStatusBar } from '../../src/ui/statusBar';
import { formatGroupProgress, showGroupProgress } from '../../src/ui/taskProgress';
import { createVsCode, type FakeStatusBarItem } from '../helpers/vscodeFake';
import { dailyQuotaError, gate, settle, untilAborted, googleClassify } from './tasks-helpers';

/** Sizes are shown in binary units, as VS Code shows file sizes. */
const MiB = 1024 * 1024;

type Vs = typeof vscode;

const progress = (p: Partial<GroupProgress>): GroupProgress => ({
  groupId: 'g',
  title: 'Back up',
  verb: 'Uploading',
  total: 0,
  done: 0,
  failed: 0,
  cancelled: 0,
  running: 0,
  bytesTotal: 0,
  bytesDone: 0,
  finished: false,
  ...p,
});

test('the progress message reads like a person wrote it', () => {
  assert.equal(
    formatGroupProgress(progress({ total: 2000, done: 134, bytesDone: 412 * 2 ** 20, bytesTotal: 5.1 * 2 ** 30, etaMs: 3 * 60_000 })),
    'Uploading 134 of 2,000 · 412 MB of 5.1 GB · 3 min left',
  );
  assert.equal(formatGroupProgress(progress({ verb: 'Hashing', total: 10, done: 7, failed: 1, etaMs: 45_000 })), 'Hashing 8 of 10 · 1 failed · 45 s left');
  assert.equal(
    formatGroupProgress(progress({ total: 3, done: 1, bytesDone: 1536, bytesTotal: 9216 }), { until: Date.UTC(2026, 0, 16, 8), label: 'daily quota' }, 'Europe/Berlin'),
    'Uploading 1 of 3 · 1.5 KB of 9.0 KB · paused until 09:00 (daily quota)',
  );
  assert.equal(formatGroupProgress(progress({ total: 1, etaMs: (2 * 60 + 10) * 60_000 })), 'Uploading 0 of 1 · 2 h 10 min left');
  // A group whose tasks are not added yet has nothing to count.
  assert.equal(formatGroupProgress(progress({ total: 0 })), 'Uploading…');
});

test('one notification per user action: counts, bytes and ETA; cancelling it aborts the action’s tasks', async () => {
  const { vs, ui } = createVsCode();
  const clock = new ManualClock();
  const queue = new TaskQueue({ classify: googleClassify, clock, concurrency: { upload: 2 } });
  const group = queue.group('Back up “Holidays”', 'Uploading', { countKinds: ['upload'] });
  const first = gate();
  group.add({
    kind: 'upload',
    title: 'a.jpg',
    bytes: 4 * MiB,
    run: async (ctx) => {
      ctx.reportBytes(2 * MiB);
      await first.promise;
      ctx.reportBytes(4 * MiB);
    },
  });
  const aborted: string[] = [];
  for (const name of ['b.jpg', 'c.jpg', 'd.jpg']) {
    group.add({
      kind: 'upload',
      title: name,
      bytes: 2 * MiB,
      run: async (ctx) => {
        ctx.signal.addEventListener('abort', () => aborted.push(name));
        await untilAborted(ctx.signal);
      },
    });
  }
  const shown = showGroupProgress(vs as unknown as Vs, group, { throttleMs: 0 });
  await settle();
  await clock.advance(60_000);
  first.open();
  await settle();
  assert.equal(ui.progress.length, 1, 'a single notification');
  assert.equal(ui.progress[0].title, 'Back up “Holidays”');
  const messages = ui.progress[0].reports.map((r) => r.message);
  assert.equal(messages[0], 'Uploading 0 of 4 · 0 B of 10 MB');
  assert.ok(messages.includes('Uploading 0 of 4 · 2.0 MB of 10 MB'), messages.join('\n'));
  assert.ok(messages.includes('Uploading 1 of 4 · 4.0 MB of 10 MB · 2 min left'), messages.join('\n'));

  ui.progress[0].cancel?.();
  const result = await shown;
  assert.deepEqual([result.done, result.cancelled], [1, 3]);
  assert.deepEqual(aborted.sort(), ['b.jpg', 'c.jpg'], 'the two in flight saw their signal abort; the queued one never started');
  const total = ui.progress[0].reports.reduce((sum, r) => sum + (r.increment ?? 0), 0);
  assert.ok(total <= 100, 'increments never add up past 100 %');
});

test('the status bar shows the queue while busy, the pause with its resume time, and today’s quota use', async () => {
  const { vs, ui } = createVsCode();
  const clock = new ManualClock(Date.UTC(2026, 0, 15, 12));
  const queue = new TaskQueue({ classify: googleClassify, clock, concurrency: { upload: 2 } });
  let used = 1204;
  const bar = new QueueStatusBar(vs as unknown as Vs, queue, { quota: () => ({ used, limit: 10_000 }), timeZone: 'Europe/Berlin', throttleMs: 0 });
  const item = ui.statusBarItems?.[0] as FakeStatusBarItem;
  assert.equal(item.visible, false, 'hidden while idle');
  assert.equal(item.command, 'photoSync.showTaskDetails');

  const group = queue.group('Back up', 'Uploading');
  const gates = [gate(), gate(), gate()];
  let quotaHit = false;
  gates.forEach((g, i) =>
    group.add({
      kind: 'upload',
      title: `f${i}`,
      run: async () => {
        await g.promise;
        if (i === 0 && !quotaHit) {
          quotaHit = true;
          throw dailyQuotaError();
        }
      },
    }),
  );
  await settle();
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(item.visible, true);
  assert.equal(item.text, '$(cloud-upload) 3 tasks · 1,204/10,000');

  gates[0].open();
  await settle();
  await new Promise((r) => setTimeout(r, 5));
  // Midnight Pacific = 08:00 UTC = 09:00 in Berlin.
  assert.equal(item.text, '$(debug-pause) Photo Sync paused until 09:00 (daily quota)');
  assert.match(String((item.tooltip as { value: string }).value), /Paused: the daily quota is used up\. Resumes at 09:00\./);

  used = 0;
  gates.forEach((g) => g.open());
  await clock.advance(24 * 60 * 60 * 1000);
  await group.finished;
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(item.visible, false, 'hidden again once the work is done');
  bar.dispose();
  assert.equal(item.disposed, true);
});

test('the last progress line is the finished state, even when the work ends inside the throttle window', async () => {
  const { vs, ui } = createVsCode();
  const queue = new TaskQueue({ classify: googleClassify, concurrency: { upload: 3 } });
  const group = queue.group('Back up “Trip”', 'Uploading', { countKinds: ['upload'] });
  for (const name of ['a.jpg', 'b.jpg', 'c.jpg']) group.add({ kind: 'upload', title: name, bytes: 1024, run: async (ctx) => ctx.reportBytes(1024) });
  // A throttle longer than the whole run: only the first line and the final one get through.
  await showGroupProgress(vs as unknown as Vs, group, { throttleMs: 60_000 });
  const messages = ui.progress[0].reports.map((r) => r.message);
  assert.equal(messages.at(-1), 'Uploading 3 of 3 · 3.0 KB of 3.0 KB');
  await queue.dispose();
});
