// A virtual scroller for fixed-height rows of equal cells: only the rows in view (plus a few)
// exist in the DOM, and their elements are recycled as the user scrolls. The thumbnail grid uses
// several columns, the review list one.
import { el } from './dom';

export interface VirtualGridOptions {
  rowHeight: number;
  /** How many cells fit in a row of this width (1 for a list). */
  columnsFor(width: number): number;
  /** Rows rendered above and below the visible ones, so fast scrolling shows no gaps. */
  overscanRows: number;
  createCell(): HTMLElement;
  renderCell(cell: HTMLElement, index: number): void;
  /** After each render, with the indices actually visible (no overscan). */
  onRendered?(first: number, last: number): void;
  onScroll?(scrollTop: number): void;
}

export class VirtualGrid {
  readonly scroller: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly cells = new Map<number, HTMLElement>();
  private readonly spare: HTMLElement[] = [];
  private count = 0;
  private columns = 1;
  private width = 0;
  private height = 0;
  private frame = 0;
  private allDirty = true;

  constructor(parent: HTMLElement, private readonly options: VirtualGridOptions) {
    this.scroller = el('div', 'virtual-scroller');
    this.spacer = el('div', 'virtual-spacer');
    this.scroller.append(this.spacer);
    parent.append(this.scroller);
    this.scroller.addEventListener('scroll', () => {
      this.schedule();
      options.onScroll?.(this.scroller.scrollTop);
    }, { passive: true });
    new ResizeObserver(() => this.measure()).observe(this.scroller);
    this.measure();
  }

  get itemCount(): number {
    return this.count;
  }

  get columnCount(): number {
    return this.columns;
  }

  /** Whole rows that fit in the viewport (for PageUp/PageDown). */
  get rowsPerPage(): number {
    return Math.max(1, Math.floor(this.height / this.options.rowHeight));
  }

  setCount(count: number): void {
    this.count = Math.max(0, count);
    this.spacer.style.height = `${Math.ceil(this.count / this.columns) * this.options.rowHeight}px`;
    this.invalidate();
  }

  /** Re-render every rendered cell (data changed), on the next frame. */
  invalidate(): void {
    this.allDirty = true;
    this.schedule();
  }

  /** Re-render one cell now if it is in the DOM. */
  refreshCell(index: number): void {
    const cell = this.cells.get(index);
    if (cell) this.options.renderCell(cell, index);
  }

  cellAt(index: number): HTMLElement | undefined {
    return this.cells.get(index);
  }

  scrollToIndex(index: number): void {
    const top = Math.floor(index / this.columns) * this.options.rowHeight;
    const bottom = top + this.options.rowHeight;
    if (top < this.scroller.scrollTop) this.scroller.scrollTop = top;
    else if (bottom > this.scroller.scrollTop + this.height) this.scroller.scrollTop = bottom - this.height;
    this.renderNow();
  }

  /** First and last visible index. */
  visibleRange(): { first: number; last: number } {
    const rh = this.options.rowHeight;
    const firstRow = Math.floor(this.scroller.scrollTop / rh);
    const lastRow = Math.ceil((this.scroller.scrollTop + this.height) / rh) - 1;
    return { first: Math.min(this.count - 1, firstRow * this.columns), last: Math.min(this.count - 1, (lastRow + 1) * this.columns - 1) };
  }

  renderNow(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.render();
  }

  private schedule(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private measure(): void {
    const width = this.scroller.clientWidth;
    const height = this.scroller.clientHeight;
    if (width === this.width && height === this.height) return;
    this.width = width;
    this.height = height;
    const columns = Math.max(1, this.options.columnsFor(width));
    if (columns !== this.columns) {
      this.columns = columns;
      this.setCount(this.count);
    }
    this.invalidate();
  }

  private render(): void {
    const { rowHeight, overscanRows } = this.options;
    const firstRow = Math.max(0, Math.floor(this.scroller.scrollTop / rowHeight) - overscanRows);
    const lastRow = Math.ceil((this.scroller.scrollTop + this.height) / rowHeight) + overscanRows;
    const first = firstRow * this.columns;
    const last = Math.min(this.count - 1, (lastRow + 1) * this.columns - 1);
    const cellWidth = this.width / this.columns;

    for (const [index, cell] of this.cells) {
      if (index >= first && index <= last) continue;
      this.cells.delete(index);
      cell.remove();
      this.spare.push(cell);
    }
    // Keep a few spare elements for the next scroll; drop the rest so the DOM stays small.
    this.spare.length = Math.min(this.spare.length, 2 * this.columns);

    for (let index = first; index <= last; index++) {
      let cell = this.cells.get(index);
      const isNew = !cell;
      if (!cell) {
        cell = this.spare.pop() ?? this.options.createCell();
        this.cells.set(index, cell);
        this.spacer.append(cell);
      }
      if (isNew || this.allDirty) {
        const row = Math.floor(index / this.columns);
        const column = index % this.columns;
        // CSSOM writes are allowed by the CSP (style attributes in markup would not be).
        cell.style.transform = `translate(${Math.round(column * cellWidth)}px, ${row * rowHeight}px)`;
        cell.style.width = `${Math.floor(cellWidth)}px`;
        this.options.renderCell(cell, index);
      }
    }
    this.allDirty = false;
    const visible = this.visibleRange();
    if (this.count > 0) this.options.onRendered?.(visible.first, visible.last);
  }
}
