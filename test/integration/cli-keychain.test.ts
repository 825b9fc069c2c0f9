// The command line with a real OS keychain: a private D-Bus session with gnome-keyring's Secret
// Service (as a Linux desktop has). setup-client and login keep the client and the refresh token
// there — no secrets file — a sync reads them back, logout removes them; the same home without the
// D-Bus session (cron) falls back to the file and says why the sign-in is not found.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulator, DEFAULT_CLIENT_SECRET, type RunningEmulator } from '../emulator/index';
import { EmulatorControl } from '../emulator/control';
import { makeJpeg, tempDir, writeTree } from '../unit/sync-fixtures';
import { CLIENT_FILE, cliHome, cliLogin, ensureCliBuilt, eventOf, runCli } from '../helpers/cli';
import { KEYCHAIN_SERVICE } from '../../src/cli/secrets';

let emu: RunningEmulator;
let bus: { address: string; pid: number };
let keyring: ChildProcess;

before(async () => {
  await ensureCliBuilt();
  emu = await startEmulator({ port: 0 });
  const home = mkdtempSync(path.join(os.tmpdir(), 'photo-sync-keyring-'));
  const runtime = path.join(home, 'run');
  mkdirSync(runtime, { mode: 0o700 });
  // A session bus without service activation: otherwise the first keychain call could start a second,
  // locked gnome-keyring (with the real HOME) before ours has claimed the Secret Service name.
  const config = path.join(home, 'session.conf');
  writeFileSync(
    config,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:tmpdir=${home}</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>`,
  );
  const daemon = spawnSync('dbus-daemon', [`--config-file=${config}`, '--fork', '--print-address=1', '--print-pid=1'], { encoding: 'utf8' });
  assert.equal(daemon.status, 0, `dbus-daemon: ${daemon.stderr}`);
  const [address, pid] = daemon.stdout.trim().split('\n');
  bus = { address, pid: Number(pid) };
  // The login keyring, created and unlocked with a password on stdin (as a desktop login does).
  keyring = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], { env: { ...process.env, HOME: home, XDG_RUNTIME_DIR: runtime, DBUS_SESSION_BUS_ADDRESS: address }, stdio: ['pipe', 'ignore', 'ignore'] });
  keyring.stdin?.end('keyring-password\n');
  // Ready once a secret can be stored in the login collection (the daemon creates it after it answers).
  process.env.DBUS_SESSION_BUS_ADDRESS = address;
  const { Entry } = await binding();
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const probe = new Entry('photo-sync-test', 'ready', { linux: { store: 'secret-service' } });
      probe.setPassword('ok');
      probe.deletePassword();
      break;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`gnome-keyring did not become ready: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
});

after(async () => {
  keyring?.kill();
  if (bus) process.kill(bus.pid);
  await emu?.close();
});

interface KeyringEntry {
  getPassword(): string | null;
  setPassword(value: string): void;
  deletePassword(): void;
}

async function binding(): Promise<{ Entry: new (service: string, account: string, options: unknown) => KeyringEntry }> {
  return (await import('@napi-rs/keyring')) as unknown as { Entry: new (service: string, account: string, options: unknown) => KeyringEntry };
}

/** What the keychain holds for a key, read through the same binding from this process. */
async function keychainValue(key: string): Promise<string | undefined> {
  process.env.DBUS_SESSION_BUS_ADDRESS = bus.address;
  const { Entry } = await binding();
  return new Entry(KEYCHAIN_SERVICE, key, { linux: { store: 'secret-service' } }).getPassword() ?? undefined;
}

test('the OS keychain holds the client and the sign-in (no secrets file); sync reads them; logout removes them; without the session the file is used and the message says why', async () => {
  const h = cliHome(emu.endpoints);
  const root = await tempDir('photo-sync-keychain-photos-');
  await writeTree(root, { 'Keychain/a.jpg': makeJpeg(1201, undefined, 32) });
  h.writeConfig({ folders: [{ path: root }], index: path.join(h.dir, 'index') });
  const env = { DBUS_SESSION_BUS_ADDRESS: bus.address };

  const setup = await runCli(h, ['setup-client', CLIENT_FILE], { env });
  assert.equal(setup.code, 0, setup.stderr);
  assert.match(setup.stdout, /Saved the OAuth client of project photo-sync-emulator in the OS keychain\.\n/);
  assert.ok(!existsSync(h.secretsFile), 'no secrets file');
  assert.ok((await keychainValue('photoSync.oauthClient'))?.includes(DEFAULT_CLIENT_SECRET));

  const login = await cliLogin({ ...h, env: { ...h.env, ...env } });
  assert.equal(login.code, 0, login.stderr);
  assert.match(login.stdout, /The sign-in is kept in the OS keychain\./);
  const state = await new EmulatorControl(emu.control).state();
  const live = state.tokens.refresh.filter((t) => !t.revoked).map((t) => t.token);
  const stored = await keychainValue('photoSync.sessions');
  assert.ok(stored && live.some((t) => stored.includes(t)), 'the refresh token is in the keychain');
  assert.ok(!existsSync(h.secretsFile));

  const status = await runCli(h, ['status', '--json'], { env });
  assert.equal(eventOf<{ secrets: { backend: string } }>(status, 'status').secrets.backend, 'keychain');
  const sync = await runCli(h, ['sync'], { env });
  assert.equal(sync.code, 0, sync.stderr);
  assert.match(sync.stdout, /Uploaded 1 file\./);

  // Cron: no D-Bus session, so no Secret Service — the file store is empty, and the message says why.
  const cron = await runCli(h, ['sync']);
  assert.equal(cron.code, 2);
  assert.match(cron.stderr, /No Google OAuth client is set up.*The OS keychain is not reachable here: .*--secrets file/);
  const forced = await runCli(h, ['sync', '--secrets', 'keychain']);
  assert.equal(forced.code, 2);
  assert.match(forced.stderr, /The OS keychain is not available here/);

  const logout = await runCli(h, ['logout'], { env });
  assert.equal(logout.code, 0, logout.stderr);
  assert.match(logout.stdout, /access revoked at Google and the sign-in removed from the OS keychain/);
  assert.equal(await keychainValue('photoSync.sessions'), undefined);
  assert.ok(await keychainValue('photoSync.oauthClient'), 'the client stays');
});
