// Disk cache of thumbnail JPEGs under one folder: bounded total size, least recently used out,
// every file written to a temp name and renamed so a reader never sees half a file. The order of
// use survives restarts through the files' mtimes (touched when a file is used again).
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export interface ThumbnailCacheOptions {
  /** Most bytes the cache keeps; older thumbnails are deleted beyond it. Default 200 MB. */
  maxBytes?: number;
  now?: () => number;
}

const TEMP_PREFIX = '.tmp-';
/** Touch a file's mtime on use at most this often, so scrolling does not turn into disk writes. */
const TOUCH_AFTER_MS = 60 * 60 * 1000;

interface Entry {
  bytes: number;
  usedAt: number;
}

export class ThumbnailCache {
  /** In use order: the first entry is the least recently used (Map keeps insertion order). */
  private readonly entries = new Map<string, Entry>();
  private readonly writing = new Map<string, Promise<string>>();
  private total = 0;
  private readonly maxBytes: number;
  private readonly now: () => number;

  private constructor(readonly dir: string, options: ThumbnailCacheOptions) {
    this.maxBytes = options.maxBytes ?? 200 * 1024 * 1024;
    this.now = options.now ?? Date.now;
  }

  /** Opens (creating) the cache folder, drops temp files a crash left behind, and reads what is there. */
  static async open(dir: string, options: ThumbnailCacheOptions = {}): Promise<ThumbnailCache> {
    const cache = new ThumbnailCache(dir, options);
    await fs.mkdir(dir, { recursive: true });
    const found: { name: string; bytes: number; usedAt: number }[] = [];
    for (const name of await fs.readdir(dir)) {
      const full = path.join(dir, name);
      if (name.startsWith(TEMP_PREFIX)) {
        await fs.rm(full, { force: true });
        continue;
      }
      if (!name.endsWith('.jpg')) continue;
      const stat = await fs.stat(full).catch(() => undefined);
      if (stat?.isFile()) found.push({ name, bytes: stat.size, usedAt: stat.mtimeMs });
    }
    found.sort((a, b) => a.usedAt - b.usedAt);
    for (const f of found) cache.remember(f.name, f.bytes, f.usedAt);
    await cache.evict();
    return cache;
  }

  /** The file name for an item at a size: a hash, so any id (paths, remote ids) is a safe name. */
  static fileName(id: string, size: number): string {
    return `${createHash('sha256').update(`${id}\0${size}`).digest('hex').slice(0, 40)}.jpg`;
  }

  /** Absolute path of the cached thumbnail, marking it used; undefined when not cached. No disk access. */
  lookup(id: string, size: number): string | undefined {
    const name = ThumbnailCache.fileName(id, size);
    const entry = this.entries.get(name);
    if (!entry) return undefined;
    const now = this.now();
    const touch = now - entry.usedAt > TOUCH_AFTER_MS;
    this.entries.delete(name);
    this.entries.set(name, { ...entry, usedAt: now });
    if (touch) void fs.utimes(path.join(this.dir, name), now / 1000, now / 1000).catch(() => undefined);
    return path.join(this.dir, name);
  }

  /** Stores a thumbnail (atomically) and returns its path. Concurrent puts of one key write once. */
  put(id: string, size: number, jpeg: Uint8Array): Promise<string> {
    const name = ThumbnailCache.fileName(id, size);
    const inFlight = this.writing.get(name);
    if (inFlight) return inFlight;
    const done = this.write(name, jpeg).finally(() => this.writing.delete(name));
    this.writing.set(name, done);
    return done;
  }

  /** Forgets a thumbnail (e.g. it would not display) and deletes its file. */
  async remove(id: string, size: number): Promise<void> {
    const name = ThumbnailCache.fileName(id, size);
    this.forget(name);
    await fs.rm(path.join(this.dir, name), { force: true });
  }

  get totalBytes(): number {
    return this.total;
  }

  get count(): number {
    return this.entries.size;
  }

  private async write(name: string, jpeg: Uint8Array): Promise<string> {
    const target = path.join(this.dir, name);
    const temp = path.join(this.dir, `${TEMP_PREFIX}${randomBytes(6).toString('hex')}`);
    try {
      await fs.writeFile(temp, jpeg, { flag: 'wx' });
      await fs.rename(temp, target);
    } catch (e) {
      await fs.rm(temp, { force: true });
      throw e;
    }
    this.remember(name, jpeg.byteLength, this.now());
    await this.evict(name);
    return target;
  }

  private remember(name: string, bytes: number, usedAt: number): void {
    this.forget(name);
    this.entries.set(name, { bytes, usedAt });
    this.total += bytes;
  }

  private forget(name: string): void {
    const old = this.entries.get(name);
    if (!old) return;
    this.entries.delete(name);
    this.total -= old.bytes;
  }

  /**
   * Deletes least recently used files until the total fits; never the one just written. (With more
   * concurrent puts than the cache holds, an earlier put's file may go: the webview then reports it
   * broken and the grid makes it again.)
   */
  private async evict(keep?: string): Promise<void> {
    const victims: string[] = [];
    for (const [name] of this.entries) {
      if (this.total <= this.maxBytes) break;
      if (name === keep) continue;
      this.forget(name);
      victims.push(name);
    }
    // A victim put again meanwhile is back in `entries`: leave its new file alone.
    await Promise.all(victims.filter((name) => !this.entries.has(name)).map((name) => fs.rm(path.join(this.dir, name), { force: true })));
  }
}
