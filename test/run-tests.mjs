// Runs every *.test.ts under the given folders with Node's test runner (TypeScript through tsx).
//   node test/run-tests.mjs [--serial] <dir>...
import { readdirSync, statSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const args = process.argv.slice(2);
const serial = args.includes('--serial');
const dirs = args.filter((a) => !a.startsWith('--'));

function find(dir) {
  if (!existsSync(dir)) return [];
  if (statSync(dir).isFile()) return [dir];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) return [];
    if (statSync(full).isDirectory()) return find(full);
    return name.endsWith('.test.ts') ? [full] : [];
  });
}

const files = dirs.flatMap(find).sort();
if (files.length === 0) {
  console.error(`No tests found under ${dirs.join(', ')}`);
  process.exit(1);
}
const nodeArgs = ['--import', 'tsx', '--test', '--test-reporter=spec'];
if (serial) nodeArgs.push('--test-concurrency=1');
const result = spawnSync(process.execPath, [...nodeArgs, ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
