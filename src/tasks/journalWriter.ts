import type { JournalRow } from '../index/api';
import type { Logger } from '../util/logger';
import type { TaskJournal } from './api';

/**
 * Batches task journal rows into one index write per microtask and forces index saves at task ends,
 * at most one every `minFlushIntervalMs`: exporting a large index blocks the event loop for ~0.1 s,
 * so a stream of short tasks must not save back to back.
 */
export class JournalWriter {
  private readonly pending = new Map<string, JournalRow>();
  private writing: Promise<void> = Promise.resolve();
  private scheduled = false;
  private flushing: Promise<void> | undefined;
  private lastFlushAt = 0;

  constructor(
    private readonly journal: TaskJournal,
    private readonly log: Logger,
    private readonly minFlushIntervalMs: number,
  ) {}

  /** Queues a row (a later row of the same id replaces it before it is written). */
  record(row: JournalRow): void {
    this.pending.set(row.id, row);
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      const rows = [...this.pending.values()];
      this.pending.clear();
      if (rows.length === 0) return;
      this.writing = this.writing.then(() => this.journal.record(rows)).catch((err: unknown) => this.log.error(`Task journal write failed: ${(err as Error).message}`));
    });
  }

  /** Writes queued rows and forces the index save; concurrent callers share one save. `now` skips the spacing. */
  flush(now = false): Promise<void> {
    this.flushing ??= (async () => {
      const wait = this.lastFlushAt + this.minFlushIntervalMs - Date.now();
      if (wait > 0 && !now) await new Promise((r) => setTimeout(r, wait));
      else await new Promise<void>((r) => queueMicrotask(r));
      await this.writing;
      this.flushing = undefined;
      this.lastFlushAt = Date.now();
      await this.journal.flush();
    })().catch((err: unknown) => {
      this.flushing = undefined;
      this.log.error(`Saving the task journal failed: ${(err as Error).message}`);
    });
    return this.flushing;
  }
}
