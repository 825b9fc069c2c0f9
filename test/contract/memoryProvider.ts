// A small in-memory destination whose rules differ from Google Photos' on purpose, so the contract
// suite proves the pipelines do not assume Google: uploads create items directly (the receipt is the
// item's id and never expires), an album cannot exist empty (it is created around its first item),
// the quota is per hour, the service reports sha256 checksums, and creates are idempotent by content
// (as Drive's appProperties make them). Its errors are its own, classified by its own rules. For
// downloads it offers only the push-style `download` and no date search, so the download pipeline's
// fallbacks (a pull stream over `download`, a year filtered from the whole listing) are what runs here.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { hourlyQuota } from '../../src/tasks/quotaPolicy';
import { classifyGeneric } from '../../src/tasks/outcome';
import type { CommitResult, LocalUpload, PhotoProvider, ProviderRules, Receipt, RemoteContainer, RemoteItem, TransferProgress } from '../../src/sync/provider';

/** What the memory service answers when it refuses a call. */
export class MemoryServiceError extends Error {
  override readonly name = 'MemoryServiceError';
  constructor(
    readonly code: 'busy' | 'hour-spent' | 'signed-out' | 'bad-bytes' | 'no-such-item' | 'album-needs-item',
    message: string,
  ) {
    super(message);
  }
}

interface StoredItem {
  id: string;
  filename: string;
  mimeType: string;
  sha256: string;
  bytes: Buffer;
  description?: string;
  /** When the item was created here (the memory service has no capture times of its own). */
  creationTime: string;
}

interface Album {
  id: string;
  title: string;
  itemIds: string[];
}

/** Fault switches a test flips, as the emulator's control API does for Google. */
export interface MemoryFaults {
  /** The next N calls of a method fail with `busy` (transient). */
  busy: Map<string, number>;
  /** Every call fails with `signed-out` while set. */
  signedOut: boolean;
  /** Calls allowed this hour before `hour-spent`; undefined = no limit. */
  callsLeftThisHour?: number;
  /** Each call waits this long (lets a test close the "window" mid-run). */
  latencyMs: number;
}

export class MemoryService {
  readonly items = new Map<string, StoredItem>();
  readonly albums = new Map<string, Album>();
  readonly calls = new Map<string, number>();
  readonly faults: MemoryFaults = { busy: new Map(), signedOut: false, latencyMs: 0 };
  private seq = 0;

  nextId(prefix: string): string {
    return `${prefix}-${++this.seq}`;
  }

  /** Every API call goes through here: counted, delayed and failed as the faults say. */
  async call(method: string, signal?: AbortSignal): Promise<void> {
    this.calls.set(method, (this.calls.get(method) ?? 0) + 1);
    if (this.faults.latencyMs) await new Promise<void>((resolve, reject) => {
      const t = setTimeout(resolve, this.faults.latencyMs);
      signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
    });
    signal?.throwIfAborted();
    if (this.faults.signedOut) throw new MemoryServiceError('signed-out', 'The session ended; sign in again.');
    if (this.faults.callsLeftThisHour !== undefined) {
      if (this.faults.callsLeftThisHour <= 0) throw new MemoryServiceError('hour-spent', 'Hourly call limit reached.');
      this.faults.callsLeftThisHour--;
    }
    const busy = this.faults.busy.get(method) ?? 0;
    if (busy > 0) {
      this.faults.busy.set(method, busy - 1);
      throw new MemoryServiceError('busy', `${method}: the service is busy, try again.`);
    }
  }
}

export const MEMORY_QUOTA = hourlyQuota('memory', 3600);

export function memoryRules(accepts: ProviderRules['accepts']): ProviderRules {
  return {
    accepts: (name) => {
      const type = accepts(name);
      return type && { ...type, limitBytes: 50 * 1024 * 1024 };
    },
    unsupportedReason: 'not a type the memory service keeps',
    tooLargeReason: () => 'larger than the memory service’s 50 MB limit',
    maxBatch: 20,
    maxContainerItems: 1000,
    emptyContainers: false,
    receiptLifetimeMs: undefined,
    quota: MEMORY_QUOTA,
    remoteChecksum: 'sha256',
    uploadRequests: () => 1,
    classify: (err, now) => {
      if (!(err instanceof MemoryServiceError)) return classifyGeneric(err, now);
      switch (err.code) {
        case 'busy':
          return { kind: 'retry', afterMs: 10 };
        case 'hour-spent':
          return { kind: 'quota', until: MEMORY_QUOTA.resetsAt(now), label: MEMORY_QUOTA.label };
        case 'signed-out':
          return { kind: 'needs-user', message: 'Signed out of the memory service: sign in again.' };
        case 'bad-bytes':
          return { kind: 'rejected' };
        default:
          return { kind: 'fatal' };
      }
    },
    countsTowardQuota: () => true,
  };
}

export class MemoryProvider implements PhotoProvider {
  readonly id = 'memory';
  readonly displayName = 'Memory Photos';

  constructor(
    readonly service: MemoryService,
    readonly rules: ProviderRules,
  ) {}

  async *listContainers(signal?: AbortSignal): AsyncIterable<RemoteContainer> {
    await this.service.call('albums.list', signal);
    for (const a of this.service.albums.values()) yield { id: a.id, title: a.title, itemCount: a.itemIds.length, writable: true };
  }

  async createContainer(title: string, options: { firstItemId?: string; signal?: AbortSignal } = {}): Promise<RemoteContainer> {
    await this.service.call('albums.create', options.signal);
    if (!options.firstItemId || !this.service.items.has(options.firstItemId)) throw new MemoryServiceError('album-needs-item', 'An album needs its first item.');
    const album: Album = { id: this.service.nextId('album'), title, itemIds: [options.firstItemId] };
    this.service.albums.set(album.id, album);
    return { id: album.id, title, itemCount: 1, writable: true };
  }

  async *listItems(containerId: string | undefined, signal?: AbortSignal): AsyncIterable<RemoteItem> {
    await this.service.call('items.list', signal);
    const ids = containerId ? (this.service.albums.get(containerId)?.itemIds ?? []) : [...this.service.items.keys()];
    for (const id of ids) yield this.view(this.service.items.get(id) as StoredItem);
  }

  async getItems(ids: readonly string[], signal?: AbortSignal): Promise<Map<string, RemoteItem | Error>> {
    await this.service.call('items.get', signal);
    return new Map(ids.map((id) => {
      const item = this.service.items.get(id);
      return [id, item ? this.view(item) : new MemoryServiceError('no-such-item', `No item ${id}.`)];
    }));
  }

  /** Creates the item right away; the same bytes again give the same item (idempotent by content). */
  async uploadBytes(file: LocalUpload, onProgress?: TransferProgress, signal?: AbortSignal): Promise<Receipt> {
    await this.service.call('items.upload', signal);
    const bytes = await readFile(file.path);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    onProgress?.(bytes.length);
    if (bytes.subarray(0, 3).toString('latin1') === 'BAD') throw new MemoryServiceError('bad-bytes', `${file.fileName} is not a photo.`);
    const existing = [...this.service.items.values()].find((i) => i.sha256 === sha256);
    if (existing) return { token: existing.id };
    const item: StoredItem = { id: this.service.nextId('item'), filename: file.fileName, mimeType: file.mimeType, sha256, bytes, description: file.description, creationTime: new Date().toISOString() };
    this.service.items.set(item.id, item);
    return { token: item.id };
  }

  /** The items exist already: a commit confirms them and puts them into the album. */
  async commit(containerId: string | undefined, uploads: readonly { receipt: Receipt; file: LocalUpload }[], signal?: AbortSignal): Promise<CommitResult[]> {
    await this.service.call('items.commit', signal);
    const results: CommitResult[] = uploads.map(({ receipt }) => {
      const item = this.service.items.get(receipt.token);
      return item ? { ok: true, item: this.view(item) } : { ok: false, outcome: 'resend', message: `No item ${receipt.token}.` };
    });
    if (containerId) await this.add(containerId, results.flatMap((r) => (r.ok ? [r.item.id] : [])));
    return results;
  }

  async addToContainer(containerId: string, itemIds: readonly string[], signal?: AbortSignal): Promise<void> {
    await this.service.call('albums.add', signal);
    await this.add(containerId, itemIds);
  }

  async removeFromContainer(containerId: string, itemIds: readonly string[], signal?: AbortSignal): Promise<void> {
    await this.service.call('albums.remove', signal);
    const album = this.service.albums.get(containerId);
    if (album) album.itemIds = album.itemIds.filter((id) => !itemIds.includes(id));
  }

  async download(item: RemoteItem, write: (chunk: Uint8Array) => Promise<void>, signal?: AbortSignal, options?: { from?: number }): Promise<number> {
    await this.service.call('items.download', signal);
    const stored = this.service.items.get(item.id);
    if (!stored) throw new MemoryServiceError('no-such-item', `No item ${item.id}.`);
    const from = options?.from ?? 0;
    for (let i = from; i < stored.bytes.length; i += 4096) await write(stored.bytes.subarray(i, Math.min(i + 4096, stored.bytes.length)));
    return Math.max(0, stored.bytes.length - from);
  }

  private async add(containerId: string, itemIds: readonly string[]): Promise<void> {
    const album = this.service.albums.get(containerId);
    if (!album) throw new MemoryServiceError('no-such-item', `No album ${containerId}.`);
    for (const id of itemIds) if (!album.itemIds.includes(id)) album.itemIds.push(id);
  }

  private view(item: StoredItem): RemoteItem {
    return {
      id: item.id,
      filename: item.filename,
      mimeType: item.mimeType,
      description: item.description,
      checksum: item.sha256,
      creationTime: item.creationTime,
      kind: item.mimeType.startsWith('video/') ? 'video' : 'photo',
      webUrl: `memory://photos/${item.id}`,
    };
  }
}
