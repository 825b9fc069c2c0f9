// The host side of the thumbnail grid: answers page requests from a GridSource, turns the
// webview's wish list of visible items into cached thumbnails (a few at a time, newest wish first),
// and opens the full image. Everything stops when `signal` aborts (the panel closed).
import type * as vscode from 'vscode';
import { englishL10n } from '../util/englishL10n';
import type { Logger } from '../util/logger';
import type { Messenger } from '../webview/messenger';
import { toBytes, type GridItem, type HostToWebview, type ThumbnailResult, type WebviewToHost } from '../webview/protocol';
import { ItemGoneError, type GridSource, type SourceItem } from './gridSource';
import type { ThumbnailCache } from './thumbnailCache';

export interface GridSessionDeps {
  messenger: Messenger<HostToWebview, WebviewToHost>;
  cache: ThumbnailCache;
  /** asWebviewUri(Uri.file(fsPath)).toString() */
  toWebviewUrl(fsPath: string): string;
  /** Shows the image in VS Code (vscode.open → the built-in image preview). */
  openImage(fsPath: string): Promise<void>;
  log: Logger;
  signal: AbortSignal;
  /** Longest side of cached thumbnails. Default 256. */
  thumbnailSize?: number;
  /** Thumbnails made at the same time. Default 4. */
  concurrency?: number;
  /** vscode.l10n: what the grid shows, in the user's language (English without it; the log stays English). */
  l10n?: Pick<typeof vscode.l10n, 't'>;
}

const MAX_PAGE = 500;
const MAX_WISH = 300;
const MAX_THUMBNAIL_BYTES = 2 * 1024 * 1024;
const FILTER_SCAN_PAGE = 1000;
/** Items sent with init, so the first screen needs no round trip. */
const FIRST_ITEMS = 100;
/** Thumbnail results finishing within this window share one message. */
const BATCH_MS = 8;

export class GridSession {
  private readonly known = new Map<string, SourceItem>();
  private readonly failed = new Map<string, string>();
  private readonly remade = new Set<string>();
  private readonly running = new Set<string>();
  private wish: string[] = [];
  /** The items matching the filter, when one is set. */
  private filtered: SourceItem[] | undefined;
  private results: ThumbnailResult[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly size: number;
  private readonly concurrency: number;

  constructor(private readonly source: GridSource, private readonly deps: GridSessionDeps) {
    this.size = deps.thumbnailSize ?? 256;
    this.concurrency = deps.concurrency ?? 4;
    const m = deps.messenger;
    m.onNotification('ready', () => void this.sendInit());
    m.onRequest('getItems', (p) => this.getItems(p.start, p.end));
    m.onRequest('setFilter', (p) => this.setFilter(typeof p.text === 'string' ? p.text : ''));
    m.onNotification('wantThumbnails', (p) => this.want(Array.isArray(p.ids) ? p.ids.filter((id) => typeof id === 'string') : []));
    m.onNotification('thumbnailBroken', (p) => this.broken(p.id));
    m.onNotification('open', (p) => void this.open(p.id));
    // List the source while the page loads (it asks with "ready"): the first screen comes sooner.
    void Promise.resolve()
      .then(() => source.count(deps.signal))
      .then(() => source.page(0, FIRST_ITEMS, deps.signal))
      .catch(() => undefined);
  }

  /** For the wiring (e.g. a file watcher): show these items as deleted. */
  markGone(ids: string[]): void {
    for (const id of ids) {
      const item = this.known.get(id);
      if (item) item.gone = true;
    }
    void this.deps.messenger.notify('itemsGone', { ids });
  }

  private async sendInit(): Promise<void> {
    try {
      // A reload of the page starts without a filter; the webview sends its saved one again.
      this.filtered = undefined;
      const { total, items } = await this.getItems(0, FIRST_ITEMS);
      void this.deps.messenger.notify('initGrid', { mode: 'grid', title: this.source.title, total, thumbnailSize: this.size, firstItems: items });
    } catch (e) {
      this.fail((l10n) => l10n.t('Could not list the items: {0}', errorText(e)));
    }
  }

  private async getItems(start: number, end: number): Promise<{ total: number; items: GridItem[] }> {
    const from = Math.max(0, Math.floor(start));
    const to = Math.min(Math.floor(end), from + MAX_PAGE);
    let total: number;
    let items: SourceItem[];
    if (this.filtered) {
      total = this.filtered.length;
      items = this.filtered.slice(from, to);
    } else {
      total = await this.source.count(this.deps.signal);
      items = to > from ? await this.source.page(from, to - from, this.deps.signal) : [];
    }
    return { total, items: items.map((item, i) => this.toGridItem(item, from + i)) };
  }

  private async setFilter(text: string): Promise<{ total: number }> {
    const needle = text.trim().toLocaleLowerCase();
    if (!needle) {
      this.filtered = undefined;
      return { total: await this.source.count(this.deps.signal) };
    }
    // Names are matched here, not in the webview, which only ever holds the visible pages.
    const total = await this.source.count(this.deps.signal);
    const matches: SourceItem[] = [];
    for (let at = 0; at < total; at += FILTER_SCAN_PAGE) {
      const page = await this.source.page(at, FILTER_SCAN_PAGE, this.deps.signal);
      for (const item of page) if (`${item.name}\n${item.detail ?? ''}`.toLocaleLowerCase().includes(needle)) matches.push(item);
      if (page.length === 0) break;
    }
    this.filtered = matches;
    return { total: matches.length };
  }

  private toGridItem(item: SourceItem, index: number): GridItem {
    const known = this.known.get(item.id);
    const gone = item.gone || known?.gone;
    this.known.set(item.id, gone ? { ...item, gone: true } : item);
    const cached = gone ? undefined : this.deps.cache.lookup(item.cacheKey, this.size);
    return {
      id: item.id,
      index,
      name: item.name,
      detail: item.detail,
      kind: item.kind,
      thumbnailUrl: cached ? this.deps.toWebviewUrl(cached) : undefined,
      thumbnailError: this.failed.get(item.id),
      gone: gone || undefined,
    };
  }

  private want(ids: string[]): void {
    this.wish = ids.slice(0, MAX_WISH).filter((id) => this.known.has(id) && !this.failed.has(id) && !this.known.get(id)?.gone);
    this.pump();
  }

  private pump(): void {
    while (this.running.size < this.concurrency && this.wish.length > 0 && !this.deps.signal.aborted) {
      const id = this.wish.shift() as string;
      if (this.running.has(id)) continue;
      this.running.add(id);
      void this.makeThumbnail(id).finally(() => {
        this.running.delete(id);
        this.pump();
      });
    }
  }

  private async makeThumbnail(id: string): Promise<void> {
    const item = this.known.get(id);
    if (!item) return;
    try {
      const path = this.deps.cache.lookup(item.cacheKey, this.size) ?? (await this.produce(item));
      this.report({ id, url: this.deps.toWebviewUrl(path) });
    } catch (e) {
      if (this.deps.signal.aborted) return;
      if (e instanceof ItemGoneError) {
        this.markGone([id]);
        return;
      }
      const reason = e instanceof Error ? e.message : String(e);
      this.failed.set(id, reason);
      this.deps.log.debug(`Preview: no thumbnail for ${item.name}: ${reason}`);
      this.report({ id, error: reason });
    }
  }

  private report(result: ThumbnailResult): void {
    this.results.push(result);
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      const results = this.results;
      this.results = [];
      if (!this.deps.signal.aborted) void this.deps.messenger.notify('thumbnails', { results });
    }, BATCH_MS);
  }

  private async produce(item: SourceItem): Promise<string> {
    const { signal, messenger } = this.deps;
    const input = await this.source.thumbnail(item, this.size, signal);
    let jpeg: Uint8Array | undefined = input.bytes;
    if (input.kind === 'decode') {
      // A plain Uint8Array of exactly these bytes: VS Code transfers typed arrays as binary, while a
      // Node Buffer would go through its toJSON ({ type: 'Buffer', data: [...] }).
      const bytes = Object.getPrototypeOf(input.bytes) === Uint8Array.prototype && input.bytes.byteOffset === 0 && input.bytes.byteLength === input.bytes.buffer.byteLength ? input.bytes : new Uint8Array(input.bytes);
      const params = { id: item.id, bytes, mimeType: input.mimeType, maxSize: this.size, orientation: input.orientation };
      const decoded = await messenger.request('decodeImage', params, signal).catch((e: Error) => {
        throw new Error(this.l10n.t('The image could not be decoded ({0}) — the file may be damaged', e.message));
      });
      jpeg = toBytes(decoded.jpeg);
    }
    if (!jpeg || jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error(this.l10n.t('The thumbnail is not a JPEG image'));
    if (jpeg.length > MAX_THUMBNAIL_BYTES) throw new Error(this.l10n.t('The thumbnail is too large'));
    signal.throwIfAborted();
    return this.deps.cache.put(item.cacheKey, this.size, jpeg);
  }

  /** The webview could not display a cached file (evicted meanwhile, or damaged): make it once more. */
  private broken(id: string): void {
    const item = this.known.get(id);
    if (!item) return;
    if (this.remade.has(id)) {
      this.failed.set(id, this.l10n.t('The thumbnail could not be shown'));
      this.report({ id, error: this.l10n.t('The thumbnail could not be shown') });
      return;
    }
    this.remade.add(id);
    void this.deps.cache.remove(item.cacheKey, this.size).then(() => {
      this.wish.unshift(id);
      this.pump();
    });
  }

  private async open(id: string): Promise<void> {
    const item = this.known.get(id);
    if (!item) return;
    try {
      await this.deps.openImage(await this.source.fullImage(item, this.deps.signal));
    } catch (e) {
      if (this.deps.signal.aborted) return;
      if (e instanceof ItemGoneError) this.markGone([id]);
      else this.fail((l10n) => l10n.t('Could not open {0}: {1}', item.name, errorText(e)));
    }
  }

  private get l10n(): Pick<typeof vscode.l10n, 't'> {
    return this.deps.l10n ?? englishL10n;
  }

  /** A notice in the webview (translated) and the same words in English in the log. */
  private fail(message: (l10n: Pick<typeof vscode.l10n, 't'>) => string): void {
    if (this.deps.signal.aborted) return;
    this.deps.log.warn(`Preview: ${message(englishL10n)}`);
    void this.deps.messenger.notify('notice', { message: message(this.l10n), severity: 'error' });
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
