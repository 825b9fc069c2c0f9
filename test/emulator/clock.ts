/** The emulator's notion of "now": real time plus an offset the control API can advance (expiries, quotas). */
export class Clock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  reset(): void {
    this.offsetMs = 0;
  }

  iso(ms: number = this.now()): string {
    return new Date(ms).toISOString();
  }
}
