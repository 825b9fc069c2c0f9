// Builds the real pieces the sync engine runs on — emulator, signed-in Google provider, sql.js index,
// task queue — for the sync integration tests and the upload benchmark.
import path from 'node:path';
import { startEmulator, type RunningEmulator, type EmulatorOptions } from '../emulator/index';
import { EmulatorControl } from '../emulator/control';
import { emulatorTokenSource, type EmulatorTokenSource } from '../helpers/emulatorAuth';
import { SIGN_IN_SCOPES } from '../../src/google/scopes';
import { GooglePhotosProvider } from '../../src/google/googlePhotosProvider';
import { openIndex } from '../../src/index/openIndex';
import type { PhotoIndex } from '../../src/index/api';
import { TaskQueue } from '../../src/tasks/queue';
import { createIndexJournal } from '../../src/tasks/indexJournal';
import type { TaskQueueOptions } from '../../src/tasks/api';
import { SyncEngine, type SyncEngineOptions } from '../../src/sync/engine';
import { loadMediaTypes } from '../../src/sync/mediaTypes';
import { parseSyncFolders, type SyncFolder } from '../../src/sync/config';
import { indexUploadSessionJournal } from '../../src/sync/sessionJournal';
import { nullLogger } from '../../src/util/logger';
import { tempDir } from '../unit/sync-fixtures';

export const ACCOUNT = 'acct-1';

export interface Rig {
  emulator: RunningEmulator;
  control: EmulatorControl;
  tokens: EmulatorTokenSource;
  provider: GooglePhotosProvider;
  index: PhotoIndex;
  queue: TaskQueue;
  engine: SyncEngine;
  storageDir: string;
  /** Requests the provider sent, by endpoint. */
  requests: Map<string, number>;
  /** Closes queue and index (as VS Code closing does), then opens fresh ones over the same index file. */
  restart(options?: Partial<SyncEngineOptions>, tokens?: EmulatorTokenSource): Promise<void>;
  close(): Promise<void>;
}

export interface RigOptions {
  emulator?: EmulatorOptions;
  engine?: Partial<SyncEngineOptions>;
  queue?: TaskQueueOptions;
  uploads?: { resumableThreshold?: number; chunkSize?: number };
}

export async function startRig(options: RigOptions = {}): Promise<Rig> {
  const emulator = await startEmulator({ port: 0, ...options.emulator });
  const control = new EmulatorControl(emulator.control);
  let tokens = await emulatorTokenSource(emulator, SIGN_IN_SCOPES);
  const storageDir = await tempDir('photosync-rig-');
  const mediaTypes = await loadMediaTypes();
  const requests = new Map<string, number>();
  const wasmDir = path.join(process.cwd(), 'node_modules/sql.js/dist');

  const build = async (engineOptions: Partial<SyncEngineOptions> = {}) => {
    const index = await openIndex({ storageDir, wasmDir, watch: false, saveDebounceMs: 50, maxSaveDelayMs: 500 });
    const provider = new GooglePhotosProvider({
      tokenSource: tokens,
      libraryRoot: emulator.endpoints.library,
      onRequest: (endpoint) => requests.set(endpoint, (requests.get(endpoint) ?? 0) + 1),
      uploads: { recoveryDelayMs: 10, ...options.uploads },
      uploadJournal: indexUploadSessionJournal(index, ACCOUNT),
    });
    const queue = new TaskQueue({ concurrency: { upload: 4 }, backoff: { baseMs: 50, maxMs: 1000 }, journal: createIndexJournal(index), ...options.queue });
    const engine = new SyncEngine({
      provider,
      index,
      queue,
      accountId: ACCOUNT,
      mediaTypes,
      log: nullLogger,
      resumableThreshold: options.uploads?.resumableThreshold,
      chunkSize: options.uploads?.chunkSize,
      ...options.engine,
      ...engineOptions,
    });
    return { index, provider, queue, engine };
  };

  const parts = await build();
  const rig: Rig = {
    emulator,
    control,
    tokens,
    storageDir,
    requests,
    ...parts,
    async restart(engineOptions, newTokens) {
      await rig.queue.dispose();
      await rig.index.dispose();
      if (newTokens) tokens = rig.tokens = newTokens;
      Object.assign(rig, await build(engineOptions));
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

/** A second engine with its own empty index (another machine) against the same emulator account. */
export async function secondEngine(rig: Rig): Promise<{ index: PhotoIndex; queue: TaskQueue; engine: SyncEngine }> {
  const index = await openIndex({ storageDir: await tempDir(), wasmDir: path.join(process.cwd(), 'node_modules/sql.js/dist'), watch: false });
  const queue = new TaskQueue({ backoff: { baseMs: 20, maxMs: 200 } });
  const engine = new SyncEngine({ provider: rig.provider, index, queue, accountId: ACCOUNT, mediaTypes: await loadMediaTypes(), log: nullLogger });
  return { index, queue, engine };
}
