// Activation: loading dist/extension.js and running `activate` with a faithful fake of the `vscode`
// module (test/helpers/vscodeFake.ts plus what activation touches: output channel, tree view,
// settings), against loading an empty bundle the same way — each in a fresh Node process.
//   npx tsx test/bench/activation.bench.ts        (also run by `npm run bench`; builds dist/ first)
// Prints the extra time (target < 50 ms in all), and the bytes read from disk while loading and
// activating (the bundle, and the sql.js wasm or anything else read that early).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { buildSync } from 'esbuild';
import os from 'node:os';
import path from 'node:path';
import { row } from './rows';

const RUNS = 7;
let childJs = '';

interface Figures {
  loadMs: number;
  totalMs: number;
  /** CPU time of load + activate (what a loaded machine distorts least). */
  cpuMs: number;
  bytes: number;
  heavy: string[];
}

function measure(bundle: string, storage: string): Figures {
  const r = spawnSync(process.execPath, [childJs, bundle, storage], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`activation of ${bundle} failed: ${r.stderr || r.stdout}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Figures;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  execFileSync(process.execPath, ['esbuild.mjs', '--production'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const bundle = path.resolve('dist/extension.js');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'photosync-bench-activation-'));
  try {
    // The child runs as plain JavaScript under plain Node (no tsx hook transforming the bundle).
    childJs = path.join(dir, 'child.js');
    buildSync({ entryPoints: [path.join(__dirname, 'activation-child.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: childJs, logLevel: 'silent' });
    const empty = path.join(dir, 'empty.js');
    writeFileSync(empty, 'exports.activate = async function () {};\n');
    const ours: Figures[] = [];
    const bare: Figures[] = [];
    for (let i = 0; i < RUNS; i++) {
      bare.push(measure(empty, path.join(dir, `storage-empty-${i}`)));
      ours.push(measure(bundle, path.join(dir, `storage-${i}`)));
    }
    const extra = median(ours.map((f) => f.totalMs)) - median(bare.map((f) => f.totalMs));
    const loadExtra = median(ours.map((f) => f.loadMs)) - median(bare.map((f) => f.loadMs));
    const bytes = median(ours.map((f) => f.bytes));
    const bundleKb = statSync(bundle).size / 1024;
    process.stdout.write(
      [
        `activation.bench: dist/extension.js ${bundleKb.toFixed(0)} KB (production build), median of ${RUNS} fresh processes each`,
        `  load + activate           ${median(ours.map((f) => f.totalMs)).toFixed(1)} ms vs empty bundle ${median(bare.map((f) => f.totalMs)).toFixed(1)} ms: +${extra.toFixed(1)} ms (target < 50 ms); loading alone +${loadExtra.toFixed(1)} ms`,
        `  CPU time                  ${median(ours.map((f) => f.cpuMs)).toFixed(1)} ms vs ${median(bare.map((f) => f.cpuMs)).toFixed(1)} ms for the empty bundle`,
        `  bytes read at activation  ${(bytes / 1024).toFixed(0)} KB (empty bundle ${(median(bare.map((f) => f.bytes)) / 1024).toFixed(0)} KB)`,
        `  other modules loaded      ${ours[0].heavy.length ? ours[0].heavy.map((h) => path.relative(process.cwd(), h)).join(', ') : 'none (no node_modules, wasm, dist/vendor-* or dist/commands.js file)'}`,
      ].join('\n') + '\n',
    );
    row({ name: 'Activation: load dist/extension.js + activate (fake vscode) beyond an empty bundle', value: extra, unit: 'ms', target: 50, kind: 'max', detail: `${median(ours.map((f) => f.totalMs)).toFixed(0)} ms vs ${median(bare.map((f) => f.totalMs)).toFixed(0)} ms (CPU ${median(ours.map((f) => f.cpuMs)).toFixed(0)} ms vs ${median(bare.map((f) => f.cpuMs)).toFixed(0)} ms); ${(bytes / 1024).toFixed(0)} KB read at activation (bundle ${bundleKb.toFixed(0)} KB)` });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`activation.bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
