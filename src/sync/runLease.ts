// One upload run per destination account at a time (and one sync per folder), across VS Code
// windows and the command line. The index lock keeps writes safe, but two engines planning the same
// contents (the same folder, overlapping folders, copies of the same bytes) would create an album
// twice and send bytes twice. A lease file beside the index (leases/<key>.lease) is held for
// the whole run, refreshed while the run lives, and taken over only when its holder is gone (its
// process ended, or it was not refreshed for staleMs). The holder publishes its progress beside it
// so another window can show it instead of starting a second run.
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FileLock, readOwner } from '../index/fileLock';
import type { Logger } from '../util/logger';

export interface LeaseProgress {
  title: string;
  done: number;
  total: number;
  updatedAt: number;
}

export interface LeaseHolder {
  /** "VS Code window", "photo-sync command line". */
  label?: string;
  pid: number;
  host: string;
  since: number;
  progress?: LeaseProgress;
}

export interface RunLeasesOptions {
  log: Logger;
  /** Who we are, shown to the others. */
  label: string;
  /** Default 30 s. */
  staleMs?: number;
  /** Default 5 s. */
  refreshMs?: number;
}

/** Leases held by this process for one run. */
export interface HeldLeases {
  /** Publishes the run's progress for other windows (cheap: call it as often as you like). */
  report(progress: Omit<LeaseProgress, 'updatedAt'>): void;
  release(): void;
}

export class RunLeases {
  private readonly dir: string;

  /** `storageDir` is the index's folder, shared by every window and the command line. */
  constructor(
    storageDir: string,
    private readonly options: RunLeasesOptions,
  ) {
    this.dir = path.join(storageDir, 'leases');
  }

  /** A lease key from its parts, e.g. ('run', provider, accountId, folder) or ('album', provider, accountId, title). */
  static key(...parts: string[]): string {
    return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 32);
  }

  /** The lease of any upload run to a destination account (held with its folders' leases). */
  static accountKey(provider: string, accountId: string): string {
    return RunLeases.key('uploads', provider, accountId);
  }

  /** The lease of a sync of `folder` to a destination account. */
  static runKey(provider: string, accountId: string, folder: string): string {
    return RunLeases.key('run', provider, accountId, path.resolve(folder));
  }

  /** Takes every lease or none; the first busy one's holder is returned. */
  tryAcquire(keys: readonly string[]): { held: HeldLeases } | { busy: LeaseHolder } {
    fs.mkdirSync(this.dir, { recursive: true });
    const locks: FileLock[] = [];
    // Sorted, so two runs over overlapping folders cannot each hold half.
    for (const key of [...new Set(keys)].sort()) {
      const lock = this.lock(key);
      if (!lock.tryAcquire()) {
        for (const l of locks) l.release();
        return { busy: this.holder(key) ?? { pid: 0, host: '', since: Date.now() } };
      }
      locks.push(lock);
    }
    return { held: this.hold(locks) };
  }

  /** Waits until every lease is free, then takes them. `onBusy` is told who holds one, each time it polls. */
  async acquire(keys: readonly string[], options: { signal?: AbortSignal; onBusy?: (holder: LeaseHolder) => void; pollMs?: number } = {}): Promise<HeldLeases> {
    for (;;) {
      options.signal?.throwIfAborted();
      const attempt = this.tryAcquire(keys);
      if ('held' in attempt) return attempt.held;
      options.onBusy?.(attempt.busy);
      await sleep(options.pollMs ?? 500, undefined, { signal: options.signal });
    }
  }

  /** Who holds a lease now, with the progress they published. */
  holder(key: string): LeaseHolder | undefined {
    const owner = readOwner(this.file(key));
    if (!owner) return undefined;
    let progress: LeaseProgress | undefined;
    try {
      const p = JSON.parse(fs.readFileSync(this.progressFile(key), 'utf8')) as LeaseProgress & { owner?: string };
      if (p.owner === owner.owner) progress = { title: p.title, done: p.done, total: p.total, updatedAt: p.updatedAt };
    } catch {
      // No progress published yet.
    }
    return { label: owner.label, pid: owner.pid, host: owner.host, since: owner.acquiredAt, progress };
  }

  private lock(key: string): FileLock {
    return new FileLock(this.file(key), { staleMs: this.options.staleMs ?? 30_000, timeoutMs: 0, log: this.options.log, label: this.options.label });
  }

  private hold(locks: FileLock[]): HeldLeases {
    const refresh = setInterval(() => {
      for (const l of locks) l.refresh();
    }, this.options.refreshMs ?? 5_000);
    refresh.unref();
    let released = false;
    return {
      report: (progress) => {
        if (released) return;
        for (const l of locks) {
          const key = path.basename(l.file, '.lease');
          const owner = readOwner(l.file)?.owner;
          writeQuietly(this.progressFile(key), JSON.stringify({ ...progress, updatedAt: Date.now(), owner }));
        }
      },
      release: () => {
        if (released) return;
        released = true;
        clearInterval(refresh);
        for (const l of locks) {
          fs.rmSync(this.progressFile(path.basename(l.file, '.lease')), { force: true });
          l.release();
        }
      },
    };
  }

  private file(key: string): string {
    return path.join(this.dir, `${key}.lease`);
  }

  private progressFile(key: string): string {
    return path.join(this.dir, `${key}.progress`);
  }
}

/** Progress is advisory: a failed write must never stop the run. */
function writeQuietly(file: string, text: string): void {
  const temp = `${file}.${randomUUID()}.tmp`;
  try {
    fs.writeFileSync(temp, text);
    fs.renameSync(temp, file);
  } catch {
    fs.rmSync(temp, { force: true });
  }
}
