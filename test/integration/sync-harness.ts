// Builds the real pieces a sync runs on — emulator, signed-in destination (provider + upload
// pipeline from the same factory the extension uses), sql.js index, task queue — for the sync
// integration tests and the upload benchmark.
import path from 'node:path';
import { startEmulator, type RunningEmulator, type EmulatorOptions } from '../emulator/index';
import { EmulatorControl } from '../emulator/control';
import { emulatorTokenSource, type EmulatorTokenSource } from '../helpers/emulatorAuth';
import { SIGN_IN_SCOPES } from '../../src/google/scopes';
import { createDestination, type DestinationDeps } from '../../src/destinations/factory';
import type { GooglePhotosProvider } from '../../src/destinations/googlePhotos/provider';
import { openIndex } from '../../src/index/openIndex';
import type { PhotoIndex } from '../../src/index/api';
import { TaskQueue } from '../../src/tasks/queue';
import { createIndexJournal } from '../../src/tasks/indexJournal';
import type { TaskQueueOptions } from '../../src/tasks/api';
import type { UploadPipeline } from '../../src/sync/upload/pipeline';
import { parseSyncFolders, type SyncFolder } from '../../src/sync/config';
import { nullLogger } from '../../src/util/logger';
import { tempDir } from '../unit/sync-fixtures';

export { waitFor } from '../helpers/waitFor';

export const ACCOUNT = 'acct-1';
export const WASM_DIR = path.join(process.cwd(), 'node_modules/sql.js/dist');

/** What a test may change in how the destination is built. */
export type DestinationOptions = Partial<Pick<DestinationDeps, 'batchSize' | 'description' | 'readDates' | 'now' | 'transfer'>>;

export interface Rig {
  emulator: RunningEmulator;
  control: EmulatorControl;
  tokens: EmulatorTokenSource;
  provider: GooglePhotosProvider;
  index: PhotoIndex;
  queue: TaskQueue;
  pipeline: UploadPipeline;
  storageDir: string;
  /** Requests the provider sent, by endpoint. */
  requests: Map<string, number>;
  /** Closes queue and index (as VS Code closing does), then opens fresh ones over the same index file. */
  restart(options?: DestinationOptions, tokens?: EmulatorTokenSource): Promise<void>;
  close(): Promise<void>;
}

export interface RigOptions {
  emulator?: EmulatorOptions;
  destination?: DestinationOptions;
  queue?: TaskQueueOptions;
}

export async function startRig(options: RigOptions = {}): Promise<Rig> {
  const emulator = await startEmulator({ port: 0, ...options.emulator });
  const control = new EmulatorControl(emulator.control);
  let tokens = await emulatorTokenSource(emulator, SIGN_IN_SCOPES);
  const storageDir = await tempDir('photosync-rig-');
  const requests = new Map<string, number>();

  const build = async (extra: DestinationOptions = {}) => {
    const index = await openIndex({ storageDir, wasmDir: WASM_DIR, watch: false, saveDebounceMs: 50, maxSaveDelayMs: 500 });
    const queue = new TaskQueue({ concurrency: { upload: 4 }, backoff: { baseMs: 50, maxMs: 1000 }, journal: createIndexJournal(index), ...options.queue });
    const destination = await createDestination('google-photos', {
      index,
      queue,
      accountId: ACCOUNT,
      tokenSource: tokens,
      endpoints: emulator.endpoints,
      log: nullLogger,
      onRequest: (endpoint) => requests.set(endpoint, (requests.get(endpoint) ?? 0) + 1),
      ...options.destination,
      ...extra,
      transfer: { recoveryDelayMs: 10, ...options.destination?.transfer, ...extra.transfer },
    });
    return { index, queue, provider: destination.provider as GooglePhotosProvider, pipeline: destination.pipeline };
  };

  const parts = await build();
  const rig: Rig = {
    emulator,
    control,
    tokens,
    storageDir,
    requests,
    ...parts,
    async restart(extra, newTokens) {
      await rig.queue.dispose();
      await rig.index.dispose();
      if (newTokens) tokens = rig.tokens = newTokens;
      Object.assign(rig, await build(extra));
    },
    async close() {
      await rig.queue.dispose();
      await rig.index.dispose();
      await emulator.close();
    },
  };
  return rig;
}

export function folder(setting: Record<string, unknown>): SyncFolder {
  const { folders, problems } = parseSyncFolders([setting], path.isAbsolute);
  if (problems.length) throw new Error(problems.join('\n'));
  return folders[0];
}

/** The emulator's items of the signed-in user (not seeded ones), by filename. */
export async function remoteItems(control: EmulatorControl) {
  const state = await control.state();
  return state.mediaItems.filter((m) => !m.seeded);
}

/** A second pipeline with its own empty index (another machine) against the same emulator account. */
export async function secondMachine(rig: Rig): Promise<{ index: PhotoIndex; queue: TaskQueue; pipeline: UploadPipeline }> {
  const index = await openIndex({ storageDir: await tempDir(), wasmDir: WASM_DIR, watch: false });
  const queue = new TaskQueue({ backoff: { baseMs: 20, maxMs: 200 } });
  const { pipeline } = await createDestination('google-photos', { index, queue, accountId: ACCOUNT, tokenSource: rig.tokens, endpoints: rig.emulator.endpoints, log: nullLogger });
  return { index, queue, pipeline };
}

/** Upload journal rows of the rig's account left unfinished (pending, uploading or holding a receipt). */
export function unfinishedUploads(rig: Pick<Rig, 'index' | 'provider'>) {
  return (['pending', 'uploading', 'uploaded'] as const).flatMap((state) => rig.index.uploads.byState(state, { provider: rig.provider.id, accountId: ACCOUNT }, { limit: 1000 }).items);
}
