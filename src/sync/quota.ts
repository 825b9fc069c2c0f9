// Counts the requests each account spends against its destination's quota, in the index (per
// bucket and period, e.g. Google Photos' Pacific day). Writes are batched: one index write per burst,
// not one per request.
import type { PhotoIndex } from '../index/api';
import type { QuotaPolicy } from '../tasks/quotaPolicy';

export class QuotaCounter {
  private pending = 0;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly index: () => PhotoIndex | undefined,
    private readonly accountId: () => string | undefined,
    private readonly policy: QuotaPolicy,
    private readonly onChange?: () => void,
    private readonly delayMs = 500,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one request (pass the ones the provider's rules say count). */
  readonly count = (): void => {
    this.pending++;
    this.timer ??= setTimeout(() => void this.flush(), this.delayMs);
  };

  /** Requests of every account in the current period (the project's quota), as the index knows it. */
  usedNow(): number | undefined {
    return this.index()?.quota.total(this.policy.bucket, this.policy.periodOf(this.now()));
  }

  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const n = this.pending;
    const index = this.index();
    const account = this.accountId();
    if (n === 0 || !index || !account) return;
    this.pending = 0;
    const period = this.policy.periodOf(this.now());
    this.writing = this.writing.then(() => index.write((w) => w.quota.add(account, this.policy.bucket, period, n))).catch(() => undefined);
    await this.writing;
    this.onChange?.();
  }

  dispose(): void {
    void this.flush();
  }
}
