import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { EMULATOR_CLIENT, openWindow, withEmulator } from './auth-support';
import { startEmulator } from '../emulator/index';
import { EmulatorControl } from '../emulator/control';
import { SIGN_IN_SCOPES } from '../../src/google/scopes';
import { googleClassify as classifyError } from './tasks-helpers';
import { createOAuthClient } from '../../src/auth/oauthClient';
import { SessionTokenSource } from '../../src/auth/sessionTokenSource';
import { ClientConfigStore } from '../../src/auth/clientConfig';
import { redactSecrets } from '../../src/util/redact';
import { createVsCode } from '../helpers/vscodeFake';

// Errors from google-auth-library (gaxios) carry the failed request in `config`: the refresh token,
// or the code and code_verifier, in its body (gaxios masks only client_secret). Whatever the auth
// code keeps, rethrows or reports must not hold them, whoever later prints the error in full.

/** Everything reachable from the error, as util.inspect would print it (causes, hidden fields). */
function everything(err: unknown): string {
  return inspect(err, { depth: Infinity, showHidden: true, maxStringLength: Infinity, maxArrayLength: Infinity });
}

test('invalid_grant on refresh: the problem reported holds no refresh token anywhere in its object graph', () =>
  withEmulator(async (emu, control) => {
    const w = await openWindow(emu);
    await w.provider.createSession(SIGN_IN_SCOPES, {});
    const refreshToken = (await control.state()).tokens.refresh[0].token;
    await (await createOAuthClient(undefined, emu.endpoints)).revokeToken(refreshToken);
    w.advance(58 * 60 * 1000);
    assert.deepEqual(await w.provider.getSessions(SIGN_IN_SCOPES, {}), []);
    assert.equal(w.problems[0]?.kind, 'invalidGrant');
    const printed = everything(w.problems[0]);
    assert.ok(!printed.includes(refreshToken), 'the refresh token is in the reported error');
    assert.ok(!/refresh_token/.test(printed), 'the token request body is in the reported error');
  }));

test('offline during refresh: the error the token source rethrows holds no refresh token, and is still retried', async () => {
  const emu = await startEmulator();
  const w = await openWindow(emu);
  const session = await w.provider.createSession(SIGN_IN_SCOPES, {});
  const refreshToken = (await new EmulatorControl(emu.control).state()).tokens.refresh[0].token;
  await emu.close();
  w.advance(61 * 60 * 1000);
  const [kept] = await w.provider.getSessions(SIGN_IN_SCOPES, {});
  assert.equal(kept.id, session.id);
  const source = new SessionTokenSource({ authentication: { getSession: async () => kept }, provider: w.provider });
  const err = await source.getAccessToken(SIGN_IN_SCOPES).then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof Error);
  assert.equal(classifyError(err, Date.now()).kind, 'retry', String(err));
  const printed = everything(err);
  assert.ok(!printed.includes(refreshToken), 'the refresh token is in the rethrown error');
  assert.ok(!/refresh_token/.test(printed), 'the token request body is in the rethrown error');
});

test('a failed code exchange reports no authorization code or code_verifier', () =>
  withEmulator(async (emu) => {
    const w = await openWindow(emu, { client: { ...EMULATOR_CLIENT, clientSecret: 'not-the-secret' } });
    const err = await w.provider.createSession(SIGN_IN_SCOPES, {}).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof Error);
    const printed = everything(err) + everything(w.problems);
    assert.ok(!/code_verifier/.test(printed), 'the token request body (code, code_verifier) is in the error');
  }));

test('a client secret of the older shape (no GOCSPX- prefix) is redacted once the client is stored or read', async () => {
  const { secrets } = createVsCode();
  const secret = 'k9Xq2Lm7Pw4Rt8Vz1Bn6Hc3J';
  assert.equal(redactSecrets(`secret ${secret}`), `secret ${secret}`, 'not recognisable by its shape');
  await new ClientConfigStore(secrets).set({ clientId: '1-a.apps.googleusercontent.com', clientSecret: secret });
  assert.equal(redactSecrets(`secret ${secret}`), 'secret [redacted]');
  const other = 'Zr5Tq8Wm2Kp9Lx4Nv7Bc1Dh6';
  await secrets.store('photoSync.oauthClient', JSON.stringify({ clientId: '2-b.apps.googleusercontent.com', clientSecret: other }));
  await new ClientConfigStore(secrets).get();
  assert.equal(redactSecrets(`secret ${other}`), 'secret [redacted]');
});
