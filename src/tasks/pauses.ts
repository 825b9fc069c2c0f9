import type { Logger } from '../util/logger';
import type { QueuePause } from './api';
import type { Clock, ClockTimer } from './clock';

/** Spent quotas, by quota key: each ends by itself at its reset time (or early on resumeNow). */
export class QuotaPauses {
  private readonly pauses = new Map<string, { pause: QueuePause; timer: ClockTimer }>();

  constructor(
    private readonly clock: Clock,
    private readonly log: Logger,
    /** Called when a pause starts or ends. */
    private readonly onChange: () => void,
  ) {}

  has(key: string): boolean {
    return this.pauses.has(key);
  }

  get size(): number {
    return this.pauses.size;
  }

  list(): QueuePause[] {
    return [...this.pauses.values()].map((p) => p.pause);
  }

  /** The pause ending last. */
  latest(): QueuePause | undefined {
    let last: QueuePause | undefined;
    for (const { pause } of this.pauses.values()) if (!last || pause.until > last.until) last = pause;
    return last;
  }

  start(key: string, until: number, label: string): void {
    const current = this.pauses.get(key);
    if (current && current.pause.until >= until) return;
    if (current) this.clock.clearTimeout(current.timer);
    const timer = this.clock.setTimeout(() => {
      this.log.info(`The ${label} is reset: its tasks resume.`);
      this.end(key);
    }, until - this.clock.now());
    this.pauses.set(key, { pause: { reason: 'quota', key, until, label }, timer });
    this.log.warn(`The ${label} is used up: its tasks wait until ${new Date(until).toISOString()}.`);
    this.onChange();
  }

  end(key: string): void {
    const current = this.pauses.get(key);
    if (!current) return;
    this.clock.clearTimeout(current.timer);
    this.pauses.delete(key);
    this.onChange();
  }

  endAll(): void {
    for (const key of [...this.pauses.keys()]) this.end(key);
  }

  /** Stops the timers without resuming anything (the queue is shutting down). */
  dispose(): void {
    for (const { timer } of this.pauses.values()) this.clock.clearTimeout(timer);
  }
}
