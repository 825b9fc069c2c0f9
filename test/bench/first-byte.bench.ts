// Time to the first byte on the wire after Sync Now on a folder of new files (default 10,000),
// against the Google emulator (child process, 30 ms per request).
//   npx tsx test/bench/first-byte.bench.ts [files=10000]      (also run by `npm run bench`)
// The clock starts when the sync is asked for (pipeline.sync, as Sync Now and the command line call
// it) and stops when the HTTP client sends the headers of the first byte upload (undici's
// `undici:client:sendHeaders` diagnostics channel: the request is on the socket). The sync is then
// cancelled. Target ≤ 1 s; shown with the scan's own time for the same folder.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { createDestination } from '../../src/destinations/factory';
import { SIGN_IN_SCOPES } from '../../src/google/scopes';
import { openIndex } from '../../src/index/openIndex';
import { parseSyncFolders } from '../../src/sync/config';
import { TaskQueue } from '../../src/tasks/queue';
import { createIndexJournal } from '../../src/tasks/indexJournal';
import { nullLogger } from '../../src/util/logger';
import { emulatorTokenSource } from '../helpers/emulatorAuth';
import { tempDir } from '../unit/sync-fixtures';
import { startEmulatorProcess } from './measure';
import { count, row, scaled } from './rows';

const FILES = Number(process.argv[2] ?? scaled(10_000, 500));
const LATENCY_MS = 30;

function photo(seed: number): Buffer {
  const size = 16;
  const data = Buffer.alloc(size * size * 4);
  let x = (Math.imul(seed, 2654435761) ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < data.length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    data[i] = i % 4 === 3 ? 255 : x >>> 24;
  }
  return Buffer.from(jpeg.encode({ data, width: size, height: size }, 85).data);
}

async function main(): Promise<void> {
  const emulator = await startEmulatorProcess(['--latency-ms', String(LATENCY_MS)]);
  try {
    const root = path.join(await tempDir('photosync-bench-ttfb-'), 'New photos');
    for (let d = 0; d < 10; d++) {
      const dir = path.join(root, `Day ${d}`);
      await fs.mkdir(dir, { recursive: true });
      const writes: Promise<void>[] = [];
      for (let i = d; i < FILES; i += 10) writes.push(fs.writeFile(path.join(dir, `IMG_${String(i).padStart(5, '0')}.jpg`), photo(i + 1)));
      await Promise.all(writes);
    }
    const folder = parseSyncFolders([{ path: root }], path.isAbsolute).folders[0];
    const tokens = await emulatorTokenSource(emulator, SIGN_IN_SCOPES);
    const index = await openIndex({ storageDir: await tempDir('photosync-bench-index-'), wasmDir: path.join(process.cwd(), 'node_modules/sql.js/dist'), watch: false });
    const queue = new TaskQueue({ concurrency: { upload: 16 }, journal: createIndexJournal(index) });
    const { pipeline } = await createDestination('google-photos', { index, queue, accountId: 'bench', tokenSource: tokens, endpoints: emulator.endpoints, log: nullLogger });

    // The scan alone over the same folder (dry, nothing recorded), page cache as warm as for the sync.
    let t = performance.now();
    await pipeline.scan([folder], undefined, undefined, { record: false });
    const scanMs = performance.now() - t;

    const uploadsPath = new URL(emulator.endpoints.library).pathname.replace(/\/+$/, '') + '/v1/uploads';
    const abort = new AbortController();
    let firstByteMs: number | undefined;
    const onHeaders = (message: unknown) => {
      const request = (message as { request?: { path?: string; method?: string } }).request;
      if (firstByteMs === undefined && request?.method === 'POST' && request.path?.startsWith(uploadsPath)) {
        firstByteMs = performance.now() - t;
        abort.abort();
      }
    };
    subscribe('undici:client:sendHeaders', onHeaders);
    t = performance.now();
    await pipeline
      .sync([folder], { signal: abort.signal, onGroup: (group) => abort.signal.addEventListener('abort', () => group.cancel()) })
      .catch((err: unknown) => {
        if (!abort.signal.aborted) throw err;
      });
    unsubscribe('undici:client:sendHeaders', onHeaders);
    await queue.dispose();
    await index.dispose();
    if (firstByteMs === undefined) throw new Error(`no upload request was seen (expected a POST to ${uploadsPath})`);

    process.stdout.write(
      [
        `first-byte.bench: ${count(FILES)} new photos in 10 folders, latency ${LATENCY_MS} ms/request`,
        `  first upload on the wire  ${firstByteMs.toFixed(0)} ms after Sync Now (target ≤ 1,000 ms)`,
        `  the scan alone            ${scanMs.toFixed(0)} ms (walk + hash every new file, nothing recorded)`,
      ].join('\n') + '\n',
    );
    row({ name: `Time to first byte on the wire after Sync Now, ${count(FILES)} new files`, value: firstByteMs / 1000, unit: 's', target: 1, kind: 'max', detail: `${firstByteMs.toFixed(0)} ms; the scan of the folder alone takes ${scanMs.toFixed(0)} ms` });
  } finally {
    emulator.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`first-byte.bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
