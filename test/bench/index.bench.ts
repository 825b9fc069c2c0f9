// Index benchmark: 100,000 media items in 100 albums.
//   npx tsx test/bench/index.bench.ts [items=100000]        (also run by `npm run bench`)
// Builds the file in one child process, measures in another (started with --expose-gc so memory is
// read after collection), and prints, each with the file size:
//   - open (openIndex: read, integrity check, migrations check)     target < 150 ms
//   - save (a small write, then export + temp file + fsync + rename) target < 150 ms
//   - a page of 100 items of an album (offset in the middle), the album list with counts, and the
//     integrity check that runs after open
//   - memory: RSS and JS heap+external growth from opening, and the peak around a save, vs file size (target < 3×)
// with ratios to the targets and to a bare sql.js baseline measured in the same run
// (readFileSync + new Database for open; export + write + fsync for save).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSqlJs, openIndex } from '../../src/index/openIndex';
import type { MediaItemRecord } from '../../src/index/api';
import { count, row, scaled } from './rows';

const MODE = process.argv[2] === 'build' || process.argv[2] === 'measure' ? process.argv[2] : 'main';
// main: [items]; build/measure: <dir> <items>
const ITEMS = Number((MODE === 'main' ? process.argv[2] : process.argv[4]) ?? scaled(100_000, 1000));
const ALBUMS = 100;
const wasmDir = path.dirname(require.resolve('sql.js/dist/sql-wasm.wasm'));
const MB = 1024 * 1024;

async function build(dir: string, items: number): Promise<void> {
  const index = await openIndex({ storageDir: dir, wasmDir, watch: false });
  await index.write((w) => {
    for (let a = 0; a < ALBUMS; a++) w.albums.upsert({ id: `album-${a}`, accountId: 'acc', provider: 'google-photos', title: `Album ${a}`, appCreated: true });
    const batch: MediaItemRecord[] = [];
    for (let i = 0; i < items; i++) {
      batch.push({
        id: `AGj1epU${i.toString(36).padStart(8, '0')}Xq9mZr0sT5vW2yB4nC6eD8fG0hJ2kL4mN6pQ8rS`,
        accountId: 'acc',
        provider: 'google-photos',
        filename: `IMG_${String(i).padStart(6, '0')}.jpg`,
        mimeType: 'image/jpeg',
        creationTime: new Date(Date.UTC(2015, 0, 1) + i * 3_600_000).toISOString(),
        size: 2_000_000 + (i % 1000) * 1000,
        sha256: (i * 2654435761).toString(16).padStart(64, 'a').slice(0, 64),
        cameraMake: 'Canon',
        cameraModel: 'EOS R6',
        width: 6000,
        height: 4000,
        appCreated: true,
      });
    }
    w.mediaItems.upsertMany(batch);
    for (let a = 0; a < ALBUMS; a++) {
      w.mediaItems.addToAlbum(
        `album-${a}`,
        batch.filter((_m, i) => i % ALBUMS === a).map((m) => m.id),
      );
    }
  });
  await index.dispose();
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function time<T>(fn: () => Promise<T> | T): Promise<[number, T]> {
  const t = process.hrtime.bigint();
  const r = await fn();
  return [Number(process.hrtime.bigint() - t) / 1e6, r];
}

async function memory() {
  // Array buffers are swept concurrently after a collection: give the sweeper a moment.
  for (let i = 0; i < 3; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    await new Promise((r) => setTimeout(r, 30));
  }
  const m = process.memoryUsage();
  return { rss: m.rss, js: m.heapUsed + m.external };
}

async function measure(dir: string): Promise<void> {
  const file = path.join(dir, 'index.sqlite');
  const fileSize = fs.statSync(file).size;
  const start = await memory();
  const SQL = await loadSqlJs(wasmDir); // compiled once per process, like the extension host
  // The engine's first use costs the same whatever the file (V8 compiling SQLite's hot functions,
  // the wasm heap's first pages): measured on an empty index, reported on its own line, and left
  // out of the ratio to the file size.
  const loaded = await memory();
  let firstOpenMs = 0;
  const emptyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'photosync-index-bench-empty-'));
  try {
    const [ms, empty] = await time(() => openIndex({ storageDir: emptyDir, wasmDir, watch: false }));
    firstOpenMs = ms;
    await empty.write((w) => w.quota.add('acc', 'google-photos', '2026-01-10', 1));
    await empty.flush();
    empty.mediaItems.inAlbum('album-0', { offset: 0, limit: 100 });
    await empty.dispose();
  } finally {
    fs.rmSync(emptyDir, { recursive: true, force: true });
  }
  // V8 compiles hot wasm functions in the background and frees its compile memory afterwards:
  // wait until RSS settles (two readings 200 ms apart within 0.25 MB, at most 3 s).
  let before = await memory();
  for (let i = 0; i < 15; i++) {
    await new Promise((r) => setTimeout(r, 200));
    const again = await memory();
    const settled = Math.abs(again.rss - before.rss) < MB / 4;
    before = again;
    if (settled) break;
  }

  // Memory: open once and keep it open.
  const [coldOpenMs, index] = await time(() => openIndex({ storageDir: dir, wasmDir, watch: false }));
  const afterOpen = await memory();
  let peakRss = afterOpen.rss;
  let peakJs = afterOpen.js;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakJs = Math.max(peakJs, m.heapUsed + m.external);
  }, 1);

  // Memory around one save (back-to-back saves would also count the previous saves' garbage).
  await index.write((w) => w.quota.add('acc', 'google-photos', '2026-01-10', 1));
  await index.flush();
  clearInterval(sampler);
  const afterSave = await memory();

  // Save: a small write then a forced save (what the end of every task does).
  const saves: number[] = [];
  for (let i = 0; i < 7; i++) {
    await index.write((w) => w.quota.add('acc', 'google-photos', '2026-01-10', 1));
    saves.push((await time(() => index.flush()))[0]);
  }

  // A page of 100 items from the middle of an album.
  const album = 'album-42';
  const albumSize = index.mediaItems.countInAlbum(album);
  const pages: number[] = [];
  for (let i = 0; i < 20; i++) pages.push((await time(() => index.mediaItems.inAlbum(album, { offset: Math.floor(albumSize / 2), limit: 100 })))[0]);
  const page = index.mediaItems.inAlbum(album, { offset: Math.floor(albumSize / 2), limit: 100 });
  const [countMs] = await time(() => index.albums.listWithCounts(undefined, { limit: 100 }));
  const [checkMs] = await time(() => index.verifyIntegrity());
  await index.dispose();

  // Open (warm): median of several opens of the same file.
  const opens: number[] = [];
  for (let i = 0; i < 5; i++) {
    const [ms, again] = await time(() => openIndex({ storageDir: dir, wasmDir, watch: false }));
    opens.push(ms);
    await again.dispose();
  }

  // Baselines: the least sql.js can do for an open and a save of the same file.
  const bareOpens: number[] = [];
  const bareSaves: number[] = [];
  for (let i = 0; i < 5; i++) {
    const [openMs, db] = await time(() => new SQL.Database(fs.readFileSync(file)));
    bareOpens.push(openMs);
    const [saveMs] = await time(() => {
      const fd = fs.openSync(path.join(dir, 'bare.sqlite'), 'w');
      fs.writeSync(fd, db.export());
      fs.fsyncSync(fd);
      fs.closeSync(fd);
    });
    bareSaves.push(saveMs);
    db.close();
  }

  const openMs = median(opens);
  const saveMs = median(saves);
  const pageMs = median(pages);
  const mb = (n: number) => `${(n / MB).toFixed(1)} MB`;
  const ratio = (n: number) => `${n.toFixed(2)}×`;
  const rows: [string, string, string, string][] = [
    ['open (warm, median of 5)', `${openMs.toFixed(1)} ms`, `${ratio(openMs / 150)} of 150 ms target`, `${ratio(openMs / median(bareOpens))} bare sql.js open (${median(bareOpens).toFixed(1)} ms)`],
    ['create an empty index (first in process)', `${firstOpenMs.toFixed(1)} ms`, '', 'migrations, first save with fsync; sql.js compiled already'],
    ['open (this file, first time)', `${coldOpenMs.toFixed(1)} ms`, `${ratio(coldOpenMs / 150)} of 150 ms target`, ''],
    ['save (median of 7)', `${saveMs.toFixed(1)} ms`, `${ratio(saveMs / 150)} of 150 ms target`, `${ratio(saveMs / median(bareSaves))} bare export+write+fsync (${median(bareSaves).toFixed(1)} ms)`],
    [`page of 100 album items (of ${albumSize})`, `${pageMs.toFixed(2)} ms`, '', `got ${page.items.length}, total ${page.total}`],
    ['100 albums with item counts', `${countMs.toFixed(1)} ms`, '', ''],
    ['integrity check (runs 10 s after open)', `${checkMs.toFixed(1)} ms`, '', ''],
    ['memory: engine load + first use (any file)', mb(before.rss - start.rss), '', `load ${mb(loaded.rss - start.rss)}, first use on an empty index ${mb(before.rss - loaded.rss)}`],
    ['memory: RSS growth after open', mb(afterOpen.rss - before.rss), `${ratio((afterOpen.rss - before.rss) / fileSize)} file (target < 3×)`, ''],
    ['memory: JS heap+external after open', mb(afterOpen.js - before.js), `${ratio((afterOpen.js - before.js) / fileSize)} file`, ''],
    ['memory: peak RSS growth during a save', mb(peakRss - before.rss), `${ratio((peakRss - before.rss) / fileSize)} file (target < 3×)`, ''],
    ['memory: peak JS heap+external during a save', mb(peakJs - before.js), `${ratio((peakJs - before.js) / fileSize)} file`, ''],
    ['memory: JS heap+external after it (GC)', mb(afterSave.js - before.js), `${ratio((afterSave.js - before.js) / fileSize)} file`, ''],
  ];
  console.log(`index.sqlite with ${ITEMS.toLocaleString('en-US')} media items in ${ALBUMS} albums: file ${mb(fileSize)}`);
  for (const [name, value, target, baseline] of rows) console.log(`${name.padEnd(44)} ${value.padStart(10)}   ${target.padEnd(34)} ${baseline}`);
  const n = count(ITEMS);
  const sizeText = `file ${mb(fileSize)}`;
  row({ name: `Index of ${n} items: open`, value: openMs, unit: 'ms', target: 150, kind: 'max', detail: `median of 5 warm opens (first of this file ${coldOpenMs.toFixed(0)} ms, after creating an empty index first in the process); bare sql.js open ${median(bareOpens).toFixed(0)} ms; ${sizeText}` });
  row({ name: `Index of ${n} items: save`, value: saveMs, unit: 'ms', target: 150, kind: 'max', detail: `median of 7; bare export + write + fsync ${median(bareSaves).toFixed(0)} ms` });
  row({ name: `Index of ${n} items: a page of 100 album items`, value: pageMs, unit: 'ms', target: 150, kind: 'max', detail: `median of 20, offset in the middle of ${albumSize}` });
  row({ name: `Index of ${n} items: peak memory vs file size`, value: Math.max(afterOpen.rss - before.rss, peakRss - before.rss) / fileSize, unit: '×', target: 3, kind: 'max', detail: `RSS +${mb(afterOpen.rss - before.rss)} after open, +${mb(peakRss - before.rss)} peak during a save; ${sizeText}; the engine's load and first use +${mb(before.rss - start.rss)} (any file size, not in the ratio)` });
}

async function main(): Promise<void> {
  const dir = process.argv[3];
  if (MODE === 'build') return build(dir, ITEMS);
  if (MODE === 'measure') return measure(dir);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'photosync-index-bench-'));
  try {
    const started = Date.now();
    const b = spawnSync(process.execPath, ['--import', 'tsx', __filename, 'build', work, String(ITEMS)], { stdio: 'inherit' });
    if (b.status !== 0) throw new Error('building the index failed');
    console.log(`(built in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
    const m = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', __filename, 'measure', work, String(ITEMS)], { stdio: 'inherit' });
    if (m.status !== 0) throw new Error('measuring failed');
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
