// Kill trials: the built command line syncing ~300 files (small and resumable-size ones, duplicates,
// a second album) and downloading an album, killed with SIGKILL at seeded random points in each phase
// — an index save, between an upload and its commit, a commit the service made but whose answer never
// arrived, a resumable chunk, archive-after-upload, a download's placing — then run again to the end.
// After every trial: every local file is there (folder or archive) with its own bytes, the emulator
// holds each distinct content once in each album it belongs to, no album twice, no bytes of a
// committed content sent again, no partial file under a final name, PRAGMA integrity_check ok, and the
// index agrees with the emulator. RELIABILITY_TRIALS (default 20; `npm run soak`: 200) sets the count,
// RELIABILITY_FIRST_TRIAL the first (to split a soak over processes).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { watch, type FSWatcher, promises as fs } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { runCli, startCli, type CliHome } from '../helpers/cli';
import { sha, makeFixture, emulatorView, hashTree, indexAlbums, integrity, partials, printTable, seeded, startSuite, type Fixture, type Suite } from './rig';

const TRIALS = Number(process.env.RELIABILITY_TRIALS ?? 20);
/** RELIABILITY_FIRST_TRIAL runs trials FIRST…TRIALS only: two processes can share a soak's trials (each trial's seed is its number). */
const FIRST_TRIAL = Number(process.env.RELIABILITY_FIRST_TRIAL ?? 1);
// 120 files per sync keeps 20 trials within CI's budget; the soak (and RELIABILITY_FILES=300) syncs the 300.
const FILES = Number(process.env.RELIABILITY_FILES ?? (process.env.RELIABILITY_SOAK ? 300 : 120));
const BIG = Number(process.env.RELIABILITY_BIG_FILES ?? 2);
const SEED = Number(process.env.RELIABILITY_SEED ?? 20261129);

type Phase = 'index save' | 'upload → commit' | 'commit unanswered' | 'resumable chunk' | 'archive move' | 'download place';
const ALL_PHASES: Phase[] = ['index save', 'upload → commit', 'commit unanswered', 'resumable chunk', 'archive move', 'download place'];
/** RELIABILITY_PHASE narrows the trials to one kill point (to chase a failure). */
const PHASES = process.env.RELIABILITY_PHASE ? ALL_PHASES.filter((p) => p === process.env.RELIABILITY_PHASE) : ALL_PHASES;

interface Row {
  trial: number;
  phase: Phase;
  killedAt: string;
  landed: boolean;
  lost: number;
  duplicates: number;
  resent: number;
  albumsTwice: number;
  partial: number;
  integrity: string;
  disagree: number;
  seconds: number;
}

let suite: Suite;
/** What the last check found missing, for the failure message. */
let lostPaths: string[] = [];
const rows: Row[] = [];

before(async () => {
  suite = await startSuite();
});
after(async () => {
  const head = ['trial', 'kill point', 'killed at', 'landed', 'lost files', 'duplicates', 'bytes re-sent (in flight)', 'albums twice', 'partial files', 'integrity', 'index ≠ emulator', 's'];
  printTable(`Kill trials (seed ${SEED}, ${FILES} files per sync)`, [head, ...rows.map((r) => [r.trial, r.phase, r.killedAt, r.landed ? 'yes' : 'no (ran to end)', r.lost, r.duplicates, r.resent, r.albumsTwice, r.partial, r.integrity, r.disagree, r.seconds.toFixed(1)])]);
  const sum = (k: keyof Row) => rows.reduce((n, r) => n + (r[k] as number), 0);
  printTable('Kill trials — totals', [
    ['trials', 'kill points covered', 'kills landed', 'lost files', 'duplicates', 'albums twice', 'partial files', 'integrity failures', 'index ≠ emulator'],
    [rows.length, new Set(rows.filter((r) => r.landed).map((r) => r.phase)).size, rows.filter((r) => r.landed).length, sum('lost'), sum('duplicates'), sum('albumsTwice'), sum('partial'), rows.filter((r) => r.integrity !== 'ok').length, sum('disagree')],
  ]);
  const leaks = await suite.secretsFound();
  printTable('Secrets after the kill trials', [['files and outputs checked for issued tokens and the client secret', 'found'], ['homes (config, index, data), photo folders, archives, downloads, every run’s output', leaks.length ? leaks.join('; ') : 'none']]);
  await suite?.close();
  assert.deepEqual(leaks, [], 'no token or client secret outside the 0600 secrets file');
});

/**
 * Google allows 10,000 Library requests a day per project, and so does the emulator; a soak of 200
 * trials of 300 files sends several times that (the soak of 2026-11-30 ran out at trial 35). A trial
 * starts on the next emulated day (midnight Pacific) once the day's quota is half spent.
 */
async function freshQuotaDay(): Promise<void> {
  const { quota } = await suite.control.state();
  const used = Math.max(0, ...Object.values(quota.daily).map((d) => d.used));
  if (used > quota.dailyLimit / 2) await suite.control.advanceClock(24 * 60 * 60 * 1000);
}

/** In a soak, each trial's row as it ends: a run cut short for time still leaves its figures in the log. */
function rowDone(r: Row): void {
  if (!process.env.RELIABILITY_SOAK) return;
  process.stdout.write(`trial-row ${JSON.stringify(r)}\n`);
}

/** Starts the command and SIGKILLs it when `arm` calls its trigger (after `delayMs`); resolves when it exited. */
async function runKilled(home: CliHome, args: string[], arm: (kill: (what: string) => void) => () => void): Promise<{ landed: boolean; at: string; code: number | null }> {
  const running = startCli(home, args);
  let at = '';
  const disarm = arm((what) => {
    if (at) return;
    at = what;
    running.child.kill('SIGKILL');
  });
  try {
    const done = await running.done;
    suite.log(done.stdout + done.stderr);
    return { landed: done.signal === 'SIGKILL', at: at || 'end', code: done.code };
  } finally {
    disarm();
  }
}

/** Kills on the k-th request of `op` (optionally one that `match` accepts), `delayMs` after it arrived. */
function onRequest(op: string, k: number, delayMs: number, match: (req: IncomingMessage) => boolean = () => true) {
  return (kill: (what: string) => void) => {
    let n = 0;
    const listener = (seen: string, req: IncomingMessage) => {
      if (seen !== op || !match(req) || ++n !== k) return;
      setTimeout(() => kill(`${op} #${k} +${delayMs} ms`), delayMs);
    };
    suite.listeners.add(listener);
    return () => suite.listeners.delete(listener);
  };
}

/** Kills on the k-th change below `dir` whose name matches `pattern` (fs.watch, recursive). */
function onFsEvent(dir: string, pattern: RegExp, k: number, label: string) {
  return (kill: (what: string) => void) => {
    let n = 0;
    let watcher: FSWatcher | undefined;
    try {
      watcher = watch(dir, { recursive: true }, (_event, name) => {
        if (name && pattern.test(String(name)) && ++n === k) kill(`${label} #${k}`);
      });
    } catch {
      watcher = undefined;
    }
    return () => watcher?.close();
  };
}

async function checkUpload(fx: Fixture, archive: string | undefined, before: Awaited<ReturnType<typeof emulatorView>>, atKill: Awaited<ReturnType<typeof emulatorView>>, indexDir: string): Promise<Omit<Row, 'trial' | 'phase' | 'killedAt' | 'landed' | 'seconds'>> {
  lostPaths = [];
  const local = await hashTree(fx.root);
  const archived = archive ? await hashTree(archive) : new Map<string, string>();
  let lost = 0;
  for (const [rel, bytes] of Object.entries(fx.files)) {
    const want = sha(bytes);
    const here = [local.get(rel), archived.get(rel)].filter(Boolean);
    if (here.length !== 1 || here[0] !== want) {
      lost++;
      lostPaths.push(`${rel} (${here.length === 0 ? 'missing' : here.length > 1 ? 'in folder and archive' : 'other bytes'})`);
    }
  }
  const partial = partials([...local.keys(), ...archived.keys()]).length + [...local.keys(), ...archived.keys()].filter((f) => !(f in fx.files)).length;
  const after = await emulatorView(suite.control);
  let duplicates = 0;
  let albumsTwice = 0;
  for (const [title, shas] of fx.albums) {
    const found = after.albums.get(title) ?? [];
    if (found.length !== 1) albumsTwice += Math.max(0, found.length - 1);
    const album = found[0];
    if (!album) {
      lost += shas.size;
      lostPaths.push(`album ${title} missing`);
      continue;
    }
    const counts = new Map<string, number>();
    for (const s of album.shas) counts.set(s, (counts.get(s) ?? 0) + 1);
    for (const s of shas) {
      const n = counts.get(s) ?? 0;
      if (n === 0) {
        lost++;
        lostPaths.push(`${s.slice(0, 12)} not in ${title}`);
      }
      else if (n > 1) duplicates += n - 1;
    }
    for (const s of counts.keys()) if (!shas.has(s)) duplicates++;
  }
  // Bytes twice: a content the service had committed (an item) before the kill must not be uploaded again.
  let resentCommitted = 0;
  let resentInFlight = 0;
  const all = new Set([...fx.albums.values()].flatMap((s) => [...s]));
  for (const s of all) {
    const sent = (after.uploads.get(s) ?? 0) - (before.uploads.get(s) ?? 0);
    const sentBeforeKill = (atKill.uploads.get(s) ?? 0) - (before.uploads.get(s) ?? 0);
    const committed = (atKill.items.get(s) ?? 0) > (before.items.get(s) ?? 0);
    if (sent <= 1) continue;
    if (committed) resentCommitted += sent - sentBeforeKill > 0 ? 1 : 0;
    else resentInFlight += sent - 1;
  }
  duplicates += resentCommitted;
  const check = await integrity(indexDir);
  const known = await indexAlbums(indexDir);
  let disagree = 0;
  for (const [title, shas] of fx.albums) {
    const inIndex = known.get(title) ?? [];
    const onService = after.albums.get(title) ?? [];
    if (inIndex.length !== 1 || inIndex[0].id !== onService[0]?.id || inIndex[0].items !== shas.size) disagree++;
  }
  return { lost, duplicates, resent: resentInFlight, albumsTwice, partial, integrity: check, disagree };
}

for (let trial = FIRST_TRIAL; trial <= TRIALS; trial++) {
  const phase = PHASES[(trial - 1) % PHASES.length];
  test(`kill trial ${trial}: SIGKILL during ${phase}, then a second run finishes; nothing lost, nothing twice`, { timeout: 600_000 }, async () => {
    await freshQuotaDay();
    const started = Date.now();
    const rnd = seeded(SEED + trial);
    const tag = `K${trial}`;
    const download = phase === 'download place';
    const fx = await makeFixture(tag, trial * 10_000, download ? Math.min(60, FILES) : FILES, phase === 'resumable chunk' ? Math.max(BIG, 1) : download ? 0 : BIG);
    const archiveMode = phase === 'archive move' || (!download && trial % 2 === 0);
    const archive = archiveMode ? `${fx.root}-archive` : undefined;
    const folder = { path: fx.root, album: { mode: 'subfolders' }, ...(archive ? { afterUpload: 'archive', archivePath: archive } : {}) };
    const home = suite.home({ folders: [folder] });
    suite.track(fx.root);
    if (archive) suite.track(archive);
    const indexDir = path.join(home.dir, 'index');
    await fs.mkdir(indexDir, { recursive: true });
    if (archive) await fs.mkdir(archive, { recursive: true });
    const before = await emulatorView(suite.control);
    const smallCount = Object.keys(fx.files).length;
    let killed: { landed: boolean; at: string; code: number | null };
    let atKill: Awaited<ReturnType<typeof emulatorView>>;

    if (!download) {
      const k = 1 + Math.floor(rnd() * (phase === 'resumable chunk' ? 2 : phase === 'commit unanswered' ? 4 : smallCount * 0.8));
      const arm =
        phase === 'index save'
          ? onFsEvent(indexDir, /index\.sqlite\.tmp-/, 1 + Math.floor(rnd() * 6), 'index save')
          : phase === 'upload → commit'
            ? onRequest('library.uploads', k, Math.floor(rnd() * 40))
            : phase === 'commit unanswered'
              ? onRequest('library.mediaItems.batchCreate', k, Math.floor(rnd() * 120))
              : phase === 'resumable chunk'
                ? onRequest('library.uploads', k, Math.floor(rnd() * 15), (req) => /upload/.test(String(req.headers['x-goog-upload-command'] ?? '')))
                : onFsEvent(archive as string, /\.jpg$/, 1 + Math.floor(rnd() * smallCount * 0.8), 'archive move');
      if (phase === 'commit unanswered') await suite.control.faults({ type: 'latency', endpoint: 'library.mediaItems.batchCreate', ms: 150 });
      try {
        killed = await runKilled(home, ['sync', '--quiet'], arm);
      } finally {
        await suite.control.faults({ type: 'clear' });
      }
      atKill = await emulatorView(suite.control);
      const rerun = await runCli(home, ['sync', '--quiet', '--verbose'], { timeoutMs: 300_000 });
      suite.log(rerun.stdout + rerun.stderr);
      assert.equal(rerun.code, 0, `rerun: ${rerun.stderr}`);
      const result = await checkUpload(fx, archive, before, atKill, indexDir);
      rows.push({ trial, phase, killedAt: killed.at, landed: killed.landed, ...result, seconds: (Date.now() - started) / 1000 });
      rowDone(rows[rows.length - 1]);
      assert.deepEqual(result, { ...result, lost: 0, duplicates: 0, albumsTwice: 0, partial: 0, integrity: 'ok', disagree: 0 }, `lost: ${lostPaths.join(', ')}; rerun: ${rerun.stdout.slice(-2000)}`);
      return;
    }

    // Download: the album is synced whole first, then its download is killed while files are placed.
    const sync = await runCli(home, ['sync', '--quiet'], { timeoutMs: 300_000 });
    assert.equal(sync.code, 0, sync.stderr);
    const to = await fs.realpath(await fs.mkdtemp(`${fx.root}-download-`));
    suite.track(to);
    const album = `${tag} Main`;
    const k = 1 + Math.floor(rnd() * fx.albums.get(album)!.size);
    killed = await runKilled(home, ['download', 'album', album, '--to', to, '--quiet'], onFsEvent(to, /\.jpg$|\.part$/, k, 'download place'));
    const rerun = await runCli(home, ['download', 'album', album, '--to', to, '--json'], { timeoutMs: 300_000 });
    assert.equal(rerun.code, 0, `rerun: ${rerun.stderr}`);
    const tree = await hashTree(to);
    const photos = [...tree].filter(([f]) => f.startsWith('photos/'));
    const want = fx.albums.get(album)!;
    const got = new Map<string, number>();
    for (const [, s] of photos) got.set(s, (got.get(s) ?? 0) + 1);
    const served = await emulatorView(suite.control);
    // The emulator serves photos as uploaded (these carry no location data to strip).
    const lost = [...want].filter((s) => !got.has(s)).length;
    const duplicates = [...got.values()].reduce((n, c) => n + c - 1, 0) + [...got.keys()].filter((s) => !want.has(s)).length;
    const partial = partials(tree.keys()).length;
    const check = await integrity(indexDir);
    const albumsTwice = (served.albums.get(album)?.length ?? 0) - 1;
    const known = await indexAlbums(indexDir);
    const disagree = known.get(album)?.[0]?.id === served.albums.get(album)?.[0]?.id ? 0 : 1;
    const row = { lost, duplicates, resent: 0, albumsTwice, partial, integrity: check, disagree };
    rows.push({ trial, phase, killedAt: killed.at, landed: killed.landed, ...row, seconds: (Date.now() - started) / 1000 });
    rowDone(rows[rows.length - 1]);
    assert.deepEqual(row, { ...row, lost: 0, duplicates: 0, albumsTwice: 0, partial: 0, integrity: 'ok', disagree: 0 }, `files: ${photos.map(([f]) => f).join(', ')}`);
  });
}
