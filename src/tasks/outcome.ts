/**
 * What a failure means, in words every destination shares. Each provider classifies its own errors
 * (Google's RPC statuses, Drive's reasons, Flickr's codes) into these; the queue and the pipelines
 * act on them without knowing which service answered.
 */
export type Outcome =
  /** Transient (network, 5xx, rate limit): try again, after `afterMs` when the service said so. */
  | { kind: 'retry'; afterMs?: number }
  /** The receipt or transfer session is unusable (expired, unknown): send the bytes again. */
  | { kind: 'resend' }
  /** The service will not accept this item as it is (corrupt file, bad name): retried once the file changes. */
  | { kind: 'rejected' }
  /** Only the user can fix it (sign in again, enable an API, free storage); `message` says what to do. */
  | { kind: 'needs-user'; message?: string }
  /** The request quota of the period is spent: nothing of this quota runs until `until` (epoch ms). */
  | { kind: 'quota'; until: number; label: string }
  | { kind: 'cancelled' }
  /** Anything else: the task fails with the error's message. */
  | { kind: 'fatal' };

/** Turns an error into an Outcome; `now` is the queue clock's time (quota reset times depend on it). */
export type Classifier = (err: unknown, now: number) => Outcome;

export function isAbortError(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || (err as { code?: unknown }).code === 'ABORT_ERR');
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'ECONNABORTED']);

/** A dropped connection or a failed fetch, anywhere in the cause chain. */
export function isNetworkError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    if (e.name === 'TypeError' && /fetch failed|terminated|socket/i.test(e.message)) return true;
  }
  return false;
}

/** What any error means without a provider's knowledge: cancelled, a network failure, or fatal. */
export const classifyGeneric: Classifier = (err) => {
  if (isAbortError(err)) return { kind: 'cancelled' };
  if (isNetworkError(err)) return { kind: 'retry' };
  return { kind: 'fatal' };
};
