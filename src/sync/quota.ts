// Counts the requests each account spends against Google's 10,000/day project quota, in the index
// (per Pacific day). Writes are batched: one index write per burst, not one per request.
import type { PhotoIndex } from '../index/api';
import { countsTowardRequestQuota } from '../google/http';

export class QuotaCounter {
  private pending = 0;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly index: () => PhotoIndex | undefined,
    private readonly accountId: () => string | undefined,
    private readonly onChange?: () => void,
    private readonly delayMs = 500,
  ) {}

  /** Pass as the Google clients' `onRequest`. */
  readonly count = (endpoint: string): void => {
    if (!countsTowardRequestQuota(endpoint)) return;
    this.pending++;
    this.timer ??= setTimeout(() => void this.flush(), this.delayMs);
  };

  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const n = this.pending;
    const index = this.index();
    const account = this.accountId();
    if (n === 0 || !index || !account) return;
    this.pending = 0;
    this.writing = this.writing.then(() => index.write((w) => w.quota.add(account, n))).catch(() => undefined);
    await this.writing;
    this.onChange?.();
  }

  dispose(): void {
    void this.flush();
  }
}
