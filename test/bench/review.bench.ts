// The pre-upload review of a big folder: the longest event-loop stall (a 1 ms interval probe) and the
// total time from "plan it" to every row made, planned in chunks and streamed (the review as it is)
// against the plan and its rows made in one synchronous go (how the review built them before).
//   npx tsx test/bench/review.bench.ts [files=100000]          (also run by `npm run bench`)
//   OLD_SRC=/path/to/older/src npx tsx test/bench/review.bench.ts   also times an older checkout's
//   buildPlan + reviewRows on the same folder and index (for a before/after figure).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { reviewRows } from '../../src/preview/reviewRows';
import type { buildPlan } from '../../src/sync/plan';
import { SyncReviewSource } from '../../src/preview/syncReviewSource';
import { ACCOUNT, longestStall, makeReviewFolder } from '../helpers/reviewFolder';
import { count, row, scaled } from './rows';

const FILES = Number(process.argv[2] ?? scaled(100_000, 1000));
const QUOTA = { used: 0, limit: 10_000 };

async function main(): Promise<void> {
  const rf = await makeReviewFolder(FILES, (line) => process.stdout.write(`review.bench: ${line}\n`));
  const lines: string[] = [];

  // Before: plan and rows in one go (the event loop waits for all of it).
  const oneShot = await longestStall(async () => reviewRows(rf.scans, rf.pipeline.plan(rf.scans), QUOTA).rows.length);
  lines.push(`  one go (plan + rows)       stall ${oneShot.stallMs.toFixed(0)} ms, total ${oneShot.totalMs.toFixed(0)} ms`);

  if (process.env.OLD_SRC) {
    const oldPlan = (await import(path.join(process.env.OLD_SRC, 'sync/plan.ts'))) as { buildPlan: typeof buildPlan };
    const oldRows = (await import(path.join(process.env.OLD_SRC, 'preview/reviewPlan.ts'))) as { reviewRows: typeof reviewRows };
    const options = { accountId: ACCOUNT, provider: 'google-photos', rules: rf.pipeline.provider.rules, batchSize: 50 };
    const old = await longestStall(async () => oldRows.reviewRows(rf.scans, oldPlan.buildPlan(rf.scans, rf.index, options), QUOTA).rows.length);
    lines.push(`  older code (${process.env.OLD_SRC})  stall ${old.stallMs.toFixed(0)} ms, total ${old.totalMs.toFixed(0)} ms`);
  }

  // Now: planned in chunks, each chunk's rows handed on as it is planned.
  let firstMs = 0;
  let rows = 0;
  const source = new SyncReviewSource({ title: 'bench', scans: rf.scans, plan: (s) => rf.pipeline.plan(s), planInChunks: (s, c) => rf.pipeline.planInChunks(s, c), quota: () => QUOTA, saveExclude: async () => undefined, run: async () => undefined });
  const started = performance.now();
  const chunked = await longestStall(() =>
    source.plan(new AbortController().signal, {
      begin: async () => undefined,
      rows: async (r) => {
        if (!rows && r.length) firstMs = performance.now() - started;
        rows += r.length;
      },
    }),
  );
  if (rows !== chunked.result.rows.length || rows !== oneShot.result) throw new Error(`rows streamed ${rows}, planned ${chunked.result.rows.length}, in one go ${oneShot.result}`);
  lines.push(`  in chunks, streamed        stall ${chunked.stallMs.toFixed(0)} ms, total ${chunked.totalMs.toFixed(0)} ms, first rows after ${firstMs.toFixed(0)} ms`);
  process.stdout.write(`review.bench: ${count(rows)} rows\n${lines.join('\n')}\n`);
  row({
    name: `Review of ${count(FILES)} files: longest event-loop stall`,
    value: chunked.stallMs,
    unit: 'ms',
    target: 250,
    kind: 'max',
    detail: `${chunked.stallMs.toFixed(0)} ms in chunks (total ${(chunked.totalMs / 1000).toFixed(1)} s, first rows ${firstMs.toFixed(0)} ms) vs ${oneShot.stallMs.toFixed(0)} ms in one go`,
  });
  await rf.index.dispose();
  await fs.rm(path.dirname(rf.root), { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`review.bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
