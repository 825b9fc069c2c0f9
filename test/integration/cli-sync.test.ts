// The built command line syncing a fixture folder against the emulator: the emulator's albums and
// items, --json events, --dry-run spending zero requests and writing nothing, a second run sending
// nothing, `upload` into a named album or one album per sub-folder, two runs at once (the second
// waits and says who holds the folders), and a run while another process holds the index's lock.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { startEmulator, type RunningEmulator } from '../emulator/index';
import { EmulatorControl } from '../emulator/control';
import { makeJpeg, tempDir, writeTree } from '../unit/sync-fixtures';
import { openIndex } from '../../src/index/openIndex';
import { CLI_PATH, cliHome, cliSignIn, ensureCliBuilt, eventOf, events, runCli, startCli, type CliHome } from '../helpers/cli';
import { WASM_DIR } from './sync-harness';

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

/** A home sharing the signed-in secrets, with its own config and index. */
async function homeWith(folders: unknown[]): Promise<CliHome> {
  const h = cliHome(emu.endpoints);
  h.writeConfig({ folders, index: path.join(h.dir, 'index') });
  const { copyFileSync } = await import('node:fs');
  copyFileSync(signedIn.secretsFile, h.secretsFile);
  return h;
}

async function photoFolder(files: Record<string, Buffer>): Promise<string> {
  const root = await tempDir('photo-sync-cli-photos-');
  await writeTree(root, files);
  return root;
}

async function mine(albumTitle: string) {
  const state = await control.state();
  const album = state.albums.filter((a) => a.title === albumTitle);
  return { album, items: state.mediaItems.filter((m) => album.some((a) => a.mediaItemIds.includes(m.id))), state };
}

test('sync: the folder lands in its albums once; --json prints parseable events; the next run sends nothing', async () => {
  const files = { 'Beach/IMG_1.jpg': makeJpeg(11, { original: '2024:06:01 10:00:00' }, 48), 'Beach/IMG_2.jpg': makeJpeg(12, undefined, 48), 'Beach/sub/_misc/IMG_3.jpg': makeJpeg(13, undefined, 48), 'notes.txt': Buffer.from('not a photo') };
  const root = await photoFolder(files);
  const h = await homeWith([{ path: root, album: { mode: 'subfolders' } }]);
  const run = await runCli(h, ['sync', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const ev = events(run);
  const types = ev.map((e) => e.type);
  assert.ok(types.includes('start') && types.includes('plan') && types.includes('progress') && types.includes('summary'), types.join(','));
  const plan = eventOf<{ uploads: number; albumsToCreate: string[]; cost: { total: number } }>(run, 'plan');
  assert.equal(plan.uploads, 3);
  assert.deepEqual(plan.albumsToCreate.sort(), ['Beach', 'sub']);
  const summary = eventOf<{ uploaded: number; failed: unknown[] }>(run, 'summary');
  assert.equal(summary.uploaded, 3);
  assert.deepEqual(summary.failed, []);
  for (const e of ev) assert.equal(typeof e.time, 'string');

  const beach = await mine('Beach');
  assert.equal(beach.album.length, 1);
  assert.deepEqual(beach.items.map((m) => m.sha256).sort(), [sha(files['Beach/IMG_1.jpg']), sha(files['Beach/IMG_2.jpg'])].sort());
  const sub = await mine('sub');
  assert.deepEqual(sub.items.map((m) => m.sha256), [sha(files['Beach/sub/_misc/IMG_3.jpg'])], '_misc joins its parent album');

  // The index the run used holds the account's album with its items (what the sidebar reads).
  const index = await openIndex({ storageDir: path.join(h.dir, 'index'), wasmDir: WASM_DIR, watch: false, integrityCheck: 'off' });
  try {
    const albums = index.albums.listWithCounts({ appCreatedOnly: true }).items.map((a) => [a.title, a.indexedItems]);
    assert.deepEqual(albums.sort(), [['Beach', 2], ['sub', 1]]);
    assert.ok(index.quota.total('google-photos', new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Los_Angeles' }).format(new Date())) > 0, 'requests counted against the quota');
  } finally {
    await index.dispose();
  }

  const uploads = (await control.state()).requestCounts['library.uploads'];
  const again = await runCli(h, ['sync']);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /Everything is up to date: 3 files backed up to Google Photos\./);
  assert.equal((await control.state()).requestCounts['library.uploads'], uploads, 'nothing sent again');
});

test('--dry-run prints the plan and its cost, spends zero requests and leaves the index as it was', async () => {
  const root = await photoFolder({ 'Trip/a.jpg': makeJpeg(21, undefined, 32), 'Trip/b.jpg': makeJpeg(22, undefined, 32) });
  const h = await homeWith([{ path: root, album: { mode: 'fixed', name: 'Dry Trip' } }]);
  // A real run of one file first, so the index exists and knows the account.
  const seed = await runCli(h, ['sync', path.join(root)]);
  assert.equal(seed.code, 0, seed.stderr);
  await writeTree(root, { 'Trip/c.jpg': makeJpeg(23, undefined, 32), 'Trip/d.jpg': makeJpeg(24, undefined, 32) });
  const indexFile = path.join(h.dir, 'index', 'index.sqlite');
  const indexBefore = readFileSync(indexFile);
  const before = (await control.state()).requestCounts;

  const dry = await runCli(h, ['sync', '--dry-run']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /Dry run — nothing is sent and nothing is changed\. Upload 2 files \(.*\) to “Dry Trip”\./);
  assert.match(dry.stdout, /Cost: 3 requests of the 10,000\/day quota/);
  assert.match(dry.stdout, /upload {2}.*c\.jpg {2}→ {2}“Dry Trip”/);
  const json = await runCli(h, ['upload', root, '--album', 'Dry Trip', '--dry-run', '--json']);
  assert.equal(json.code, 0, json.stderr);
  const plan = eventOf<{ dryRun: boolean; uploads: number; files: { path: string; action: string }[] }>(json, 'plan');
  assert.equal(plan.dryRun, true);
  assert.deepEqual(plan.files.map((f) => path.basename(f.path)).sort(), ['c.jpg', 'd.jpg']);

  assert.deepEqual((await control.state()).requestCounts, before, 'zero requests');
  assert.ok(readFileSync(indexFile).equals(indexBefore), 'index unchanged');
  assert.equal((await mine('Dry Trip')).items.length, 2, 'the two files of the first run only');
});

test('upload: --album NAME, --album-per-folder, and both at once is a usage error', async () => {
  const files = { 'x/one.jpg': makeJpeg(31, undefined, 32), 'y/two.jpg': makeJpeg(32, undefined, 32) };
  const root = await photoFolder(files);
  const h = await homeWith([]);
  const both = await runCli(h, ['upload', root, '--album', 'A', '--album-per-folder']);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /not both/);
  const named = await runCli(h, ['upload', root, '--album', 'Named Album']);
  assert.equal(named.code, 0, named.stderr);
  assert.match(named.stdout, /Uploaded 2 files/);
  assert.equal((await mine('Named Album')).items.length, 2);
  const per = await runCli(h, ['upload', root, '--album-per-folder']);
  assert.equal(per.code, 0, per.stderr);
  assert.match(per.stdout, /2 files already in Google Photos added to their albums/);
  assert.deepEqual((await mine('x')).items.map((m) => m.sha256), [sha(files['x/one.jpg'])]);
  assert.deepEqual((await mine('y')).items.map((m) => m.sha256), [sha(files['y/two.jpg'])]);
  const state = await control.state();
  assert.equal(state.mediaItems.filter((m) => m.sha256 === sha(files['x/one.jpg'])).length, 1, 'bytes sent once');
});

test('two runs at once: the second waits, says who holds the folder, then finds everything done', async () => {
  const files: Record<string, Buffer> = {};
  for (let i = 0; i < 6; i++) files[`Party/IMG_${i}.jpg`] = makeJpeg(400 + i, undefined, 32);
  const root = await photoFolder(files);
  const h = await homeWith([{ path: root, album: { mode: 'subfolders' } }]);
  // Long enough that the second process (node startup, scan) starts while the first still uploads, on a loaded machine too.
  await control.faults({ type: 'latency', endpoint: 'library.uploads', ms: 4000 });
  try {
    const first = startCli(h, ['sync']);
    await first.waitFor(/Syncing folders to Google Photos:/);
    const second = await runCli(h, ['sync']);
    const one = await first.done;
    assert.equal(one.code, 0, one.stderr);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, new RegExp(`Waiting: the photo-sync command line \\(process ${first.child.pid} on [^)]+\\) is uploading to this account.*The sync of ${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} starts when it is done`));
    assert.match(second.stdout, /Everything is up to date: 6 files backed up/);
  } finally {
    await control.faults({ type: 'clear' });
  }
  const party = await mine('Party');
  assert.equal(party.album.length, 1, 'one album');
  assert.equal(party.items.length, 6);
  assert.equal(new Set(party.items.map((m) => m.sha256)).size, 6);
});

test('a run while another process holds the index lock (an open VS Code window writing): waits, then syncs; both writes are kept', async () => {
  const root = await photoFolder({ 'Locked/a.jpg': makeJpeg(51, undefined, 32), 'Locked/b.jpg': makeJpeg(52, undefined, 32) });
  const h = await homeWith([{ path: root, album: { mode: 'subfolders' } }]);
  const storageDir = path.join(h.dir, 'index');
  const holder = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'cli-index-holder.ts'), storageDir, '3000'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let holderOut = '';
  holder.stdout.on('data', (d: Buffer) => (holderOut += d.toString()));
  const holderDone = new Promise<number | null>((resolve) => holder.on('close', resolve));
  while (!holderOut.includes('locked')) await new Promise((r) => setTimeout(r, 20));
  const started = Date.now();
  const run = await runCli(h, ['sync']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, new RegExp(`The index is being written by a VS Code window \\(process ${holder.pid}\\)`));
  assert.ok(Date.now() - started >= 1000, 'it waited for the lock');
  assert.equal(await holderDone, 0);
  assert.equal((await mine('Locked')).items.length, 2);
  const index = await openIndex({ storageDir, wasmDir: WASM_DIR, watch: false, integrityCheck: 'off' });
  try {
    assert.equal(index.localFiles.byPath('/held/by/vscode.jpg')?.status, 'seen', "the other process's write survived");
    assert.equal(index.localFiles.byPath(path.join(root, 'Locked', 'a.jpg'))?.status, 'uploaded');
  } finally {
    await index.dispose();
  }
  assert.ok(statSync(path.join(storageDir, 'index.sqlite')).size > 0);
});

test('on a terminal a live progress bar redraws in place; without one, plain lines without escape codes (cron mail)', async () => {
  const root = await photoFolder({ 'Tty/a.jpg': makeJpeg(61, undefined, 48), 'Tty/b.jpg': makeJpeg(62, undefined, 48), 'Tty/c.jpg': makeJpeg(63, undefined, 48) });
  const h = await homeWith([{ path: root }]);
  await control.faults({ type: 'latency', endpoint: 'library.uploads', ms: 400 });
  let tty = '';
  try {
    // util-linux `script` gives the command a pseudo-terminal, as an interactive shell would.
    const child = spawn('script', ['-q', '-e', '-c', `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI_PATH)} sync --concurrency 1`, '/dev/null'], { cwd: h.dir, env: { ...h.env, TERM: 'xterm', COLUMNS: '120' }, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdout.on('data', (d: Buffer) => (tty += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, tty);
  } finally {
    await control.faults({ type: 'clear' });
  }
  assert.match(tty, /Syncing folders to Google Photos \|[█░]+\| Uploading \d of 3/, 'a bar with counts');
  assert.ok(tty.includes('\u001b['), 'redrawn with terminal escapes');
  assert.match(tty, /Uploaded 3 files\./);

  await writeTree(root, { 'Tty/d.jpg': makeJpeg(64, undefined, 48) });
  const plain = await runCli(h, ['sync']);
  assert.equal(plain.code, 0, plain.stderr);
  assert.ok(!(plain.stdout + plain.stderr).includes('\u001b'), 'no escape codes');
  assert.match(plain.stdout, /^Syncing folders to Google Photos: Uploading 0 of 1/m);
  assert.match(plain.stdout, /^Uploaded 1 file; 3 already in Google Photos\.$/m);
});

test('a confirmed file still in an archiving folder (a run killed between the archive link and unlink) is moved by the next run, though nothing is left to upload', async () => {
  const { promises: fsp } = await import('node:fs');
  const files = { 'Inbox/IMG_1.jpg': makeJpeg(900, undefined, 16), 'Inbox/IMG_2.jpg': makeJpeg(901, undefined, 16) };
  const root = await photoFolder(files);
  const archive = `${root}-archive`;
  const h = await homeWith([{ path: root, album: { mode: 'subfolders' }, afterUpload: 'archive', archivePath: archive }]);
  const first = await runCli(h, ['sync']);
  assert.equal(first.code, 0, first.stderr);
  await assert.rejects(fsp.stat(path.join(root, 'Inbox', 'IMG_1.jpg')), 'archived');
  // What a SIGKILL between link and unlink leaves when the index had not saved the move yet: one file, two names.
  await fsp.link(path.join(archive, 'Inbox', 'IMG_1.jpg'), path.join(root, 'Inbox', 'IMG_1.jpg'));
  const again = await runCli(h, ['sync']);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /Everything is up to date/);
  await assert.rejects(fsp.stat(path.join(root, 'Inbox', 'IMG_1.jpg')), 'the original name is gone');
  assert.equal(statSync(path.join(archive, 'Inbox', 'IMG_1.jpg')).nlink, 1, 'one name left, in the archive');
  await assert.rejects(fsp.stat(path.join(archive, 'Inbox', 'IMG_1 (2).jpg')), 'no second archive copy');
});
