/**
 * Delay before retry number `attempt` (1 = first retry): exponential, capped, with "equal jitter"
 * (half fixed, half random) so many failed uploads do not retry in lock-step. A server's Retry-After
 * wins when it asks for longer.
 */
export function backoffDelay(attempt: number, options: { baseMs: number; maxMs: number; retryAfterMs?: number; random: () => number }): number {
  const exp = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = exp / 2 + options.random() * (exp / 2);
  return Math.round(Math.max(jittered, options.retryAfterMs ?? 0));
}
