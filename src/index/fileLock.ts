import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import type { Logger } from '../util/logger';

export interface LockOwner {
  pid: number;
  host: string;
  owner: string;
  acquiredAt: number;
  /** Who holds it, in words ("VS Code window", "photo-sync command line"). */
  label?: string;
}

export interface FileLockOptions {
  /** A lock whose file was not touched for this long is taken over. */
  staleMs: number;
  /** Give up waiting after this long. */
  timeoutMs: number;
  log: Logger;
  pollMs?: number;
  /** Written into the lock file so others can say who holds it. */
  label?: string;
}

/**
 * A cross-process lock file (`index.sqlite.lock`) holding the owner's pid, host and a per-instance
 * token. Taken over when the owner's process is gone (same host) or the file is older than staleMs.
 * The holder touches it with refresh() while it keeps the lock.
 */
export class FileLock {
  private readonly owner = randomUUID();
  private heldSince: number | undefined;

  constructor(
    readonly file: string,
    private readonly options: FileLockOptions,
  ) {}

  get held(): boolean {
    return this.heldSince !== undefined;
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    if (this.held) return;
    const deadline = Date.now() + this.options.timeoutMs;
    const poll = this.options.pollMs ?? 25;
    for (let attempt = 0; ; attempt++) {
      if (this.tryCreate()) return;
      this.breakIfStale();
      if (this.tryCreate()) return;
      if (Date.now() > deadline) {
        const holder = readOwner(this.file);
        const who = holder ? `${holder.label ?? 'another VS Code window'}, process ${holder.pid} on ${holder.host}` : 'another VS Code window';
        throw new Error(`Timed out waiting for ${this.file} (held by ${who}).`);
      }
      signal?.throwIfAborted();
      // Jitter keeps two waiting windows from retrying in lock-step.
      await new Promise((resolve) => setTimeout(resolve, poll + Math.random() * poll * Math.min(attempt, 4)));
    }
  }

  /** Takes the lock if it is free or its holder is gone; never waits. */
  tryAcquire(): boolean {
    if (this.held) return true;
    if (this.tryCreate()) return true;
    this.breakIfStale();
    return this.tryCreate();
  }

  /** Marks the lock as alive (mtime), so others do not take it over while we still hold it. */
  refresh(): void {
    if (!this.held) return;
    const now = new Date();
    try {
      fs.utimesSync(this.file, now, now);
    } catch (err) {
      this.options.log.warn(`Could not refresh ${this.file}: ${(err as Error).message}`);
    }
  }

  release(): void {
    if (!this.held) return;
    this.heldSince = undefined;
    try {
      const current = readOwner(this.file);
      // Only remove our own lock: if it was taken over as stale, the file is someone else's now.
      if (current?.owner === this.owner) fs.unlinkSync(this.file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.options.log.warn(`Could not release ${this.file}: ${(err as Error).message}`);
    }
  }

  private tryCreate(): boolean {
    const owner: LockOwner = { pid: process.pid, host: os.hostname(), owner: this.owner, acquiredAt: Date.now(), label: this.options.label };
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'wx', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
    try {
      fs.writeSync(fd, JSON.stringify(owner));
    } finally {
      fs.closeSync(fd);
    }
    this.heldSince = Date.now();
    return true;
  }

  private breakIfStale(): void {
    let stat: fs.Stats;
    let text: string;
    try {
      stat = fs.statSync(this.file);
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      return; // Gone already: the next tryCreate wins or loses fairly.
    }
    const owner = parseOwner(text);
    const age = Date.now() - stat.mtimeMs;
    const deadOwner = owner !== undefined && owner.host === os.hostname() && !isAlive(owner.pid);
    // An empty file is a lock being written right now; only age makes it stale.
    if (!deadOwner && age < this.options.staleMs) return;
    const aside = `${this.file}.stale-${this.owner}`;
    try {
      fs.renameSync(this.file, aside);
    } catch {
      return;
    }
    // Between our read and the rename another window may have broken it and taken a fresh lock: put that one back.
    const moved = safeRead(aside);
    if (moved !== text && moved !== undefined) {
      try {
        fs.linkSync(aside, this.file);
      } catch {
        // Someone holds a newer lock already; theirs wins.
      }
    } else {
      this.options.log.warn(`Took over a stale index lock (${deadOwner ? `process ${owner?.pid} is gone` : `untouched for ${Math.round(age / 1000)} s`}).`);
    }
    fs.rmSync(aside, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function safeRead(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    return typeof o.pid === 'number' && typeof o.owner === 'string'
      ? { pid: o.pid, host: String(o.host ?? ''), owner: o.owner, acquiredAt: Number(o.acquiredAt ?? 0), label: typeof o.label === 'string' ? o.label : undefined }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Who holds a lock file now, if anyone. */
export function readOwner(file: string): LockOwner | undefined {
  const text = safeRead(file);
  return text === undefined ? undefined : parseOwner(text);
}
