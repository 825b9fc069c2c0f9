// Upload benchmark: the sync engine against the Google emulator (in a child process) with 30 ms of
// latency per request and a shared bandwidth cap.
//   npx tsx test/bench/upload.bench.ts [photos=1000]        (also run by `npm run bench`)
// Prints, all measured in this run:
//   - wall time of uploading N small photos vs the lower bound max(bytes ÷ bandwidth, requests × latency ÷ concurrency),
//     with the queue's task journal (as the extension runs) and without it
//   - speed-up over the same engine at concurrency 1 and batch size 1 (measured on a 100-photo slice, per photo)
//   - requests per uploaded item (counted by the emulator)
//   - the same photos synced to Google Drive (one Drive folder): ratio to the lower bound, requests per file
//   - peak RSS above idle while a 1 GB video is scanned, hashed and uploaded (and a 64 MB one for comparison)
import { promises as fs } from 'node:fs';
import path from 'node:path';
import jpeg from 'jpeg-js';
import type { Endpoints } from '../../src/google/endpoints';
import { DRIVE_SCOPES, SIGN_IN_SCOPES } from '../../src/google/scopes';
import { openIndex } from '../../src/index/openIndex';
import { TaskQueue } from '../../src/tasks/queue';
import { createIndexJournal } from '../../src/tasks/indexJournal';
import { createDestination } from '../../src/destinations/factory';
import type { UploadPipeline } from '../../src/sync/upload/pipeline';
import { parseSyncFolders, type SyncFolder } from '../../src/sync/config';
import { nullLogger } from '../../src/util/logger';
import { appendFreeBox, boxes } from '../emulator/bmff';
import { EmulatorControl } from '../emulator/control';
import { emulatorTokenSource } from '../helpers/emulatorAuth';
import { peakRssDelta, startEmulatorProcess } from './measure';
import { tempDir } from '../unit/sync-fixtures';
import { count, row, scaled } from './rows';
import { execFileSync } from 'node:child_process';

const LATENCY_MS = 30;
const BANDWIDTH_MBPS = Number(process.env.BENCH_BANDWIDTH_MBPS ?? 60);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const PHOTOS = Number(process.argv[2] ?? scaled(1000, 50));
const VIDEO_MB = scaled(1024, 128);
const BASELINE_PHOTOS = Math.min(100, PHOTOS);
const MB = 1024 * 1024;


/** A photo-like JPEG (noise compresses poorly, like real photos), distinct per seed. */
function photo(seed: number, size = 120): Buffer {
  const data = Buffer.alloc(size * size * 4);
  let x = (Math.imul(seed, 2654435761) ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < data.length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    data[i] = i % 4 === 3 ? 255 : x >>> 24;
  }
  return Buffer.from(jpeg.encode({ data, width: size, height: size }, 85).data);
}

async function photoFolder(name: string, n: number, seedBase: number): Promise<{ folder: SyncFolder; bytes: number }> {
  const root = path.join(await tempDir('photosync-bench-'), name);
  await fs.mkdir(root, { recursive: true });
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const b = photo(seedBase + i);
    bytes += b.length;
    await fs.writeFile(path.join(root, `IMG_${String(i).padStart(5, '0')}.jpg`), b);
  }
  return { folder: parseSyncFolders([{ path: root }], path.isAbsolute).folders[0], bytes };
}

/** The pipeline as the extension wires it (the same factory): real index, queue with its task journal in the index. */
async function engineFor(endpoints: Endpoints, tokens: Awaited<ReturnType<typeof emulatorTokenSource>>, concurrency: number, batchSize: number | undefined, taskJournal = true, destination = 'google-photos') {
  const index = await openIndex({ storageDir: await tempDir('photosync-bench-index-'), wasmDir: path.join(process.cwd(), 'node_modules/sql.js/dist'), watch: false });
  const queue = new TaskQueue({ concurrency: { upload: concurrency }, journal: taskJournal ? createIndexJournal(index) : undefined });
  const { pipeline } = await createDestination(destination, { index, queue, accountId: 'bench', tokenSource: tokens, endpoints, log: nullLogger, batchSize });
  return { engine: pipeline, close: async () => (await queue.dispose(), await index.dispose()) };
}

/** Requests the emulator counted for one service ("library." or "drive."). */
function serviceRequests(counts: Record<string, number>, prefix = 'library.'): number {
  return Object.entries(counts)
    .filter(([op]) => op.startsWith(prefix))
    .reduce((sum, [, n]) => sum + n, 0);
}

/** Runs a sync; returns seconds for the whole sync and for the upload phase, and the service's requests it sent. */
async function timedSync(control: EmulatorControl, engine: UploadPipeline, folder: SyncFolder, service = 'library.') {
  const before = serviceRequests((await control.state()).requestCounts, service);
  const t0 = performance.now();
  const plan = engine.plan(await engine.scan([folder]));
  const t1 = performance.now();
  const report = await engine.run(plan);
  const t2 = performance.now();
  const requests = serviceRequests((await control.state()).requestCounts, service) - before;
  if (report.failed.length) throw new Error(`benchmark upload failed: ${report.failed[0].message}`);
  return { totalS: (t2 - t0) / 1000, uploadS: (t2 - t1) / 1000, requests, uploaded: report.uploaded };
}

/** Sync Now's path: `engine.sync`, uploads starting while the scan hashes (no stage boundary to time). */
async function timedOverlappedSync(control: EmulatorControl, engine: UploadPipeline, folder: SyncFolder) {
  const before = serviceRequests((await control.state()).requestCounts, 'library.');
  const t0 = performance.now();
  const { report } = await engine.sync([folder]);
  const totalS = (performance.now() - t0) / 1000;
  const requests = serviceRequests((await control.state()).requestCounts, 'library.') - before;
  if (report.failed.length) throw new Error(`benchmark upload failed: ${report.failed[0].message}`);
  return { totalS, requests, uploaded: report.uploaded };
}


/**
 * A sparse video file the emulator takes for a movie: a real clip's ftyp and moov, a free box that
 * makes it unique, then an mdat of zeros filling it to `size` (the emulator checks boxes, not samples).
 */
async function sparseVideo(size: number, tag: string): Promise<SyncFolder> {
  const root = await tempDir('photosync-bench-video-');
  const file = path.join(root, `movie-${tag}.mp4`);
  const handle = await fs.open(file, 'w');
  const clip = await fs.readFile('test/fixtures/media-validity/ok-clip.mp4');
  const movie = (boxes(clip) ?? []).filter((b) => b.type === 'ftyp' || b.type === 'moov').map((b) => clip.subarray(b.start, b.end));
  const head = appendFreeBox(Buffer.concat(movie), `${tag}-${Date.now()}`);
  const mdat = Buffer.alloc(8);
  mdat.writeUInt32BE(size - head.length, 0);
  mdat.write('mdat', 4, 'latin1');
  await handle.write(Buffer.concat([head, mdat]), 0, head.length + 8, 0);
  await handle.truncate(size);
  await handle.close();
  return parseSyncFolders([{ path: root }], path.isAbsolute).folders[0];
}

/** Seconds `sha256sum` takes over the folder's files (one process, page cache warm). */
function timeSha256sum(dir: string): number {
  execFileSync('bash', ['-c', `cd "$1" && cat -- * > /dev/null`, 'bash', dir]);
  const t = performance.now();
  execFileSync('bash', ['-c', `cd "$1" && sha256sum -- * > /dev/null`, 'bash', dir]);
  return (performance.now() - t) / 1000;
}

async function main(): Promise<void> {
  const emulator = await startEmulatorProcess(['--latency-ms', String(LATENCY_MS), '--bandwidth-mbps', String(BANDWIDTH_MBPS)]);
  const control = new EmulatorControl(emulator.control);
  try {
    const tokens = await emulatorTokenSource(emulator, SIGN_IN_SCOPES);
    const fast = await photoFolder('Fast', PHOTOS, 1);
    const slow = await photoFolder('Baseline', BASELINE_PHOTOS, 1_000_000);

    // Engine at the queue's upload concurrency and batches of 50.
    const a = await engineFor(emulator.endpoints, tokens, CONCURRENCY, 50);
    const run = await timedSync(control, a.engine, fast.folder);
    await a.close();
    // The same size of folder through Sync Now's path, where hashing and planning overlap the transfers.
    const overlapFolder = await photoFolder('Overlap', PHOTOS, 2_000_000);
    const o = await engineFor(emulator.endpoints, tokens, CONCURRENCY, 50);
    const overlapped = await timedOverlappedSync(control, o.engine, overlapFolder.folder);
    await o.close();
    const overlapBound = Math.max((overlapFolder.bytes * 8) / (BANDWIDTH_MBPS * 1e6), (overlapped.requests * LATENCY_MS) / 1000 / CONCURRENCY, timeSha256sum(overlapFolder.folder.path));
    const bytesBound = (fast.bytes * 8) / (BANDWIDTH_MBPS * 1e6);
    const requestBound = (run.requests * LATENCY_MS) / 1000 / CONCURRENCY;
    const sha256sumS = timeSha256sum(fast.folder.path);
    const lowerBound = Math.max(bytesBound, requestBound);
    const wholeBound = Math.max(lowerBound, sha256sumS);

    // The same, with the queue's task journal off: shows what the journal's per-task index save costs.
    const fastNoJournal = await photoFolder('FastNoJournal', PHOTOS, 5_000_000);
    const j = await engineFor(emulator.endpoints, tokens, CONCURRENCY, 50, false);
    const runNoJournal = await timedSync(control, j.engine, fastNoJournal.folder);
    await j.close();
    const lowerBoundNoJournal = Math.max((fastNoJournal.bytes * 8) / (BANDWIDTH_MBPS * 1e6), (runNoJournal.requests * LATENCY_MS) / 1000 / CONCURRENCY);

    // Same engine, concurrency 1 and batch size 1.
    const b = await engineFor(emulator.endpoints, tokens, 1, 1);
    const base = await timedSync(control, b.engine, slow.folder);
    await b.close();
    const perPhotoFast = run.uploadS / run.uploaded;
    const perPhotoBase = base.uploadS / base.uploaded;

    // Google Drive: the same kind of photos into one Drive folder (multipart creates straight into it,
    // one confirming list per commit batch, ids generated a hundred at a time).
    const driveTokens = await emulatorTokenSource(emulator, [...SIGN_IN_SCOPES, ...DRIVE_SCOPES]);
    const driveFolder = await photoFolder('Drive', PHOTOS, 9_000_000);
    const d = await engineFor(emulator.endpoints, driveTokens, CONCURRENCY, undefined, true, 'google-drive');
    const drive = await timedSync(control, d.engine, { ...driveFolder.folder, destination: 'google-drive' }, 'drive.');
    await d.close();
    const driveBytesBound = (driveFolder.bytes * 8) / (BANDWIDTH_MBPS * 1e6);
    const driveBound = Math.max(driveBytesBound, (drive.requests * LATENCY_MS) / 1000 / CONCURRENCY);
    const driveIdealBound = Math.max(driveBytesBound, (drive.uploaded * LATENCY_MS) / 1000 / CONCURRENCY);

    // Memory: a 1 GB video, and a 64 MB one as the comparison; no latency/bandwidth cap for these.
    await control.faults({ type: 'bandwidth', mbps: null });
    const m = await engineFor(emulator.endpoints, tokens, CONCURRENCY, 50);
    const small = await sparseVideo(64 * MB, 'small');
    const large = await sparseVideo(VIDEO_MB * MB, 'large');
    const smallDelta = await peakRssDelta(() => m.engine.sync([small]));
    const largeDelta = await peakRssDelta(() => m.engine.sync([large]));
    await m.close();

    const f = (n: number, d = 2) => n.toFixed(d);
    const lines = [
      `upload.bench: ${run.uploaded} photos, ${f(fast.bytes / MB, 1)} MB, latency ${LATENCY_MS} ms/request, bandwidth ${BANDWIDTH_MBPS} Mbit/s, upload concurrency ${CONCURRENCY}, commit batches ≤ 50`,
      `  upload wall time          ${f(run.uploadS)} s (whole sync incl. scan + hash: ${f(run.totalS)} s)`,
      `  lower bound               ${f(lowerBound)} s = max(bytes ÷ bandwidth ${f(bytesBound)} s, ${run.requests} requests × ${LATENCY_MS} ms ÷ ${CONCURRENCY} = ${f(requestBound)} s)`,
      `  ratio to lower bound      ${f(run.uploadS / lowerBound)} (target ≤ 1.25; whole sync ${f(run.totalS / wholeBound)} against max(that, sha256sum of the same files ${f(sha256sumS)} s))`,
      `  without the task journal  ${f(runNoJournal.uploadS)} s, ratio ${f(runNoJournal.uploadS / lowerBoundNoJournal)} (queue journal off; the rest as above)`,
      `  baseline c=1, batch=1     ${f(base.uploadS)} s for ${base.uploaded} photos = ${f(perPhotoBase * 1000, 1)} ms/photo vs ${f(perPhotoFast * 1000, 1)} ms/photo`,
      `  speed-up                  ${f(perPhotoBase / perPhotoFast, 1)}× (target ≥ 8×)`,
      `  requests per item         ${f(run.requests / run.uploaded, 3)} (${run.requests} library requests; target ≤ 1.05; baseline ${f(base.requests / base.uploaded, 3)})`,
      `  Google Drive              ${f(drive.uploadS)} s for ${drive.uploaded} photos; lower bound ${f(driveBound)} s (${drive.requests} drive requests); ratio ${f(drive.uploadS / driveBound)}; vs one request per file ${f(drive.uploadS / driveIdealBound)} (whole sync ${f(drive.totalS / driveBound)})`,
      `  Drive requests per file   ${f(drive.requests / drive.uploaded, 3)} (${drive.requests} drive requests for ${drive.uploaded} files; lower bound 1)`,
      `  peak RSS above idle       ${VIDEO_MB} MB video: ${f(largeDelta / MB, 1)} MB; 64 MB video: ${f(smallDelta / MB, 1)} MB (target flat, < 100 MB)`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    row({ name: `Whole sync of ${count(overlapped.uploaded)} new photos (scan + hash + plan + upload + commit, overlapped as Sync Now runs it) vs lower bound`, value: overlapped.totalS / overlapBound, unit: '×', target: 1.25, kind: 'max', detail: `${f(overlapped.totalS)} s vs ${f(overlapBound)} s (max of bytes ÷ bandwidth, ${overlapped.requests} requests × ${LATENCY_MS} ms ÷ ${CONCURRENCY}, sha256sum); scan, then plan, then upload: ${f(run.totalS / wholeBound)}× (${f(run.totalS)} s vs ${f(wholeBound)} s), upload stage alone ${f(run.uploadS / lowerBound)}×` });
    row({ name: `Upload vs the same engine at concurrency 1, batch 1 (per photo)`, value: perPhotoBase / perPhotoFast, unit: '×', target: 8, kind: 'min', detail: `${f(perPhotoFast * 1000, 1)} ms/photo vs ${f(perPhotoBase * 1000, 1)} ms/photo (${base.uploaded} photos)` });
    row({ name: 'Requests per uploaded item (Google Photos)', value: run.requests / run.uploaded, unit: 'req/item', target: 1.05, kind: 'max', detail: `${run.requests} library requests for ${run.uploaded} items; lower bound 1` });
    row({ name: `Google Drive upload of ${count(drive.uploaded)} photos vs lower bound`, value: drive.uploadS / driveBound, unit: '×', target: 1.25, kind: 'max', detail: `${f(drive.uploadS)} s vs ${f(driveBound)} s (${drive.requests} drive requests, ${f(drive.requests / drive.uploaded, 3)} per file)` });
    row({ name: `Peak memory above idle, upload of one ${VIDEO_MB >= 1024 ? `${VIDEO_MB / 1024} GB` : `${VIDEO_MB} MB`} file`, value: largeDelta / MB, unit: 'MB', target: 100, kind: 'max', detail: `scan + hash + resumable upload; ${f(smallDelta / MB, 1)} MB for a 64 MB file` });
  } finally {
    emulator.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`upload.bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
