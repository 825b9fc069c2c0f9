// An album at a destination as a grid source: items page by page from the index (no request), and
// thumbnails at fresh addresses. Addresses (Google's baseUrls, an hour) are fetched with getItems in
// batches of up to 50 (one batchGet): the item asked for plus the next items of the album order that
// have no fresh address yet — what the user is about to see. An address refused as expired is
// fetched again once.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';
import type { PhotoProvider, RemoteItem } from '../sync/provider';
import { DownloadRefusedError } from '../sync/provider';
import { englishL10n } from '../util/englishL10n';
import { albumSource, type AlbumMediaItem } from './albumSource';
import { ItemGoneError, NoThumbnailError, type GridSource } from './gridSource';

/** An address this close to its expiry is fetched again first. */
const MARGIN_MS = 5 * 60 * 1000;

export interface RemoteAlbumOptions {
  title: string;
  provider: Pick<PhotoProvider, 'getItems' | 'thumbnail' | 'download'>;
  count(): number;
  page(offset: number, limit: number): AlbumMediaItem[];
  /** Where full images are downloaded for VS Code's image preview. */
  downloadDir: string;
  /** Items per getItems call (Google's batchGet takes 50). */
  batchSize?: number;
  now?: () => number;
  /** vscode.l10n: problems shown in the grid, in the user's language (English without it). */
  l10n?: Pick<typeof vscode.l10n, 't'>;
}

export class AddressBook {
  private readonly fresh = new Map<string, RemoteItem>();
  private readonly pending = new Map<string, Promise<RemoteItem>>();
  /** Ids in album order, as pages were listed. */
  private readonly order: string[] = [];
  private readonly position = new Map<string, number>();
  /** getItems calls made (for tests and the log). */
  batches = 0;

  constructor(
    private readonly getItems: PhotoProvider['getItems'],
    private readonly batchSize = 50,
    private readonly now: () => number = Date.now,
  ) {}

  /** Remembers the album order, so a batch can take the next items along. */
  listed(ids: readonly string[], offset: number): void {
    ids.forEach((id, i) => {
      if (this.position.has(id)) return;
      this.position.set(id, offset + i);
      this.order[offset + i] = id;
    });
  }

  /** The item with a usable address; `stale` forgets the one it had (it was refused). */
  async item(id: string, signal: AbortSignal, stale = false): Promise<RemoteItem> {
    if (stale) this.fresh.delete(id);
    const known = this.fresh.get(id);
    if (known && this.usable(known)) return known;
    const inFlight = this.pending.get(id);
    if (inFlight) return inFlight;
    return this.fetchBatch(id, signal);
  }

  private usable(item: RemoteItem): boolean {
    return !!item.download && (item.download.expiresAt === undefined || item.download.expiresAt - MARGIN_MS > this.now());
  }

  private fetchBatch(first: string, signal: AbortSignal): Promise<RemoteItem> {
    const ids = [first];
    const start = this.position.get(first);
    if (start !== undefined) {
      for (let i = start + 1; i < this.order.length && ids.length < this.batchSize; i++) {
        const id = this.order[i];
        if (!id || this.pending.has(id)) continue;
        const known = this.fresh.get(id);
        if (known && this.usable(known)) continue;
        ids.push(id);
      }
    }
    this.batches++;
    const batch = this.getItems(ids, signal);
    for (const id of ids) {
      const one = batch.then((found) => {
        const got = found.get(id);
        if (!got || got instanceof Error) throw new ItemGoneError(id, got instanceof Error ? got.message : 'The item is no longer in Google Photos');
        this.fresh.set(id, got);
        return got;
      });
      one.catch(() => undefined).finally(() => this.pending.delete(id));
      this.pending.set(id, one);
    }
    return this.pending.get(first) as Promise<RemoteItem>;
  }
}

export function remoteAlbumSource(options: RemoteAlbumOptions): { source: GridSource; addresses: AddressBook } {
  const provider = options.provider;
  const l10n = options.l10n ?? englishL10n;
  const addresses = new AddressBook((ids, signal) => provider.getItems(ids, signal), options.batchSize ?? 50, options.now);
  const source = albumSource({
    title: options.title,
    count: options.count,
    page: (offset, limit) => {
      const rows = options.page(offset, limit);
      addresses.listed(
        rows.map((r) => r.id),
        offset,
      );
      return rows;
    },
    async fetchThumbnail(item, size, signal) {
      const thumbnail = provider.thumbnail?.bind(provider);
      if (!thumbnail) throw new NoThumbnailError(l10n.t('This service offers no thumbnails'));
      let remote = await addresses.item(item.id, signal);
      try {
        return await thumbnail(remote, size, signal);
      } catch (err) {
        if (!(err instanceof DownloadRefusedError) || err.httpStatus !== 403) throw err;
        // Expired (or refused) address: once more with a fresh one.
        remote = await addresses.item(item.id, signal, true);
        return thumbnail(remote, size, signal);
      }
    },
    async downloadFull(item, signal) {
      // One folder per item, the file under its own name (what the editor tab shows), made safe.
      const ext = path.extname(item.filename) || (item.mimeType.startsWith('video/') ? '.mp4' : '.jpg');
      const base = path.basename(item.filename, path.extname(item.filename)).replace(/[^\p{L}\p{N} ._()-]/gu, '_').slice(0, 100) || 'photo';
      const dir = path.join(options.downloadDir, item.id.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 80));
      const target = path.join(dir, `${base}${ext}`);
      const done = await fs.stat(target).then(
        (s) => s.isFile() && s.size > 0,
        () => false,
      );
      if (done) return target;
      await fs.mkdir(dir, { recursive: true });
      const remote = await addresses.item(item.id, signal);
      const temp = `${target}.${randomBytes(4).toString('hex')}.part`;
      const handle = await fs.open(temp, 'wx');
      try {
        await provider.download(remote, async (chunk) => void (await handle.write(chunk)), signal);
        await handle.close();
        await fs.rename(temp, target);
      } catch (err) {
        await handle.close().catch(() => undefined);
        await fs.rm(temp, { force: true });
        throw err;
      }
      return target;
    },
  });
  return { source, addresses };
}
