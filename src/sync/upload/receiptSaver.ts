// Makes upload receipts durable soon after they arrive, without a save per file. A receipt (an
// upload token not yet committed) lives in the index's memory until the index is saved; the queue
// saves at task ends at most once a second, so a process killed mid-run lost up to a second of
// receipts — with small files, some 70 contents whose bytes the next run had to send again. Here the
// index is also saved as soon as RECEIPT_SAVE_EVERY receipts are unsaved, one save at a time, spaced
// so that the part of a save that blocks the event loop (the export, ≈0.1 s for a large index; the
// write and fsync run in the thread pool) takes at most a fifth of the time.
import type { PhotoIndex } from '../../index/api';
import type { Logger } from '../../util/logger';

/** Receipts at most in memory only (besides those arriving while a save runs): what a kill can cost. */
export const RECEIPT_SAVE_EVERY = 8;
/** A count-triggered save waits this many times the last one's export after it: ≤ 1/(1+4) of the time blocked. */
const SPACING = 4;

/** The index as the saver sees it: `lastExportMs` where the index tells it (IndexStore), else the whole save's time counts. */
export type SavedIndex = Pick<PhotoIndex, 'flush'> & { readonly lastExportMs?: number };

export class ReceiptSaver {
  private unsaved = 0;
  private saving: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastMs = 0;
  private lastEnd = 0;
  /** Saves this saver started (tests). */
  saves = 0;

  constructor(
    private readonly index: SavedIndex,
    private readonly log: Logger,
    private readonly every = RECEIPT_SAVE_EVERY,
  ) {}

  /** A receipt was written to the index (in memory); saves when enough are unsaved. Never waits. */
  noted(): void {
    this.unsaved++;
    this.maybeSave();
  }

  /** Resolves when the save under way (if any) is done. */
  async settled(): Promise<void> {
    await this.saving;
  }

  /** Stops a waiting save (the run's end saves the index anyway). */
  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private maybeSave(): void {
    if (this.unsaved < this.every || this.saving || this.timer) return;
    const wait = this.lastEnd + SPACING * this.lastMs - Date.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.maybeSave();
      }, wait);
      this.timer.unref();
      return;
    }
    // Receipts written from here on wait for the next save: counted from zero.
    this.unsaved = 0;
    this.saves++;
    const started = performance.now();
    this.saving = this.index
      .flush()
      .catch((err: unknown) => this.log.error(`Saving upload receipts failed: ${(err as Error).message}`))
      .finally(() => {
        this.lastMs = this.index.lastExportMs ?? performance.now() - started;
        this.lastEnd = Date.now();
        this.saving = undefined;
        this.maybeSave();
      });
  }
}
