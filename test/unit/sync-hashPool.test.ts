// The hashing threads (src/sync/hashPool.ts): the same sha256, byte count, errors and abort as the
// in-thread hash; several files at once on several threads; a worker that cannot start or dies hands
// its files back to the in-thread hash; idle workers never keep a process alive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { threadId as mainThreadId } from 'node:worker_threads';
import { hashFile, hashInThread, hashPool } from '../../src/sync/hash';
import { defaultPoolSize, describePoolUse, HashPool } from '../../src/sync/hashPool';
import { parseSyncFolders } from '../../src/sync/config';
import { describeFsError, scanFolder } from '../../src/sync/scan';
import { photosRules, tempDir } from './sync-fixtures';

const MB = 1024 * 1024;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function files(dir: string, sizes: number[], ext = '.bin'): Promise<{ path: string; bytes: Buffer }[]> {
  const out = [];
  for (const [i, size] of sizes.entries()) {
    const bytes = randomBytes(size);
    const p = path.join(dir, `f${i}${ext}`);
    await fs.writeFile(p, bytes);
    out.push({ path: p, bytes });
  }
  return out;
}

test('a worker gives the same sha256 and byte count as the in-thread hash: empty, small, multi-MB', async () => {
  const dir = await tempDir();
  const made = await files(dir, [0, 1, 1000, MB - 1, MB, 5 * MB + 17]);
  const pool = new HashPool({ inThread: hashInThread, size: 2, minBytes: 0 });
  try {
    for (const f of made) {
      const pooled = await pool.hash(f.path);
      const inThread = await hashInThread(f.path);
      assert.deepEqual({ sha256: pooled.sha256, bytes: pooled.bytes }, inThread, f.path);
      assert.deepEqual(inThread, { sha256: sha(f.bytes), bytes: f.bytes.length });
      assert.notEqual(pooled.threadId, mainThreadId, 'hashed on a worker, not handed back');
      assert.notEqual(pooled.threadId, 0);
    }
    assert.equal(pool.stats.fallbacks, 0);
    // The public hashFile: same answer with or without a size, above and below the 1 MB line.
    for (const f of made) {
      assert.deepEqual(await hashFile(f.path, undefined, f.bytes.length), { sha256: sha(f.bytes), bytes: f.bytes.length });
      assert.deepEqual(await hashFile(f.path), { sha256: sha(f.bytes), bytes: f.bytes.length });
    }
  } finally {
    await pool.close();
  }
});

test('aborting a file on a worker drops the job and throws AbortError, as the in-thread hash does', async () => {
  const dir = await tempDir();
  // A FIFO with a writer that never finishes: the read is truly in progress when the signal fires.
  const fifo = path.join(dir, 'endless.mp4');
  await promisify(execFile)('mkfifo', [fifo]);
  const writer = await fs.open(fifo, constants.O_RDWR | constants.O_NONBLOCK);
  await writer.write(randomBytes(64 * 1024));
  const pool = new HashPool({ inThread: hashInThread, size: 2, minBytes: 0 });
  try {
    const controller = new AbortController();
    const pending = pool.hash(fifo, controller.signal);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(pool.pending, 1, 'the file is on a worker');
    controller.abort();
    await assert.rejects(pending, (err: Error) => err.name === 'AbortError');
    assert.equal(pool.pending, 0, 'the job is dropped');

    // In-thread, the stream's AbortError comes once its blocked read returns: when the writer closes.
    const inThreadAbort = new AbortController();
    const inThread = hashInThread(fifo, inThreadAbort.signal);
    await new Promise((r) => setTimeout(r, 50));
    inThreadAbort.abort();
    setTimeout(() => void writer.close(), 50);
    await assert.rejects(inThread, (err: Error) => err.name === 'AbortError');

    // An already aborted signal: nothing is sent to a worker.
    await assert.rejects(pool.hash(fifo, AbortSignal.abort()), (err: Error) => err.name === 'AbortError');
    // The worker that dropped the job hashes the next file.
    const [next] = await files(dir, [2 * MB]);
    assert.equal((await pool.hash(next.path)).sha256, sha(next.bytes));
    assert.equal(pool.stats.fallbacks, 0);
  } finally {
    await writer.close().catch(() => undefined);
    await pool.close();
  }
});

test('a missing file gives the same error through a worker as in-thread (ENOENT with its path), a folder too', async () => {
  const dir = await tempDir();
  const missing = path.join(dir, 'gone.jpg');
  const pool = new HashPool({ inThread: hashInThread, size: 2, minBytes: 0 });
  try {
    const inThread = await hashInThread(missing).catch((e: NodeJS.ErrnoException) => e);
    const pooled = await pool.hash(missing).catch((e: NodeJS.ErrnoException) => e);
    const viaHashFile = await hashFile(missing, undefined, 8 * MB).catch((e: NodeJS.ErrnoException) => e);
    for (const err of [pooled, viaHashFile]) {
      assert.ok(err instanceof Error);
      const e = err as NodeJS.ErrnoException;
      const want = inThread as NodeJS.ErrnoException;
      assert.deepEqual([e.name, e.message, e.code, e.errno, e.syscall, e.path], [want.name, want.message, 'ENOENT', want.errno, 'open', missing]);
      assert.equal(describeFsError(e), describeFsError(want));
    }
    // A folder where a file was: the read fails the same way (EISDIR).
    const inThreadDir = (await hashInThread(dir).catch((e: NodeJS.ErrnoException) => e)) as NodeJS.ErrnoException;
    const pooledDir = (await pool.hash(dir).catch((e: NodeJS.ErrnoException) => e)) as NodeJS.ErrnoException;
    assert.equal(inThreadDir.code, 'EISDIR');
    assert.deepEqual([pooledDir.message, pooledDir.code, pooledDir.errno, pooledDir.syscall], [inThreadDir.message, inThreadDir.code, inThreadDir.errno, inThreadDir.syscall]);
    assert.equal(pool.stats.fallbacks, 0, 'an fs error is the file’s answer, not a reason to hand it back');
  } finally {
    await pool.close();
  }
});

test('many files at once are hashed on more than one thread', async () => {
  const dir = await tempDir();
  const made = await files(dir, Array.from({ length: 8 }, () => 2 * MB));
  const pool = new HashPool({ inThread: hashInThread, size: 2 });
  try {
    const results = await Promise.all(made.map((f) => pool.hash(f.path)));
    results.forEach((r, i) => assert.equal(r.sha256, sha(made[i].bytes)));
    const threads = new Set(results.map((r) => r.threadId));
    assert.equal(threads.size, 2, `threads seen: ${[...threads].join(', ')}`);
    assert.ok(!threads.has(0) && !threads.has(mainThreadId));
    assert.equal(pool.threads, 2);
    assert.equal(describePoolUse(pool, new Map()), '8 on 2 worker threads');
  } finally {
    await pool.close();
  }
});

test('the scan sends new files of 1 MB or more to the process’s hashing threads, small ones stay in-thread', async () => {
  const dir = await tempDir();
  const big = await files(dir, Array.from({ length: 6 }, () => 2 * MB), '.mp4');
  await fs.writeFile(path.join(dir, 'small.mp4'), randomBytes(1000));
  const before = new Map(hashPool().stats.byThread);
  const folder = parseSyncFolders([{ path: dir }], path.isAbsolute).folders[0];
  const result = await scanFolder(folder, { rules: await photosRules() });
  const byName = new Map(result.files.map((f) => [f.name, f]));
  for (const f of big) assert.equal(byName.get(path.basename(f.path))?.sha256, sha(f.bytes));
  assert.equal(byName.get('small.mp4')?.sha256, sha(await fs.readFile(path.join(dir, 'small.mp4'))));
  const grew = [...hashPool().stats.byThread].filter(([t, n]) => n > (before.get(t) ?? 0)).map(([t, n]) => [t, n - (before.get(t) ?? 0)]);
  if (defaultPoolSize() >= 2) {
    const workers = grew.filter(([t]) => t !== 0);
    assert.ok(workers.length >= 2, `threads that hashed: ${JSON.stringify(grew)}`);
    assert.equal(workers.reduce((n, [, c]) => n + c, 0), 6, 'the six big files, not the small one');
  } else {
    assert.deepEqual(grew, [], 'one core: everything in-thread');
  }
});

test('a worker that cannot start hands the file to the in-thread hash, and the pool turns itself off', async () => {
  const dir = await tempDir();
  const [f] = await files(dir, [3 * MB]);
  // new Worker() itself throws (e.g. threads unavailable in the host).
  const throwing = new HashPool({
    inThread: hashInThread,
    size: 2,
    spawn: () => {
      throw Object.assign(new Error('Worker initialization failure'), { code: 'ERR_WORKER_INIT_FAILED' });
    },
  });
  assert.deepEqual(await throwing.hash(f.path), { sha256: sha(f.bytes), bytes: f.bytes.length, threadId: 0 });
  assert.equal(throwing.off, true);
  assert.equal(throwing.stats.startFailures, 1);

  // The worker starts but its code fails before it is ready: every queued file comes back.
  const broken = new HashPool({ inThread: hashInThread, size: 2, source: 'throw new Error("no crypto here")' });
  const made = await files(dir, [2 * MB, 2 * MB, 2 * MB]);
  const results = await Promise.all(made.map((m) => broken.hash(m.path)));
  results.forEach((r, i) => assert.deepEqual(r, { sha256: sha(made[i].bytes), bytes: made[i].bytes.length, threadId: 0 }));
  assert.equal(broken.off, true);
  assert.equal(broken.worth(10 * MB), false, 'later files go straight to the in-thread hash');
  assert.equal(broken.threads, 0);
  assert.equal(describePoolUse(broken, new Map()), '3 handed back to this thread (hashing threads off: no crypto here)');
  assert.equal(describePoolUse(broken, new Map(broken.stats.byThread)), undefined, 'nothing since');
  await broken.close();
});

test('a worker that dies with files on it hands them back; the pool starts another, and turns itself off after three crashes', async () => {
  const dir = await tempDir();
  const made = await files(dir, [2 * MB, 2 * MB]);
  // Ready, then dies on the first file it is given.
  const dying = `const { parentPort, threadId } = require('node:worker_threads');
parentPort.on('message', () => process.exit(7));
parentPort.postMessage({ ready: threadId });`;
  const pool = new HashPool({ inThread: hashInThread, size: 2, source: dying });
  try {
    await new Promise((r) => setTimeout(r, 10));
    const results = await Promise.all(made.map((m) => pool.hash(m.path)));
    results.forEach((r, i) => assert.deepEqual(r, { sha256: sha(made[i].bytes), bytes: made[i].bytes.length, threadId: 0 }));
    assert.equal(pool.stats.fallbacks, 2);
    assert.equal(pool.pending, 0);
    assert.equal(pool.off, false, 'two crashes: the next file still gets a new worker');
    assert.equal((await pool.hash(made[0].path)).sha256, sha(made[0].bytes));
    assert.equal(pool.stats.started, 3);
    assert.equal(pool.off, true, 'a third crash turns the pool off');
    assert.equal(pool.worth(10 * MB), false);
  } finally {
    await pool.close();
  }
});

test('idle workers close by themselves and never keep a process from exiting', async () => {
  const dir = await tempDir();
  const [f] = await files(dir, [4 * MB]);
  const pool = new HashPool({ inThread: hashInThread, size: 2, idleMs: 50 });
  await pool.hash(f.path);
  assert.equal(pool.threads, 1);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(pool.threads, 0, 'closed after idleMs');

  // A process that hashed through the process-wide pool (workers up, idle close 5 s away) exits at once.
  const script = `const { hashFile } = require(${JSON.stringify(path.resolve('src/sync/hash.ts'))});
const big = () => hashFile(${JSON.stringify(f.path)}, undefined, ${4 * MB});
Promise.all([big(), big()]).then((r) => console.log(r[0].sha256, Date.now()));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '-e', script], { timeout: 30_000 });
  const [digest, hashedAt] = stdout.trim().split(' ');
  assert.equal(digest, sha(f.bytes));
  // The idle close is 5 s away: a process held by its workers would exit only then.
  assert.ok(Date.now() - Number(hashedAt) < 2500, `exited ${Date.now() - Number(hashedAt)} ms after its last hash: the idle workers held it`);
});
