// Child process for two-writers.test.ts: one "extension host" — the pieces activation wires in a VS Code
// window (src/activation/tasks.ts opens the index in global storage with its defaults: watched, 2 s
// debounced saves, the window's lock label; src/activation/sync.ts builds the destination from the
// same factory; Sync Now = src/ui/commands/syncNow.ts: hold the folders' leases, scan, plan, run) —
// under plain Node, signed in to the emulator on its own. Prints its report as one JSON line.
//   node --import tsx two-writers-host.ts '<json: HostArgs>'
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDestination } from '../../src/destinations/factory';
import { SIGN_IN_SCOPES } from '../../src/google/scopes';
import type { Endpoints } from '../../src/google/endpoints';
import { openIndex } from '../../src/index/openIndex';
import type { IndexStore } from '../../src/index/store';
import { parseSyncFolders } from '../../src/sync/config';
import { createIndexJournal } from '../../src/tasks/indexJournal';
import { TaskQueue } from '../../src/tasks/queue';
import type { Logger } from '../../src/util/logger';
import { emulatorTokenSource } from '../helpers/emulatorAuth';

export interface HostArgs {
  name: string;
  /** The shared global storage folder (index.sqlite, its lock, the leases). */
  storageDir: string;
  endpoints: Endpoints;
  accountId: string;
  /** photoSync.folders as in the settings. */
  folders: unknown[];
  /** Written once ready; the run starts when `go` exists. */
  ready: string;
  go: string;
}

export interface HostReport {
  name: string;
  planned: number;
  uploaded: number;
  added: number;
  alreadyUploaded: number;
  albumsCreated: string[];
  failed: { path: string; message: string }[];
  /** Times it found another writer holding a lease of its folders and waited. */
  waited: number;
  /** Reloads of the index another process saved. */
  reloads: number;
  errors: string[];
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2]) as HostArgs;
  const errors: string[] = [];
  const log: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: (m) => void errors.push(`warn: ${m}`), error: (m) => void errors.push(`error: ${String(m)}`) };
  const index = await openIndex({ storageDir: args.storageDir, wasmDir: path.join(process.cwd(), 'node_modules/sql.js/dist'), log, lockLabel: 'a VS Code window' });
  const queue = new TaskQueue({ log, journal: createIndexJournal(index) });
  const tokenSource = await emulatorTokenSource({ endpoints: args.endpoints }, SIGN_IN_SCOPES);
  const { pipeline } = await createDestination('google-photos', { index, queue, accountId: args.accountId, tokenSource, endpoints: args.endpoints, log, leaseLabel: 'another VS Code window' });
  const { folders, problems } = parseSyncFolders(args.folders, path.isAbsolute);
  if (problems.length) throw new Error(problems.join('; '));
  writeFileSync(args.ready, '');
  while (!existsSync(args.go)) await sleep(5);

  let waited = 0;
  const report = await pipeline.exclusive(
    folders,
    async () => {
      const plan = pipeline.plan(await pipeline.scan(folders));
      const r = await pipeline.run(plan);
      return { ...r, planned: plan.uploads.length };
    },
    { onBusy: () => void waited++ },
  );
  await queue.dispose();
  await index.dispose();
  const out: HostReport = {
    name: args.name,
    planned: report.planned,
    uploaded: report.uploaded,
    added: report.added,
    alreadyUploaded: report.alreadyUploaded,
    albumsCreated: report.albumsCreated,
    failed: report.failed,
    waited,
    reloads: (index as IndexStore).reloads,
    errors,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
