// Download rows written in batches: one index write per burst of finished items instead of one per
// item (each write is a transaction in the in-memory database, and the index saves debounced anyway).
// A row a crash loses is harmless: the next run finds the file under its name and adopts it.
import type { DownloadRecord, PhotoIndex } from '../../index/api';

type Change = Partial<Omit<DownloadRecord, 'id'>>;

export class RowWriter {
  private readonly pending = new Map<string, { change: Change; mediaItemId: string }>();
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly index: PhotoIndex,
    /** The Picker session whose picked items mirror the rows, if any. */
    private readonly pickerSession: string | undefined,
    private readonly maxPending = 50,
    private readonly delayMs = 200,
  ) {}

  set(rowId: string, mediaItemId: string, change: Change): Promise<void> {
    const was = this.pending.get(rowId);
    this.pending.set(rowId, { mediaItemId, change: { ...was?.change, ...change } });
    if (this.pending.size >= this.maxPending) return this.flush();
    this.timer ??= setTimeout(() => void this.flush().catch(() => undefined), this.delayMs);
    return Promise.resolve();
  }

  /** Writes what is pending (and waits for a write in progress). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return this.writing;
    const batch = [...this.pending.entries()];
    this.pending.clear();
    const session = this.pickerSession;
    this.writing = this.writing.then(() =>
      this.index.write((w) => {
        for (const [rowId, { mediaItemId, change }] of batch) {
          w.downloads.update(rowId, change);
          if (session && change.state) {
            w.picker.updateItem(session, mediaItemId, { downloadState: change.state, localPath: change.localPath, bytes: change.bytes, lastError: change.lastError });
          }
        }
      }),
    );
    return this.writing;
  }
}
