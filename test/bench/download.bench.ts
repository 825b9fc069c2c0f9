// Download benchmark: the download pipeline against the Google emulator (in a child process) with
// latency per request and a shared bandwidth cap.
//   npx tsx test/bench/download.bench.ts [items=1000]
// Prints, all measured in this run:
//   - wall time of downloading an album of N photos vs the lower bound
//     max(bytes ÷ bandwidth, requests × latency ÷ concurrency), for the fetch phase and for the whole
//     (listing + fetch), with the requests counted by the emulator
//   - the same bound's ratio for bare GETs of the same addresses at the same concurrency, nothing
//     written (what this machine's HTTP stack and the emulator cost on their own, measured right after)
//   BENCH_SKIP_VIDEO=1 prints one line without the memory part; BENCH_CPU_PROFILE=FILE.cpuprofile
//   writes a CPU profile of the fetch phase alone.
//   - peak RSS above idle while a 1 GB video is downloaded (and a 64 MB one for comparison)
import { promises as fs } from 'node:fs';
import path from 'node:path';
import jpeg from 'jpeg-js';
import type { Endpoints } from '../../src/google/endpoints';
import { SIGN_IN_SCOPES } from '../../src/google/scopes';
import { createDestination } from '../../src/destinations/factory';
import { openIndex } from '../../src/index/openIndex';
import type { PhotoIndex } from '../../src/index/api';
import { DownloadPipeline } from '../../src/sync/download/pipeline';
import { DEFAULT_DOWNLOAD_SETTINGS } from '../../src/sync/download/settings';
import { albumSource } from '../../src/sync/download/source';
import { parseSyncFolders } from '../../src/sync/config';
import type { PhotoProvider, RemoteItem } from '../../src/sync/provider';
import { createIndexJournal } from '../../src/tasks/indexJournal';
import { TaskQueue } from '../../src/tasks/queue';
import { nullLogger } from '../../src/util/logger';
import { appendFreeBox, boxes } from '../emulator/bmff';
import { EmulatorControl } from '../emulator/control';
import { emulatorTokenSource } from '../helpers/emulatorAuth';
import { tempDir } from '../unit/sync-fixtures';
import { peakRssDelta, startEmulatorProcess } from './measure';
import { count, row, scaled } from './rows';

const LATENCY_MS = 30;
const BANDWIDTH_MBPS = Number(process.env.BENCH_BANDWIDTH_MBPS ?? 60);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 6);
const ITEMS = Number(process.argv[2] ?? scaled(1000, 50));
const VIDEO_MB = scaled(1024, 128);
const MB = 1024 * 1024;

/** A photo-like JPEG (noise compresses poorly, like real photos), distinct per seed. */
function photo(seed: number, size = 96): Buffer {
  const data = Buffer.alloc(size * size * 4);
  let x = (Math.imul(seed, 2654435761) ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < data.length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    data[i] = i % 4 === 3 ? 255 : x >>> 24;
  }
  return Buffer.from(jpeg.encode({ data, width: size, height: size }, 85).data);
}

/** A sparse movie the emulator takes for a video: a real clip's ftyp and moov, then zeros up to `size`. */
async function sparseVideo(dir: string, size: number, tag: string): Promise<void> {
  const clip = await fs.readFile('test/fixtures/media-validity/ok-clip.mp4');
  const movie = (boxes(clip) ?? []).filter((b) => b.type === 'ftyp' || b.type === 'moov').map((b) => clip.subarray(b.start, b.end));
  const head = appendFreeBox(Buffer.concat(movie), `${tag}-${Date.now()}`);
  const mdat = Buffer.alloc(8);
  mdat.writeUInt32BE(size - head.length, 0);
  mdat.write('mdat', 4, 'latin1');
  const handle = await fs.open(path.join(dir, `movie-${tag}.mp4`), 'w');
  await handle.write(Buffer.concat([head, mdat]), 0, head.length + 8, 0);
  await handle.truncate(size);
  await handle.close();
}

interface Engine {
  index: PhotoIndex;
  queue: TaskQueue;
  provider: PhotoProvider;
  downloads: DownloadPipeline;
  upload(folder: string, album: string): Promise<string>;
  close(): Promise<void>;
}

/** The pieces as the extension wires them: the factory's provider, the index with the queue's journal in it. */
async function engine(endpoints: Endpoints, control: EmulatorControl, tokens: Awaited<ReturnType<typeof emulatorTokenSource>>): Promise<Engine> {
  const index = await openIndex({ storageDir: await tempDir('photosync-bench-index-'), wasmDir: path.join(process.cwd(), 'node_modules/sql.js/dist'), watch: false });
  const queue = new TaskQueue({ concurrency: { upload: 16, download: CONCURRENCY, place: Number(process.env.BENCH_PLACE ?? 2) }, journal: createIndexJournal(index) });
  const { provider, pipeline } = await createDestination('google-photos', { index, queue, accountId: 'bench', tokenSource: tokens, endpoints, log: nullLogger });
  const downloads = new DownloadPipeline({ provider, index, queue, accountId: 'bench', log: nullLogger });
  return {
    index,
    queue,
    provider,
    downloads,
    async upload(folder, album) {
      const f = parseSyncFolders([{ path: folder, album: { mode: 'fixed', name: album } }], path.isAbsolute).folders[0];
      const { report } = await pipeline.sync([f]);
      if (report.failed.length) throw new Error(`upload failed: ${report.failed[0].message}`);
      const found = (await control.state()).albums.find((a) => a.title === album);
      if (!found) throw new Error(`no album ${album}`);
      return found.id;
    },
    close: async () => (await queue.dispose(), await index.dispose()),
  };
}

/** BENCH_CPU_PROFILE=out.cpuprofile: a CPU profile of the fetch phase alone (`downloads.run`). */
async function startProfile(): Promise<{ stop(file: string): Promise<void> }> {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return {
    async stop(file) {
      const { profile } = await session.post('Profiler.stop');
      await fs.writeFile(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

function counted(counts: Record<string, number>): number {
  return Object.entries(counts)
    .filter(([op]) => op.startsWith('library.') || op.startsWith('media.'))
    .reduce((sum, [, n]) => sum + n, 0);
}

async function main(): Promise<void> {
  const emulator = await startEmulatorProcess(['--video-processing-ms', '0']);
  const control = new EmulatorControl(emulator.control);
  try {
    const tokens = await emulatorTokenSource(emulator, SIGN_IN_SCOPES);
    const e = await engine(emulator.endpoints, control, tokens);

    // The album to download, uploaded without latency or a cap (not what is measured).
    const folder = path.join(await tempDir('photosync-bench-'), 'Bench');
    await fs.mkdir(folder, { recursive: true });
    for (let i = 0; i < ITEMS; i++) await fs.writeFile(path.join(folder, `IMG_${String(i).padStart(5, '0')}.jpg`), photo(i + 1));
    const albumId = await e.upload(folder, 'Bench');

    await control.faults([{ type: 'latency', ms: LATENCY_MS }, { type: 'bandwidth', mbps: BANDWIDTH_MBPS }]);
    const root = await tempDir('photosync-bench-out-');
    const before = counted((await control.state()).requestCounts);
    const t0 = performance.now();
    const plan = await e.downloads.plan(albumSource(e.provider, { id: albumId, title: 'Bench' }), root, { ...DEFAULT_DOWNLOAD_SETTINGS, albumLinks: false });
    const t1 = performance.now();
    const afterList = counted((await control.state()).requestCounts);
    const profiler = process.env.BENCH_CPU_PROFILE ? await startProfile() : undefined;
    const cpu0 = process.cpuUsage();
    const report = await e.downloads.run(plan);
    const t2 = performance.now();
    const cpuRun = process.cpuUsage(cpu0);
    if (profiler) await profiler.stop(process.env.BENCH_CPU_PROFILE as string);
    const requests = counted((await control.state()).requestCounts) - before;
    if (report.downloaded !== ITEMS) throw new Error(`downloaded ${report.downloaded} of ${ITEMS}: ${JSON.stringify(report.failed.slice(0, 2))}`);
    const fetchRequests = requests - (afterList - before);
    const bytesBound = (report.bytes * 8) / (BANDWIDTH_MBPS * 1e6);
    const bound = (n: number) => Math.max(bytesBound, (n * LATENCY_MS) / 1000 / CONCURRENCY);
    const fetchS = (t2 - t1) / 1000;
    const wholeS = (t2 - t0) / 1000;
    const f2 = (n: number) => n.toFixed(2);

    // Baseline: bare GETs of the same items (fresh addresses), CONCURRENCY at a time, bodies dropped.
    const items: RemoteItem[] = [];
    for await (const item of e.provider.listItems(albumId)) items.push(item);
    let next = 0;
    const cpuB0 = process.cpuUsage();
    const b0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < items.length) {
          const item = items[next++];
          await (await fetch(`${item.download?.url}=d`)).arrayBuffer();
        }
      }),
    );
    const bareS = (performance.now() - b0) / 1000;
    const cpuBare = process.cpuUsage(cpuB0);
    const cpuMs = (u: NodeJS.CpuUsage, n: number) => ((u.user + u.system) / 1000 / n).toFixed(2);
    if (process.env.BENCH_SKIP_VIDEO) {
      await e.close();
      process.stdout.write(`fetch ${f2(fetchS)} s, ratio ${f2(fetchS / bound(fetchRequests))}; bare GETs ratio ${f2(bareS / bound(items.length))}; CPU per item ${cpuMs(cpuRun, report.downloaded)} ms vs bare ${cpuMs(cpuBare, items.length)} ms\n`);
      return;
    }
    // Memory: one 1 GB video and one of 64 MB, without latency or a cap.
    await control.faults([{ type: 'clear' }, { type: 'bandwidth', mbps: null }]);
    const videos = path.join(await tempDir('photosync-bench-video-'), 'Videos');
    await fs.mkdir(videos);
    await sparseVideo(videos, 64 * MB, 'small');
    const smallAlbum = await e.upload(videos, 'Small video');
    await fs.rm(path.join(videos, 'movie-small.mp4'));
    await sparseVideo(videos, VIDEO_MB * MB, 'large');
    const largeAlbum = await e.upload(videos, 'Large video');
    const out = await tempDir('photosync-bench-video-out-');
    const downloadAlbum = async (id: string, title: string) => {
      const r = await e.downloads.run(await e.downloads.plan(albumSource(e.provider, { id, title }), out, DEFAULT_DOWNLOAD_SETTINGS));
      if (r.downloaded !== 1) throw new Error(`video download failed: ${JSON.stringify(r.failed)} ${JSON.stringify(r.notReady)}`);
      return r.bytes;
    };
    let smallBytes = 0;
    let largeBytes = 0;
    const smallDelta = await peakRssDelta(async () => (smallBytes = await downloadAlbum(smallAlbum, 'Small video')));
    const largeDelta = await peakRssDelta(async () => (largeBytes = await downloadAlbum(largeAlbum, 'Large video')));
    await e.close();

    const f = (n: number, d = 2) => n.toFixed(d);
    const lines = [
      `download.bench: album of ${report.downloaded} photos, ${f(report.bytes / MB, 1)} MB, latency ${LATENCY_MS} ms/request, bandwidth ${BANDWIDTH_MBPS} Mbit/s, download concurrency ${CONCURRENCY}`,
      `  fetch wall time           ${f(fetchS)} s (listing ${f((t1 - t0) / 1000)} s; whole ${f(wholeS)} s)`,
      `  lower bound (fetch)       ${f(bound(fetchRequests))} s = max(bytes ÷ bandwidth ${f(bytesBound)} s, ${fetchRequests} requests × ${LATENCY_MS} ms ÷ ${CONCURRENCY} = ${f((fetchRequests * LATENCY_MS) / 1000 / CONCURRENCY)} s)`,
      `  ratio to lower bound      ${f(fetchS / bound(fetchRequests))} (target ≤ 1.25)`,
      `  bare GETs, same bound     ${f(bareS)} s, ratio ${f(bareS / bound(items.length))} (the same addresses fetched and dropped: this machine's floor now)`,
      `  CPU of this process       ${cpuMs(cpuRun, report.downloaded)} ms per item downloading vs ${cpuMs(cpuBare, items.length)} ms per bare GET (the ${f(LATENCY_MS / CONCURRENCY, 1)} ms per item the bound allows)`,
      `  whole (listing + fetch)   ${f(wholeS / bound(requests))} against max(bytes ÷ bandwidth, ${requests} requests × latency ÷ concurrency) = ${f(bound(requests))} s`,
      `  requests per item         ${f(requests / report.downloaded, 3)} (${requests} library + media requests, ${afterList - before} of them listing)`,
      `  peak RSS above idle       ${VIDEO_MB} MB video (${f(largeBytes / MB, 0)} MB transcode): ${f(largeDelta / MB, 1)} MB; 64 MB video (${f(smallBytes / MB, 0)} MB): ${f(smallDelta / MB, 1)} MB (target < 100 MB)`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    row({ name: `Download of ${count(report.downloaded)} photos (album) vs lower bound`, value: fetchS / bound(fetchRequests), unit: '×', target: 1.25, kind: 'max', detail: `${f(fetchS)} s vs max(bytes ÷ bandwidth ${f(bytesBound)} s, ${fetchRequests} requests × ${LATENCY_MS} ms ÷ ${CONCURRENCY}); bare GETs of the same addresses ${f(bareS / bound(items.length))}×` });
    row({ name: `Peak memory above idle, download of one ${VIDEO_MB >= 1024 ? `${VIDEO_MB / 1024} GB` : `${VIDEO_MB} MB`} file`, value: largeDelta / MB, unit: 'MB', target: 100, kind: 'max', detail: `${f(largeBytes / MB, 0)} MB received; ${f(smallDelta / MB, 1)} MB for a 64 MB file` });
  } finally {
    emulator.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`download.bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
