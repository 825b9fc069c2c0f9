import { classifyGeneric, type Outcome } from '../tasks/outcome';
import type { QuotaPolicy } from '../tasks/quotaPolicy';
import { rpcCodeName } from './rpcCodes';

export { isAbortError } from '../tasks/outcome';

/**
 * An error answered by a Google API in its JSON envelope
 * `{"error":{"code","message","status","details"|"errors"}}` (or the uploads endpoint's bare
 * `{"code","message"}`). Every Google client throws this; `classifyGoogleError` turns it into the
 * neutral Outcome the queue and the pipelines act on.
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

const RETRYABLE_HTTP = new Set([408, 429, 500, 502, 503, 504]);
/** Drive's per-user and per-project rate limits answer 403 with these reasons: they pass. */
const RATE_LIMIT_REASONS = new Set(['userRateLimitExceeded', 'rateLimitExceeded']);
/** 403s only the user can fix: an API not enabled in their project, a full Drive. */
const USER_FIXES_REASONS = new Set(['SERVICE_DISABLED', 'storageQuotaExceeded', 'ACCESS_TOKEN_SCOPE_INSUFFICIENT']);

/**
 * What a Google error means for a service whose request quota is `quota`: the daily quota spent
 * pauses that quota's tasks until its reset; 401 and the user-fixable 403s need the user; 429/5xx
 * and dropped connections are retried.
 */
export function classifyGoogleError(err: unknown, now: number, quota: QuotaPolicy): Outcome {
  if (!(err instanceof GoogleApiError)) return classifyGeneric(err, now);
  if (err.isDailyQuota) return { kind: 'quota', until: quota.resetsAt(now), label: quota.label };
  if (err.httpStatus === 401) return { kind: 'needs-user', message: `Not signed in or access was revoked: ${err.message}. Sign in again and retry.` };
  if (err.httpStatus === 403 && err.reason && RATE_LIMIT_REASONS.has(err.reason)) return { kind: 'retry', afterMs: err.retryAfterMs };
  if (err.httpStatus === 403 && (err.isInsufficientScopes || (err.reason && USER_FIXES_REASONS.has(err.reason)))) return { kind: 'needs-user' };
  if (RETRYABLE_HTTP.has(err.httpStatus)) return { kind: 'retry', afterMs: err.retryAfterMs };
  return { kind: 'fatal' };
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
    // The uploads endpoint answers a bare {"code":3,"message":…}: its code is a google.rpc.Code
    // number, not an HTTP status (the REST envelope's `code` is the HTTP status and comes with `status`).
    else if (typeof json.error !== 'object' && typeof json.code === 'number' && Number.isInteger(json.code) && json.code > 0 && json.code <= 16) status = rpcCodeName(json.code);
    if (Array.isArray(e.details)) {
      details = e.details;
      for (const d of e.details as Record<string, unknown>[]) if (typeof d?.reason === 'string') reason = d.reason;
    }
    // Drive v3 names the reason in errors[] ({"domain","reason","message"}).
    if (!reason && Array.isArray(e.errors)) for (const d of e.errors as Record<string, unknown>[]) if (typeof d?.reason === 'string') reason ??= d.reason;
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
