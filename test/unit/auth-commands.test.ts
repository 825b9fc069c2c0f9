import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { clientSecretProblem } from '../../src/auth/clientConfig';
import { flickrKeyProblem, flickrSecretProblem } from '../../src/auth/flickr/keyStore';
import type * as vscode from 'vscode';
import { completeConsent } from '../emulator/consent';
import { DEFAULT_CLIENT_SECRET, WEB_CLIENT_SECRET, type RunningEmulator } from '../emulator/index';
import { createVsCode, SecretStore } from '../helpers/vscodeFake';
import { captureLogger, withEmulator } from './auth-support';
import { activateAuth } from '../../src/activation/auth';
import { CLIENT_SECRET_KEY, clientIdProblem, parseClientSecretJson, validateClientCredentials } from '../../src/auth/clientConfig';
import { SESSIONS_KEY } from '../../src/auth/sessionStore';
import { CONTEXT_CLIENT_CONFIGURED, CONTEXT_SIGNED_IN, ENTER_ITEM, IMPORT_ITEM, SET_UP_BUTTON } from '../../src/ui/authCommands';
import type { AuthError } from '../../src/auth/authError';
import { SIGN_IN_SCOPES, PICKER_SCOPES } from '../../src/google/scopes';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const ALEX = 'photo.sync.tester@gmail.com';
const ALEX2 = 'photo.sync.tester2@gmail.com';

/** A window running the real activateAuth (settings, commands, context keys) over the fake. */
async function activate(emu: RunningEmulator, opts: { store?: SecretStore; openDialogUnavailable?: boolean; consent?: { account?: string; deny?: boolean }[] } = {}) {
  const consent = opts.consent ?? [];
  const fake = createVsCode({
    secrets: opts.store,
    openDialogUnavailable: opts.openDialogUnavailable,
    onOpenExternal: async (url) => {
      if (url.startsWith(emu.endpoints.authorize)) await completeConsent(url, consent.shift() ?? {});
    },
  });
  const settingsWritten: unknown[] = [];
  const workspace = {
    getConfiguration: (section: string) => ({
      get: <T>(key: string) => (section === 'photoSync' && key === 'endpoints' ? (emu.endpoints as T) : undefined),
      update: async (...args: unknown[]) => void settingsWritten.push(args),
    }),
  };
  const vs = { ...fake.vs, workspace } as unknown as typeof vscode;
  const { log, lines } = captureLogger();
  const subscriptions: { dispose(): unknown }[] = [];
  const auth = await activateAuth(vs, { secrets: fake.secrets, subscriptions }, log, { flow: { pasteOfferDelayMs: 60_000 } });
  const run = (command: string) => vs.commands.executeCommand(command);
  return { fake, vs, auth, lines, settingsWritten, subscriptions, run };
}

test('client_secret.json parsing: Desktop accepted, Web refused with a reason, bad shapes explained', async () => {
  const desktop = parseClientSecretJson(await readFile(path.join(FIXTURES, 'client_secret.json'), 'utf8'));
  assert.deepEqual(desktop, { clientId: 'photo-sync-emulator.apps.googleusercontent.com', clientSecret: DEFAULT_CLIENT_SECRET, projectId: 'photo-sync-emulator' });
  const web = await readFile(path.join(FIXTURES, 'client_secret_web.json'), 'utf8');
  assert.throws(() => parseClientSecretJson(web), (e: AuthError) => e.kind === 'webClient');
  assert.throws(() => parseClientSecretJson('{nope'), (e: AuthError) => e.kind === 'invalidClientFile' && /not valid JSON/.test(e.message));
  assert.throws(() => parseClientSecretJson('[]'), (e: AuthError) => e.kind === 'invalidClientFile');
  assert.throws(() => parseClientSecretJson('{"installed":{"client_id":"abc","client_secret":"s"}}'), (e: AuthError) => /\.apps\.googleusercontent\.com/.test(e.message));
  assert.throws(() => parseClientSecretJson('{"installed":{"client_id":"1-a.apps.googleusercontent.com"}}'), (e: AuthError) => /secret is missing/.test(e.message));
  assert.equal(clientIdProblem('  1-abc.apps.googleusercontent.com '), undefined);
  assert.match(clientIdProblem('.apps.googleusercontent.com') ?? '', /must end with/);
  assert.deepEqual(validateClientCredentials(' 1-a.apps.googleusercontent.com', ' s3cret '), { clientId: '1-a.apps.googleusercontent.com', clientSecret: 's3cret' });
});

test('Set Up Google OAuth Client: import the file (dialog or typed path), or type ID and secret; secrets only in SecretStorage', () =>
  withEmulator(async (emu) => {
    const w = await activate(emu);
    assert.equal(w.fake.ui.context.get(CONTEXT_CLIENT_CONFIGURED), false);
    await waitFor(() => w.fake.ui.context.has(CONTEXT_SIGNED_IN));
    assert.equal(w.fake.ui.context.get(CONTEXT_SIGNED_IN), false);

    // The Web client file is refused with what to do.
    w.fake.answers.push(IMPORT_ITEM, path.join(FIXTURES, 'client_secret_web.json'));
    await w.run('photoSync.setupClient');
    assert.match(w.fake.ui.messages.at(-1)?.text ?? '', /"Web application" client.*"Desktop app"/);
    assert.equal(w.fake.secretStore.view().dump().has(CLIENT_SECRET_KEY), false);

    w.fake.answers.push(IMPORT_ITEM, path.join(FIXTURES, 'client_secret.json'));
    await w.run('photoSync.setupClient');
    assert.equal(w.fake.ui.context.get(CONTEXT_CLIENT_CONFIGURED), true);
    assert.match(w.fake.secretStore.view().dump().get(CLIENT_SECRET_KEY) ?? '', /emulator-client-secret/);
    // A notice that closes once signed in, not a message whose Sign In button outlives the sign-in.
    assert.match(w.fake.ui.progress.at(-1)?.title ?? '', /client saved \(project photo-sync-emulator\)/);

    // Typed in by hand.
    w.fake.answers.push(ENTER_ITEM, 'photo-sync-emulator-web.apps.googleusercontent.com', WEB_CLIENT_SECRET);
    await w.run('photoSync.setupClient');
    assert.match(w.fake.secretStore.view().dump().get(CLIENT_SECRET_KEY) ?? '', /emulator-web-client-secret/);

    // No file dialog: a typed path works; a missing file says it could not be read.
    const noDialog = await activate(emu, { openDialogUnavailable: true });
    noDialog.fake.answers.push(IMPORT_ITEM, path.join(FIXTURES, 'nope.json'));
    await noDialog.run('photoSync.setupClient');
    assert.match(noDialog.fake.ui.messages.at(-1)?.text ?? '', /could not read the file \(ENOENT\)/);
    noDialog.fake.answers.push(IMPORT_ITEM, path.join(FIXTURES, 'client_secret.json'));
    await noDialog.run('photoSync.setupClient');
    assert.equal(noDialog.fake.ui.context.get(CONTEXT_CLIENT_CONFIGURED), true);
    assert.deepEqual(noDialog.settingsWritten, []);
  }));

test('Sign In without a client offers set-up; Sign In / Sign Out drive photoSync.signedIn; sign-out picks among accounts', () =>
  withEmulator(async (emu, control) => {
    const w = await activate(emu, { consent: [{}, { account: ALEX2 }] });
    w.fake.answers.push(SET_UP_BUTTON, IMPORT_ITEM, path.join(FIXTURES, 'client_secret.json'));
    await w.run('photoSync.signIn');
    assert.equal(w.fake.ui.messages[0].items[0], SET_UP_BUTTON);
    await waitFor(() => w.fake.ui.context.get(CONTEXT_CLIENT_CONFIGURED) === true);

    // The "client saved" message's Sign In button is left unanswered; sign in explicitly.
    await w.run('photoSync.signIn');
    await waitFor(() => w.fake.ui.context.get(CONTEXT_SIGNED_IN) === true);
    assert.ok(w.fake.ui.messages.some((m) => m.text === `Signed in to Google Photos as ${ALEX}.`));

    // Signed in already: Sign In adds another account.
    await w.run('photoSync.signIn');
    await waitFor(() => w.auth.provider.accounts.length === 2);

    w.fake.answers.push(ALEX2);
    await w.run('photoSync.signOut');
    assert.deepEqual(w.auth.provider.accounts.map((a) => a.label), [ALEX]);
    assert.equal(w.fake.ui.context.get(CONTEXT_SIGNED_IN), true);
    await w.run('photoSync.signOut');
    await waitFor(() => w.fake.ui.context.get(CONTEXT_SIGNED_IN) === false);
    assert.equal((await control.revocations()).length, 2);
  }));

test('a restarted window is signed in at activation without any prompt', () =>
  withEmulator(async (emu) => {
    const store = new SecretStore();
    const first = await activate(emu, { store });
    first.fake.answers.push(IMPORT_ITEM, path.join(FIXTURES, 'client_secret.json'));
    await first.run('photoSync.setupClient');
    await first.run('photoSync.signIn');
    first.subscriptions.forEach((d) => d.dispose());

    const second = await activate(emu, { store });
    await waitFor(() => second.fake.ui.context.has(CONTEXT_SIGNED_IN));
    assert.equal(second.fake.ui.context.get(CONTEXT_SIGNED_IN), true);
    assert.equal(second.fake.ui.context.get(CONTEXT_CLIENT_CONFIGURED), true);
    assert.equal(second.fake.ui.opened.length, 0, 'no browser opened');
    assert.equal(second.fake.ui.messages.length, 0, 'no message shown');
  }));

test('leak check: after sign-in, refresh, incremental consent and sign-out, no token is in any file, log line, message or setting', () =>
  withEmulator(async (emu, control) => {
    const storage = await mkdtemp(path.join(tmpdir(), 'photo-sync-global-'));
    try {
      const w = await activate(emu);
      w.fake.answers.push(IMPORT_ITEM, path.join(FIXTURES, 'client_secret.json'));
      await w.run('photoSync.setupClient');
      await w.run('photoSync.signIn');
      const token = await w.auth.tokenSource.getAccessToken(SIGN_IN_SCOPES);
      w.auth.tokenSource.invalidate?.(token);
      const refreshed = await w.auth.tokenSource.getAccessToken(SIGN_IN_SCOPES);
      assert.notEqual(refreshed, token);
      await w.auth.tokenSource.getAccessToken(PICKER_SCOPES);

      // Positive control: while signed in the refresh token is in SecretStorage, so the scan below can see one.
      const state = await control.state();
      const refreshTokens = state.tokens.refresh.map((t) => t.token);
      const accessTokens = state.tokens.access.map((t) => t.token);
      assert.ok(refreshTokens.length >= 2 && accessTokens.length >= 3, `${refreshTokens.length} refresh, ${accessTokens.length} access`);
      const secretDump = [...w.fake.secretStore.view().dump().values()].join('\n');
      assert.ok(refreshTokens.some((t) => secretDump.includes(t)));

      await w.run('photoSync.signOut');
      assert.equal(w.fake.secretStore.view().dump().has(SESSIONS_KEY), false);

      const secrets = [...refreshTokens, ...accessTokens, DEFAULT_CLIENT_SECRET];
      const places: [string, string][] = [
        ...(await filesUnder(storage)),
        ['log', w.lines.join('\n')],
        ['messages', JSON.stringify(w.fake.ui.messages)],
        ['progress', JSON.stringify(w.fake.ui.progress)],
        ['context keys', JSON.stringify([...w.fake.ui.context])],
        ['settings', JSON.stringify(w.settingsWritten)],
      ];
      assert.ok(w.lines.length > 3, 'something was logged');
      for (const [where, text] of places) {
        for (const secret of secrets) assert.ok(!text.includes(secret), `a token or secret leaked into ${where}`);
      }
    } finally {
      await rm(storage, { recursive: true, force: true });
    }
  }));

async function filesUnder(dir: string): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for (const name of await readdir(dir)) {
    const full = path.join(dir, name);
    if ((await stat(full)).isDirectory()) out.push(...(await filesUnder(full)));
    else out.push([full, await readFile(full, 'latin1')]);
  }
  return out;
}

async function waitFor(condition: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('what is wrong with a typed client ID, secret or Flickr key is said in the user’s language (English by default)', () => {
  const marked = { t: (m: string, ...a: unknown[]) => `«${m.replace(/\{(\d+)\}/g, (_, i: string) => `[${String(a[Number(i)])}]`)}»` } as unknown as Parameters<typeof clientIdProblem>[1];
  assert.equal(clientIdProblem(''), 'the client ID is missing.');
  assert.equal(clientIdProblem('x', marked), '«the client ID must end with "[.apps.googleusercontent.com]".»');
  assert.equal(clientSecretProblem(' ', marked), '«the client secret is missing.»');
  assert.equal(flickrKeyProblem('not-a-key'), 'a Flickr API key is 32 letters and digits (0–9, a–f); this one has 9 characters and others.');
  assert.equal(flickrKeyProblem('a', marked), '«a Flickr API key is 32 letters and digits (0–9, a–f); this one has 1 character.»');
  assert.equal(flickrSecretProblem('abc', marked), '«a Flickr API secret is 16 letters and digits (0–9, a–f); this one has [3] characters.»');
});
