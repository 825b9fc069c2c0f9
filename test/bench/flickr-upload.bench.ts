// Flickr upload benchmark: the sync engine against the emulator's Flickr (in a child process) with
// 30 ms of latency per request and a shared bandwidth cap.
//   npx tsx test/bench/flickr-upload.bench.ts [photos=300]        (also run by `npm run bench`)
// Prints, all measured in this run:
//   - wall time of uploading N photos into one album vs the lower bound
//     max(bytes ÷ bandwidth, calls × latency ÷ concurrency) for the calls Flickr requires
//     (one upload per photo, one photosets.create, one photosets.addPhoto per further photo);
//   - the same engine at upload concurrency 1 (per photo), and the speed-up;
//   - Flickr calls per photo (counted by the emulator) against the hourly budget of 3,600.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { openIndex } from '../../src/index/openIndex';
import { TaskQueue } from '../../src/tasks/queue';
import { createIndexJournal } from '../../src/tasks/indexJournal';
import { createDestination } from '../../src/destinations/factory';
import { parseSyncFolders, type SyncFolder } from '../../src/sync/config';
import { nullLogger } from '../../src/util/logger';
import { FlickrControl } from '../emulator/flickr/client';
import { FlickrTestClient, signInFlickr } from '../emulator/flickr/test-client';
import type { FlickrEndpoints } from '../emulator/flickr/service';
import { DEFAULT_FLICKR_API_KEY, DEFAULT_FLICKR_API_SECRET } from '../emulator/flickr/state';
import { startEmulatorProcess } from './measure';
import { exifSegment, tempDir } from '../unit/sync-fixtures';

const LATENCY_MS = 30;
const BANDWIDTH_MBPS = Number(process.env.BENCH_BANDWIDTH_MBPS ?? 60);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const PHOTOS = Number(process.argv[2] ?? 300);
const BASELINE_PHOTOS = Math.min(40, PHOTOS);
const MB = 1024 * 1024;

function photo(seed: number, size = 120): Buffer {
  const data = Buffer.alloc(size * size * 4);
  let x = (Math.imul(seed, 2654435761) ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < data.length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    data[i] = i % 4 === 3 ? 255 : x >>> 24;
  }
  const encoded = Buffer.from(jpeg.encode({ data, width: size, height: size }, 85).data);
  // A camera's photo: EXIF DateTimeOriginal right after SOI (Flickr reads it; no date needs setting).
  return Buffer.concat([encoded.subarray(0, 2), exifSegment({ original: '2024:05:06 07:08:09' }), encoded.subarray(2)]);
}

async function photoFolder(name: string, count: number, seedBase: number): Promise<{ folder: SyncFolder; bytes: number }> {
  const root = path.join(await tempDir('photosync-bench-flickr-'), name);
  await fs.mkdir(root, { recursive: true });
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const b = photo(seedBase + i);
    bytes += b.length;
    await fs.writeFile(path.join(root, `IMG_${String(i).padStart(5, '0')}.jpg`), b);
  }
  return { folder: parseSyncFolders([{ path: root, destination: 'flickr', album: { mode: 'fixed', name } }], path.isAbsolute).folders[0], bytes };
}

function calls(counts: Record<string, { ok: number; fail: number }>): number {
  return Object.entries(counts)
    .filter(([op]) => op.startsWith('flickr.') || op.startsWith('upload'))
    .reduce((sum, [, n]) => sum + n.ok + n.fail, 0);
}

async function main(): Promise<void> {
  const emulator = await startEmulatorProcess(['--latency-ms', String(LATENCY_MS), '--bandwidth-mbps', String(BANDWIDTH_MBPS)]);
  const endpoints = emulator.endpoints as unknown as Record<string, unknown> & { flickr: FlickrEndpoints };
  const control = new FlickrControl(emulator.control);
  try {
    const client = new FlickrTestClient(endpoints.flickr);
    const fields = await signInFlickr(client, 'write');
    const nsid = fields.get('user_nsid') ?? '';
    const credentials = { credentials: async () => ({ consumer: { key: DEFAULT_FLICKR_API_KEY, secret: DEFAULT_FLICKR_API_SECRET }, token: client.token }) };

    const engine = async (concurrency: number) => {
      const index = await openIndex({ storageDir: await tempDir('photosync-bench-flickr-index-'), wasmDir: path.join(process.cwd(), 'node_modules/sql.js/dist'), watch: false });
      const queue = new TaskQueue({ concurrency: { upload: concurrency }, journal: createIndexJournal(index) });
      const { pipeline } = await createDestination('flickr', {
        index,
        queue,
        accountId: nsid,
        tokenSource: { getAccessToken: async () => '' },
        oauth1: credentials,
        endpoints: emulator.endpoints,
        endpointSettings: endpoints,
        log: nullLogger,
      });
      return { pipeline, close: async () => (await queue.dispose(), await index.dispose()) };
    };
    const timed = async (e: Awaited<ReturnType<typeof engine>>, folder: SyncFolder) => {
      const before = calls((await control.state()).requestCounts);
      const t0 = performance.now();
      const plan = e.pipeline.plan(await e.pipeline.scan([folder]));
      const t1 = performance.now();
      const report = await e.pipeline.run(plan);
      const t2 = performance.now();
      if (report.failed.length) throw new Error(`benchmark upload failed: ${report.failed[0].message}`);
      return { uploadS: (t2 - t1) / 1000, totalS: (t2 - t0) / 1000, calls: calls((await control.state()).requestCounts) - before, uploaded: report.uploaded };
    };

    const fast = await photoFolder('Fast', PHOTOS, 1);
    const a = await engine(CONCURRENCY);
    const run = await timed(a, fast.folder);
    await a.close();
    const required = 2 * run.uploaded;
    const bytesBound = (fast.bytes * 8) / (BANDWIDTH_MBPS * 1e6);
    const callBound = (required * LATENCY_MS) / 1000 / CONCURRENCY;
    const lowerBound = Math.max(bytesBound, callBound);

    const slow = await photoFolder('Baseline', BASELINE_PHOTOS, 1_000_000);
    const b = await engine(1);
    const base = await timed(b, slow.folder);
    await b.close();
    const perFast = run.uploadS / run.uploaded;
    const perBase = base.uploadS / base.uploaded;

    const f = (n: number, d = 2) => n.toFixed(d);
    const lines = [
      `flickr-upload.bench: ${run.uploaded} photos into one album, ${f(fast.bytes / MB, 1)} MB, latency ${LATENCY_MS} ms/request, bandwidth ${BANDWIDTH_MBPS} Mbit/s, upload concurrency ${CONCURRENCY}`,
      `  upload wall time          ${f(run.uploadS)} s (whole sync incl. scan + hash: ${f(run.totalS)} s)`,
      `  lower bound               ${f(lowerBound)} s = max(bytes ÷ bandwidth ${f(bytesBound)} s, ${required} required calls × ${LATENCY_MS} ms ÷ ${CONCURRENCY} = ${f(callBound)} s)`,
      `  ratio to lower bound      ${f(run.uploadS / lowerBound)}`,
      `  baseline concurrency 1    ${f(perBase * 1000, 1)} ms/photo vs ${f(perFast * 1000, 1)} ms/photo: ${f(perBase / perFast, 1)}× faster`,
      `  Flickr calls per photo    ${f(run.calls / run.uploaded, 3)} (${run.calls} calls; required 2 = upload + album; the hourly budget of 3,600 calls covers ${Math.floor(3600 / (run.calls / run.uploaded))} photos an hour; a photo without an EXIF date costs 2 more: getInfo + setDates)`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    emulator.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`flickr-upload.bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
