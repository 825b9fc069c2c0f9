import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyGoogleError, parseGoogleError, parseRetryAfter } from '../../src/google/errors';
import { GOOGLE_PHOTOS_QUOTA } from '../../src/destinations/googlePhotos/rules';

const NOON_PST = Date.UTC(2026, 0, 15, 20);
const classifyError = (err: unknown) => classifyGoogleError(err, NOON_PST, GOOGLE_PHOTOS_QUOTA);

test('parses the Google JSON envelope with ErrorInfo reason', () => {
  const e = parseGoogleError(403, JSON.stringify({ error: { code: 403, message: 'Photos Library API has not been used', status: 'PERMISSION_DENIED', details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'SERVICE_DISABLED' }] } }));
  assert.equal(e.status, 'PERMISSION_DENIED');
  assert.equal(e.reason, 'SERVICE_DISABLED');
  assert.deepEqual(classifyError(e), { kind: 'needs-user' }, 'only the user can enable the API');
});

test('Drive: rate limits in errors[] are retried, a full Drive needs the user', () => {
  const rate = parseGoogleError(403, JSON.stringify({ error: { code: 403, message: 'User Rate Limit Exceeded', errors: [{ domain: 'usageLimits', reason: 'userRateLimitExceeded', message: 'User Rate Limit Exceeded' }] } }));
  assert.equal(rate.reason, 'userRateLimitExceeded');
  assert.deepEqual(classifyError(rate), { kind: 'retry', afterMs: undefined });
  const full = parseGoogleError(403, JSON.stringify({ error: { code: 403, message: 'The user has exceeded their Drive storage quota', errors: [{ domain: 'usageLimits', reason: 'storageQuotaExceeded' }] } }));
  assert.deepEqual(classifyError(full), { kind: 'needs-user' });
  const other = parseGoogleError(403, JSON.stringify({ error: { code: 403, message: 'The user does not have sufficient permissions for this file.', errors: [{ domain: 'global', reason: 'insufficientFilePermissions' }] } }));
  assert.deepEqual(classifyError(other), { kind: 'fatal' });
});

test('daily quota is told apart from per-minute 429s', () => {
  const daily = parseGoogleError(429, JSON.stringify({ error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: "Quota exceeded for quota metric 'All requests' and limit 'All requests per day' of service 'photoslibrary.googleapis.com'" } }));
  assert.deepEqual(classifyError(daily), { kind: 'quota', until: Date.UTC(2026, 0, 16, 8), label: 'daily quota' }, 'until midnight Pacific');
  const minute = parseGoogleError(429, JSON.stringify({ error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute per user'" } }), '7');
  assert.deepEqual(classifyError(minute), { kind: 'retry', afterMs: 7000 });
});

test('bare upload errors, OAuth errors and plain text bodies parse', () => {
  assert.equal(parseGoogleError(401, '{"code": 16, "message": "Authentication session is not defined."}').message, 'Authentication session is not defined.');
  // The bare form's code is a google.rpc.Code number: named, not left UNKNOWN.
  assert.equal(parseGoogleError(401, '{"code": 16, "message": "Authentication session is not defined."}').status, 'UNAUTHENTICATED');
  assert.equal(parseGoogleError(400, '{"code":3,"message":"Bad upload."}').status, 'INVALID_ARGUMENT');
  assert.equal(parseGoogleError(429, '{"code":8,"message":"Slow down."}').status, 'RESOURCE_EXHAUSTED');
  assert.equal(parseGoogleError(503, '{"code":14,"message":"Try again."}').status, 'UNAVAILABLE');
  // The REST envelope's code is the HTTP status; its status name wins.
  assert.equal(parseGoogleError(403, '{"error":{"code":403,"message":"no","status":"PERMISSION_DENIED"}}').status, 'PERMISSION_DENIED');
  const grant = parseGoogleError(400, '{"error":"invalid_grant","error_description":"Token has been expired or revoked."}');
  assert.equal(grant.status, 'invalid_grant');
  assert.equal(parseGoogleError(502, '<html>Bad gateway</html>').status, 'UNKNOWN');
  assert.deepEqual(classifyError(parseGoogleError(503, '')), { kind: 'retry', afterMs: undefined });
});

test('Retry-After takes seconds or an HTTP date', () => {
  assert.equal(parseRetryAfter('3'), 3000);
  assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6000);
  assert.equal(parseRetryAfter('soon'), undefined);
});

test('network and abort errors are classified', () => {
  const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
  assert.deepEqual(classifyError(new TypeError('fetch failed', { cause: reset })), { kind: 'retry' });
  assert.deepEqual(classifyError(new DOMException('aborted', 'AbortError')), { kind: 'cancelled' });
});
