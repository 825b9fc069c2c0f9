import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SecretStore } from '../helpers/vscodeFake';
import { consentRedirectLocation, openWindow, withEmulator } from './auth-support';
import { PICKER_SCOPES, Scopes, SIGN_IN_SCOPES } from '../../src/google/scopes';
import { SESSIONS_KEY } from '../../src/auth/sessionStore';
import { SessionTokenSource } from '../../src/auth/sessionTokenSource';
import { AUTH_PROVIDER_ID } from '../../src/auth/provider';

const ALEX = 'photo.sync.tester@gmail.com';
const ALEX2 = 'photo.sync.tester2@gmail.com';

async function userinfoStatus(url: string, token: string): Promise<number> {
  return (await fetch(url, { headers: { Authorization: `Bearer ${token}` } })).status;
}

test('sign-in stores only the refresh token; sessions match scope subsets in any order and filter by account', () =>
  withEmulator(async (emu, control) => {
    const w = await openWindow(emu);
    const fired: string[] = [];
    w.provider.onDidChangeSessions((e) => fired.push(`+${e.added?.length ?? 0} -${e.removed?.length ?? 0} ~${e.changed?.length ?? 0}`));

    const session = await w.provider.createSession(SIGN_IN_SCOPES, {});
    assert.equal(session.account.label, ALEX);
    assert.deepEqual(fired, ['+1 -0 ~0']);
    assert.equal(await userinfoStatus(emu.endpoints.userinfo, session.accessToken), 200);

    // The auth URL carried PKCE S256, offline access, a state, incremental scopes and consent.
    const url = new URL(w.authUrls[0]);
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(url.searchParams.get('access_type'), 'offline');
    assert.equal(url.searchParams.get('include_granted_scopes'), 'true');
    assert.equal(url.searchParams.get('prompt'), 'consent');
    assert.ok((url.searchParams.get('state') ?? '').length >= 32);
    assert.match(url.searchParams.get('redirect_uri') ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);

    // SecretStorage holds the refresh token the emulator issued, never the access token.
    const state = await control.state();
    const stored = w.fake.secretStore.view().dump().get(SESSIONS_KEY) ?? '';
    assert.ok(state.tokens.refresh.some((r) => stored.includes(r.token)), 'refresh token stored');
    assert.ok(!state.tokens.access.some((a) => stored.includes(a.token)), 'no access token stored');

    const reversed = [...SIGN_IN_SCOPES].reverse();
    assert.equal((await w.provider.getSessions(reversed, {})).length, 1);
    assert.equal((await w.provider.getSessions([Scopes.appendOnly], {})).length, 1);
    assert.equal((await w.provider.getSessions(undefined, {})).length, 1);
    assert.equal((await w.provider.getSessions(PICKER_SCOPES, {})).length, 0, 'picker scope not granted yet');
    assert.equal((await w.provider.getSessions(SIGN_IN_SCOPES, { account: { id: session.account.id, label: ALEX } })).length, 1);
    assert.equal((await w.provider.getSessions(SIGN_IN_SCOPES, { account: { id: 'someone-else', label: 'x@example.com' } })).length, 0);

    // A second account (supportsMultipleAccounts): consent with account selection.
    w.browser.push({ account: ALEX2 });
    const second = await w.provider.createSession(SIGN_IN_SCOPES, {});
    assert.equal(second.account.label, ALEX2);
    assert.equal(new URL(w.authUrls[1]).searchParams.get('prompt'), 'select_account consent');
    assert.equal((await w.provider.getSessions(SIGN_IN_SCOPES, {})).length, 2);
    const onlySecond = await w.provider.getSessions(SIGN_IN_SCOPES, { account: second.account });
    assert.deepEqual(onlySecond.map((s) => s.account.label), [ALEX2]);
  }));

test('the browser tab is told the outcome, also when the extension finishes first', () =>
  withEmulator(async (emu) => {
    const w = await openWindow(emu);
    // A real openExternal returns once the tab opens; the browser goes on by itself.
    let landing: Promise<{ status: number; text: string }> | undefined;
    w.browser.push(async (url) => {
      landing = consentRedirectLocation(url).then(async (location) => {
        const res = await fetch(location);
        return { status: res.status, text: await res.text() };
      });
    });
    await w.provider.createSession(SIGN_IN_SCOPES, {});
    const page = await landing;
    assert.equal(page?.status, 200);
    assert.match(page?.text ?? '', /Signed in to Google Photos/);
    assert.match(page?.text ?? '', /photo\.sync\.tester@gmail\.com/);

    w.browser.push(async (url) => {
      landing = consentRedirectLocation(url, 'deny').then(async (location) => {
        const res = await fetch(location);
        return { status: res.status, text: await res.text() };
      });
    });
    await assert.rejects(w.provider.createSession(PICKER_SCOPES, {}));
    const denied = await landing;
    assert.equal(denied?.status, 400);
    assert.match(denied?.text ?? '', /Sign-in did not complete/);
  }));

test('incremental consent adds the picker scope to the same account and fires changed', () =>
  withEmulator(async (emu, control) => {
    const w = await openWindow(emu);
    const first = await w.provider.createSession(SIGN_IN_SCOPES, {});
    const events: { added: number; changed: string[] }[] = [];
    w.provider.onDidChangeSessions((e) => events.push({ added: e.added?.length ?? 0, changed: (e.changed ?? []).map((s) => s.id) }));

    const widened = await w.provider.createSession(PICKER_SCOPES, {});
    assert.equal(widened.id, first.id, 'same session, more scopes');
    assert.deepEqual(events, [{ added: 0, changed: [first.id] }]);
    const url = new URL(w.authUrls[1]);
    assert.equal(url.searchParams.get('login_hint'), ALEX);
    assert.equal(url.searchParams.get('include_granted_scopes'), 'true');
    assert.equal(url.searchParams.get('prompt'), null, 'no forced re-consent for an added scope');
    assert.ok(widened.scopes.includes(Scopes.picker) && widened.scopes.includes(Scopes.appendOnly));

    // The emulator's grant for this user and client now has both sets.
    const state = await control.state();
    const grant = Object.values(state.grants)[0];
    assert.ok(grant.includes(Scopes.picker) && grant.includes(Scopes.editAppCreated), grant.join(' '));
    assert.equal((await w.provider.getSessions([...SIGN_IN_SCOPES, ...PICKER_SCOPES], {})).length, 1);
  }));

test('the token source goes through authentication.getSession and asks for missing scopes', () =>
  withEmulator(async (emu) => {
    const w = await openWindow(emu);
    w.vs.authentication.registerAuthenticationProvider(AUTH_PROVIDER_ID, 'Google Photos', w.provider, { supportsMultipleAccounts: true });
    const silent = new SessionTokenSource({ authentication: w.vs.authentication, provider: w.provider, interactive: false });
    await assert.rejects(silent.getAccessToken(SIGN_IN_SCOPES), (e: Error) => e.name === 'AuthError' && /Not signed in/.test(e.message));
    assert.equal(w.authUrls.length, 0, 'background use never opens the browser');

    const source = new SessionTokenSource({ authentication: w.vs.authentication, provider: w.provider });
    const token = await source.getAccessToken(SIGN_IN_SCOPES);
    assert.equal(await userinfoStatus(emu.endpoints.userinfo, token), 200);
    assert.equal(await source.getAccessToken(SIGN_IN_SCOPES), token, 'cached while fresh');
    const pickerToken = await source.getAccessToken(PICKER_SCOPES);
    assert.equal(w.authUrls.length, 2, 'the picker scope was asked for incrementally');
    assert.equal(new URL(w.authUrls[1]).searchParams.get('login_hint'), ALEX);
    assert.equal(await userinfoStatus(emu.endpoints.userinfo, pickerToken), 200);
  }));

test('access tokens are refreshed before they expire, and after the API rejects one', () =>
  withEmulator(async (emu, control) => {
    const w = await openWindow(emu);
    const first = await w.provider.createSession(SIGN_IN_SCOPES, {});

    // 56 minutes later (3 minutes left): getSessions renews before expiry.
    w.advance(56 * 60 * 1000);
    const [renewed] = await w.provider.getSessions(SIGN_IN_SCOPES, {});
    assert.notEqual(renewed.accessToken, first.accessToken);
    const state = await control.state();
    assert.equal(state.requestCounts['oauth.token'], 2, 'one code exchange, one refresh');
    assert.equal(await userinfoStatus(emu.endpoints.userinfo, first.accessToken), 200, 'the old token had not expired yet: the refresh was early');
    // Back to real time: the new token's expiry was computed from the real clock.
    w.advance(-56 * 60 * 1000);

    // The server expires every access token; the API's 401 makes the client invalidate it.
    await control.expireTokens();
    assert.equal(await userinfoStatus(emu.endpoints.userinfo, renewed.accessToken), 401);
    const source = new SessionTokenSource({ authentication: { getSession: async () => (await w.provider.getSessions(SIGN_IN_SCOPES, {}))[0] }, provider: w.provider });
    assert.equal(await source.getAccessToken(SIGN_IN_SCOPES), renewed.accessToken, 'still looks fresh locally');
    source.invalidate(renewed.accessToken);
    const third = await source.getAccessToken(SIGN_IN_SCOPES);
    assert.notEqual(third, renewed.accessToken);
    assert.equal(await userinfoStatus(emu.endpoints.userinfo, third), 200);
  }));

test('sign-out revokes the grant at the revoke endpoint and deletes the session', () =>
  withEmulator(async (emu, control) => {
    const w = await openWindow(emu);
    const session = await w.provider.createSession(SIGN_IN_SCOPES, {});
    const refreshToken = (await control.state()).tokens.refresh[0].token;
    const removed: string[] = [];
    w.provider.onDidChangeSessions((e) => removed.push(...(e.removed ?? []).map((s) => s.id)));

    await w.provider.removeSession(session.id);
    assert.deepEqual(removed, [session.id]);
    const revocations = await control.revocations();
    assert.equal(revocations.length, 1);
    assert.equal(revocations[0].token, refreshToken);
    assert.equal(revocations[0].kind, 'refresh');
    assert.equal(await userinfoStatus(emu.endpoints.userinfo, session.accessToken), 401, 'the access token died with the grant');
    assert.equal(w.fake.secretStore.view().dump().has(SESSIONS_KEY), false, 'nothing left in SecretStorage');
    assert.deepEqual(await w.provider.getSessions(undefined, {}), []);
  }));

test('another window sees sign-in, added scopes and sign-out through SecretStorage', () =>
  withEmulator(async (emu) => {
    const store = new SecretStore();
    const a = await openWindow(emu, { store });
    const b = await openWindow(emu, { store });
    const seen: string[] = [];
    b.provider.onDidChangeSessions((e) => {
      for (const s of e.added ?? []) seen.push(`added ${s.account.label}`);
      for (const s of e.changed ?? []) seen.push(`changed ${s.account.label}`);
      for (const s of e.removed ?? []) seen.push(`removed ${s.account.label}`);
    });

    const session = await a.provider.createSession(SIGN_IN_SCOPES, {});
    await waitFor(() => seen.length === 1);
    assert.deepEqual(seen, [`added ${ALEX}`]);
    // Window B gets its own access token from the shared refresh token.
    const [inB] = await b.provider.getSessions(SIGN_IN_SCOPES, {});
    assert.equal(inB.id, session.id);
    assert.equal(await userinfoStatus(emu.endpoints.userinfo, inB.accessToken), 200);

    await a.provider.createSession(PICKER_SCOPES, {});
    await waitFor(() => seen.length === 2);
    assert.equal(seen[1], `changed ${ALEX}`);
    assert.equal((await b.provider.getSessions(PICKER_SCOPES, {})).length, 1);

    await a.provider.removeSession(session.id);
    await waitFor(() => seen.length === 3);
    assert.equal(seen[2], `removed ${ALEX}`);
    assert.deepEqual(await b.provider.getSessions(undefined, {}), []);
  }));

test('a restarted window restores the session from SecretStorage without prompting', () =>
  withEmulator(async (emu) => {
    const store = new SecretStore();
    const first = await openWindow(emu, { store });
    const session = await first.provider.createSession(SIGN_IN_SCOPES, {});
    first.provider.dispose();

    const restarted = await openWindow(emu, { store });
    const [restored] = await restarted.provider.getSessions(SIGN_IN_SCOPES, {});
    assert.equal(restored.id, session.id);
    assert.notEqual(restored.accessToken, session.accessToken, 'a new access token from the stored refresh token');
    assert.equal(await userinfoStatus(emu.endpoints.userinfo, restored.accessToken), 200);
    assert.equal(restarted.authUrls.length, 0);
  }));

async function waitFor(condition: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
