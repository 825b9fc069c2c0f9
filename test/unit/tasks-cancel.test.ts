import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { createIndexJournal, TaskQueue } from '../../src/tasks/api';
import { open, tempStorage } from './index-helpers';
import { googleClassify } from './tasks-helpers';

/** A server that accepts upload requests and never answers (except /quick), recording when a client hangs up. */
async function hangingServer() {
  const arrived: string[] = [];
  const abortedByClient: string[] = [];
  const server = http.createServer((req, res) => {
    if (req.url !== '/quick') arrived.push(req.url ?? '');
    res.on('close', () => {
      if (!res.writableEnded) abortedByClient.push(req.url ?? '');
    });
    if (req.url === '/quick') res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, base, arrived, abortedByClient };
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 5));
}

test('cancelling a user action aborts its requests in flight, drops its queued tasks, and leaves other work running', async () => {
  const { server, base, arrived, abortedByClient } = await hangingServer();
  const index = await open(tempStorage(), { watch: false });
  const queue = new TaskQueue({ classify: googleClassify, concurrency: { upload: 2, download: 2 }, journal: createIndexJournal(index) });
  try {
    const uploads = queue.group('Back up Holidays', 'Uploading');
    const handles = ['/1', '/2', '/3'].map((url) =>
      uploads.add({
        kind: 'upload',
        title: url,
        payload: { url },
        run: async (ctx) => (await fetch(base + url, { method: 'POST', body: 'bytes', signal: ctx.signal })).text(),
      }),
    );
    const other = queue.group('Download', 'Downloading');
    const otherGate = new Promise<void>((resolve) => setTimeout(resolve, 50));
    const download = other.add({
      kind: 'download',
      title: 'quick',
      run: async (ctx) => {
        await otherGate;
        return (await fetch(`${base}/quick`, { signal: ctx.signal })).text();
      },
    });
    await until(() => arrived.length === 2);

    uploads.cancel();
    const outcomes = await Promise.all(handles.map((h) => h.outcome));
    assert.deepEqual(
      outcomes.map((o) => o.state),
      ['cancelled', 'cancelled', 'cancelled'],
    );
    await until(() => abortedByClient.length === 2);
    assert.deepEqual(abortedByClient.sort(), ['/1', '/2'], 'both requests in flight were aborted on the wire');
    assert.deepEqual(arrived.sort(), ['/1', '/2'], 'the queued third upload never started');
    const result = await uploads.finished;
    assert.deepEqual([result.done, result.cancelled, result.failed.length], [0, 3, 0]);

    assert.deepEqual(await download.outcome, { state: 'done', value: 'ok' }, 'the other action was not touched');
    await queue.idle();
    await index.flush();
    for (const h of handles) assert.equal(index.tasks.get(h.id)?.state, 'cancelled', 'the journal agrees: nothing to resume');
    assert.equal(index.tasks.countUnfinished(), 0);
  } finally {
    await queue.dispose();
    await index.dispose();
    server.closeAllConnections();
    server.close();
  }
});

test('cancelAll stops every group and later additions to a cancelled group do not run', async () => {
  const queue = new TaskQueue({ classify: googleClassify });
  const a = queue.group('A', 'Scanning');
  const b = queue.group('B', 'Hashing');
  let ran = 0;
  const never = (signal: AbortSignal) => new Promise((_r, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error)));
  a.add({ kind: 'scan', title: 's', run: (ctx) => never(ctx.signal) });
  b.add({ kind: 'hash', title: 'h', run: (ctx) => never(ctx.signal) });
  await new Promise((r) => setTimeout(r, 5));
  queue.cancelAll();
  await Promise.all([a.finished, b.finished]);
  const late = a.add({ kind: 'scan', title: 'late', run: async () => void ran++ });
  assert.equal((await late.outcome).state, 'cancelled');
  assert.equal(ran, 0);
  assert.deepEqual(queue.snapshot().running, 0);
});
