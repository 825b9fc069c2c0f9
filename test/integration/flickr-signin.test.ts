// Flickr sign-in through the real activation (provider photoSync.flickr registered with the VS Code
// fake's authentication API, its commands, the OAuth 1.0a flow) against the emulator's authorize
// page: Allow, Deny, a wrong key, a wrong secret, a revoked token, sign-out, and where the secrets live.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { startEmulator, DEFAULT_FLICKR_API_KEY, DEFAULT_FLICKR_API_SECRET, type RunningEmulator } from '../emulator/index';
import { FlickrControl } from '../emulator/flickr/client';
import { completeFlickrAuthorize } from '../emulator/flickr/test-client';
import { createVsCode, SecretStore } from '../helpers/vscodeFake';
import { captureLogger } from '../unit/auth-support';
import { waitFor } from '../helpers/waitFor';
import { activateFlickr } from '../../src/activation/flickr';
import { FLICKR_KEY_SECRET, flickrKeyProblem, flickrSecretProblem } from '../../src/auth/flickr/keyStore';
import { FLICKR_SESSIONS_KEY } from '../../src/auth/flickr/sessionStore';
import { FLICKR_AUTH_PROVIDER_ID } from '../../src/auth/flickr/provider';
import { FlickrClient } from '../../src/flickr/client';
import { createFlickrProvider } from '../../src/destinations/flickr/destination';
import { loadMediaTypes } from '../../src/metadata/mediaTypes';
import { resolveFlickrEndpoints } from '../../src/flickr/endpoints';
import { FlickrApiError } from '../../src/flickr/errors';
import { FLICKR_PASTE_BUTTON, FLICKR_PASTE_COMMAND } from '../../src/auth/flickr/signInFlow';
import { CONTEXT_FLICKR_KEY, CONTEXT_FLICKR_SIGNED_IN } from '../../src/ui/flickrCommands';
import { folder } from './sync-harness';

type Browser = { deny?: boolean; nsid?: string; follow?: boolean } | 'ignore';

async function openWindow(emu: RunningEmulator, options: { store?: SecretStore; key?: { key: string; secret: string } | null; folders?: () => ReturnType<typeof folder>[]; pasteOfferDelayMs?: number } = {}) {
  const browser: Browser[] = [];
  const authorizeUrls: string[] = [];
  const outcomes: Promise<unknown>[] = [];
  const endpoints = resolveFlickrEndpoints({ ...emu.endpoints });
  const fake = createVsCode({
    secrets: options.store,
    onOpenExternal: (url) => {
      if (!url.startsWith(endpoints.oauth)) return;
      authorizeUrls.push(url);
      const action = browser.shift() ?? {};
      // A browser tab goes on by itself: openExternal returns at once.
      if (action !== 'ignore') outcomes.push(completeFlickrAuthorize(url, action));
    },
  });
  const vs = fake.vs as unknown as typeof vscode;
  const { log, lines } = captureLogger();
  if (options.key !== null) {
    const k = options.key ?? { key: DEFAULT_FLICKR_API_KEY, secret: DEFAULT_FLICKR_API_SECRET };
    await fake.secrets.store(FLICKR_KEY_SECRET, JSON.stringify(k));
  }
  const context = { secrets: fake.secrets, subscriptions: [] as { dispose(): unknown }[] };
  const flickr = await activateFlickr(vs, context as unknown as vscode.ExtensionContext, log, { endpoints: () => endpoints, folders: options.folders, flow: { timeoutMs: 20_000, pasteOfferDelayMs: options.pasteOfferDelayMs ?? 60_000 } });
  return { fake, vs, flickr, lines, browser, authorizeUrls, outcomes, endpoints, context };
}

async function withEmulator(fn: (emu: RunningEmulator, control: FlickrControl) => Promise<void>): Promise<void> {
  const emu = await startEmulator({ port: 0 });
  try {
    await fn(emu, new FlickrControl(emu.control));
  } finally {
    await emu.close();
  }
}

test('Allow: Sign In to Flickr asks for write, keeps token and secret only in SecretStorage, and the session signs API calls', () =>
  withEmulator(async (emu, control) => {
    const w = await openWindow(emu);
    assert.equal(w.fake.ui.context.get(CONTEXT_FLICKR_KEY), true);
    assert.equal(w.fake.ui.context.get(CONTEXT_FLICKR_SIGNED_IN), false);

    const session = (await w.fake.vs.commands.executeCommand('photoSync.signInFlickr')) as vscode.AuthenticationSession;
    assert.equal(session.account.id, '190012345@N07');
    assert.equal(session.account.label, 'photo.sync.tester');
    assert.deepEqual(session.scopes, ['write']);
    assert.equal(new URL(w.authorizeUrls[0]).searchParams.get('perms'), 'write');
    assert.ok(w.fake.ui.messages.some((m) => m.text === 'Signed in to Flickr as photo.sync.tester.'));
    await waitFor('the signed-in context key', async () => w.fake.ui.context.get(CONTEXT_FLICKR_SIGNED_IN) === true);

    const state = await control.state();
    const token = state.tokens.find((t) => t.nsid === '190012345@N07');
    assert.equal(token?.perms, 'write');
    assert.equal(state.requestTokens[0].state, 'used');
    // The token is in SecretStorage under the sessions key; its secret appears nowhere else, nor in the log.
    const stored = w.fake.secretStore.view().dump();
    assert.deepEqual([...stored.keys()].sort(), [FLICKR_KEY_SECRET, FLICKR_SESSIONS_KEY].sort());
    const sessions = JSON.parse(stored.get(FLICKR_SESSIONS_KEY) ?? '{}') as { sessions: { token: string; tokenSecret: string }[] };
    assert.equal(sessions.sessions[0].token, token?.token);
    assert.ok(!w.lines.some((l) => l.includes(sessions.sessions[0].tokenSecret) || l.includes(DEFAULT_FLICKR_API_SECRET)), 'no secret in the log');

    // Sessions match permissions the grant covers.
    const provider = w.flickr.provider;
    assert.equal((await provider.getSessions(['read'], {})).length, 1);
    assert.equal((await provider.getSessions(['write'], {})).length, 1);
    assert.equal((await provider.getSessions(['delete'], {})).length, 0, 'delete was not granted');

    // The credential source goes through getSession, then signs a real call.
    const client = new FlickrClient({ endpoints: w.endpoints, credentials: () => w.flickr.credentials.credentials('190012345@N07', ['write']) });
    const login = await client.call<{ user: { id: string } }>('flickr.test.login');
    assert.equal(login.user.id, '190012345@N07');
    await assert.rejects(w.flickr.credentials.credentials('190012345@N07', ['delete']), /allows “write”, and this needs “delete”/);
  }));

test('a Flickr folder with mirror deletes asks for delete; the Accounts menu sign-in asks for write', () =>
  withEmulator(async (emu, control) => {
    const mirroring = { ...folder({ path: '/photos/flickr', destination: 'flickr' }), mirrorDeletes: true };
    const w = await openWindow(emu, { folders: () => [mirroring] });
    await w.fake.vs.commands.executeCommand('photoSync.signInFlickr');
    assert.equal(new URL(w.authorizeUrls[0]).searchParams.get('perms'), 'delete');
    assert.equal((await control.state()).tokens[0].perms, 'delete');
    assert.equal((await w.flickr.provider.getSessions(['delete'], {})).length, 1);

    const plain = await openWindow(emu);
    const session = (await plain.fake.vs.authentication.getSession(FLICKR_AUTH_PROVIDER_ID, [], { createIfNone: true })) as vscode.AuthenticationSession | undefined;
    assert.deepEqual(session?.scopes, ['write']);
  }));

test('Deny: Flickr calls nothing back; cancelling the notification ends the sign-in with nothing stored', () =>
  withEmulator(async (emu, control) => {
    const w = await openWindow(emu);
    w.browser.push({ deny: true });
    const signingIn = w.flickr.provider.createSession(['write'], {});
    await waitFor('the user to press No thanks', async () => (await control.state()).requestTokens[0]?.state === 'denied');
    const html = await w.outcomes[0];
    assert.equal((html as { kind: string }).kind, 'denied');
    const progress = w.fake.ui.progress.find((p) => p.title === 'Signing in to Flickr');
    assert.match(progress?.reports.at(-1)?.message ?? '', /If you chose "No thanks", cancel here/);
    progress?.cancel?.();
    await assert.rejects(signingIn, (err: Error) => err.name === 'FlickrAuthError' && (err as { kind?: string }).kind === 'cancelled');
    assert.equal((await control.state()).tokens.length, 0);
    assert.equal(w.fake.secretStore.view().dump().has(FLICKR_SESSIONS_KEY), false);
    assert.ok(!w.fake.ui.messages.some((m) => m.level === 'error'), 'a cancel is not reported as an error');
  }));

test('a wrong key and a wrong secret are told apart, each with what to do', () =>
  withEmulator(async (emu) => {
    const unknown = await openWindow(emu, { key: { key: '0123456789abcdef0123456789abcdef', secret: DEFAULT_FLICKR_API_SECRET } });
    await assert.rejects(unknown.flickr.provider.createSession(['write'], {}), (err: Error & { kind?: string }) => err.kind === 'invalidKey');
    const told = unknown.fake.ui.messages.find((m) => m.level === 'error');
    assert.match(told?.text ?? '', /does not know this API key/);
    assert.deepEqual(told?.items, ['Set Up Flickr API Key…', 'Open Your Flickr Apps']);

    const wrongSecret = await openWindow(emu, { key: { key: DEFAULT_FLICKR_API_KEY, secret: '0000000000000000' } });
    await assert.rejects(wrongSecret.flickr.provider.createSession(['write'], {}), (err: Error & { kind?: string }) => err.kind === 'wrongSecret');
    const said = wrongSecret.fake.ui.messages.find((m) => m.level === 'error');
    assert.match(said?.text ?? '', /signature_invalid.*secret does not belong to this API key/);
    assert.ok(!said?.text.includes('0000000000000000'));
    assert.equal(wrongSecret.authorizeUrls.length, 0, 'the browser never opened');

    const none = await openWindow(emu, { key: null });
    await none.fake.vs.commands.executeCommand('photoSync.signInFlickr');
    assert.match(none.fake.ui.messages[0].text, /Set up your Flickr API key first/);
    await assert.rejects(none.flickr.provider.createSession(['write'], {}), (err: Error & { kind?: string }) => err.kind === 'noKey');
  }));

test('Set Up Flickr API Key… checks the key and secret as typed and keeps them only in SecretStorage', () =>
  withEmulator(async (emu) => {
    const w = await openWindow(emu, { key: null });
    // The input box refuses what is not a key, saying why (the fake throws where VS Code would keep the box open).
    w.fake.answers.push('not-a-key');
    await assert.rejects(Promise.resolve(w.fake.vs.commands.executeCommand('photoSync.setupFlickrKey')), /rejected by validateInput/);
    assert.match(flickrKeyProblem('not-a-key') ?? '', /a Flickr API key is 32 letters and digits \(0–9, a–f\); this one has 9 characters and others/);
    assert.match(flickrSecretProblem('abc') ?? '', /16 letters and digits/);
    assert.equal(flickrKeyProblem(DEFAULT_FLICKR_API_KEY), undefined);
    w.fake.answers.push(` ${DEFAULT_FLICKR_API_KEY.toUpperCase()} `, DEFAULT_FLICKR_API_SECRET);
    await w.fake.vs.commands.executeCommand('photoSync.setupFlickrKey');
    assert.deepEqual(JSON.parse(w.fake.secretStore.view().dump().get(FLICKR_KEY_SECRET) ?? '{}'), { key: DEFAULT_FLICKR_API_KEY, secret: DEFAULT_FLICKR_API_SECRET });
    assert.equal(w.fake.ui.context.get(CONTEXT_FLICKR_KEY), true);
    assert.ok(!w.lines.some((l) => l.includes(DEFAULT_FLICKR_API_SECRET)));
  }));

test('sign-out forgets the token; a token revoked on Flickr is forgotten at its first use and the user told', () =>
  withEmulator(async (emu, control) => {
    const store = new SecretStore();
    const w = await openWindow(emu, { store });
    const other = await openWindow(emu, { store });
    await w.flickr.provider.createSession(['write'], {});
    await waitFor('the other window to see the sign-in', async () => other.flickr.provider.accounts.length === 1);

    await w.fake.vs.commands.executeCommand('photoSync.signOutFlickr');
    assert.equal(w.flickr.provider.accounts.length, 0);
    assert.equal(store.view().dump().has(FLICKR_SESSIONS_KEY), false);
    assert.match(w.fake.ui.messages.at(-1)?.text ?? '', /forgot its Flickr token.*Apps You're Using/);
    await waitFor('the other window to see the sign-out', async () => other.flickr.provider.accounts.length === 0);
    await assert.rejects(w.flickr.credentials.credentials('190012345@N07', ['write']), /not signed in to Flickr/);

    await w.flickr.provider.createSession(['write'], {});
    // The user removes Photo Sync under "Apps You're Using" on Flickr.
    const token = (await w.flickr.provider.getSessions(['write'], {}))[0].accessToken;
    await control.revokeToken(token);
    const provider = createFlickrProvider({ accountId: '190012345@N07', credentials: w.flickr.credentials, endpointSettings: { ...emu.endpoints }, mediaTypes: await loadMediaTypes(), log: captureLogger().log });
    const err = await (async () => {
      for await (const _ of provider.listContainers()) void _;
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof FlickrApiError && err.code === 98);
    assert.equal(provider.rules.classify(err, Date.now()).kind, 'needs-user');
    await waitFor('the revoked sign-in to be forgotten', async () => w.flickr.provider.accounts.length === 0);
    await waitFor('the user to be told', async () => w.fake.ui.messages.some((m) => /no longer accepts the sign-in of photo\.sync\.tester/.test(m.text) && m.items.includes('Sign In to Flickr')));
  }));

test('paste fallback: a browser that cannot reach VS Code; the address pasted through the status bar item signs in, and the item is gone afterwards', () =>
  withEmulator(async (emu, control) => {
    const w = await openWindow(emu, { pasteOfferDelayMs: 0 });
    w.browser.push({ follow: false });
    const signingIn = w.fake.vs.commands.executeCommand('photoSync.signInFlickr') as Promise<vscode.AuthenticationSession | undefined>;
    await waitFor('the paste item', async () => (w.fake.ui.statusBarItems ?? []).some((i) => i.visible && i.text.includes(FLICKR_PASTE_BUTTON)));
    const outcome = await w.outcomes[0];
    assert.ok(outcome && typeof outcome === 'object' && 'location' in outcome);
    w.fake.answers.push(String((outcome as { location: string }).location));
    const item = (w.fake.ui.statusBarItems ?? []).find((i) => i.visible);
    assert.deepEqual(item?.command, { command: FLICKR_PASTE_COMMAND, title: FLICKR_PASTE_BUTTON });
    await w.fake.vs.commands.executeCommand(FLICKR_PASTE_COMMAND);
    const session = await signingIn;
    assert.equal(session?.account.id, '190012345@N07');
    assert.equal((await control.state()).requestTokens[0].state, 'used');
    assert.ok(w.fake.ui.progress[0].reports.some((r) => r.message?.includes('status bar')), 'the progress notification carries the hint');
    assert.deepEqual(w.fake.ui.statusBarItems?.map((i) => i.disposed), [true], 'the offer ended with the sign-in');
    assert.ok(!w.fake.ui.messages.some((m) => m.items.length > 0 && m.text.includes('paste')), 'no plain notification left offering the paste');
  }));
