// The thumbnail grid: a toolbar with a filter box over a virtual grid of fixed-size cells. Item
// metadata is pulled by page, thumbnails are asked for as cells come into view, and a click or
// Enter asks the host to open the full image.
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js' with { 'resolution-mode': 'import' };
import * as l10n from '@vscode/l10n';
import { debounce, el, formatCount, markOnce, setText, setTitle } from './dom';
import { GridPages } from './gridPages';
import type { Messenger } from './messenger';
import type { GridInit, HostToWebview, WebviewToHost } from './protocol';
import { VirtualGrid } from './virtualGrid';
import { saveState, type VsCodeApi } from './vscodeApi';

type WebviewMessenger = Messenger<WebviewToHost, HostToWebview>;

const ROW_HEIGHT = 168;
const MIN_CELL_WIDTH = 148;

export class GridView {
  private readonly grid: VirtualGrid;
  private readonly pages: GridPages;
  private readonly countLabel: HTMLElement;
  private readonly filterBox: VscodeTextfield;
  private readonly notice: HTMLElement;
  private focus = 0;
  private total: number;
  private lastWish = '';
  /** Thumbnails this page decoded itself, shown from memory until the host's cached copy is there. */
  private readonly decoded = new Map<string, string>();

  constructor(root: HTMLElement, init: GridInit, private readonly messenger: WebviewMessenger, private readonly api: VsCodeApi) {
    this.total = init.total;
    root.replaceChildren();
    const toolbar = el('header', 'toolbar');
    this.countLabel = el('span', 'count');
    this.filterBox = el('vscode-textfield', 'filter');
    this.filterBox.placeholder = l10n.t('Filter by name');
    this.filterBox.setAttribute('aria-label', l10n.t('Filter by name'));
    toolbar.append(el('h1', 'title', init.title), this.countLabel, this.filterBox);
    this.notice = el('div', 'notice');
    this.notice.hidden = true;
    root.append(toolbar, this.notice);

    this.pages = new GridPages(
      (start, end) => messenger.request('getItems', { start, end }),
      (first, last, total) => {
        if (total !== this.total) this.setTotal(total);
        for (let i = first; i <= last; i++) this.grid.refreshCell(i);
        this.wishThumbnails();
      },
      (e) => this.showNotice(l10n.t('Could not load the items: {0}', e instanceof Error ? e.message : String(e))),
    );
    this.grid = new VirtualGrid(root, {
      rowHeight: ROW_HEIGHT,
      columnsFor: (width) => Math.floor(width / MIN_CELL_WIDTH),
      overscanRows: 2,
      createCell: () => this.createCell(),
      renderCell: (cell, index) => this.renderCell(cell, index),
      onRendered: (first, last) => {
        const pad = this.grid.columnCount * 2;
        this.pages.ensure(Math.max(0, first - pad), Math.min(this.total - 1, last + pad));
        // The first wish goes at once (first paint); later ones wait for scrolling to pause.
        if (this.lastWish) this.wishThumbnails();
        else this.sendWish();
      },
      onScroll: () => this.saveSoon(),
    });
    const scroller = this.grid.scroller;
    scroller.classList.add('grid');
    scroller.tabIndex = 0;
    scroller.setAttribute('role', 'listbox');
    scroller.setAttribute('aria-label', init.title);
    scroller.addEventListener('keydown', (e) => this.onKey(e));
    scroller.addEventListener('click', (e) => this.onClick(e));
    // <img> error events do not bubble; they are caught on the way down.
    scroller.addEventListener('error', (e) => this.onImageError(e), true);
    scroller.addEventListener(
      'load',
      (e) => {
        if (!performance.getEntriesByName('photoSync:firstThumbnailLoaded', 'mark').length) {
          markOnce('photoSync:firstThumbnailLoaded');
          // The frame that shows it: the second animation frame runs after the first one painted.
          requestAnimationFrame(() => requestAnimationFrame(() => markOnce('photoSync:firstThumbnailPainted')));
        }
        (e.target as HTMLElement).closest('.cell')?.classList.add('loaded');
      },
      true,
    );
    this.filterBox.addEventListener('input', debounce(() => void this.applyFilter(this.filterBox.value), 200));

    messenger.onNotification('thumbnails', ({ results }) => {
      markOnce('photoSync:firstThumbnails');
      results.forEach(({ id, url, error }) => {
        this.patch(id, { thumbnailUrl: url, thumbnailError: error });
        this.forgetDecoded(id);
      });
    });
    messenger.onNotification('itemsGone', ({ ids }) => ids.forEach((id) => this.patch(id, { gone: true, thumbnailUrl: undefined })));
    messenger.onNotification('itemsChanged', ({ total }) => {
      this.pages.reset();
      this.setTotal(total);
    });
    messenger.onNotification('notice', ({ message }) => this.showNotice(message));
    void this.restore(init);
  }

  private async restore(init: GridInit): Promise<void> {
    const saved = this.api.getState()?.grid;
    if (!saved?.filter) this.pages.seed(0, init.firstItems, init.total);
    if (saved?.filter) {
      this.filterBox.value = saved.filter;
      await this.applyFilter(saved.filter, false);
    } else this.setTotal(this.total);
    this.focus = Math.min(saved?.focus ?? 0, Math.max(0, this.total - 1));
    if (saved?.scrollTop) this.grid.scroller.scrollTop = saved.scrollTop;
    this.grid.renderNow();
    this.grid.scroller.focus();
  }

  private setTotal(total: number): void {
    this.total = total;
    setText(this.countLabel, total === 1 ? l10n.t('1 item') : l10n.t('{0} items', formatCount(total)));
    this.grid.setCount(total);
    this.grid.scroller.classList.toggle('empty', total === 0);
  }

  private async applyFilter(text: string, resetScroll = true): Promise<void> {
    try {
      const { total } = await this.messenger.request('setFilter', { text });
      this.pages.reset();
      this.lastWish = '';
      if (resetScroll) {
        this.focus = 0;
        this.grid.scroller.scrollTop = 0;
      }
      this.setTotal(total);
      this.saveSoon();
    } catch (e) {
      this.showNotice(l10n.t('Could not filter: {0}', e instanceof Error ? e.message : String(e)));
    }
  }

  private createCell(): HTMLElement {
    const cell = el('div', 'cell');
    cell.setAttribute('role', 'option');
    const img = el('img', 'thumb');
    img.alt = '';
    img.decoding = 'async';
    img.draggable = false;
    cell.append(img, el('div', 'name'));
    return cell;
  }

  private renderCell(cell: HTMLElement, index: number): void {
    const item = this.pages.get(index);
    const img = cell.firstElementChild as HTMLImageElement;
    const name = cell.lastElementChild as HTMLElement;
    cell.id = `cell-${index}`;
    cell.dataset.index = String(index);
    cell.setAttribute('aria-posinset', String(index + 1));
    cell.setAttribute('aria-setsize', String(this.total));
    cell.setAttribute('aria-selected', String(index === this.focus));
    cell.classList.toggle('focused', index === this.focus);
    const url = item && !item.gone && !item.thumbnailError ? item.thumbnailUrl : undefined;
    if (img.dataset.url !== (url ?? '')) {
      cell.classList.remove('loaded');
      img.dataset.url = url ?? '';
      if (url) img.src = url;
      else img.removeAttribute('src');
    }
    img.dataset.id = item?.id ?? '';
    cell.classList.toggle('loading', !item);
    cell.classList.toggle('failed', !!item?.thumbnailError && !item.gone);
    cell.classList.toggle('gone', !!item?.gone);
    cell.classList.toggle('video', item?.kind === 'video');
    setText(name, item?.name ?? '');
    const hover = item?.gone ? l10n.t('{0} — the file was deleted', item.name) : item?.thumbnailError ? `${item.name} — ${item.thumbnailError}` : item ? [item.name, item.detail].filter(Boolean).join('\n') : undefined;
    setTitle(cell, hover);
    cell.setAttribute('aria-label', hover ?? l10n.t('Loading'));
  }

  /** A thumbnail decoded here: painted now, without waiting for the host to cache it and send its URL. */
  showDecoded(id: string, jpeg: Uint8Array): void {
    if (this.decoded.has(id)) return;
    const url = URL.createObjectURL(new Blob([jpeg as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }));
    this.decoded.set(id, url);
    this.patch(id, { thumbnailUrl: url });
  }

  private forgetDecoded(id: string): void {
    const url = this.decoded.get(id);
    if (!url) return;
    this.decoded.delete(id);
    // After the cell switched to the cached copy.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  private patch(id: string, patch: Partial<{ thumbnailUrl: string; thumbnailError: string; gone: boolean }>): void {
    const index = this.pages.update(id, patch);
    if (index !== undefined) this.grid.refreshCell(index);
  }

  private readonly wishThumbnails = debounce(() => this.sendWish(), 30);

  /** Tells the host which visible items still need a thumbnail (in reading order). */
  private sendWish(): void {
    const { first, last } = this.grid.visibleRange();
    const ids: string[] = [];
    const extra = this.grid.columnCount; // one row below the fold too
    for (let i = Math.max(0, first); i <= Math.min(this.total - 1, last + extra); i++) {
      const item = this.pages.get(i);
      if (item && !item.thumbnailUrl && !item.thumbnailError && !item.gone) ids.push(item.id);
    }
    const wish = ids.join('\n');
    if (wish === this.lastWish) return;
    this.lastWish = wish;
    markOnce('photoSync:firstWish');
    void this.messenger.notify('wantThumbnails', { ids });
  }

  private onImageError(e: Event): void {
    const img = e.target;
    if (!(img instanceof HTMLImageElement) || !img.dataset.id || !img.getAttribute('src')) return;
    // Evicted from the cache or damaged: show the placeholder and ask the host for it once more.
    this.patch(img.dataset.id, { thumbnailUrl: undefined });
    this.lastWish = '';
    void this.messenger.notify('thumbnailBroken', { id: img.dataset.id });
  }

  private onClick(e: MouseEvent): void {
    const cell = (e.target as HTMLElement).closest<HTMLElement>('.cell');
    if (!cell?.dataset.index) return;
    this.moveFocus(Number(cell.dataset.index));
    this.openFocused();
  }

  private onKey(e: KeyboardEvent): void {
    const columns = this.grid.columnCount;
    const page = this.grid.rowsPerPage * columns;
    const moves: Record<string, number> = {
      ArrowRight: this.focus + 1,
      ArrowLeft: this.focus - 1,
      ArrowDown: this.focus + columns,
      ArrowUp: this.focus - columns,
      PageDown: this.focus + page,
      PageUp: this.focus - page,
      Home: 0,
      End: this.total - 1,
    };
    if (e.key in moves) {
      e.preventDefault();
      this.moveFocus(moves[e.key]);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      this.openFocused();
    }
  }

  private moveFocus(index: number): void {
    if (this.total === 0) return;
    const previous = this.focus;
    this.focus = Math.max(0, Math.min(this.total - 1, index));
    this.grid.scrollToIndex(this.focus);
    this.grid.refreshCell(previous);
    this.grid.refreshCell(this.focus);
    this.grid.scroller.setAttribute('aria-activedescendant', `cell-${this.focus}`);
    this.saveSoon();
  }

  private openFocused(): void {
    const item = this.pages.get(this.focus);
    if (item && !item.gone) void this.messenger.notify('open', { id: item.id });
  }

  private showNotice(message: string): void {
    this.notice.textContent = message;
    this.notice.hidden = false;
  }

  private readonly saveSoon = debounce(() => {
    saveState(this.api, { grid: { scrollTop: this.grid.scroller.scrollTop, focus: this.focus, filter: this.filterBox.value ?? '' } });
  }, 200);
}
