// The review's rows and what of them is shown (filter by action, search), without any DOM, so it
// is tested under Node. The first plan is shown while it streams in; a later one (after "Exclude")
// is collected aside and swapped in whole, so the list never empties under the user's eyes.
import { UPLOADABLE_ACTIONS, type ReviewAction, type ReviewDatesChunk, type ReviewPlanStart, type ReviewRow, type ReviewRowsChunk, type ReviewSummary } from './protocol';

export type ChunkOutcome = 'appended' | 'swapped' | 'pending' | 'ignored';

export class ReviewModel {
  version = 0;
  folders: string[] = [];
  rows: ReviewRow[] = [];
  summary: ReviewSummary | undefined;
  /** Total rows of the plan being shown (rows.length grows to it while streaming). */
  expected = 0;
  complete = false;
  /** Row indices shown, in order. */
  view: number[] = [];
  actions = new Set<ReviewAction>();
  search = '';
  /** The metadata doctor's reason per flagged file (by keyOf) of the plan shown; "date?" in the list. */
  dateFlags = new Map<string, string>();
  /** Every new and changed file of the plan shown was checked. */
  datesDone = false;
  /** The host is checking the dates of the plan shown (it sent a first, unfinished batch). */
  datesChecking = false;
  private datesVersion = 0;
  private incoming: { start: ReviewPlanStart; rows: ReviewRow[]; received: number } | undefined;

  beginPlan(start: ReviewPlanStart): 'shown' | 'pending' | 'ignored' {
    if (start.version < this.version || (this.incoming && start.version < this.incoming.start.version)) return 'ignored';
    if (this.complete && this.rows.length > 0) {
      this.incoming = { start, rows: new Array<ReviewRow>(start.total), received: 0 };
      return 'pending';
    }
    this.incoming = undefined;
    this.adopt(start, []);
    return 'shown';
  }

  addChunk(chunk: ReviewRowsChunk): ChunkOutcome {
    const incoming = this.incoming;
    if (incoming && chunk.version === incoming.start.version) {
      if (chunk.summary) incoming.start = { ...incoming.start, summary: chunk.summary };
      chunk.rows.forEach((row, i) => (incoming.rows[chunk.start + i] = row));
      incoming.received += chunk.rows.length;
      if (!chunk.done) return 'pending';
      this.incoming = undefined;
      this.adopt(incoming.start, incoming.rows);
      this.complete = true;
      return 'swapped';
    }
    if (chunk.version !== this.version || this.complete) return 'ignored';
    if (chunk.summary) this.summary = chunk.summary;
    const first = this.rows.length;
    for (let i = 0; i < chunk.rows.length; i++) this.rows[chunk.start + i] = chunk.rows[i];
    for (let i = first; i < this.rows.length; i++) if (this.rows[i] && this.matches(this.rows[i])) this.view.push(i);
    if (chunk.done) this.complete = true;
    return 'appended';
  }

  /** Takes in date flags for the plan shown; false when they belong to another plan. */
  addDates(chunk: ReviewDatesChunk): boolean {
    if (chunk.version !== this.version) return false;
    for (const f of chunk.flags) this.dateFlags.set(this.keyOf(f), f.reason);
    this.datesDone ||= chunk.done;
    this.datesChecking = !this.datesDone;
    if (this.search && chunk.flags.length) this.refilter();
    return true;
  }

  dateFlagOf(row: ReviewRow): string | undefined {
    return this.dateFlags.get(this.keyOf(row));
  }

  /** The sync folders (indices) with flagged files, the most flagged first. */
  flaggedFolders(): number[] {
    const counts = new Map<number, number>();
    for (const key of this.dateFlags.keys()) {
      const folder = Number(key.slice(0, key.indexOf('\0')));
      counts.set(folder, (counts.get(folder) ?? 0) + 1);
    }
    return [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([f]) => f);
  }

  /** Rows of the incoming plan received so far, for a progress label. */
  get incomingProgress(): { received: number; total: number } | undefined {
    return this.incoming && { received: this.incoming.received, total: this.incoming.start.total };
  }

  setFilter(actions: Iterable<ReviewAction>, search: string): void {
    this.actions = new Set(actions);
    this.search = search.trim().toLocaleLowerCase();
    this.refilter();
  }

  matches(row: ReviewRow): boolean {
    if (this.actions.size > 0 && !this.actions.has(row.action)) return false;
    if (!this.search) return true;
    const date = this.dateFlags.get(this.keyOf(row));
    return `${row.relPath}\n${row.album ?? ''}\n${row.reason ?? ''}${date ? `\ndate? ${date}` : ''}`.toLocaleLowerCase().includes(this.search);
  }

  /** The row at a position of the view. */
  at(position: number): ReviewRow | undefined {
    const index = this.view[position];
    return index === undefined ? undefined : this.rows[index];
  }

  keyOf(row: { folder: number; relPath: string }): string {
    return `${row.folder}\0${row.relPath}`;
  }

  /** Where the row with this key is in the view, or -1. */
  positionOf(key: string): number {
    for (let p = 0; p < this.view.length; p++) if (this.keyOf(this.rows[this.view[p]]) === key) return p;
    return -1;
  }

  /** New and changed files among those shown: what "Upload These" sends. */
  uploadableInView(): { folder: number; relPath: string }[] {
    const out: { folder: number; relPath: string }[] = [];
    for (const i of this.view) {
      const row = this.rows[i];
      if (UPLOADABLE_ACTIONS.has(row.action)) out.push({ folder: row.folder, relPath: row.relPath });
    }
    return out;
  }

  countUploadableInView(): number {
    let n = 0;
    for (const i of this.view) if (UPLOADABLE_ACTIONS.has(this.rows[i].action)) n++;
    return n;
  }

  private adopt(start: ReviewPlanStart, rows: ReviewRow[]): void {
    this.version = start.version;
    this.folders = start.folders;
    this.summary = start.summary;
    this.expected = start.total;
    this.rows = rows;
    this.complete = false;
    if (start.version !== this.datesVersion) {
      this.dateFlags = new Map();
      this.datesDone = false;
      this.datesChecking = false;
      this.datesVersion = start.version;
    }
    this.refilter();
  }

  private refilter(): void {
    this.view = [];
    for (let i = 0; i < this.rows.length; i++) if (this.rows[i] && this.matches(this.rows[i])) this.view.push(i);
  }
}
