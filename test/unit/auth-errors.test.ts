import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { completeConsent } from '../emulator/consent';
import { WEB_CLIENT_ID, WEB_CLIENT_SECRET, PROJECT_NUMBER } from '../emulator/index';
import { consentRedirectLocation, EMULATOR_CLIENT, openWindow, withEmulator } from './auth-support';
import { SIGN_IN_SCOPES, Scopes } from '../../src/google/scopes';
import { parseGoogleError } from '../../src/google/errors';
import { describeProblem } from '../../src/auth/messages';
import { englishL10n } from '../../src/util/englishL10n';
import { AuthError, toAuthError } from '../../src/auth/authError';
import { createOAuthClient } from '../../src/auth/oauthClient';
import { CANCEL_BUTTON, PASTE_BUTTON, PASTE_COMMAND, PASTE_HINT } from '../../src/auth/signInFlow';

const ALEX = 'photo.sync.tester@gmail.com';

function kindOf(err: unknown): string {
  return err instanceof AuthError ? err.kind : `not an AuthError: ${String(err)}`;
}

async function waitFor(condition: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('invalid_client: a wrong client secret fails the code exchange with a message pointing at the client set-up', () =>
  withEmulator(async (emu) => {
    const w = await openWindow(emu, { client: { ...EMULATOR_CLIENT, clientSecret: 'not-the-secret' } });
    await assert.rejects(w.provider.createSession(SIGN_IN_SCOPES, {}), (e) => kindOf(e) === 'invalidClient');
    assert.deepEqual(w.problems.map((p) => p.kind), ['invalidClient']);
    const problem = describeProblem(w.problems[0], englishL10n);
    assert.match(problem?.text ?? '', /invalid_client/);
    assert.ok(problem?.actions.some((a) => a.command === 'photoSync.setupClient'));
    assert.ok(!problem?.text.includes('not-the-secret'));
    assert.deepEqual(await w.provider.getSessions(undefined, {}), []);
  }));

test('access_denied: pressing Deny gives a message to sign in again, and no code is exchanged', () =>
  withEmulator(async (emu, control) => {
    const w = await openWindow(emu);
    w.browser.push({ deny: true });
    await assert.rejects(w.provider.createSession(SIGN_IN_SCOPES, {}), (e) => kindOf(e) === 'accessDenied');
    const problem = describeProblem(w.problems[0], englishL10n);
    assert.match(problem?.text ?? '', /access_denied/);
    assert.match(problem?.text ?? '', /Allow/);
    assert.ok(problem?.actions.some((a) => a.title === 'Sign In Again' && a.command === 'photoSync.signIn'));
    assert.equal((await control.state()).requestCounts['oauth.token'] ?? 0, 0);
  }));

test('redirect_uri_mismatch: from the token endpoint, and a Web client stuck on Google\'s error page', () =>
  withEmulator(async (emu) => {
    // The token endpoint answers redirect_uri_mismatch when the exchange names another redirect.
    const w = await openWindow(emu);
    w.browser.push(async (url) => {
      const location = new URL(await consentRedirectLocation(url));
      const oauth = await createOAuthClient(EMULATOR_CLIENT, emu.endpoints, 'http://127.0.0.1:1');
      const err = await oauth.getToken({ code: location.searchParams.get('code') ?? '', redirect_uri: 'http://127.0.0.1:1' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      const auth = toAuthError(err);
      assert.equal(auth?.kind, 'redirectUriMismatch');
      assert.match(describeProblem(auth, englishL10n)?.text ?? '', /redirect_uri_mismatch.*Desktop app/);
      // The sign-in itself was abandoned in the browser.
      w.fake.ui.progress.at(-1)?.cancel?.();
    });
    await assert.rejects(w.provider.createSession(SIGN_IN_SCOPES, {}), (e) => kindOf(e) === 'cancelled');

    // A Web client typed in by hand: Google shows redirect_uri_mismatch in the browser and never
    // redirects, so the extension can only time out — and its message names that error.
    const web = await openWindow(emu, { client: { clientId: WEB_CLIENT_ID, clientSecret: WEB_CLIENT_SECRET }, flow: { timeoutMs: 300 } });
    const browserErrors: string[] = [];
    web.browser.push((url) => completeConsent(url).catch((e: Error) => void browserErrors.push(e.message)));
    await assert.rejects(web.provider.createSession(SIGN_IN_SCOPES, {}), (e) => kindOf(e) === 'timeout');
    assert.match(browserErrors[0] ?? '', /redirect_uri_mismatch/);
    assert.match(describeProblem(web.problems[0], englishL10n)?.text ?? '', /redirect_uri_mismatch/);
  }));

test('invalid_grant on refresh (revoked): the session is removed and the user is offered to sign in again', () =>
  withEmulator(async (emu, control) => {
    const w = await openWindow(emu);
    const session = await w.provider.createSession(SIGN_IN_SCOPES, {});
    // The user removes the app's access from their Google account.
    const refreshToken = (await control.state()).tokens.refresh[0].token;
    await (await createOAuthClient(undefined, emu.endpoints)).revokeToken(refreshToken);
    const removed: string[] = [];
    w.provider.onDidChangeSessions((e) => removed.push(...(e.removed ?? []).map((s) => s.id)));

    w.advance(58 * 60 * 1000);
    assert.deepEqual(await w.provider.getSessions(SIGN_IN_SCOPES, {}), []);
    assert.deepEqual(removed, [session.id]);
    assert.deepEqual(w.problems.map((p) => [p.kind, p.detail.account]), [['invalidGrant', ALEX]]);
    const problem = describeProblem(w.problems[0], englishL10n);
    assert.match(problem?.text ?? '', /invalid_grant/);
    assert.match(problem?.text ?? '', /7 days/);
    assert.equal(problem?.actions[0].title, 'Sign In Again');
  }));

test('invalid_grant after the 7-day lifetime of an app in Testing status', () =>
  withEmulator(async (emu, control) => {
    await control.setPublishingStatus('testing');
    const w = await openWindow(emu);
    await w.provider.createSession(SIGN_IN_SCOPES, {});
    assert.ok((await control.state()).tokens.refresh[0].expiresAt, 'a Testing app gets an expiring refresh token');
    await control.advanceClock(7 * 24 * 60 * 60 * 1000 + 60_000);
    w.advance(58 * 60 * 1000);
    assert.deepEqual(await w.provider.getSessions(SIGN_IN_SCOPES, {}), []);
    assert.equal(w.problems[0]?.kind, 'invalidGrant');
    assert.match(describeProblem(w.problems[0], englishL10n)?.text ?? '', /Testing.*7 days.*publish/is);
  }));

test('SERVICE_DISABLED: the message links to the API library page of the project named in the error', () => {
  const body = JSON.stringify({
    error: {
      code: 403,
      message: 'Photos Library API has not been used in project 418072966351 before or it is disabled.',
      status: 'PERMISSION_DENIED',
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'SERVICE_DISABLED',
          domain: 'googleapis.com',
          metadata: { consumer: `projects/${PROJECT_NUMBER}`, service: 'photoslibrary.googleapis.com', serviceTitle: 'Photos Library API' },
        },
      ],
    },
  });
  const problem = describeProblem(parseGoogleError(403, body), englishL10n);
  assert.match(problem?.text ?? '', /Photos Library API is not enabled in Google Cloud project 418072966351/);
  assert.equal(problem?.actions[0].url, `https://console.cloud.google.com/apis/library/photoslibrary.googleapis.com?project=${PROJECT_NUMBER}`);

  const picker = body.replace(/photoslibrary/g, 'photospicker').replace('Photos Library API', 'Photos Picker API');
  assert.equal(describeProblem(parseGoogleError(403, picker), englishL10n)?.actions[0].url, `https://console.cloud.google.com/apis/library/photospicker.googleapis.com?project=${PROJECT_NUMBER}`);
});

test('insufficient scopes: the Library API refuses a token without its scope, and the message says to sign in again', () =>
  withEmulator(async (emu) => {
    const w = await openWindow(emu);
    const session = await w.provider.createSession(['openid'], {});
    assert.ok(!session.scopes.includes(Scopes.readAppCreated));
    const res = await fetch(`${emu.endpoints.library}/v1/albums`, { headers: { Authorization: `Bearer ${session.accessToken}` } });
    assert.equal(res.status, 403);
    const problem = describeProblem(parseGoogleError(res.status, await res.text()), englishL10n);
    assert.match(problem?.text ?? '', /did not grant Photo Sync every permission/);
    assert.equal(problem?.actions[0].command, 'photoSync.signIn');
  }));

test('port in use: the listener error is reported with the port', () =>
  withEmulator(async (emu) => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const w = await openWindow(emu, { flow: { port } });
      await assert.rejects(w.provider.createSession(SIGN_IN_SCOPES, {}), (e) => kindOf(e) === 'portInUse');
      assert.match(describeProblem(w.problems[0], englishL10n)?.text ?? '', new RegExp(`port ${port}.*in use`));
      assert.equal(w.authUrls.length, 0, 'no browser opened');
    } finally {
      blocker.close();
    }
  }));

test('timeout: the browser never comes back; the listener is closed afterwards', () =>
  withEmulator(async (emu) => {
    const w = await openWindow(emu, { flow: { timeoutMs: 250 } });
    w.browser.push('ignore');
    await assert.rejects(w.provider.createSession(SIGN_IN_SCOPES, {}), (e) => kindOf(e) === 'timeout');
    assert.match(describeProblem(w.problems[0], englishL10n)?.text ?? '', /did not come back from Google within 1 second/);
    const redirectUri = new URL(w.authUrls[0]).searchParams.get('redirect_uri') ?? '';
    await assert.rejects(fetch(`${redirectUri}/?code=x&state=y`), 'listener closed');
  }));

test('a second sign-in while one runs is refused with a message that can cancel the first', () =>
  withEmulator(async (emu) => {
    const w = await openWindow(emu);
    w.browser.push('ignore');
    const first = w.provider.createSession(SIGN_IN_SCOPES, {});
    await waitFor(() => w.authUrls.length === 1);
    w.fake.answers.push(CANCEL_BUTTON);
    await assert.rejects(w.provider.createSession(SIGN_IN_SCOPES, {}), (e) => kindOf(e) === 'inProgress');
    const message = w.fake.ui.messages.find((m) => /already in progress/.test(m.text));
    assert.deepEqual(message?.items, ['Open Browser Again', CANCEL_BUTTON]);
    await assert.rejects(first, (e) => kindOf(e) === 'cancelled');
    assert.equal(w.authUrls.length, 1, 'only one browser tab');
    assert.deepEqual(w.problems, [], 'cancel and in-progress are not failures to report');
  }));

test('two sign-ins started at the same moment: one runs, the other is refused', () =>
  withEmulator(async (emu) => {
    const w = await openWindow(emu);
    const [first, second] = await Promise.allSettled([w.provider.createSession(SIGN_IN_SCOPES, {}), w.provider.createSession(SIGN_IN_SCOPES, {})]);
    assert.equal(first.status, 'fulfilled');
    assert.equal(second.status === 'rejected' && kindOf(second.reason), 'inProgress');
    assert.equal(w.authUrls.length, 1);
  }));

test('scopes outside Photo Sync\'s are refused before any browser opens', () =>
  withEmulator(async (emu) => {
    const w = await openWindow(emu);
    await assert.rejects(w.provider.createSession(['https://www.googleapis.com/auth/drive'], {}), /does not grant https:\/\/www\.googleapis\.com\/auth\/drive/);
    assert.equal(w.authUrls.length, 0);
  }));

test('state mismatch: the redirect is rejected and its code never exchanged', () =>
  withEmulator(async (emu, control) => {
    const w = await openWindow(emu);
    w.browser.push(async (url) => {
      const forged = new URL(url);
      forged.searchParams.set('state', 'forged-state-value');
      await completeConsent(forged.toString());
    });
    await assert.rejects(w.provider.createSession(SIGN_IN_SCOPES, {}), (e) => kindOf(e) === 'stateMismatch');
    assert.match(describeProblem(w.problems[0], englishL10n)?.text ?? '', /state mismatch/);
    const state = await control.state();
    assert.equal(state.requestCounts['oauth.token'] ?? 0, 0, 'no token request');
    assert.equal(state.tokens.access.length, 0);
  }));

test('cancel from the progress notification closes the listener', () =>
  withEmulator(async (emu) => {
    const w = await openWindow(emu);
    w.browser.push('ignore');
    const pending = w.provider.createSession(SIGN_IN_SCOPES, {});
    await waitFor(() => w.authUrls.length === 1);
    assert.equal(w.fake.ui.progress[0].title, 'Signing in to Google Photos');
    w.fake.ui.progress[0].cancel?.();
    await assert.rejects(pending, (e) => kindOf(e) === 'cancelled');
    const redirectUri = new URL(w.authUrls[0]).searchParams.get('redirect_uri') ?? '';
    await assert.rejects(fetch(`${redirectUri}/?code=x&state=y`));
    assert.equal(w.flow.isRunning, false);
  }));

/** The user clicks the status bar item offering the paste fallback, once it is there. */
async function clickPasteItem(w: Awaited<ReturnType<typeof openWindow>>): Promise<void> {
  await waitFor(() => (w.fake.ui.statusBarItems ?? []).some((i) => i.visible && i.text.includes(PASTE_BUTTON)));
  const item = (w.fake.ui.statusBarItems ?? []).find((i) => i.visible && i.text.includes(PASTE_BUTTON));
  const command = typeof item?.command === 'string' ? item.command : item?.command?.command;
  assert.equal(command, PASTE_COMMAND);
  await w.fake.vs.commands.executeCommand(command);
}

test('paste fallback: a status bar item (hint in the progress notification) takes the pasted redirect URL; it is gone once the sign-in ends; a wrong state is refused', () =>
  withEmulator(async (emu, control) => {
    const w = await openWindow(emu, { flow: { pasteOfferDelayMs: 0 } });
    // The browser lands on the redirect URL but cannot reach this machine; the user copies it and clicks the item.
    w.browser.push(async (url) => {
      w.fake.answers.push(await consentRedirectLocation(url));
      void clickPasteItem(w);
    });
    const session = await w.provider.createSession(SIGN_IN_SCOPES, {});
    assert.equal(session.account.label, ALEX);
    assert.deepEqual(w.fake.ui.inputs, ['Paste the redirect URL']);
    assert.ok(w.fake.ui.progress[0].reports.some((r) => r.message === PASTE_HINT), 'the progress notification carries the hint');
    // Nothing stale left behind: no plain notification offering the paste, the item and its command gone.
    assert.equal(w.fake.ui.messages.filter((m) => m.items.length > 0).length, 0);
    assert.deepEqual(w.fake.ui.statusBarItems?.map((i) => [i.visible, i.disposed]), [[false, true]]);
    await w.fake.vs.commands.executeCommand(PASTE_COMMAND);
    assert.deepEqual(w.fake.ui.inputs, ['Paste the redirect URL'], 'the command is unregistered after the sign-in');

    const other = await openWindow(emu, { flow: { pasteOfferDelayMs: 0 } });
    other.browser.push(async (url) => {
      const location = new URL(await consentRedirectLocation(url));
      location.searchParams.set('state', 'not-ours');
      other.fake.answers.push(location.toString());
      void clickPasteItem(other);
    });
    const tokenRequests = (await control.state()).requestCounts['oauth.token'];
    await assert.rejects(other.provider.createSession(SIGN_IN_SCOPES, {}), (e) => kindOf(e) === 'stateMismatch');
    assert.equal((await control.state()).requestCounts['oauth.token'], tokenRequests, 'the pasted code was not exchanged');
    assert.ok(other.fake.ui.statusBarItems?.every((i) => i.disposed), 'a failed sign-in removes the item too');
  }));

test('a sign-in that completes through the browser before the paste offer shows no offer at all; a cancelled one removes it', () =>
  withEmulator(async (emu) => {
    const quick = await openWindow(emu, { flow: { pasteOfferDelayMs: 60_000 } });
    await quick.provider.createSession(SIGN_IN_SCOPES, {});
    assert.equal(quick.fake.ui.statusBarItems?.length ?? 0, 0);
    assert.equal(quick.fake.ui.messages.filter((m) => m.items.length > 0).length, 0);

    const slow = await openWindow(emu, { flow: { pasteOfferDelayMs: 0 } });
    slow.browser.push('ignore');
    const pending = slow.provider.createSession(SIGN_IN_SCOPES, {});
    await waitFor(() => (slow.fake.ui.statusBarItems ?? []).some((i) => i.visible));
    slow.fake.ui.progress[0].cancel?.();
    await assert.rejects(pending, (e) => kindOf(e) === 'cancelled');
    assert.deepEqual(slow.fake.ui.statusBarItems?.map((i) => i.disposed), [true]);
  }));

test('no client set up: sign-in says so before opening a browser', () =>
  withEmulator(async (emu) => {
    const w = await openWindow(emu, { client: null });
    await assert.rejects(w.provider.createSession(SIGN_IN_SCOPES, {}), (e) => kindOf(e) === 'noClient');
    const problem = describeProblem(w.problems[0], englishL10n);
    assert.equal(problem?.actions[0].command, 'photoSync.setupClient');
    assert.equal(w.authUrls.length, 0);
  }));

test('invalid_client on refresh (client deleted or its secret changed): the user is told once to set up the client; the grant is kept', () =>
  withEmulator(async (emu) => {
    const first = await openWindow(emu);
    const session = await first.provider.createSession(SIGN_IN_SCOPES, {});
    // Next start: the stored client no longer matches what Google holds.
    const later = await openWindow(emu, { store: first.fake.secretStore, client: { ...EMULATOR_CLIENT, clientSecret: 'rotated-away' } });
    assert.deepEqual(await later.provider.getSessions(SIGN_IN_SCOPES, {}), [{ ...session, accessToken: '' }]);
    assert.deepEqual(later.problems.map((p) => [p.kind, p.detail.account]), [['invalidClient', ALEX]]);
    const problem = describeProblem(later.problems[0], englishL10n);
    assert.match(problem?.text ?? '', /invalid_client/);
    assert.equal(problem?.actions[0].command, 'photoSync.setupClient');
    assert.ok(!problem?.text.includes('rotated-away'));
    await later.provider.getSessions(SIGN_IN_SCOPES, {});
    assert.equal(later.problems.length, 1, 'told once, not on every refresh attempt');
    assert.equal(later.provider.accounts.length, 1, 'the grant itself is fine: fixing the client is enough');
  }));
