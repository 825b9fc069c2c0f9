import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyError, parseGoogleError, parseRetryAfter } from '../../src/google/errors';

test('parses the Google JSON envelope with ErrorInfo reason', () => {
  const e = parseGoogleError(403, JSON.stringify({ error: { code: 403, message: 'Photos Library API has not been used', status: 'PERMISSION_DENIED', details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'SERVICE_DISABLED' }] } }));
  assert.equal(e.status, 'PERMISSION_DENIED');
  assert.equal(e.reason, 'SERVICE_DISABLED');
  assert.deepEqual(classifyError(e), { kind: 'fatal' });
});

test('daily quota is told apart from per-minute 429s', () => {
  const daily = parseGoogleError(429, JSON.stringify({ error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: "Quota exceeded for quota metric 'All requests' and limit 'All requests per day' of service 'photoslibrary.googleapis.com'" } }));
  assert.deepEqual(classifyError(daily), { kind: 'dailyQuota' });
  const minute = parseGoogleError(429, JSON.stringify({ error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute per user'" } }), '7');
  assert.deepEqual(classifyError(minute), { kind: 'retry', afterMs: 7000 });
});

test('bare upload errors, OAuth errors and plain text bodies parse', () => {
  assert.equal(parseGoogleError(401, '{"code": 16, "message": "Authentication session is not defined."}').message, 'Authentication session is not defined.');
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
