// `npm run soak`: the reliability suite with 200 kill trials of 300 files. The kill trials are split
// over SOAK_SHARDS processes (default 2, each with its own emulator; a trial's seed and kill point
// follow its number, so the split runs the same 200 trials), the other reliability tests run once.
// Each shard's lines are prefixed with its trial range; at the end one totals table over all trials.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

const TRIALS = Number(process.env.RELIABILITY_TRIALS ?? 200);
const SHARDS = Math.max(1, Number(process.env.SOAK_SHARDS ?? 2));
const dir = path.join('test', 'reliability');
const others = readdirSync(dir).filter((f) => f.endsWith('.test.ts') && f !== 'kill-trials.test.ts').map((f) => path.join(dir, f));

const rows = [];
const failed = [];

function run(label, files, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['test/run-tests.mjs', '--serial', ...files], { env: { ...process.env, RELIABILITY_SOAK: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [child.stdout, child.stderr]) {
      readline.createInterface({ input: stream }).on('line', (line) => {
        if (line.startsWith('trial-row ')) rows.push(JSON.parse(line.slice('trial-row '.length)));
        process.stdout.write(`[${label}] ${line}\n`);
      });
    }
    child.on('close', (code) => {
      if (code !== 0) failed.push(`${label} (exit ${code})`);
      resolve();
    });
  });
}

const per = Math.ceil(TRIALS / SHARDS);
const started = Date.now();
await Promise.all(
  Array.from({ length: SHARDS }, (_, i) => {
    const first = i * per + 1;
    const last = Math.min(TRIALS, (i + 1) * per);
    return first > last ? undefined : run(`trials ${first}–${last}`, [path.join(dir, 'kill-trials.test.ts')], { RELIABILITY_FIRST_TRIAL: String(first), RELIABILITY_TRIALS: String(last) });
  }),
);
await run('other reliability tests', others, {});

const sum = (k) => rows.reduce((n, r) => n + r[k], 0);
const table = [
  ['trials', 'kill points covered', 'kills landed', 'lost files', 'duplicates', 'albums twice', 'partial files', 'integrity failures', 'index ≠ emulator', 'minutes'],
  [rows.length, new Set(rows.filter((r) => r.landed).map((r) => r.phase)).size, rows.filter((r) => r.landed).length, sum('lost'), sum('duplicates'), sum('albumsTwice'), sum('partial'), rows.filter((r) => r.integrity !== 'ok').length, sum('disagree'), ((Date.now() - started) / 60000).toFixed(1)],
];
const widths = table[0].map((_, c) => Math.max(...table.map((r) => String(r[c]).length)));
const line = (r) => `| ${r.map((v, c) => String(v).padEnd(widths[c])).join(' | ')} |`;
process.stdout.write(`\nSoak — kill trials over all ${SHARDS} shard(s)\n${line(table[0])}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n${line(table[1])}\n`);
if (rows.length !== TRIALS) failed.push(`${TRIALS - rows.length} trial(s) left no row`);
if (failed.length) {
  process.stdout.write(`Soak failed: ${failed.join('; ')}\n`);
  process.exit(1);
}
