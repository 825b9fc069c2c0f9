// Scan + plan of a folder whose files are all known and unchanged (the everyday Sync Now on a backed-up
// library), against `find DIR -type f -printf '%s %T@\n'` over the same folder in the same run.
//   npx tsx --expose-gc test/bench/scan.bench.ts [files=100000]     (also run by `npm run bench`)
// The folder: small files in 100 sub-folders (one album each). The index is warm: a first sync's
// scan recorded every file, and every content is in the index as an item of its album (as after a
// completed upload, with its committed upload journal row), so the measured scan hashes nothing and
// the plan finds everything done.
// Prints the ratio to find (target ≤ 2), the peak RSS above idle, and the scan alone. The first of
// the three runs follows the warm-up's index write, so it finds the index's kept answers (folder
// rows, contents' albums) dropped and reads them from SQLite: printed apart as "first run".
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createDestination } from '../../src/destinations/factory';
import { ENDPOINT_KEYS, type Endpoints } from '../../src/google/endpoints';
import { openIndex } from '../../src/index/openIndex';
import type { MediaItemRecord } from '../../src/index/api';
import { parseSyncFolders } from '../../src/sync/config';
import { uploadId } from '../../src/sync/plan';
import { TaskQueue } from '../../src/tasks/queue';
import { nullLogger } from '../../src/util/logger';
import { tempDir } from '../unit/sync-fixtures';
import { peakRssDelta } from './measure';
import { count, row, scaled } from './rows';

const FILES = Number(process.argv[2] ?? scaled(100_000, 1000));
const FOLDERS = 100;
const MB = 1024 * 1024;

async function makeFolder(root: string): Promise<void> {
  for (let d = 0; d < FOLDERS; d++) {
    const dir = path.join(root, `Album ${String(d).padStart(3, '0')}`);
    await fs.mkdir(dir, { recursive: true });
    const writes: Promise<void>[] = [];
    for (let i = d; i < FILES; i += FOLDERS) writes.push(fs.writeFile(path.join(dir, `IMG_${String(i).padStart(6, '0')}.jpg`), tinyJpeg(`photo ${i}`)));
    await Promise.all(writes);
  }
}

/**
 * The smallest file the damage check takes for a whole JPEG (start, a comment making it unique, a
 * 1×1 frame, scan data, end): a plain text file named .jpg is flagged damaged, and damaged files are
 * hashed again on every scan, which is not the unchanged folder this bench measures.
 */
function tinyJpeg(comment: string): Buffer {
  const text = Buffer.from(comment);
  const com = Buffer.concat([Buffer.from([0xff, 0xfe, (text.length + 2) >> 8, (text.length + 2) & 0xff]), text]);
  const frame = Buffer.from([0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00]);
  const scan = Buffer.from([0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00, 0x00, 0xff, 0xd9]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), com, frame, scan]);
}

let findCpuMs = Infinity;

/** Wall ms of find; its CPU time (user + system, from bash's `times`) goes to findCpuMs. */
function timeFind(root: string): number {
  const t = performance.now();
  const out = execFileSync('bash', ['-c', 'find "$1" -type f -printf \'%s %T@\\n\' > /dev/null; times', 'bash', root], { encoding: 'utf8' });
  const wall = performance.now() - t;
  // `times`: the shell's user/sys, then its children's: "0m0.037s 0m0.053s".
  const [user, sys] = out.trim().split('\n')[1].split(' ').map((v) => {
    const m = /(\d+)m([\d.]+)s/.exec(v)!;
    return (Number(m[1]) * 60 + Number(m[2])) * 1000;
  });
  findCpuMs = Math.min(findCpuMs, user + sys);
  return wall;
}

async function main(): Promise<void> {
  const root = path.join(await tempDir('photosync-bench-scan-'), 'Photos');
  const started = Date.now();
  await makeFolder(root);
  process.stdout.write(`scan.bench: ${count(FILES)} files in ${FOLDERS} folders (made in ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  const folder = parseSyncFolders([{ path: root }], path.isAbsolute).folders[0];

  const index = await openIndex({ storageDir: await tempDir('photosync-bench-index-'), wasmDir: path.join(process.cwd(), 'node_modules/sql.js/dist'), watch: false });
  const queue = new TaskQueue({ concurrency: { upload: 16 } });
  const tokenSource = { getAccessToken: () => Promise.reject(new Error('the scan benchmark sends nothing')) };
  // Nowhere: the scan and the plan of Google Photos send no request (no destination check).
  const endpoints = Object.fromEntries(ENDPOINT_KEYS.map((k) => [k, `http://127.0.0.1:9/${k}`])) as unknown as Endpoints;
  const { pipeline } = await createDestination('google-photos', { index, queue, accountId: 'bench', tokenSource, endpoints, log: nullLogger });

  // Warm: the first sync's scan (hashes everything), then every content recorded as uploaded into its album.
  let t = performance.now();
  const first = await pipeline.scan([folder]);
  const firstMs = performance.now() - t;
  await index.write((w) => {
    const titles = new Map<string, string>();
    const items: MediaItemRecord[] = [];
    const members = new Map<string, string[]>();
    for (const f of first[0].scan.files) {
      if (!f.sha256 || !f.albumTitle) throw new Error(`not hashed: ${f.path} (${f.status} ${f.reason ?? ''})`);
      let albumId = titles.get(f.albumTitle);
      if (!albumId) {
        albumId = `album-${titles.size}`;
        titles.set(f.albumTitle, albumId);
        w.albums.upsert({ id: albumId, accountId: 'bench', provider: 'google-photos', title: f.albumTitle, appCreated: true });
      }
      const id = `item-${f.sha256.slice(0, 24)}`;
      items.push({ id, accountId: 'bench', provider: 'google-photos', filename: f.name, mimeType: 'image/jpeg', sha256: f.sha256, size: f.size, appCreated: true });
      members.set(albumId, [...(members.get(albumId) ?? []), id]);
      w.localFiles.setStatus(f.path, 'uploaded');
      // The upload journal's row a completed upload leaves (one per content).
      w.uploads.upsert({ id: uploadId('google-photos', 'bench', f.sha256), provider: 'google-photos', accountId: 'bench', localPath: f.path, sha256: f.sha256, size: f.size, albumId, albumTitle: f.albumTitle, state: 'committed', mediaItemId: id });
    }
    w.mediaItems.upsertMany(items);
    for (const [albumId, ids] of members) w.mediaItems.addToAlbum(albumId, ids);
  });
  await index.flush();

  // Same page-cache state for both contenders: find once before timing either.
  timeFind(root);
  const findMs = Math.min(timeFind(root), timeFind(root), timeFind(root));

  let planned = 0;
  let done = 0;
  let scanMs = 0;
  const runs: number[] = [];
  const cpus: number[] = [];
  let rss = 0;
  let firstScanMs = 0;
  for (let i = 0; i < 3; i++) {
    const delta = await peakRssDelta(async () => {
      t = performance.now();
      const cpu0 = process.cpuUsage();
      const scans = await pipeline.scan([folder]);
      scanMs = performance.now() - t;
      const plan = pipeline.plan(scans);
      runs.push(performance.now() - t);
      const cpu = process.cpuUsage(cpu0);
      cpus.push((cpu.user + cpu.system) / 1000);
      if (i === 0) firstScanMs = scanMs;
      planned = plan.uploads.length + plan.adds.length;
      done = plan.alreadyUploaded.length;
    });
    rss = Math.max(rss, delta);
  }
  await queue.dispose();
  await index.dispose();
  await fs.rm(path.dirname(root), { recursive: true, force: true });
  if (planned !== 0 || done !== FILES) throw new Error(`the plan of an unchanged folder should do nothing: ${planned} planned, ${done} of ${FILES} already uploaded`);

  const ms = Math.min(...runs);
  const cpuMs = Math.min(...cpus);
  process.stdout.write(
    [
      `  find -printf              ${findMs.toFixed(0)} ms (best of 3)`,
      `  scan + plan (unchanged)   ${ms.toFixed(0)} ms (best of 3; the scan alone ${scanMs.toFixed(0)} ms in the last run); ratio ${(ms / findMs).toFixed(2)} (target ≤ 2)`,
      `  first run (kept answers dropped by the warm-up's write): ${runs[0].toFixed(0)} ms (scan ${firstScanMs.toFixed(0)} ms), CPU ${cpus[0].toFixed(0)} ms: ${(runs[0] / findMs).toFixed(2)} wall, ${(cpus[0] / findCpuMs).toFixed(2)} CPU`,
      `  first scan (hash all)     ${firstMs.toFixed(0)} ms`,
      `  CPU time                  ${cpuMs.toFixed(0)} ms vs find ${findCpuMs.toFixed(0)} ms: ${(cpuMs / findCpuMs).toFixed(2)} (what a loaded machine distorts least)`,
      `  peak RSS above idle       ${(rss / MB).toFixed(1)} MB`,
    ].join('\n') + '\n',
  );
  row({ name: `Scan + plan of ${count(FILES)} unchanged files (index warm) vs find -printf`, value: ms / findMs, unit: '×', target: 2, kind: 'max', detail: `${ms.toFixed(0)} ms vs find ${findMs.toFixed(0)} ms; CPU ${cpuMs.toFixed(0)} ms vs ${findCpuMs.toFixed(0)} ms (${(cpuMs / findCpuMs).toFixed(1)}×); first run ${(runs[0] / findMs).toFixed(1)}× (CPU ${(cpus[0] / findCpuMs).toFixed(1)}×); peak RSS +${(rss / MB).toFixed(0)} MB` });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`scan.bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
