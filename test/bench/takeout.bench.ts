// Takeout reader benchmark: a generated export (default 2 GB, scaled by BENCH_SCALE).
//   npx tsx --expose-gc test/bench/takeout.bench.ts [megabytes=2048] [entries=100000]
// Prints, against baselines measured in the same run:
//   - zip pass 2 (every media entry streamed and hashed) vs `unzip -p part.zip > /dev/null`
//   - the whole import into photos/{yyyy}/{mm} vs `unzip -p` (target ≤ 1.5×) and vs `unzip -d` + sync
//   - zip pass 1 (scan: directory + JSON only): time and bytes read vs the part's size
//   - tgz pass 1 and pass 2 vs `tar -xzOf part.tgz > /dev/null`
//   - a scan of an export with `entries` files (half photos, half sidecars): time and memory
//   - peak RSS growth of each pass
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openIndex } from '../../src/index/openIndex';
import { importTakeout } from '../../src/sync/takeout/pipeline';
import { parseTakeoutSettings } from '../../src/sync/takeout/settings';
import { TaskQueue } from '../../src/tasks/queue';
import { nullLogger } from '../../src/util/logger';
import { readArchives } from '../../src/takeout/readArchive';
import { scanTakeout } from '../../src/takeout/scan';
import { writeTgz, writeZip, type TakeoutFile } from '../helpers/takeoutArchive';
import { sidecarJson } from '../helpers/takeoutFixture';
import { peakRssDelta } from './measure';
import { row, scaled } from './rows';

const MB = 1024 * 1024;
const TARGET_MB = Number(process.argv[2] ?? scaled(2048, 100));
const MANY = Number(process.argv[3] ?? scaled(100_000, 2000));

function exportFiles(totalBytes: number): TakeoutFile[] {
  const files: TakeoutFile[] = [];
  let bytes = 0;
  for (let i = 0; bytes < totalBytes; i++) {
    const video = i % 20 === 19;
    const size = video ? 24 * MB : 2 * MB + ((i * 7919) % MB);
    const folder = `Takeout/Google Photos/Photos from ${2010 + (i % 10)}`;
    const name = video ? `VID_${i}.mp4` : `IMG_${i}.jpg`;
    files.push({ name: `${folder}/${name}`, size, streamed: true });
    files.push({ name: `${folder}/${name}.supplemental-metadata.json`, data: sidecarJson({ title: name, taken: 1_300_000_000 + i * 3600 }) });
    bytes += size;
  }
  return files;
}

function rchar(): number {
  return Number(/rchar: (\d+)/.exec(readFileSync('/proc/self/io', 'utf8'))![1]);
}

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; rssMB: number; readMB: number; value: T }> {
  let value!: T;
  const before = rchar();
  const started = process.hrtime.bigint();
  const rss = await peakRssDelta(async () => (value = await run()));
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, rssMB: rss / MB, readMB: (rchar() - before) / MB, value };
}

function shell(command: string): number {
  const started = process.hrtime.bigint();
  const run = spawnSync('bash', ['-c', command], { stdio: 'inherit' });
  if (run.status !== 0) throw new Error(`${command} failed`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function streamAll(parts: string[]): Promise<number> {
  let bytes = 0;
  for await (const entry of readArchives(parts, { kinds: new Set(['media']) })) {
    const hash = createHash('sha1'); // a consumer does something with the bytes; sha1 is cheap
    for await (const chunk of entry.open()) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
  }
  return bytes;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'takeout-bench-'));
  try {
    execFileSync('unzip', ['-v'], { stdio: 'ignore' }); // fails loudly when `apt-get install unzip` is missing
    const files = exportFiles(TARGET_MB * MB);
    const zip = path.join(dir, 'takeout-001.zip');
    const tgz = path.join(dir, 'takeout-001.tgz');
    let started = Date.now();
    await writeZip(zip, files);
    await writeTgz(tgz, files);
    const zipMB = statSync(zip).size / MB;
    const tgzMB = statSync(tgz).size / MB;
    console.log(`export: ${files.length / 2} media, zip ${zipMB.toFixed(0)} MB, tgz ${tgzMB.toFixed(0)} MB (built in ${((Date.now() - started) / 1000).toFixed(1)} s)`);

    shell(`cat ${zip} ${tgz} > /dev/null`); // same page-cache state for every contender
    const unzipMs = Math.min(shell(`unzip -p ${zip} > /dev/null`), shell(`unzip -p ${zip} > /dev/null`));
    const pass2 = await timed(() => streamAll([zip]));
    const pass1 = await timed(() => scanTakeout([zip]));
    console.log(`zip  pass 2 (stream + hash all media): ${pass2.ms.toFixed(0)} ms, ${(pass2.value / MB / (pass2.ms / 1000)).toFixed(0)} MB/s; unzip -p: ${unzipMs.toFixed(0)} ms → ratio ${(pass2.ms / unzipMs).toFixed(2)}×; peak RSS +${pass2.rssMB.toFixed(1)} MB`);
    console.log(`zip  pass 1 (scan): ${pass1.ms.toFixed(0)} ms, read ${pass1.readMB.toFixed(2)} MB of ${zipMB.toFixed(0)} MB, peak RSS +${pass1.rssMB.toFixed(1)} MB, ${pass1.value.counts.matchedExact} matched`);

    // The whole import (issue 16's target): pass 1 + pass 2 writing every photo into photos/{yyyy}/{mm}
    // (hashed, fsynced, named, mtime set, EXIF not touched: the media here are not JPEGs), an index row each.
    const importRoot = path.join(dir, 'import');
    mkdirSync(importRoot);
    const index = await openIndex({ storageDir: path.join(dir, 'index'), wasmDir: path.join(process.cwd(), 'node_modules/sql.js/dist'), watch: false });
    const queue = new TaskQueue();
    const full = await timed(() => importTakeout({ parts: [zip], root: importRoot, settings: { ...parseTakeoutSettings(() => undefined).settings, writeMetadata: 'off' }, index, queue, log: nullLogger }));
    const extractMs = shell(`unzip -q -o ${zip} -d ${path.join(dir, 'unzipped')} && sync`);
    console.log(
      `zip  IMPORT (scan + stream + hash + write + fsync + index): ${full.ms.toFixed(0)} ms, ${(full.value.bytesWritten / MB / (full.ms / 1000)).toFixed(0)} MB/s, ${full.value.imported} files → ratio ${(full.ms / unzipMs).toFixed(2)}× unzip -p (target ≤ 1.5×), ${(full.ms / extractMs).toFixed(2)}× unzip -d + sync (${extractMs.toFixed(0)} ms); peak RSS +${full.rssMB.toFixed(1)} MB`,
    );
    await queue.dispose();
    await index.dispose();
    rmSync(importRoot, { recursive: true, force: true });
    rmSync(path.join(dir, 'unzipped'), { recursive: true, force: true });

    const tarMs = shell(`tar -xzOf ${tgz} > /dev/null`);
    const tgz1 = await timed(() => scanTakeout([tgz]));
    const tgz2 = await timed(() => streamAll([tgz]));
    console.log(`tgz  pass 1 (scan, media skipped): ${tgz1.ms.toFixed(0)} ms (${(tgz1.ms / tarMs).toFixed(2)}× tar -xzO), peak RSS +${tgz1.rssMB.toFixed(1)} MB`);
    console.log(`tgz  pass 2 (stream + hash all media): ${tgz2.ms.toFixed(0)} ms (${(tgz2.ms / tarMs).toFixed(2)}× tar -xzO ${tarMs.toFixed(0)} ms), peak RSS +${tgz2.rssMB.toFixed(1)} MB`);
    const worst = Math.max(pass2.rssMB, tgz2.rssMB, pass1.rssMB, tgz1.rssMB);
    row({ name: `Peak memory above idle, reading a ${TARGET_MB >= 1024 ? `${(TARGET_MB / 1024).toFixed(0)} GB` : `${TARGET_MB} MB`} Takeout archive (zip and tgz, both passes)`, value: worst, unit: 'MB', target: 100, kind: 'max', detail: `zip pass 2 +${pass2.rssMB.toFixed(0)} MB (${(pass2.ms / unzipMs).toFixed(2)}× unzip -p), tgz pass 2 +${tgz2.rssMB.toFixed(0)} MB (${(tgz2.ms / tarMs).toFixed(2)}× tar -xzO); the import command itself is wave3/takeout's` });
    rmSync(zip);
    rmSync(tgz);

    const many: TakeoutFile[] = [];
    for (let i = 0; i < MANY / 2; i++) {
      const folder = `Takeout/Google Photos/Photos from ${2000 + (i % 20)}`;
      many.push({ name: `${folder}/IMG_${i}.jpg`, data: `jpeg ${i}`, compress: false });
      many.push({ name: `${folder}/IMG_${i}.jpg.json`, data: sidecarJson({ title: `IMG_${i}.jpg` }) });
    }
    const manyZip = path.join(dir, 'many.zip');
    started = Date.now();
    await writeZip(manyZip, many);
    console.log(`${MANY} entries: zip ${(statSync(manyZip).size / MB).toFixed(0)} MB built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    let walked = 0;
    const walk = await timed(async () => {
      for await (const entry of readArchives([manyZip])) walked += entry.size > 0 ? 1 : 0;
    });
    const heapBefore = process.memoryUsage().heapUsed;
    const scan = await timed(() => scanTakeout([manyZip]));
    global.gc?.();
    const heapKept = (process.memoryUsage().heapUsed - heapBefore) / MB;
    console.log(`${MANY} entries: walk ${walk.ms.toFixed(0)} ms (${walked} entries), peak RSS +${walk.rssMB.toFixed(1)} MB (flat: nothing kept)`);
    console.log(`${MANY} entries: scan ${scan.ms.toFixed(0)} ms, ${scan.value.counts.matchedExact} matched, peak RSS +${scan.rssMB.toFixed(1)} MB, index kept ${heapKept.toFixed(1)} MB of heap (${((heapKept * MB) / (MANY / 2)).toFixed(0)} B per photo)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
