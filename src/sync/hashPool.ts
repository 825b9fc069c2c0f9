import os from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * A small pool of worker threads that sha256 files by path, so that hashing many new files uses more
 * than one core (the main thread alone does one stream's SHA at a time, whatever the concurrency).
 *
 * The worker is a short plain-JS source string run with `new Worker(src, { eval: true })`, needing
 * only node:crypto, node:fs and node:worker_threads: there is no extra file to bundle, to split
 * (scripts/lazy-split.mjs), to package in the .vsix or to find by path from src/ under tsx, from
 * dist/*.js or from the installed extension — the same string runs in all of them. `execArgv: []`
 * keeps the parent's loader and inspector flags (tsx, --inspect) out of the worker.
 *
 * Nothing is ever lost or failed because of the pool: a worker that fails to start, or crashes with
 * jobs on it, hands those files back to the in-thread hash (and a worker that could not start turns
 * the pool off for the rest of the process). Workers are unref'd while idle and closed after
 * `idleMs`, so neither the command line nor the tests wait on them at exit.
 */

export interface HashResult {
  sha256: string;
  bytes: number;
}

/** A hash and the thread that did it (0: the main thread, the in-thread path). */
export interface PooledHash extends HashResult {
  threadId: number;
}

/**
 * The worker: reads each file in 1 MB slices into a buffer it reuses (no garbage per slice, so its
 * memory stays flat however big the file), hashing as it goes; several files at once interleave.
 */
export const HASH_WORKER_SOURCE = `'use strict';
const { parentPort, threadId } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const SLICE = 1048576;
const spare = [];
const running = new Map();
const failure = (e) => ({ message: String(e && e.message), name: e && e.name, code: e && e.code, errno: e && e.errno, syscall: e && e.syscall, path: e && e.path });
function answer(id, job, message) {
  if (running.get(id) !== job) return;
  running.delete(id);
  parentPort.postMessage(message);
}
parentPort.on('message', (m) => {
  if (m.abort !== undefined) {
    const job = running.get(m.abort);
    running.delete(m.abort);
    if (job) job.aborted = true;
    return;
  }
  const job = { aborted: false };
  running.set(m.id, job);
  fs.open(m.path, 'r', (openError, fd) => {
    if (openError) return answer(m.id, job, { id: m.id, error: failure(openError) });
    const buf = spare.pop() || Buffer.allocUnsafe(SLICE);
    const hash = createHash('sha256');
    let bytes = 0;
    const finish = (message) => fs.close(fd, () => {
      spare.push(buf);
      if (message) answer(m.id, job, message);
    });
    const next = () => fs.read(fd, buf, 0, SLICE, null, (readError, n) => {
      if (job.aborted) return finish();
      if (readError) return finish({ id: m.id, error: failure(readError) });
      if (n === 0) return finish({ id: m.id, sha256: hash.digest('hex'), bytes, threadId });
      hash.update(n === SLICE ? buf : buf.subarray(0, n));
      bytes += n;
      next();
    });
    if (job.aborted) return finish();
    next();
  });
});
parentPort.postMessage({ ready: threadId });
`;

type InThread = (filePath: string, signal?: AbortSignal) => Promise<HashResult>;

export interface HashPoolOptions {
  /** Hashes a file on the calling thread: for small files, single cores and every fallback. */
  inThread: InThread;
  /** Worker threads at most; below 2 the pool never starts (the in-thread path is as fast). */
  size?: number;
  /** Files smaller than this are hashed in-thread: a round trip costs more than their SHA. */
  minBytes?: number;
  /** Workers are closed after this long without a job. */
  idleMs?: number;
  /** The worker's source (tests give a broken one); HASH_WORKER_SOURCE by default. */
  source?: string;
  /** Starts a worker (tests give one that throws); `new Worker(source, { eval: true })` by default. */
  spawn?: (source: string) => Worker;
}

interface Job {
  id: number;
  filePath: string;
  signal?: AbortSignal;
  resolve: (r: PooledHash) => void;
  reject: (e: unknown) => void;
  cleanup: () => void;
}

interface Slot {
  worker: Worker;
  jobs: Map<number, Job>;
  ready: boolean;
  closing: boolean;
  threadId: number;
}

/** Workers by default: min(cores, 4); none on one core. */
export function defaultPoolSize(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return cores >= 2 ? Math.max(2, Math.min(cores, 4)) : 0;
}

export class HashPool {
  private readonly inThread: InThread;
  private readonly size: number;
  private readonly minBytes: number;
  private readonly idleMs: number;
  private readonly source: string;
  private readonly spawn: (source: string) => Worker;
  private slots: Slot[] = [];
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;
  private disabled = false;
  private crashes = 0;
  /** Files hashed by each thread (0: in-thread fallbacks), workers started, files handed back. */
  readonly stats = { byThread: new Map<number, number>(), started: 0, fallbacks: 0, startFailures: 0, lastFailure: undefined as string | undefined };

  constructor(options: HashPoolOptions) {
    this.inThread = options.inThread;
    this.size = options.size ?? defaultPoolSize();
    this.minBytes = options.minBytes ?? 1024 * 1024;
    this.idleMs = options.idleMs ?? 5000;
    this.source = options.source ?? HASH_WORKER_SOURCE;
    this.spawn = options.spawn ?? ((src) => new Worker(src, { eval: true, execArgv: [] }));
  }

  /** Whether a file of this size goes to a worker: big enough, more than one core, pool not off. */
  worth(size: number | undefined): boolean {
    return !this.disabled && this.size >= 2 && size !== undefined && size >= this.minBytes;
  }

  /** True once a worker failed to start (or kept crashing): every file is hashed in-thread. */
  get off(): boolean {
    return this.disabled;
  }

  /** Files on a worker now (aborted ones are dropped at once). */
  get pending(): number {
    return this.slots.reduce((n, s) => n + s.jobs.size, 0);
  }

  /** Threads running now. */
  get threads(): number {
    return this.slots.length;
  }

  /** sha256 of a file on a worker thread; same result, errors and abort as the in-thread hash. */
  async hash(filePath: string, signal?: AbortSignal): Promise<PooledHash> {
    signal?.throwIfAborted();
    const slot = this.disabled ? undefined : this.pick();
    if (!slot) return this.fallback(filePath, signal);
    return new Promise<PooledHash>((resolve, reject) => {
      const id = this.nextId++;
      const onAbort = () => {
        if (!slot.jobs.delete(id)) return;
        try {
          slot.worker.postMessage({ abort: id });
        } catch {
          // The worker is gone: nothing to drop there.
        }
        this.settled(slot);
        reject(abortError(signal));
      };
      const job: Job = { id, filePath, signal, resolve, reject, cleanup: () => signal?.removeEventListener('abort', onAbort) };
      signal?.addEventListener('abort', onAbort, { once: true });
      slot.jobs.set(id, job);
      if (this.idleTimer) clearTimeout(this.idleTimer);
      this.idleTimer = undefined;
      slot.worker.ref();
      try {
        slot.worker.postMessage({ id, path: filePath });
      } catch {
        this.lost(slot);
      }
    });
  }

  /** Closes every worker (idle ones close by themselves after idleMs). */
  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const slots = this.slots;
    this.slots = [];
    for (const slot of slots) {
      slot.closing = true;
      for (const job of slot.jobs.values()) this.handBack(job);
      slot.jobs.clear();
    }
    await Promise.all(slots.map((s) => s.worker.terminate().catch(() => undefined)));
  }

  /** The least busy worker, starting another while every running one has work and there is room. */
  private pick(): Slot | undefined {
    let best: Slot | undefined;
    for (const slot of this.slots) if (!best || slot.jobs.size < best.jobs.size) best = slot;
    if (best && (best.jobs.size === 0 || this.slots.length >= this.size)) return best;
    return this.start() ?? best;
  }

  private start(): Slot | undefined {
    let worker: Worker;
    try {
      worker = this.spawn(this.source);
    } catch (err) {
      this.stats.startFailures++;
      this.stats.lastFailure = (err as Error)?.message ?? String(err);
      this.disabled = true;
      return undefined;
    }
    this.stats.started++;
    const slot: Slot = { worker, jobs: new Map(), ready: false, closing: false, threadId: worker.threadId };
    worker.on('message', (m: WorkerMessage) => this.onMessage(slot, m));
    // An uncaught error ends the worker: 'exit' follows and hands its jobs back.
    worker.on('error', (err: Error) => {
      this.stats.lastFailure = err?.message ?? String(err);
    });
    worker.on('exit', (code) => {
      if (!slot.closing && this.stats.lastFailure === undefined) this.stats.lastFailure = `a hashing thread stopped (exit code ${code})`;
      this.lost(slot);
    });
    this.slots.push(slot);
    return slot;
  }

  private onMessage(slot: Slot, m: WorkerMessage): void {
    if ('ready' in m) {
      slot.ready = true;
      return;
    }
    const job = slot.jobs.get(m.id);
    if (!job) return; // aborted meanwhile
    slot.jobs.delete(m.id);
    job.cleanup();
    this.settled(slot);
    if ('error' in m) {
      job.reject(fsError(m.error));
      return;
    }
    this.count(m.threadId);
    job.resolve({ sha256: m.sha256, bytes: m.bytes, threadId: m.threadId });
  }

  /** A worker exited: its jobs are hashed in-thread; one that never got going turns the pool off. */
  private lost(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    if (!slot.closing) {
      if (!slot.ready) {
        this.stats.startFailures++;
        this.disabled = true;
      } else if (++this.crashes >= 3) {
        this.disabled = true;
      }
    }
    const jobs = [...slot.jobs.values()];
    slot.jobs.clear();
    for (const job of jobs) this.handBack(job);
    if (!slot.closing) void slot.worker.terminate().catch(() => undefined);
    this.settled(slot);
  }

  private handBack(job: Job): void {
    job.cleanup();
    this.fallback(job.filePath, job.signal).then(job.resolve, job.reject);
  }

  private async fallback(filePath: string, signal?: AbortSignal): Promise<PooledHash> {
    this.stats.fallbacks++;
    const r = await this.inThread(filePath, signal);
    this.count(0);
    return { ...r, threadId: 0 };
  }

  private count(threadId: number): void {
    this.stats.byThread.set(threadId, (this.stats.byThread.get(threadId) ?? 0) + 1);
  }

  /** After a job ends: an idle worker no longer keeps the process alive; all idle → close later. */
  private settled(slot: Slot): void {
    if (slot.jobs.size === 0 && !slot.closing) slot.worker.unref();
    if (this.slots.some((s) => s.jobs.size > 0) || this.idleTimer || this.slots.length === 0) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.slots.every((s) => s.jobs.size === 0)) void this.close();
    }, this.idleMs);
    this.idleTimer.unref();
  }
}

type WorkerMessage =
  | { ready: number }
  | { id: number; sha256: string; bytes: number; threadId: number }
  | { id: number; error: { message: string; name?: string; code?: string; errno?: number; syscall?: string; path?: string } };

/** The worker's fs error as the in-thread read throws it: same message, code, errno, syscall, path. */
function fsError(e: { message: string; name?: string; code?: string; errno?: number; syscall?: string; path?: string }): Error {
  const err = new Error(e.message) as NodeJS.ErrnoException;
  if (e.name && e.name !== 'Error') err.name = e.name;
  if (e.errno !== undefined) err.errno = e.errno;
  if (e.code !== undefined) err.code = e.code;
  if (e.syscall !== undefined) err.syscall = e.syscall;
  if (e.path !== undefined) err.path = e.path;
  return err;
}

/** What a read stream given an aborted signal throws: an AbortError whose cause is the reason. */
function abortError(signal?: AbortSignal): Error {
  return Object.assign(new Error('The operation was aborted', { cause: signal?.reason }), { name: 'AbortError', code: 'ABORT_ERR' });
}

/**
 * What the pool did since `before` (a copy of stats.byThread), for the log: "3 on 2 worker threads",
 * "2 on this thread (hashing threads off: …)"; undefined when no file went through the pool.
 */
export function describePoolUse(pool: HashPool, before: ReadonlyMap<number, number>): string | undefined {
  let onWorkers = 0;
  let inThread = 0;
  let threads = 0;
  for (const [threadId, n] of pool.stats.byThread) {
    const d = n - (before.get(threadId) ?? 0);
    if (d <= 0) continue;
    if (threadId === 0) inThread += d;
    else {
      onWorkers += d;
      threads++;
    }
  }
  const parts: string[] = [];
  if (onWorkers) parts.push(`${onWorkers} on ${threads} worker thread${threads === 1 ? '' : 's'}`);
  if (inThread) parts.push(`${inThread} handed back to this thread${pool.stats.lastFailure ? ` (${pool.off ? 'hashing threads off: ' : ''}${pool.stats.lastFailure})` : ''}`);
  return parts.length ? parts.join(', ') : undefined;
}
