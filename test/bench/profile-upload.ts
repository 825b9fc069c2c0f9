// CPU profile of the upload fast path alone (not a bench row): N photos, REPS runs, each `pipeline.run`
// profiled by itself (scan, plan and setup are not in it). Prints wall and CPU ms per photo (CPU of the
// whole process, thread pool included) and writes OUT with -<rep> before .cpuprofile (open it in
// Chrome DevTools or VS Code). Same emulator settings as upload.bench.ts (30 ms, 60 Mbit/s).
//   N=150 REPS=2 [C=16] [B=50] [DEST=google-drive] OUT=/tmp/upload.cpuprofile npx tsx test/bench/profile-upload.ts
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Session } from 'node:inspector/promises';
import { SIGN_IN_SCOPES, DRIVE_SCOPES } from '../../src/google/scopes';
import { openIndex } from '../../src/index/openIndex';
import { TaskQueue } from '../../src/tasks/queue';
import { createIndexJournal } from '../../src/tasks/indexJournal';
import { createDestination } from '../../src/destinations/factory';
import { parseSyncFolders } from '../../src/sync/config';
import { nullLogger } from '../../src/util/logger';
import { emulatorTokenSource } from '../helpers/emulatorAuth';
import { startEmulatorProcess } from './measure';
import { tempDir } from '../unit/sync-fixtures';
import crypto from 'node:crypto';
import os from 'node:os';

const N = Number(process.env.N ?? 100);
const DEST = process.env.DEST ?? 'google-photos';
async function folder(name: string) {
  const root = path.join(await tempDir('photosync-prof-'), name);
  await fs.mkdir(root, { recursive: true });
  const head = await fs.readFile('test/fixtures/media-validity/' + 'ok-photo.jpg');
  for (let i = 0; i < N; i++) await fs.writeFile(path.join(root, `IMG_${i}.jpg`), Buffer.concat([head, crypto.randomBytes(20000)]));
  return parseSyncFolders([{ path: root }], path.isAbsolute).folders[0];
}
async function main() {
  const emulator = await startEmulatorProcess(['--latency-ms', '30', '--bandwidth-mbps', '60']);
  const tokens = await emulatorTokenSource(emulator, DEST === 'google-drive' ? [...SIGN_IN_SCOPES, ...DRIVE_SCOPES] : SIGN_IN_SCOPES);
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  let total = 0;
  const reps = Number(process.env.REPS ?? 3);
  const cpu0 = process.cpuUsage();
  let runCpu = 0;
  for (let r = 0; r < reps; r++) {
    const f = await folder(`F${r}`);
    const index = await openIndex({ storageDir: await tempDir('photosync-prof-index-'), wasmDir: path.join(process.cwd(), 'node_modules/sql.js/dist'), watch: false });
    const queue = new TaskQueue({ concurrency: { upload: Number(process.env.C ?? 16) }, journal: createIndexJournal(index) });
    const { pipeline } = await createDestination(DEST, { index, queue, accountId: 'bench', tokenSource: tokens, endpoints: emulator.endpoints, log: nullLogger, batchSize: process.env.B ? Number(process.env.B) : (DEST === 'google-drive' ? undefined : 50) });
    const plan = pipeline.plan(await pipeline.scan([{ ...f, destination: DEST }]));
    await session.post('Profiler.start');
    const c0 = process.cpuUsage();
    const t = performance.now();
    const report = await pipeline.run(plan);
    total += performance.now() - t;
    const c1 = process.cpuUsage(c0); runCpu += (c1.user + c1.system) / 1000;
    const { profile } = await session.post('Profiler.stop');
    await fs.writeFile((process.env.OUT ?? path.join(os.tmpdir(), 'upload.cpuprofile')).replace('.cpuprofile', `-${r}.cpuprofile`), JSON.stringify(profile));
    if (report.failed.length) throw new Error(report.failed[0].message);
    await queue.dispose(); await index.dispose();
  }
  const cpu = process.cpuUsage(cpu0);
  console.log(`run ms per photo ${(total / reps / N).toFixed(2)}; run cpu ms per photo ${(runCpu / reps / N).toFixed(2)}; cpu ms per photo (all incl. scan+setup) ${((cpu.user + cpu.system) / 1000 / reps / N).toFixed(2)}`);
  emulator.stop();
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
