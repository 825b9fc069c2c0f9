// Sidebar and Explorer badges benchmark: a sync folder of N files (10,000 by default) in a real index.
//   npx tsx test/bench/sidebar.bench.ts [files=10000]
// Prints, all measured in this run:
//   - decorating every file and folder through SyncStatusCache (one read per sync folder) vs the
//     baseline of one index query per file (byPath), as the ratio baseline ÷ cache;
//   - the index queries each way;
//   - a sync folder's rows (counts, first page of sub-folders and files) after an index change.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseSyncFolders } from '../../src/sync/config';
import { SyncStatusCache } from '../../src/ui/syncStatusCache';
import { badgeFor } from '../../src/ui/fileDecorations';
import { l10n } from '../helpers/vscodeFake';
import { openTestIndex } from '../unit/sync-fixtures';

const N = Number(process.argv[2] ?? 10_000);
const root = path.resolve('/bench/Photos');
const STATUSES = ['uploaded', 'uploaded', 'uploaded', 'hashed', 'failed', 'skipped'] as const;

async function main(): Promise<void> {
  const index = await openTestIndex();
  const files = Array.from({ length: N }, (_, i) => path.join(root, `day ${String(Math.floor(i / 100)).padStart(3, '0')}`, `IMG_${String(i).padStart(5, '0')}.jpg`));
  await index.write((w) => {
    files.forEach((p, i) => w.localFiles.upsert({ path: p, size: 1000 + i, mtimeMs: i, status: STATUSES[i % STATUSES.length], lastError: STATUSES[i % STATUSES.length] === 'failed' ? 'refused' : undefined }));
  });
  // Let the index's debounced save finish, so it does not land inside a measurement.
  await new Promise((r) => setTimeout(r, 1500));
  const folders = parseSyncFolders([{ path: root }], path.isAbsolute).folders;
  const dirs = [...new Set(files.map((f) => path.dirname(f)))];
  const name = () => 'Google Photos';

  // Baseline: what a provider without a cache does — one query per decorated file.
  const t0 = performance.now();
  let badges = 0;
  for (const f of files) if (index.localFiles.byPath(f)) badges++;
  const perFileMs = performance.now() - t0;

  // The cache: one read of the folder, then lookups.
  const cache = new SyncStatusCache(() => index, () => folders);
  const t1 = performance.now();
  cache.counts(folders[0]);
  const buildMs = performance.now() - t1;
  let cached = 0;
  for (const f of [...files, ...dirs]) if (badgeFor(cache, f, name, l10n)) cached++;
  const cacheMs = performance.now() - t1;
  const lookupMs = cacheMs - buildMs;

  // After an index change: invalidate, then the folder's counts and its first page of rows.
  cache.invalidate();
  const t2 = performance.now();
  const counts = cache.counts(folders[0]);
  const entry = cache.dir(root);
  const redrawMs = performance.now() - t2;

  console.log(`files: ${N.toLocaleString('en-US')} in ${dirs.length} folders`);
  console.log(`one query per file: ${perFileMs.toFixed(0)} ms for ${badges} files (${N} queries)`);
  console.log(`status cache:       ${cacheMs.toFixed(0)} ms for ${cached} files and folders: reading the folder ${buildMs.toFixed(0)} ms (${N / 1000} pages of 1,000 rows), lookups ${lookupMs.toFixed(0)} ms`);
  console.log(`ratio per-file ÷ cache: ${(perFileMs / cacheMs).toFixed(1)}×`);
  console.log(`rows after an index change: ${redrawMs.toFixed(0)} ms (counts ${JSON.stringify(counts)}, ${entry?.dirs.length} sub-folders)`);
  await index.dispose();
}

void main();
