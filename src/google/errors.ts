/**
 * An error answered by a Google API in its JSON envelope
 * `{"error":{"code","message","status","details"}}` (or the uploads endpoint's bare `{"code","message"}`).
 * The task queue decides retry / pause / fail from `classifyError`, so every client throws this.
 */
export class GoogleApiError extends Error {
  override readonly name = 'GoogleApiError';
  constructor(
    readonly httpStatus: number,
    /** google.rpc status name, e.g. PERMISSION_DENIED, RESOURCE_EXHAUSTED. */
    readonly status: string,
    message: string,
    /** ErrorInfo.reason when given, e.g. SERVICE_DISABLED. */
    readonly reason?: string,
    /** From a Retry-After header. */
    readonly retryAfterMs?: number,
    readonly details: readonly unknown[] = [],
  ) {
    super(message);
  }

  /** The 10,000 requests/day project quota: retrying before midnight Pacific is pointless. */
  get isDailyQuota(): boolean {
    return this.httpStatus === 429 && /per day|perday|daily/i.test(this.message);
  }

  get isInsufficientScopes(): boolean {
    return this.httpStatus === 403 && /insufficient authentication scopes/i.test(this.message);
  }
}

/** What the queue should do with a failed request. */
export type ErrorClass =
  | { kind: 'retry'; afterMs?: number }
  | { kind: 'dailyQuota' }
  | { kind: 'auth' }
  | { kind: 'fatal' }
  | { kind: 'cancelled' };

const RETRYABLE_HTTP = new Set([408, 429, 500, 502, 503, 504]);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'ECONNABORTED']);

export function classifyError(err: unknown): ErrorClass {
  if (isAbortError(err)) return { kind: 'cancelled' };
  if (err instanceof GoogleApiError) {
    if (err.isDailyQuota) return { kind: 'dailyQuota' };
    if (err.httpStatus === 401) return { kind: 'auth' };
    if (RETRYABLE_HTTP.has(err.httpStatus)) return { kind: 'retry', afterMs: err.retryAfterMs };
    return { kind: 'fatal' };
  }
  if (isNetworkError(err)) return { kind: 'retry' };
  return { kind: 'fatal' };
}

export function isAbortError(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || (err as { code?: unknown }).code === 'ABORT_ERR');
}

function isNetworkError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    if (e.name === 'TypeError' && /fetch failed|terminated|socket/i.test(e.message)) return true;
  }
  return false;
}

/** Parses a Google error response body (already read as text) into a GoogleApiError. */
export function parseGoogleError(httpStatus: number, body: string, retryAfterHeader?: string | null): GoogleApiError {
  let status = 'UNKNOWN';
  let message = `HTTP ${httpStatus}`;
  let reason: string | undefined;
  let details: unknown[] = [];
  try {
    const json = JSON.parse(body) as { error?: unknown; code?: unknown; message?: unknown };
    const e = (typeof json.error === 'object' && json.error !== null ? json.error : json) as Record<string, unknown>;
    if (typeof e.message === 'string') message = e.message;
    if (typeof e.status === 'string') status = e.status;
    if (Array.isArray(e.details)) {
      details = e.details;
      for (const d of e.details as Record<string, unknown>[]) if (typeof d?.reason === 'string') reason = d.reason;
    }
    // OAuth endpoints answer {"error":"invalid_grant","error_description":"…"}.
    if (typeof json.error === 'string') {
      status = json.error;
      const desc = (json as Record<string, unknown>).error_description;
      message = typeof desc === 'string' ? desc : json.error;
    }
  } catch {
    if (body.trim()) message = body.trim().slice(0, 300);
  }
  return new GoogleApiError(httpStatus, status, message, reason, parseRetryAfter(retryAfterHeader), details);
}

export function parseRetryAfter(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
