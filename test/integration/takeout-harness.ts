// What a Takeout import test runs on: a real sql.js index, a real task queue, the import pipeline,
// and helpers that read the result back from the disk.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { openIndex } from '../../src/index/openIndex';
import type { PhotoIndex } from '../../src/index/api';
import { importTakeout, type TakeoutImportOptions } from '../../src/sync/takeout/pipeline';
import { parseTakeoutSettings } from '../../src/sync/takeout/settings';
import type { TakeoutResult } from '../../src/sync/takeout/report';
import { TaskQueue } from '../../src/tasks/queue';
import { nullLogger } from '../../src/util/logger';
import { tempDir } from '../unit/sync-fixtures';
import { WASM_DIR } from './sync-harness';

export interface TakeoutRig {
  index: PhotoIndex;
  queue: TaskQueue;
  root: string;
  run(parts: readonly string[], extra?: Partial<TakeoutImportOptions>): Promise<TakeoutResult>;
  close(): Promise<void>;
}

export async function startTakeoutRig(root?: string): Promise<TakeoutRig> {
  const index = await openIndex({ storageDir: await tempDir('takeout-index-'), wasmDir: WASM_DIR, watch: false, saveDebounceMs: 50, maxSaveDelayMs: 500 });
  const queue = new TaskQueue({ backoff: { baseMs: 20, maxMs: 200 } });
  const target = root ?? (await tempDir('takeout-root-'));
  return {
    index,
    queue,
    root: target,
    run: (parts, extra = {}) =>
      importTakeout({ parts, root: target, settings: parseTakeoutSettings(() => undefined).settings, index, queue, log: nullLogger, ...extra }),
    close: async () => {
      await queue.dispose();
      await index.dispose();
    },
  };
}

export function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Every file and link below `dir`, relative, `/`-separated, without hidden part files. */
export function listTree(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listTree(full, base));
    else out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out.sort();
}
