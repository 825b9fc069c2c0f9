// Runs every *.bench.ts under test/bench, one process each (so memory figures do not mix), in name
// order, and prints their results.
//   npm run bench                  all benchmarks
//   npm run bench -- index upload  only files whose name contains one of the words
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

function find(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) return find(full);
      return name.endsWith('.bench.ts') ? [full] : [];
    })
    .sort();
}

const filters = process.argv.slice(2);
const files = find(__dirname).filter((f) => filters.length === 0 || filters.some((w) => path.basename(f).includes(w)));
if (files.length === 0) {
  console.error(`No benchmarks match ${filters.join(', ')}`);
  process.exit(1);
}
const results: { file: string; status: string; seconds: number }[] = [];
for (const file of files) {
  const rel = path.relative(process.cwd(), file);
  console.log(`\n=== ${rel} ===`);
  const started = Date.now();
  const run = spawnSync(process.execPath, ['--import', 'tsx', file], { stdio: 'inherit' });
  const status = run.status === 0 ? 'ok' : `failed (${run.signal ?? `exit ${run.status}`})`;
  results.push({ file: rel, status, seconds: (Date.now() - started) / 1000 });
}
console.log('\n=== summary ===');
for (const r of results) console.log(`${r.status.padEnd(16)} ${r.seconds.toFixed(1).padStart(7)} s  ${r.file}`);
process.exit(results.every((r) => r.status === 'ok') ? 0 : 1);
