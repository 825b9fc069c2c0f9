// photo-sync verify on the built command line against the emulator: a clean backup exits 0 with one
// line; a file deleted on disk and an item deleted in Google Photos' web UI exit 1 with both listed
// (and as --json finding events); --report writes the Markdown; a folder not configured is a usage error.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { startEmulator, type RunningEmulator } from '../emulator/index';
import { EmulatorControl } from '../emulator/control';
import { makeJpeg, tempDir, writeTree } from '../unit/sync-fixtures';
import { cliHome, cliSignIn, ensureCliBuilt, events, runCli, type CliHome } from '../helpers/cli';

let emu: RunningEmulator;
let control: EmulatorControl;
let signedIn: CliHome;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

before(async () => {
  await ensureCliBuilt();
  emu = await startEmulator({ port: 0 });
  control = new EmulatorControl(emu.control);
  signedIn = cliHome(emu.endpoints);
  signedIn.writeConfig({ folders: [] });
  await cliSignIn(signedIn);
});
after(() => emu.close());

test('verify: clean exits 0 in one line; a local deletion and a web-UI deletion exit 1, listed, as --json events and in --report', async () => {
  const files = { 'Beach/IMG_1.jpg': makeJpeg(31, undefined, 48), 'Beach/IMG_2.jpg': makeJpeg(32, undefined, 48), 'Beach/IMG_3.jpg': makeJpeg(33, undefined, 48) };
  const root = await tempDir('photo-sync-cli-verify-');
  await writeTree(root, files);
  const h = cliHome(emu.endpoints);
  h.writeConfig({ folders: [{ path: root, album: { mode: 'subfolders' } }], index: path.join(h.dir, 'index') });
  copyFileSync(signedIn.secretsFile, h.secretsFile);
  const synced = await runCli(h, ['sync']);
  assert.equal(synced.code, 0, synced.stderr);

  const clean = await runCli(h, ['verify']);
  assert.equal(clean.code, 0, clean.stderr);
  assert.match(clean.stdout, /2 request\(s\) to Google Photos/);
  assert.match(clean.stdout, /In sync: 3 items checked on disk, in the index and in Google Photos\./);

  rmSync(path.join(root, 'Beach/IMG_1.jpg'));
  const gone = (await control.state()).mediaItems.find((m) => m.sha256 === sha(files['Beach/IMG_2.jpg']));
  assert.ok(gone);
  await control.deleteMediaItem(gone.id);
  const reportFile = path.join(await tempDir(), 'check.md');
  const found = await runCli(h, ['verify', root, '--report', reportFile]);
  assert.equal(found.code, 1, found.stderr);
  assert.match(found.stdout, /Missing locally \(1\):\n {2}.*IMG_1\.jpg — in Google Photos, gone from the folder/);
  assert.match(found.stdout, /Missing remotely \(1\):\n {2}.*IMG_2\.jpg — deleted in Google Photos/);
  assert.match(found.stdout, /2 findings: 1 missing locally, 1 missing remotely; 1 in sync\./);
  assert.ok(existsSync(reportFile));
  assert.match(readFileSync(reportFile, 'utf8'), /\| Missing locally \| 1 \|/);

  const json = await runCli(h, ['verify', '--json', '--deep']);
  assert.equal(json.code, 1);
  const ev = events(json);
  assert.deepEqual(ev.filter((e) => e.type === 'finding').map((e) => e.kind).sort(), ['missing-locally', 'missing-remotely']);
  const cost = ev.find((e) => e.type === 'cost') as { requests: number; limit: number } | undefined;
  assert.equal(cost?.requests, 2);
  assert.equal(cost?.limit, 10_000);
  assert.equal((ev.find((e) => e.type === 'summary') as { complete?: boolean })?.complete, true);
  assert.ok(existsSync(root), 'nothing deleted');
  assert.equal((await control.state()).requestCounts['library.albums.batchRemoveMediaItems'] ?? 0, 0);

  const usage = await runCli(h, ['verify', await tempDir()]);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /is not a sync folder/);
});
