// The benchmarks' shared table: each *.bench.ts prints its own lines for a person and, for every
// figure the issue sets a target for, one machine-readable row that `npm run bench` (run.ts) gathers
// into one table and checks. A row is a ratio measured in this run (or a figure with an absolute
// target where the issue sets one: milliseconds, megabytes), never a timing against a constant.
//
// BENCH_SCALE (0 < s ≤ 1) shrinks the sizes for a quick run: `BENCH_SCALE=0.1 npm run bench`.
// The default run is the sizes.

export const ROW_PREFIX = '@@bench-row ';

export interface BenchRow {
  /** What is measured, in words ("whole sync of 1,000 new photos vs lower bound"). */
  name: string;
  /** The figure compared with the target. */
  value: number;
  /** "×" for a ratio, or the unit of an absolute figure ("ms", "MB", "s", "req/item"). */
  unit: string;
  target: number;
  /** 'max': the value must be ≤ target; 'min': ≥ target. */
  kind: 'max' | 'min';
  /** The measurement and its baseline in words ("12.3 s vs 10.1 s lower bound"). */
  detail: string;
}

/** Prints a row for run.ts (and a readable line for someone running the file alone). */
export function row(r: BenchRow): void {
  process.stdout.write(`${ROW_PREFIX}${JSON.stringify(r)}\n`);
}

/** The guard `npm run bench` applies: a value missing its target by more than 50% fails the run. */
export function verdict(r: BenchRow): 'met' | 'missed' | 'regressed' {
  const met = r.kind === 'max' ? r.value <= r.target : r.value >= r.target;
  if (met) return 'met';
  const far = r.kind === 'max' ? r.value > r.target * 1.5 : r.value < r.target / 1.5;
  return far ? 'regressed' : 'missed';
}

/** The scale of this run (BENCH_SCALE, default 1). */
export function benchScale(): number {
  const s = Number(process.env.BENCH_SCALE ?? 1);
  return Number.isFinite(s) && s > 0 && s <= 1 ? s : 1;
}

/** `n` scaled by BENCH_SCALE, at least `min`. */
export function scaled(n: number, min = 1): number {
  return Math.max(min, Math.round(n * benchScale()));
}

/** "1,000" */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}
