// Runs every *.bench.ts under test/bench, one process each (so memory figures do not mix), in name
// order, shows their lines, and prints ONE table of every row they report (rows.ts): each a ratio
// measured in the same run against its lower bound or baseline, with its target. Exits non-zero when
// a benchmark fails or a row misses its target by more than 50% (a regression guard, not a timed test).
//   npm run bench                          all benchmarks at the issue's sizes
//   BENCH_SCALE=0.1 npm run bench          the same, sizes scaled down for a quick run
//   npm run bench -- index upload          only files whose name contains one of the words
//   npm run bench -- --results             also writes the table into test/bench/RESULTS.md
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { benchScale, ROW_PREFIX, verdict, type BenchRow } from './rows';

function find(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) return find(full);
      return name.endsWith('.bench.ts') ? [full] : [];
    })
    .sort();
}

interface Ran {
  file: string;
  status: string;
  seconds: number;
  rows: BenchRow[];
}

/** One benchmark in its own process; its rows are taken out of its output, the rest is shown. */
function runOne(file: string): Promise<Ran> {
  const rel = path.relative(process.cwd(), file);
  const started = Date.now();
  const rows: BenchRow[] = [];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', file], { stdio: ['ignore', 'pipe', 'inherit'] });
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith(ROW_PREFIX)) return void process.stdout.write(`${line}\n`);
      const r = JSON.parse(line.slice(ROW_PREFIX.length)) as BenchRow;
      rows.push(r);
      process.stdout.write(`  → row: ${r.name}: ${figure(r)} (${targetText(r)}, ${MARK[verdict(r)]})\n`);
    });
    child.on('close', (code, signal) => {
      const status = code === 0 ? 'ok' : `failed (${signal ?? `exit ${code}`})`;
      resolve({ file: rel, status, seconds: (Date.now() - started) / 1000, rows });
    });
  });
}

function figure(r: BenchRow): string {
  const v = Math.abs(r.value) >= 100 ? r.value.toFixed(0) : Math.abs(r.value) >= 10 ? r.value.toFixed(1) : r.value.toFixed(2);
  return r.unit === '×' ? `${v}×` : `${v} ${r.unit}`;
}

function targetText(r: BenchRow): string {
  const t = r.unit === '×' ? `${r.target}×` : `${r.target} ${r.unit}`;
  return `${r.kind === 'max' ? '≤' : '≥'} ${t}`;
}

const MARK = { met: 'met', missed: 'MISSED', regressed: 'REGRESSED (>50% off)' } as const;

/** The table as Markdown (the same text goes to the terminal and to RESULTS.md). */
function table(ran: Ran[]): string {
  const lines = ['| Row | Measured | Target | Status | Measured against |', '|---|---:|---:|---|---|'];
  for (const r of ran.flatMap((x) => x.rows)) lines.push(`| ${r.name} | ${figure(r)} | ${targetText(r)} | ${MARK[verdict(r)]} | ${r.detail.replace(/\|/g, '\\|')} |`);
  for (const r of ran.filter((x) => x.status !== 'ok')) lines.push(`| ${r.file} | — | — | FAILED: ${r.status} | the benchmark did not finish |`);
  return lines.join('\n');
}

function machine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GB RAM, Node ${process.version}, ${os.type()} ${os.release()}`;
}

function writeResults(text: string, ran: Ran[]): void {
  const file = path.join(__dirname, 'RESULTS.md');
  const block = [
    '<!-- bench:start (written by `npm run bench -- --results`; edit outside these marks) -->',
    `Run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · machine: ${machine()} · scale ${benchScale()} (1 = the issue's sizes) · load average before the run ${os.loadavg()[0].toFixed(2)}`,
    '',
    text,
    '',
    `Benchmarks: ${ran.map((r) => `${path.basename(r.file)} ${r.status} in ${r.seconds.toFixed(0)} s`).join(', ')}.`,
    '<!-- bench:end -->',
  ].join('\n');
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n\n<!-- bench:start --><!-- bench:end -->\n';
  const next = /<!-- bench:start[\s\S]*?<!-- bench:end -->/.test(old) ? old.replace(/<!-- bench:start[\s\S]*?<!-- bench:end -->/, () => block) : `${old.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
  console.log(`\nWrote the table into ${path.relative(process.cwd(), file)}`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const results = args.includes('--results');
  const filters = args.filter((a) => !a.startsWith('--'));
  const files = find(__dirname).filter((f) => filters.length === 0 || filters.some((w) => path.basename(f).includes(w)));
  if (files.length === 0) {
    console.error(`No benchmarks match ${filters.join(', ')}`);
    process.exit(1);
  }
  console.log(`Machine: ${machine()}; scale ${benchScale()}`);
  const ran: Ran[] = [];
  for (const file of files) {
    console.log(`\n=== ${path.relative(process.cwd(), file)} ===`);
    ran.push(await runOne(file));
  }
  const text = table(ran);
  console.log('\n=== summary ===');
  for (const r of ran) console.log(`${r.status.padEnd(16)} ${r.seconds.toFixed(1).padStart(7)} s  ${r.file}`);
  console.log(`\n${text}`);
  if (results) writeResults(text, ran);
  const rows = ran.flatMap((r) => r.rows);
  const regressed = rows.filter((r) => verdict(r) === 'regressed');
  const missed = rows.filter((r) => verdict(r) === 'missed');
  console.log(`\n${rows.length} rows: ${rows.length - regressed.length - missed.length} met, ${missed.length} missed by ≤ 50%, ${regressed.length} missed by > 50%; ${ran.filter((r) => r.status !== 'ok').length} benchmarks failed.`);
  process.exit(regressed.length === 0 && ran.every((r) => r.status === 'ok') ? 0 : 1);
}

void main();
