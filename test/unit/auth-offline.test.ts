import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator } from '../emulator/index';
import { EmulatorControl } from '../emulator/control';
import { openWindow } from './auth-support';
import { SIGN_IN_SCOPES } from '../../src/google/scopes';
import { googleClassify as classifyError } from './tasks-helpers';
import { SessionTokenSource } from '../../src/auth/sessionTokenSource';

// A refresh that fails for a passing reason keeps the session (no sign-out, no message); the token
// source rethrows an error the task queue retries. (gaxios retries first: these tests take seconds.)

test('Google unavailable (503) during refresh: session kept, error classified as retry, works again after', async () => {
  const emu = await startEmulator();
  try {
    const control = new EmulatorControl(emu.control);
    const w = await openWindow(emu);
    const session = await w.provider.createSession(SIGN_IN_SCOPES, {});
    const source = new SessionTokenSource({ authentication: { getSession: async () => (await w.provider.getSessions(SIGN_IN_SCOPES, {}))[0] }, provider: w.provider });
    await control.faults({ type: 'status', endpoint: 'oauth.token', status: 503, times: 4 });
    source.invalidate(session.accessToken);
    const err = await source.getAccessToken(SIGN_IN_SCOPES).then(() => undefined, (e: unknown) => e);
    assert.equal(classifyError(err, Date.now()).kind, 'retry', String(err));
    assert.equal(w.provider.accounts.length, 1, 'still signed in');
    assert.deepEqual(w.problems, []);
    const again = await source.getAccessToken(SIGN_IN_SCOPES);
    assert.notEqual(again, session.accessToken);
  } finally {
    await emu.close();
  }
});

test('offline during refresh: session kept, the network error is retried', async () => {
  const emu = await startEmulator();
  const w = await openWindow(emu);
  const session = await w.provider.createSession(SIGN_IN_SCOPES, {});
  await emu.close();
  w.advance(58 * 60 * 1000);
  const [early] = await w.provider.getSessions(SIGN_IN_SCOPES, {});
  assert.equal(early.accessToken, session.accessToken, 'the early refresh failed: the old token still has 2 minutes');
  w.advance(3 * 60 * 1000);
  const [kept] = await w.provider.getSessions(SIGN_IN_SCOPES, {});
  assert.equal(kept.id, session.id);
  assert.equal(kept.accessToken, '', 'no usable token once it expired');
  const source = new SessionTokenSource({ authentication: { getSession: async () => kept }, provider: w.provider });
  const err = await source.getAccessToken(SIGN_IN_SCOPES).then(() => undefined, (e: unknown) => e);
  assert.equal(classifyError(err, Date.now()).kind, 'retry', String(err));
  assert.deepEqual(w.problems, []);
});
