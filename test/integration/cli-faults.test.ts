// Every exit code of the built command line, provoked against the emulator: 2 for bad input, 1 for a
// file Google refuses (listed, also with --quiet) or a missing sync folder, 4 for a revoked grant,
// 3 for the daily quota running out mid-run (the next run finishes), 130 for Ctrl-C and SIGTERM (the
// next run finishes), and SIGKILL mid-sync followed by a run that ends with every file exactly once.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startEmulator, PROJECT_NUMBER, type RunningEmulator } from '../emulator/index';
import { EmulatorControl } from '../emulator/control';
import { makeJpeg, tempDir, writeTree } from '../unit/sync-fixtures';
import { cliHome, cliSignIn, ensureCliBuilt, runCli, startCli, type CliHome } from '../helpers/cli';
import { waitFor } from '../helpers/waitFor';

let emu: RunningEmulator;
let control: EmulatorControl;
let signedIn: CliHome;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

before(async () => {
  await ensureCliBuilt();
  // Two test users: revoking one's grant (Google revokes the whole grant) leaves the other's sign-in alone.
  emu = await startEmulator({ port: 0, users: 2 });
  control = new EmulatorControl(emu.control);
  signedIn = cliHome(emu.endpoints);
  signedIn.writeConfig({ folders: [] });
  await cliSignIn(signedIn);
});
after(() => emu.close());

function homeWith(folders: unknown[], signIn = true): CliHome {
  const h = cliHome(emu.endpoints);
  h.writeConfig({ folders, index: path.join(h.dir, 'index') });
  if (signIn) copyFileSync(signedIn.secretsFile, h.secretsFile);
  return h;
}

async function photos(prefix: string, n: number, seed: number): Promise<{ root: string; files: Record<string, Buffer> }> {
  const files: Record<string, Buffer> = {};
  for (let i = 0; i < n; i++) files[`${prefix}/IMG_${i}.jpg`] = makeJpeg(seed + i, undefined, 32);
  const root = await tempDir('photo-sync-cli-faults-');
  await writeTree(root, files);
  return { root, files };
}

/** Every file is in the album exactly once and the library holds each content once. */
async function exactlyOnce(album: string, files: Record<string, Buffer>): Promise<void> {
  const state = await control.state();
  const albums = state.albums.filter((a) => a.title === album);
  assert.equal(albums.length, 1, `one album "${album}"`);
  const items = state.mediaItems.filter((m) => albums[0].mediaItemIds.includes(m.id));
  assert.deepEqual(items.map((m) => m.sha256).sort(), Object.values(files).map(sha).sort(), 'every file in the album once');
  for (const b of Object.values(files)) assert.equal(state.mediaItems.filter((m) => m.sha256 === sha(b)).length, 1, 'no duplicate in the library');
}

test('exit 2: bad config, unknown or non-folder arguments, bad options, no sync folders, no OAuth client', async () => {
  const { root } = await photos('Two', 1, 600);
  const h = homeWith([{ path: root }]);
  const file = path.join(root, 'Two', 'IMG_0.jpg');
  const cases: [string[], RegExp, (() => void)?][] = [
    [['sync', path.join(root, 'nope')], /does not exist/],
    [['sync', file], /is not a folder/],
    [['sync', path.join(root, 'Two')], /is not a sync folder in config file .*photo-sync upload/],
    [['upload', file], /is not a folder/],
    [['sync', '--concurrency', '0'], /give a whole number from 1 to 16/],
    [['sync', '--bogus'], /unknown option '--bogus'/],
    [['--config', path.join(root, 'missing.json'), 'sync'], /Config file .*missing\.json does not exist/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['--index', path.join(root, 'mine.sqlite'), 'sync'], /--index names the folder holding index\.sqlite/],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(h, args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
  }
  const configs: [string, RegExp][] = [
    ['{ "folders": [ { "path": "/x" }, ] ', /is not valid JSON: CloseBraceExpected at line 1/],
    ['{ "folder": [] }', /unknown setting "folder"; a config file holds "folders"/],
    ['{ "folders": [ { "path": "relative/photos" } ] }', /folders\[0\]\.path must be an absolute folder path/],
    ['{ "folders": [ { "path": "/x", "album": { "mode": "fixed" } } ] }', /album\.name is missing/],
    ['{ "folders": [], "concurrency": { "uploads": 99 } }', /concurrency\.uploads must be a whole number from 1 to 16/],
    ['{ "folders": [], "endpoints": { "library": "http://example.com" } }', /must use https/],
  ];
  for (const [text, message] of configs) {
    writeFileSync(h.configFile, text);
    const r = await runCli(h, ['sync']);
    assert.equal(r.code, 2, text);
    assert.match(r.stderr, message, text);
  }
  h.writeConfig({ folders: [{ path: file }] });
  const notFolder = await runCli(h, ['sync']);
  assert.equal(notFolder.code, 2);
  assert.match(notFolder.stderr, /Sync folder .*IMG_0\.jpg is not a folder/);
  h.writeConfig({ folders: [] });
  const none = await runCli(h, ['sync']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /No sync folders in config file/);

  const noClient = homeWith([{ path: root }], false);
  const r = await runCli(noClient, ['sync']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /No Google OAuth client is set up.*photo-sync setup-client/);
  assert.equal((await runCli(noClient, ['status'])).code, 2);
  const help = await runCli(noClient, ['sync', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Examples:\n {2}\$ photo-sync sync\n/);
  assert.match(help.stdout, /130 +cancelled/);
});

test('exit 1: a file Google refuses is listed (also with --quiet, for cron mail); a missing sync folder is reported and the others synced', async () => {
  const { root, files } = await photos('Mixed', 2, 700);
  // Not an image, under a name the damage check does not judge: Google itself refuses it.
  writeFileSync(path.join(root, 'Mixed', 'broken.webp'), 'this is not a webp at all');
  // A cut-off JPEG is caught before any request: a warning, not a failure.
  copyFileSync(path.join(__dirname, '..', 'fixtures', 'media-validity', 'bad-truncated.jpg'), path.join(root, 'Mixed', 'cut.jpg'));
  const h = homeWith([{ path: root }, { path: path.join(root, 'unplugged-drive') }]);
  const r = await runCli(h, ['sync', '--quiet']);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, '', '--quiet prints nothing on stdout');
  assert.match(r.stderr, /warning: Sync folder .*unplugged-drive is missing/);
  assert.match(r.stderr, /failed: .*broken\.webp — /);
  assert.match(r.stderr, /warning: 1 file looks damaged and was not uploaded: Mixed\/cut\.jpg \(the JPEG ends before its end-of-image marker/);
  assert.doesNotMatch(r.stderr, /IMG_0\.jpg/);
  await exactlyOnce('Mixed', files);
});

test('exit 4: a grant revoked at Google stops the run before it scans, with what to do', async () => {
  const { root } = await photos('Revoked', 2, 800);
  const h = cliHome(emu.endpoints);
  h.writeConfig({ folders: [{ path: root }], index: path.join(h.dir, 'index') });
  await cliSignIn(h, 'photo.sync.tester2@gmail.com');
  const sessions = JSON.parse((JSON.parse(readFileSync(h.secretsFile, 'utf8')) as Record<string, string>)['photoSync.sessions']) as { sessions: { refreshToken: string }[] };
  const res = await fetch(emu.endpoints.revoke, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: sessions.sessions[0].refreshToken }) });
  assert.equal(res.status, 200);
  const before = (await control.state()).requestCounts;
  const r = await runCli(h, ['sync']);
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /sign-in for photo\.sync\.tester2@gmail\.com is no longer valid \(invalid_grant\).*Run: photo-sync login/);
  const after = (await control.state()).requestCounts;
  assert.equal(after['library.uploads'] ?? 0, before['library.uploads'] ?? 0, 'nothing uploaded');
  assert.equal(after['library.albums.create'] ?? 0, before['library.albums.create'] ?? 0);
});

test('exit 3: the daily quota runs out mid-run; the next run (after the reset) finishes with every file once', async () => {
  const { root, files } = await photos('Quota', 6, 900);
  const h = homeWith([{ path: root }]);
  const used = ((await control.state()).quota.daily[PROJECT_NUMBER]?.used ?? 0) as number;
  // An album create and two uploads fit; the third upload gets Google's 429 RESOURCE_EXHAUSTED.
  await control.faults({ type: 'dailyQuota', limit: used + 3 });
  try {
    const r = await runCli(h, ['sync', '--concurrency', '1']);
    assert.equal(r.code, 3, `${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /Stopped by Google Photos' daily quota \(10,000 requests per day\): [1-6] file\(s\) wait for the next run after midnight Pacific time/);
  } finally {
    await control.faults({ type: 'dailyQuota', limit: 10_000 });
  }
  const next = await runCli(h, ['sync']);
  assert.equal(next.code, 0, next.stderr);
  await exactlyOnce('Quota', files);
});

test('exit 130: Ctrl-C stops cleanly (journaled) and SIGTERM too; the next run finishes with every file once', async () => {
  const { root, files } = await photos('Interrupted', 6, 1000);
  const h = homeWith([{ path: root }]);
  await control.faults({ type: 'latency', endpoint: 'library.uploads', ms: 700 });
  try {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const base = (await control.state()).requestCounts['library.uploads'] ?? 0;
      const running = startCli(h, ['sync', '--concurrency', '1']);
      await waitFor('an upload', async () => ((await control.state()).requestCounts['library.uploads'] ?? 0) > base, 30_000, 50);
      running.child.kill(signal);
      const r = await running.done;
      assert.equal(r.code, 130, `${signal}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, new RegExp(`Stopping \\(${signal}\\): saving what is in flight`));
      assert.match(r.stdout, new RegExp(`Stopped \\(${signal}\\): [1-6] file\\(s\\) wait for the next run`));
    }
    // A second Ctrl-C quits at once.
    const running = startCli(h, ['sync', '--concurrency', '1']);
    await running.waitFor(/Uploading \d of 6/);
    running.child.kill('SIGINT');
    await running.waitFor(/Stopping \(SIGINT\)/);
    running.child.kill('SIGINT');
    const r = await running.done;
    assert.equal(r.code, 130);
    assert.match(r.stderr, /Stopped at once \(SIGINT again\)/);
  } finally {
    await control.faults({ type: 'clear' });
  }
  const next = await runCli(h, ['sync']);
  assert.equal(next.code, 0, next.stderr);
  await exactlyOnce('Interrupted', files);
});

test('SIGKILL mid-sync, then a second run: every file exactly once, nothing sent twice that was committed', async () => {
  const { root, files } = await photos('Killed', 8, 1100);
  const h = homeWith([{ path: root }]);
  await control.faults({ type: 'latency', endpoint: 'library.uploads', ms: 500 });
  let killedAt = 0;
  try {
    const base = (await control.state()).requestCounts['library.uploads'] ?? 0;
    const running = startCli(h, ['sync', '--concurrency', '2']);
    killedAt = await waitFor('three uploads', async () => {
      const n = (await control.state()).requestCounts['library.uploads'] ?? 0;
      return n - base >= 3 ? n - base : false;
    }, 30_000, 20);
    running.child.kill('SIGKILL');
    const r = await running.done;
    assert.equal(r.signal, 'SIGKILL');
  } finally {
    await control.faults({ type: 'clear' });
  }
  assert.ok(killedAt < 8, 'killed before the end');
  const next = await runCli(h, ['sync']);
  assert.equal(next.code, 0, `${next.stdout}${next.stderr}`);
  await exactlyOnce('Killed', files);
  const again = await runCli(h, ['sync']);
  assert.match(again.stdout, /Everything is up to date: 8 files backed up/);
});
