// Ctrl-C (SIGINT) and SIGTERM: the first stops the run cleanly — queued work is dropped, running
// requests are aborted, the journal keeps what was in flight and the index is saved, so the next run
// resumes — the second exits at once (the journal is written before every request, so even that
// loses nothing; the next run finds what is unfinished).
import { EXIT } from './exit';
import type { Output } from './output';

export class Interrupt {
  private readonly controller = new AbortController();
  private readonly listeners = new Set<() => void>();
  private readonly onSignal = (signal: NodeJS.Signals) => this.handle(signal);

  constructor(private readonly out: Output) {
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The signal that stopped the run, if any. */
  get received(): NodeJS.Signals | undefined {
    return this.controller.signal.aborted ? (this.controller.signal.reason as NodeJS.Signals) : undefined;
  }

  /** Runs `listener` on the first signal (or at once if one came already). */
  onInterrupt(listener: () => void): { dispose(): void } {
    if (this.controller.signal.aborted) listener();
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  dispose(): void {
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    this.listeners.clear();
  }

  private handle(signal: NodeJS.Signals): void {
    if (this.controller.signal.aborted) {
      this.out.error(`Stopped at once (${signal} again). Whatever was in flight is journaled; the next run resumes it.`, EXIT.cancelled);
      process.exit(EXIT.cancelled);
    }
    this.out.warn(`Stopping (${signal}): saving what is in flight; the next run resumes. Ctrl-C again quits at once.`);
    this.controller.abort(signal);
    for (const l of [...this.listeners]) l();
  }
}
