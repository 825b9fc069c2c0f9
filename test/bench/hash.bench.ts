// Hashing new files, against `openssl dgst -sha256` over the same files in the same run (Debian's
// sha256sum does not use the CPU's SHA instructions, so it is no bound).
//   npx tsx test/bench/hash.bench.ts [megabytes=2048]        (also run by `npm run bench`)
// Prints:
//   - one stream: the engine's hashFile over one file of that size vs one openssl over it (target ≤ 1.1);
//   - many new files: the scan (it hashes what is new, several files at once) over the same bytes in
//     32 MB files vs two openssl processes over the two halves at once (target ≤ 1.25: both cores; the
//     scan hands files of 1 MB or more to a pool of worker threads, src/sync/hashPool.ts). The same
//     scan hashing on the main thread alone (the way before the pool) is measured in the same run.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { googlePhotosRules } from '../../src/destinations/googlePhotos/rules';
import { loadMediaTypes } from '../../src/metadata/mediaTypes';
import { parseSyncFolders } from '../../src/sync/config';
import { hashFile, hashInThread, hashPool } from '../../src/sync/hash';
import { scanFolder } from '../../src/sync/scan';
import { row, scaled } from './rows';

const run = promisify(execFile);
const MB = 1024 * 1024;
const TOTAL_MB = Number(process.argv[2] ?? scaled(2048, 128));
const PART_MB = 32;

async function writeRandom(file: string, mb: number, block: Buffer): Promise<void> {
  const handle = await fs.open(file, 'w');
  for (let i = 0; i < mb; i += block.length / MB) {
    block.writeUInt32LE(i, 0); // no two blocks alike
    await handle.write(block);
  }
  await handle.close();
}

async function openssl(files: string[]): Promise<void> {
  await run('openssl', ['dgst', '-sha256', ...files], { maxBuffer: 64 * MB });
}

async function best(n: number, fn: () => Promise<unknown>): Promise<number> {
  let min = Infinity;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

async function main(): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'photosync-bench-hash-'));
  try {
    const block = randomBytes(8 * MB);
    const one = path.join(dir, 'one.mp4');
    await writeRandom(one, TOTAL_MB, block);
    const manyDir = path.join(dir, 'Many');
    await fs.mkdir(manyDir);
    const parts: string[] = [];
    for (let i = 0; i * PART_MB < TOTAL_MB; i++) {
      const p = path.join(manyDir, `VID_${String(i).padStart(4, '0')}.mp4`);
      await writeRandom(p, Math.min(PART_MB, TOTAL_MB - i * PART_MB), block);
      parts.push(p);
    }
    await openssl([one, ...parts]); // page cache warm for every contender

    const oneOpenssl = await best(2, () => openssl([one]));
    const oneNode = await best(2, () => hashFile(one));
    const half = Math.ceil(parts.length / 2);
    const twoOpenssl = await best(2, () => Promise.all([openssl(parts.slice(0, half)), openssl(parts.slice(half))]));
    const rules = googlePhotosRules(await loadMediaTypes());
    const folder = parseSyncFolders([{ path: manyDir }], path.isAbsolute).folders[0];
    let hashed = 0;
    const scanMs = await best(2, async () => {
      const r = await scanFolder(folder, { rules });
      hashed = r.files.filter((f) => f.changed).length;
    });
    if (hashed !== parts.length) throw new Error(`the scan hashed ${hashed} of ${parts.length} new files`);
    const threads = [...hashPool().stats.byThread.keys()].filter((t) => t !== 0).length;
    const inThreadMs = await best(2, () => scanFolder(folder, { rules, hasher: hashInThread }));
    const oneSerialOpenssl = await best(1, () => openssl(parts));

    const f = (n: number) => n.toFixed(2);
    const size = TOTAL_MB >= 1024 ? `${(TOTAL_MB / 1024).toFixed(0)} GB` : `${TOTAL_MB} MB`;
    process.stdout.write(
      [
        `hash.bench: ${size}, ${os.cpus().length} cores`,
        `  one stream                ${oneNode.toFixed(0)} ms vs openssl ${oneOpenssl.toFixed(0)} ms: ${f(oneNode / oneOpenssl)} (target ≤ 1.1)`,
        `  ${parts.length} new files (scan)    ${scanMs.toFixed(0)} ms vs two openssl at once ${twoOpenssl.toFixed(0)} ms: ${f(scanMs / twoOpenssl)} (target ≤ 1.25); one openssl over all ${oneSerialOpenssl.toFixed(0)} ms: ${f(scanMs / oneSerialOpenssl)}`,
        `  same scan hashing on the main thread only ${inThreadMs.toFixed(0)} ms: ${f(inThreadMs / twoOpenssl)} vs two openssl; pool (${threads} worker threads) ${f(inThreadMs / scanMs)}× faster`,
      ].join('\n') + '\n',
    );
    row({ name: `Hashing ${size} in one file vs openssl dgst -sha256`, value: oneNode / oneOpenssl, unit: '×', target: 1.1, kind: 'max', detail: `${oneNode.toFixed(0)} ms vs ${oneOpenssl.toFixed(0)} ms` });
    row({ name: `Hashing ${size} of ${parts.length} new files (scan) vs two openssl processes at once`, value: scanMs / twoOpenssl, unit: '×', target: 1.25, kind: 'max', detail: `${scanMs.toFixed(0)} ms vs ${twoOpenssl.toFixed(0)} ms (one openssl over all: ${oneSerialOpenssl.toFixed(0)} ms, ${f(scanMs / oneSerialOpenssl)}×); ${threads} worker threads; main thread only ${inThreadMs.toFixed(0)} ms, ${f(inThreadMs / twoOpenssl)}×` });
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`hash.bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
