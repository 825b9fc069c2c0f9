import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CodeChallengeMethod } from 'google-auth-library';
import { startEmulator } from '../emulator/index';
import { completeConsent } from '../emulator/consent';
import { EmulatorControl } from '../emulator/control';
import { loopbackServer, oauthClient, signInForTest } from '../emulator/sign-in';
import { Scopes, SIGN_IN_SCOPES, PICKER_SCOPES } from '../../src/google/scopes';

async function postForm(url: string, fields: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

test('fixtures are in the Google console download format', () => {
  const desktop = JSON.parse(readFileSync('test/fixtures/client_secret.json', 'utf8'));
  assert.deepEqual(Object.keys(desktop), ['installed']);
  assert.deepEqual(Object.keys(desktop.installed).sort(), ['auth_provider_x509_cert_url', 'auth_uri', 'client_id', 'client_secret', 'project_id', 'redirect_uris', 'token_uri']);
  assert.deepEqual(desktop.installed.redirect_uris, ['http://localhost']);
  assert.ok(!desktop.installed.client_secret.startsWith('GOCSPX-'));
  const web = JSON.parse(readFileSync('test/fixtures/client_secret_web.json', 'utf8'));
  assert.deepEqual(Object.keys(web), ['web']);
});

test('consent page shows the account, the scopes and a real Allow/Deny form', async () => {
  const emu = await startEmulator();
  try {
    const client = oauthClient(emu.endpoints, 'http://127.0.0.1:5555');
    const { codeChallenge } = await client.generateCodeVerifierAsync();
    const url = client.generateAuthUrl({ access_type: 'offline', scope: [...SIGN_IN_SCOPES], code_challenge_method: CodeChallengeMethod.S256, code_challenge: codeChallenge });
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    const html = await res.text();
    assert.match(html, /photo\.sync\.tester@gmail\.com/);
    assert.match(html, /photoslibrary\.appendonly/);
    assert.match(html, /<form method="POST"/);
    assert.match(html, /value="allow"/);
    assert.match(html, /value="deny"/);
  } finally {
    await emu.close();
  }
});

test('full PKCE flow with google-auth-library: tokens, scopes, userinfo, refresh, revoke', async () => {
  const emu = await startEmulator();
  const control = new EmulatorControl(emu.control);
  try {
    const { client, tokens } = await signInForTest(emu.endpoints, SIGN_IN_SCOPES);
    assert.match(tokens.access_token ?? '', /^ya29\./);
    assert.match(tokens.refresh_token ?? '', /^1\/\//);
    assert.ok((tokens.expiry_date ?? 0) > Date.now() + 3000 * 1000);
    assert.ok(tokens.id_token?.split('.').length === 3);
    for (const s of [Scopes.appendOnly, Scopes.readAppCreated, Scopes.editAppCreated]) assert.ok(tokens.scope?.split(' ').includes(s), s);

    const info = await fetch(emu.endpoints.userinfo, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(info.status, 200);
    const claims = (await info.json()) as Record<string, unknown>;
    assert.equal(claims.email, 'photo.sync.tester@gmail.com');
    assert.match(String(claims.sub), /^\d{21}$/);

    const refreshed = await client.refreshAccessToken();
    assert.notEqual(refreshed.credentials.access_token, tokens.access_token);
    assert.match(refreshed.credentials.access_token ?? '', /^ya29\./);

    let state = await control.state();
    assert.equal(state.tokens.access.length, 2);
    assert.equal(state.requestCounts['oauth.token'], 2);

    await client.revokeToken(tokens.refresh_token ?? '');
    const revocations = await control.revocations();
    assert.equal(revocations.length, 1);
    assert.equal(revocations[0].token, tokens.refresh_token);
    assert.equal(revocations[0].kind, 'refresh');
    state = await control.state();
    assert.ok(state.tokens.access.every((t) => t.revoked));

    const after = await postForm(emu.endpoints.token, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token ?? '', client_id: 'photo-sync-emulator.apps.googleusercontent.com', client_secret: 'emulator-client-secret' });
    assert.equal(after.status, 400);
    assert.deepEqual(after.body, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
    const again = await postForm(emu.endpoints.revoke, { token: tokens.refresh_token ?? '' });
    assert.equal(again.status, 400);
    assert.equal(again.body.error, 'invalid_token');
  } finally {
    await emu.close();
  }
});

test('Deny redirects with error=access_denied and the state', async () => {
  const emu = await startEmulator();
  const loop = await loopbackServer();
  try {
    const client = oauthClient(emu.endpoints, loop.redirectUri);
    const url = client.generateAuthUrl({ scope: [...SIGN_IN_SCOPES], state: 'xyz' });
    await completeConsent(url, { deny: true });
    const { params } = await loop.result;
    assert.equal(params.get('error'), 'access_denied');
    assert.equal(params.get('state'), 'xyz');
    assert.equal(params.get('code'), null);
  } finally {
    loop.close();
    await emu.close();
  }
});

test('token endpoint errors are answered as Google does', async () => {
  const emu = await startEmulator();
  const loop = await loopbackServer();
  try {
    const client = oauthClient(emu.endpoints, loop.redirectUri);
    const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
    const url = client.generateAuthUrl({ access_type: 'offline', scope: [...SIGN_IN_SCOPES], code_challenge_method: CodeChallengeMethod.S256, code_challenge: codeChallenge });
    await completeConsent(url);
    const code = (await loop.result).params.get('code') ?? '';
    const base = { grant_type: 'authorization_code', code, client_id: 'photo-sync-emulator.apps.googleusercontent.com', client_secret: 'emulator-client-secret', redirect_uri: loop.redirectUri };

    assert.deepEqual(await postForm(emu.endpoints.token, { ...base, client_secret: 'wrong' }), { status: 401, body: { error: 'invalid_client', error_description: 'Unauthorized' } });
    assert.deepEqual(await postForm(emu.endpoints.token, { ...base, client_id: 'nope.apps.googleusercontent.com' }), { status: 401, body: { error: 'invalid_client', error_description: 'The OAuth client was not found.' } });
    assert.deepEqual(await postForm(emu.endpoints.token, { ...base, code_verifier: codeVerifier, redirect_uri: 'http://127.0.0.1:1/' }), { status: 400, body: { error: 'redirect_uri_mismatch', error_description: 'Bad Request' } });
    assert.deepEqual(await postForm(emu.endpoints.token, base), { status: 400, body: { error: 'invalid_grant', error_description: 'Missing code verifier.' } });
    assert.deepEqual(await postForm(emu.endpoints.token, { ...base, code_verifier: 'x'.repeat(43) }), { status: 400, body: { error: 'invalid_grant', error_description: 'Invalid code verifier.' } });
    const { code: _c, ...noCode } = base;
    assert.deepEqual(await postForm(emu.endpoints.token, noCode), { status: 400, body: { error: 'invalid_request', error_description: 'Missing required parameter: code' } });
    assert.deepEqual(await postForm(emu.endpoints.token, { ...base, grant_type: 'password' }), { status: 400, body: { error: 'unsupported_grant_type', error_description: 'Invalid grant_type: password' } });

    const ok = await postForm(emu.endpoints.token, { ...base, code_verifier: codeVerifier });
    assert.equal(ok.status, 200);
    // A code works once.
    assert.deepEqual(await postForm(emu.endpoints.token, { ...base, code_verifier: codeVerifier }), { status: 400, body: { error: 'invalid_grant', error_description: 'Bad Request' } });
    assert.deepEqual(await postForm(emu.endpoints.token, { ...base, code: 'garbage', code_verifier: codeVerifier }), { status: 400, body: { error: 'invalid_grant', error_description: 'Malformed auth code.' } });
  } finally {
    loop.close();
    await emu.close();
  }
});

test('authorize rejects a web client on a loopback redirect, OOB and unknown scopes', async () => {
  const emu = await startEmulator();
  try {
    const web = JSON.parse(readFileSync('test/fixtures/client_secret_web.json', 'utf8')).web;
    const webClient = oauthClient(emu.endpoints, 'http://127.0.0.1:4444', web.client_id, web.client_secret);
    const res = await fetch(webClient.generateAuthUrl({ scope: [...SIGN_IN_SCOPES] }));
    assert.equal(res.status, 400);
    assert.match(await res.text(), /redirect_uri_mismatch/);
    await assert.rejects(completeConsent(webClient.generateAuthUrl({ scope: [...SIGN_IN_SCOPES] })), /redirect_uri_mismatch/);

    const oob = oauthClient(emu.endpoints, 'urn:ietf:wg:oauth:2.0:oob');
    const oobRes = await fetch(oob.generateAuthUrl({ scope: [...SIGN_IN_SCOPES] }));
    assert.equal(oobRes.status, 400);
    assert.match(await oobRes.text(), /out-of-band/);

    const bad = oauthClient(emu.endpoints, 'http://127.0.0.1:4444');
    const badRes = await fetch(bad.generateAuthUrl({ scope: ['https://www.googleapis.com/auth/not-a-scope'] }));
    assert.equal(badRes.status, 400);
    assert.match(await badRes.text(), /invalid_scope/);
  } finally {
    await emu.close();
  }
});

test('include_granted_scopes adds the Picker scope to the earlier grant', async () => {
  const emu = await startEmulator();
  try {
    const first = await signInForTest(emu.endpoints, SIGN_IN_SCOPES);
    assert.ok(!first.tokens.scope?.includes(Scopes.picker));
    const second = await signInForTest(emu.endpoints, PICKER_SCOPES, { includeGrantedScopes: true });
    const scopes = second.tokens.scope?.split(' ') ?? [];
    for (const s of [Scopes.picker, Scopes.appendOnly, Scopes.readAppCreated, Scopes.editAppCreated]) assert.ok(scopes.includes(s), s);
    const narrow = await signInForTest(emu.endpoints, PICKER_SCOPES);
    assert.deepEqual(narrow.tokens.scope?.split(' '), [Scopes.picker]);
    // Without openid/email the token cannot read userinfo.
    const info = await fetch(emu.endpoints.userinfo, { headers: { Authorization: `Bearer ${narrow.tokens.access_token}` } });
    assert.equal(info.status, 403);
  } finally {
    await emu.close();
  }
});

test('Testing publishing status: refresh tokens expire after 7 days; expireTokens fault expires access tokens', async () => {
  const emu = await startEmulator();
  const control = new EmulatorControl(emu.control);
  try {
    await control.setPublishingStatus('testing');
    const { client, tokens } = await signInForTest(emu.endpoints, SIGN_IN_SCOPES);
    const userinfo = (t: string | null | undefined): Promise<Response> => fetch(emu.endpoints.userinfo, { headers: { Authorization: `Bearer ${t}` } });
    assert.equal((await userinfo(tokens.access_token)).status, 200);
    await control.expireTokens();
    assert.equal((await userinfo(tokens.access_token)).status, 401);
    const refreshed = await client.refreshAccessToken();
    assert.equal((await userinfo(refreshed.credentials.access_token)).status, 200);

    await control.advanceClock(7 * 24 * 3600 * 1000 + 1000);
    await assert.rejects(client.refreshAccessToken(), (err: Error) => /invalid_grant/.test(err.message));
  } finally {
    await emu.close();
  }
});

test('--users 2: the consent page offers both accounts and the chosen one signs in; reset forgets everything', async () => {
  const emu = await startEmulator({ users: 2 });
  const control = new EmulatorControl(emu.control);
  try {
    const { tokens } = await signInForTest(emu.endpoints, SIGN_IN_SCOPES, { account: 'photo.sync.tester2@gmail.com' });
    const info = (await (await fetch(emu.endpoints.userinfo, { headers: { Authorization: `Bearer ${tokens.access_token}` } })).json()) as { email: string; sub: string };
    assert.equal(info.email, 'photo.sync.tester2@gmail.com');
    const state = await control.state();
    assert.equal(state.users.length, 2);
    assert.equal(state.tokens.access[0].userSub, state.users[1].sub);
    await assert.rejects(signInForTest(emu.endpoints, SIGN_IN_SCOPES, { account: 'nobody@gmail.com' }), /not offered/);

    await control.reset();
    const after = await control.state();
    assert.equal(after.tokens.access.length, 0);
    assert.deepEqual(after.requestCounts, {});
    assert.equal(after.mediaItems.length, 10);
    assert.equal((await fetch(emu.endpoints.userinfo, { headers: { Authorization: `Bearer ${tokens.access_token}` } })).status, 401);
  } finally {
    await emu.close();
  }
});
