// Memory stays flat while a large file goes up through the resumable protocol.
//   npx tsx test/bench/google-upload-memory.ts [sizeMB=200]
// The emulator runs in a child process so its copy of the bytes does not count. Prints the peak RSS
// above idle for a 40 MB upload (baseline, same code path) and for the large one, and their ratio:
// memory that grows with the file would show a ratio near the size ratio; flat memory stays near 1.
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GooglePhotosProvider } from '../../src/destinations/googlePhotos/provider';
import { googlePhotosRules } from '../../src/destinations/googlePhotos/rules';
import { loadMediaTypes } from '../../src/metadata/mediaTypes';
import { SIGN_IN_SCOPES } from '../../src/google/scopes';
import { emulatorTokenSource } from '../helpers/emulatorAuth';
import { peakRssDelta, startEmulatorProcess } from './measure';

const MB = 1024 * 1024;


async function sparseFile(dir: string, name: string, size: number): Promise<string> {
  const p = path.join(dir, name);
  const handle = await open(p, 'w');
  // A few real bytes so two files differ (the emulator dedups identical bytes).
  await handle.write(Buffer.from(`${name} ${Date.now()}`), 0, undefined, 0);
  await handle.truncate(size);
  await handle.close();
  return p;
}


async function main(): Promise<void> {
  const sizeMb = Number(process.argv[2] ?? 200);
  const emulator = await startEmulatorProcess();
  const dir = await mkdtemp(path.join(tmpdir(), 'upload-memory-'));
  try {
    const tokens = await emulatorTokenSource(emulator, SIGN_IN_SCOPES);
    const provider = new GooglePhotosProvider({ tokenSource: tokens, libraryRoot: emulator.endpoints.library, rules: googlePhotosRules(await loadMediaTypes()), uploads: { resumableThreshold: 4 * MB } });
    const upload = async (name: string, bytes: number) => {
      const p = await sparseFile(dir, name, bytes);
      const s = await stat(p);
      const started = performance.now();
      await provider.uploadBytes({ path: p, fileName: name, mimeType: 'video/mp4', size: s.size, mtimeMs: s.mtimeMs, sha256: name });
      return performance.now() - started;
    };
    await upload('warmup.mp4', 16 * MB);
    const baselineMb = 40;
    let smallMs = 0;
    let largeMs = 0;
    const baseline = await peakRssDelta(async () => (smallMs = await upload('baseline.mp4', baselineMb * MB)));
    const large = await peakRssDelta(async () => (largeMs = await upload('large.mp4', sizeMb * MB)));
    console.log(`${baselineMb} MB resumable upload (baseline): peak RSS +${(baseline / MB).toFixed(1)} MB in ${smallMs.toFixed(0)} ms`);
    console.log(`${sizeMb} MB resumable upload: peak RSS +${(large / MB).toFixed(1)} MB in ${largeMs.toFixed(0)} ms`);
    console.log(`peak RSS delta ratio large/baseline: ${(large / Math.max(baseline, MB)).toFixed(2)} for a ${(sizeMb / baselineMb).toFixed(1)}× larger file (flat memory ≈ 1)`);
  } finally {
    emulator.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
