// The built command line (dist/cli.js) signing in against the emulator as a child process: the OAuth
// client kept in a 0600 file (no keychain here), login through the consent page with the loopback
// redirect or a pasted redirect URL, Deny, logout revoking at Google, and the exit codes of each.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startEmulator, DEFAULT_CLIENT_SECRET, type RunningEmulator } from '../emulator/index';
import { EmulatorControl } from '../emulator/control';
import { consentRedirectLocation } from '../unit/auth-support';
import { AUTH_URL, CLIENT_FILE, cliHome, cliLogin, ensureCliBuilt, events, runCli, startCli, type CliHome } from '../helpers/cli';

let emu: RunningEmulator;
let control: EmulatorControl;

before(async () => {
  await ensureCliBuilt();
  emu = await startEmulator({ port: 0 });
  control = new EmulatorControl(emu.control);
});
after(() => emu.close());

function home(): CliHome {
  const h = cliHome(emu.endpoints);
  h.writeConfig({ folders: [] });
  return h;
}

test('setup-client: a bad file or a Web client is a configuration error (2); the Desktop client is kept in a 0600 file, never in the config', async () => {
  const h = home();
  const missing = await runCli(h, ['setup-client', path.join(h.dir, 'nope.json')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /Cannot read .*nope\.json/);
  const web = await runCli(h, ['setup-client', path.join(path.dirname(CLIENT_FILE), 'client_secret_web.json')]);
  assert.equal(web.code, 2);
  assert.match(web.stderr, /"Web application" client/);
  const notJson = path.join(h.dir, 'broken.json');
  writeFileSync(notJson, '{ "installed": ');
  assert.equal((await runCli(h, ['setup-client', notJson])).code, 2);

  const ok = await runCli(h, ['setup-client', CLIENT_FILE]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /Saved the OAuth client of project photo-sync-emulator in .*secrets\.json \(readable only by you\)/);
  assert.match(ok.stdout, /No OS keychain was reachable/);
  assert.equal(statSync(h.secretsFile).mode & 0o777, 0o600);
  assert.ok(readFileSync(h.secretsFile, 'utf8').includes(DEFAULT_CLIENT_SECRET));
  assert.ok(!readFileSync(h.configFile, 'utf8').includes(DEFAULT_CLIENT_SECRET));
  assert.ok(!ok.stdout.includes(DEFAULT_CLIENT_SECRET) && !ok.stderr.includes(DEFAULT_CLIENT_SECRET));

  // Not signed in yet: status says so and exits 4; a sync exits 4 without a request.
  const status = await runCli(h, ['status']);
  assert.equal(status.code, 4);
  assert.match(status.stdout, /Account: +not signed in — run: photo-sync login/);
  const before = (await control.state()).requestCounts;
  const sync = await runCli(h, ['upload', h.dir]);
  assert.equal(sync.code, 4);
  assert.match(sync.stderr, /Not signed in to Google Photos\. Run: photo-sync login/);
  assert.deepEqual((await control.state()).requestCounts, before);
});

test('login without an OAuth client exits 2 and says to run setup-client', async () => {
  const h = home();
  const login = await runCli(h, ['login', '--no-browser']);
  assert.equal(login.code, 2);
  assert.match(login.stderr, /photo-sync setup-client <client_secret\.json>/);
});

test('login: the printed address, Allow on the consent page, the loopback redirect; the refresh token lands in the 0600 file only', async () => {
  const h = home();
  assert.equal((await runCli(h, ['setup-client', CLIENT_FILE])).code, 0);
  const login = await cliLogin(h);
  assert.equal(login.code, 0, login.stderr);
  assert.match(login.stdout, /Signed in to Google Photos as photo\.sync\.tester@gmail\.com\. The sign-in is kept in .*secrets\.json \(readable only by you\)/);
  const state = await control.state();
  const refresh = state.tokens.refresh.filter((t) => !t.revoked && t.userSub === state.users[0].sub).map((t) => t.token);
  const secrets = readFileSync(h.secretsFile, 'utf8');
  assert.ok(refresh.some((t) => secrets.includes(t)), 'a live refresh token is kept');
  for (const t of [...refresh, ...state.tokens.access.map((a) => a.token)]) assert.ok(!login.stdout.includes(t) && !login.stderr.includes(t), 'no token printed');
  // PKCE: the consent URL carried an S256 challenge.
  assert.match(login.stdout, /code_challenge_method=S256&code_challenge=[A-Za-z0-9_-]{43}/);

  const status = await runCli(h, ['status', '--json']);
  assert.equal(status.code, 0);
  const [s] = events(status).filter((e) => e.type === 'status');
  assert.equal((s.account as { label: string }).label, 'photo.sync.tester@gmail.com');
  assert.equal((s.secrets as { backend: string }).backend, 'file');
});

test('login --no-browser: the redirect URL pasted into the terminal signs in (a browser on another computer)', async () => {
  const h = home();
  assert.equal((await runCli(h, ['setup-client', CLIENT_FILE])).code, 0);
  const running = startCli(h, ['login', '--no-browser']);
  const [, url] = await running.waitFor(AUTH_URL);
  await running.waitFor(/copy the whole address from the address bar, paste it here/);
  // The browser ends on http://127.0.0.1:<port>/?…code=…; it never reaches this machine, so the user pastes it.
  const location = await consentRedirectLocation(url);
  running.child.stdin?.write('not the address\n');
  await running.waitFor(/That is not the redirect address/);
  running.child.stdin?.write(`${location}\n`);
  const done = await running.done;
  assert.equal(done.code, 0, done.stderr);
  assert.match(done.stdout, /Signed in to Google Photos as photo\.sync\.tester@gmail\.com/);
});

test('login: Deny on the consent page exits 4 with what to do', async () => {
  const h = home();
  assert.equal((await runCli(h, ['setup-client', CLIENT_FILE])).code, 0);
  const login = await cliLogin(h, { deny: true });
  assert.equal(login.code, 4);
  assert.match(login.stderr, /declined in the browser \(access_denied\).*Run: photo-sync login/);
});

test('logout revokes the grant at Google and forgets it; the next sync exits 4', async () => {
  const h = home();
  assert.equal((await runCli(h, ['setup-client', CLIENT_FILE])).code, 0);
  assert.equal((await cliLogin(h)).code, 0);
  const secrets = JSON.parse(readFileSync(h.secretsFile, 'utf8')) as Record<string, string>;
  const refreshToken = (JSON.parse(secrets['photoSync.sessions']) as { sessions: { refreshToken: string }[] }).sessions[0].refreshToken;
  const other = await runCli(h, ['logout', '--account', 'someone.else@gmail.com']);
  assert.equal(other.code, 2);
  assert.match(other.stderr, /someone\.else@gmail\.com is not signed in \(signed in: photo\.sync\.tester@gmail\.com\)/);
  const logout = await runCli(h, ['logout', '--json', '--account', 'Photo.Sync.Tester@gmail.com']);
  assert.equal(logout.code, 0, logout.stderr);
  assert.deepEqual(
    events(logout).filter((e) => e.type === 'logout').map((e) => [e.account, e.revoked]),
    [['photo.sync.tester@gmail.com', true]],
  );
  assert.ok((await control.revocations()).some((r) => r.token === refreshToken && r.kind === 'refresh'), 'revoked at Google');
  assert.ok(!readFileSync(h.secretsFile, 'utf8').includes(refreshToken), 'forgotten locally');
  assert.ok(readFileSync(h.secretsFile, 'utf8').includes(DEFAULT_CLIENT_SECRET), 'the client stays');
  const again = await runCli(h, ['logout']);
  assert.equal(again.code, 0);
  assert.match(again.stdout, /Not signed in; nothing to do/);
  const sync = await runCli(h, ['upload', h.dir]);
  assert.equal(sync.code, 4);
});
