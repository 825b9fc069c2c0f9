// The grid's item metadata, pulled from the host page by page as rows come into view. Pages far
// from the view are forgotten, so memory stays flat however far one scrolls.
import type { GridItem } from './protocol';

export const PAGE_SIZE = 100;
const MAX_PAGES = 40;

type Fetch = (start: number, end: number) => Promise<{ total: number; items: GridItem[] }>;

export class GridPages {
  private readonly pages = new Map<number, GridItem[]>();
  private readonly loading = new Set<number>();
  private readonly byId = new Map<string, GridItem>();
  /** Bumped by reset(): answers to older requests are dropped. */
  private generation = 0;

  constructor(
    private readonly fetch: Fetch,
    /** A page arrived: its range and the host's current total. */
    private readonly onPage: (first: number, last: number, total: number) => void,
    private readonly onError: (error: unknown) => void,
  ) {}

  get(index: number): GridItem | undefined {
    return this.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  }

  byItemId(id: string): GridItem | undefined {
    return this.byId.get(id);
  }

  /** Takes items the host sent unasked (with init). A short page is kept only when it ends the list. */
  seed(start: number, items: GridItem[], total: number): void {
    if (start % PAGE_SIZE !== 0) return;
    for (let at = 0; at < items.length; at += PAGE_SIZE) {
      const chunk = items.slice(at, at + PAGE_SIZE);
      if (chunk.length === PAGE_SIZE || start + at + chunk.length >= total) this.keep((start + at) / PAGE_SIZE, chunk);
    }
  }

  /** Requests the pages covering [first, last] that are neither here nor on their way. */
  ensure(first: number, last: number): void {
    if (last < first) return;
    const firstPage = Math.floor(first / PAGE_SIZE);
    const lastPage = Math.floor(last / PAGE_SIZE);
    for (let page = firstPage; page <= lastPage; page++) {
      if (this.pages.has(page) || this.loading.has(page)) continue;
      this.load(page);
    }
    this.forgetFarPages(firstPage, lastPage);
  }

  /** The order changed (filter): forget everything. */
  reset(): void {
    this.generation++;
    this.pages.clear();
    this.loading.clear();
    this.byId.clear();
  }

  /** Changes an item wherever it is; returns its index when loaded. */
  update(id: string, patch: Partial<GridItem>): number | undefined {
    const item = this.byId.get(id);
    if (!item) return undefined;
    Object.assign(item, patch);
    return item.index;
  }

  private load(page: number): void {
    const generation = this.generation;
    this.loading.add(page);
    const start = page * PAGE_SIZE;
    this.fetch(start, start + PAGE_SIZE).then(
      ({ total, items }) => {
        if (generation !== this.generation) return;
        this.loading.delete(page);
        this.keep(page, items);
        this.onPage(start, start + items.length - 1, total);
      },
      (e: unknown) => {
        if (generation !== this.generation) return;
        this.loading.delete(page);
        this.onError(e);
      },
    );
  }

  private keep(page: number, items: GridItem[]): void {
    this.pages.set(page, items);
    for (const item of items) this.byId.set(item.id, item);
  }

  private forgetFarPages(firstPage: number, lastPage: number): void {
    if (this.pages.size <= MAX_PAGES) return;
    const byDistance = [...this.pages.keys()].sort((a, b) => distance(b, firstPage, lastPage) - distance(a, firstPage, lastPage));
    for (const page of byDistance.slice(0, this.pages.size - MAX_PAGES)) {
      for (const item of this.pages.get(page) ?? []) this.byId.delete(item.id);
      this.pages.delete(page);
    }
  }
}

function distance(page: number, first: number, last: number): number {
  return page < first ? first - page : page > last ? page - last : 0;
}
