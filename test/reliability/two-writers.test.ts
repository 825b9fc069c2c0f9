// Two writers on one index at once: (a) two extension hosts — two child processes each opening the
// same global storage index the way a VS Code window does and pressing Sync Now — and (b) one
// extension host plus a `dist/cli.js sync` run. They sync overlapping folders (one syncs Library, the
// other Library/Trip-<tag> and Other-<tag>: every Trip file is in both, "Trip-<tag>" is an album both
// make, Other holds byte copies of files of both) against the emulator at the same moment. Checked
// from the emulator: every distinct content sent exactly once (upload requests and completed uploads,
// counted by content — the emulator merges identical bytes into one item, so counting items alone
// could not fail), one album per title holding exactly its contents, one media item per content; and
// from the index afterwards: every file's row present and uploaded, every content committed, PRAGMA
// integrity_check ok. Prints the table.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openIndex } from '../../src/index/openIndex';
import { events, startCli, type CliResult } from '../helpers/cli';
import { makeJpeg, tempDir, writeTree } from '../unit/sync-fixtures';
import { emulatorView, integrity, printTable, sha, startSuite, WASM_DIR, type Suite } from './rig';
import type { HostArgs, HostReport } from './two-writers-host';

/**
 * Each upload answered this late: a run's uploads outlast the other writer's wait for the index lock
 * (saves are debounced up to 5 s), so without a guard both plan the shared contents and both send them.
 */
const LATENCY_MS = Number(process.env.TWO_WRITERS_LATENCY_MS ?? 1000);

let suite: Suite;
const rows: (string | number)[][] = [];

before(async () => {
  suite = await startSuite();
});
after(async () => {
  printTable('Two writers on one index (overlapping folders, at once)', [
    ['writers', 'files', 'contents', 'upload requests', 'contents sent twice', 'albums (titles)', 'albums twice', 'media items', 'items twice', 'index rows missing', 'not uploaded', 'integrity', 'who waited', 'reloads', 's'],
    ...rows,
  ]);
  const leaks = await suite.secretsFound();
  await suite?.close();
  assert.deepEqual(leaks, [], 'no token or client secret outside the 0600 secrets file');
});

interface Fixture {
  base: string;
  /** Absolute path → bytes. */
  files: Map<string, Buffer>;
  /** Album title → contents (sha256) it must hold. */
  albums: Map<string, Set<string>>;
  writerA: unknown[];
  writerB: unknown[];
}

/**
 * Library-<tag>/{Trip-<tag>, Home-<tag>} for one writer; Library-<tag>/Trip-<tag> (nested: the same
 * files) and Other-<tag> (new files plus byte copies of Trip and Home files) for the other.
 */
async function fixture(tag: string, seed: number): Promise<Fixture> {
  const base = await tempDir(`photo-sync-two-writers-${tag}-`);
  suite.track(base);
  const library = path.join(base, `Library-${tag}`);
  const trip = path.join(library, `Trip-${tag}`);
  const home = path.join(library, `Home-${tag}`);
  const other = path.join(base, `Other-${tag}`);
  const files = new Map<string, Buffer>();
  const albums = new Map<string, Set<string>>();
  const add = (dir: string, name: string, bytes: Buffer) => {
    files.set(path.join(dir, name), bytes);
    const title = path.basename(dir);
    albums.set(title, (albums.get(title) ?? new Set()).add(sha(bytes)));
  };
  const tripBytes = Array.from({ length: 14 }, (_, i) => makeJpeg(seed + i, { original: `2024:0${1 + (i % 9)}:10 10:00:00` }, 8 + (i % 7)));
  const homeBytes = Array.from({ length: 10 }, (_, i) => makeJpeg(seed + 100 + i, undefined, 8 + (i % 5)));
  tripBytes.forEach((b, i) => add(trip, `IMG_${1000 + i}.jpg`, b));
  homeBytes.forEach((b, i) => add(home, `IMG_${2000 + i}.jpg`, b));
  for (let i = 0; i < 6; i++) add(other, `new_${i}.jpg`, makeJpeg(seed + 200 + i, undefined, 10));
  for (let i = 0; i < 3; i++) add(other, `copy_of_trip_${i}.jpg`, tripBytes[i]);
  for (let i = 0; i < 3; i++) add(other, `copy_of_home_${i}.jpg`, homeBytes[i]);
  await writeTree(base, Object.fromEntries([...files].map(([p, b]) => [path.relative(base, p), b])));
  return {
    base,
    files,
    albums,
    writerA: [{ path: library, album: { mode: 'subfolders' } }],
    writerB: [
      { path: trip, album: { mode: 'subfolders' } },
      { path: other, album: { mode: 'subfolders' } },
    ],
  };
}

/** Starts an extension host child; resolves once it is signed in with the index open, ready to Sync Now on `go`. */
async function startHost(args: Omit<HostArgs, 'ready'>): Promise<{ done: Promise<{ code: number | null; report?: HostReport; stderr: string }> }> {
  const ready = `${args.go}.ready-${args.name}`;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'two-writers-host.ts'), JSON.stringify({ ...args, ready })], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; report?: HostReport; stderr: string }>((resolve) =>
    child.on('close', (code) => {
      suite.log(stdout + stderr);
      const line = stdout.trim().split('\n').pop();
      resolve({ code, stderr, report: code === 0 && line ? (JSON.parse(line) as HostReport) : undefined });
    }),
  );
  const deadline = Date.now() + 60_000;
  while (!existsSync(ready)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`host ${args.name} did not get ready: ${stderr}`);
    await sleep(20);
  }
  return { done };
}

async function accountId(): Promise<string> {
  const state = await suite.control.state();
  assert.equal(state.users.length, 1);
  return state.users[0].sub;
}

interface Outcome {
  label: string;
  fx: Fixture;
  storageDir: string;
  before: Awaited<ReturnType<typeof emulatorView>>;
  uploadRequestsBefore: number;
  waited: string[];
  reloads: number;
  started: number;
}

/** The checks, from the emulator's state and the index file; pushes the table row and asserts. */
async function check(o: Outcome): Promise<void> {
  const state = await suite.control.state();
  const after = await emulatorView(suite.control);
  const contents = new Set([...o.fx.files.values()].map(sha));
  const uploadRequests = (state.requestCounts['library.uploads'] ?? 0) - o.uploadRequestsBefore;
  const sentTwice = [...contents].filter((s) => (after.uploads.get(s) ?? 0) - (o.before.uploads.get(s) ?? 0) !== 1);
  const itemsTwice = [...contents].filter((s) => (after.items.get(s) ?? 0) !== 1);
  let albumsTwice = 0;
  const wrongAlbums: string[] = [];
  for (const [title, shas] of o.fx.albums) {
    const found = after.albums.get(title) ?? [];
    albumsTwice += Math.max(0, found.length - 1);
    const held = [...(found[0]?.shas ?? [])].sort();
    if (found.length !== 1 || JSON.stringify(held) !== JSON.stringify([...shas].sort())) wrongAlbums.push(`${title}: ${found.length} album(s), ${held.length} items for ${shas.size} contents`);
  }

  // The index as saved: a row for every file, uploaded; every content committed once.
  const index = await openIndex({ storageDir: o.storageDir, wasmDir: WASM_DIR, watch: false, integrityCheck: 'off' });
  const missing: string[] = [];
  const notUploaded: string[] = [];
  try {
    for (const file of o.fx.files.keys()) {
      const row = index.localFiles.byPath(file);
      if (!row) missing.push(file);
      else if (row.status !== 'uploaded') notUploaded.push(`${path.relative(o.fx.base, file)} (${row.status})`);
    }
    for (const s of contents) {
      const committed = index.uploads.bySha256(s).filter((u) => u.state === 'committed' && u.mediaItemId);
      if (committed.length === 0) notUploaded.push(`content ${s.slice(0, 10)} not committed in the index`);
    }
  } finally {
    await index.dispose();
  }
  const check = await integrity(o.storageDir);
  const titles = o.fx.albums.size;
  rows.push([
    o.label,
    o.fx.files.size,
    contents.size,
    uploadRequests,
    sentTwice.length,
    `${[...o.fx.albums.keys()].reduce((n, t) => n + (after.albums.get(t)?.length ?? 0), 0)} (${titles})`,
    albumsTwice,
    [...contents].reduce((n, s) => n + (after.items.get(s) ?? 0), 0),
    itemsTwice.length,
    missing.length,
    notUploaded.length,
    check,
    o.waited.join(', ') || 'none',
    o.reloads,
    ((Date.now() - o.started) / 1000).toFixed(1),
  ]);
  assert.deepEqual(sentTwice, [], 'every content sent exactly once');
  assert.equal(uploadRequests, contents.size, 'one upload request per distinct content (all are small, raw uploads)');
  assert.deepEqual(wrongAlbums, [], 'one album per title, holding exactly its contents');
  assert.equal(albumsTwice, 0);
  assert.deepEqual(itemsTwice, [], 'one media item per content');
  assert.deepEqual(missing, [], 'every file has its index row');
  assert.deepEqual(notUploaded, [], 'every file recorded as uploaded, every content committed');
  assert.equal(check, 'ok');
  // The runs really met: the one that came second waited for the other's lease (else this proved nothing).
  assert.ok(o.waited.length > 0, 'one writer waited for the other');
}

async function begin(tag: string, seed: number) {
  const fx = await fixture(tag, seed);
  const storageDir = await tempDir(`photo-sync-two-writers-storage-${tag}-`);
  suite.track(storageDir);
  const state = await suite.control.state();
  await suite.control.faults({ type: 'latency', endpoint: 'library.uploads', ms: LATENCY_MS });
  return { fx, storageDir, go: path.join(storageDir, '..', `${path.basename(storageDir)}.go`), before: await emulatorView(suite.control), uploadRequestsBefore: state.requestCounts['library.uploads'] ?? 0, started: Date.now() };
}

test('two extension hosts syncing overlapping folders against one index at once: nothing lost, nothing twice', { timeout: 180_000 }, async () => {
  const { fx, storageDir, go, before, uploadRequestsBefore, started } = await begin('hosts', 31_000);
  const id = await accountId();
  try {
    const common = { storageDir, endpoints: suite.emu.endpoints, accountId: id, go };
    const [a, b] = await Promise.all([startHost({ ...common, name: 'window A', folders: fx.writerA }), startHost({ ...common, name: 'window B', folders: fx.writerB })]);
    writeFileSync(go, '');
    const [ra, rb] = await Promise.all([a.done, b.done]);
    assert.equal(ra.code, 0, ra.stderr);
    assert.equal(rb.code, 0, rb.stderr);
    const reports = [ra.report!, rb.report!];
    assert.deepEqual(reports.flatMap((r) => r.failed), []);
    assert.deepEqual(reports.flatMap((r) => r.errors), []);
    await check({ label: 'two extension hosts', fx, storageDir, before, uploadRequestsBefore, waited: reports.filter((r) => r.waited).map((r) => r.name), reloads: reports.reduce((n, r) => n + r.reloads, 0), started });
  } finally {
    await suite.control.faults({ type: 'clear' });
  }
});

test('an extension host and a command-line sync of overlapping folders against one index at once: nothing lost, nothing twice', { timeout: 180_000 }, async () => {
  const { fx, storageDir, go, before, uploadRequestsBefore, started } = await begin('cli', 47_000);
  const id = await accountId();
  try {
    const host = await startHost({ storageDir, endpoints: suite.emu.endpoints, accountId: id, go, name: 'window', folders: fx.writerA });
    // The command line uses the same index folder as the window's global storage ("index" in its config).
    const home = suite.home({ folders: fx.writerB, index: storageDir });
    mkdirSync(storageDir, { recursive: true });
    const cli = startCli(home, ['sync', '--json']);
    // Both begin together: the window's Sync Now once the command line has started its sync.
    await cli.waitFor(/"type":\s*"start"/, 60_000);
    writeFileSync(go, '');
    const [rh, rc] = await Promise.all([host.done, cli.done as Promise<CliResult>]);
    suite.log(rc.stdout + rc.stderr);
    assert.equal(rh.code, 0, rh.stderr);
    assert.equal(rc.code, 0, `photo-sync sync: ${rc.stderr}\n${rc.stdout.slice(-2000)}`);
    assert.deepEqual(rh.report!.failed, []);
    assert.deepEqual(rh.report!.errors, []);
    const cliWaited = events(rc).some((e) => e.type === 'waiting');
    await check({ label: 'extension host + dist/cli.js sync', fx, storageDir, before, uploadRequestsBefore, waited: [...(rh.report!.waited ? ['window'] : []), ...(cliWaited ? ['CLI'] : [])], reloads: rh.report!.reloads, started });
  } finally {
    await suite.control.faults({ type: 'clear' });
  }
});
