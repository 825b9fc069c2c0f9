// The real pieces a sync to Google Drive runs on — emulator, a sign-in with drive.file, the Drive
// destination from the same factory the extension uses (googleapis' client through a fetch that
// refuses any address but the emulator's), sql.js index, task queue — for the Drive integration
// tests, the contract rig and the benchmark. `driveView` reads the emulator's Drive state as a user
// would see it: the base folder, its album folders, and the files in each.
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../emulator/index';
import { EmulatorControl } from '../emulator/control';
import { DriveControl } from '../emulator/drive/control-client';
import type { DriveStateFile } from '../emulator/drive/control';
import { emulatorTokenSource, type EmulatorTokenSource } from '../helpers/emulatorAuth';
import { DRIVE_SCOPES, SIGN_IN_SCOPES } from '../../src/google/scopes';
import { createDestination, type DestinationDeps } from '../../src/destinations/factory';
import type { GoogleDriveProvider } from '../../src/destinations/googleDrive/provider';
import { openIndex } from '../../src/index/openIndex';
import type { PhotoIndex } from '../../src/index/api';
import { TaskQueue } from '../../src/tasks/queue';
import { createIndexJournal } from '../../src/tasks/indexJournal';
import type { TaskQueueOptions } from '../../src/tasks/api';
import type { UploadPipeline } from '../../src/sync/upload/pipeline';
import { nullLogger } from '../../src/util/logger';
import { tempDir } from '../unit/sync-fixtures';
import { guardedFetch } from './emulator-drive-harness';
import { ACCOUNT, WASM_DIR } from './sync-harness';

export { ACCOUNT };

export type DriveDestinationOptions = Partial<Pick<DestinationDeps, 'batchSize' | 'description' | 'readDates' | 'now' | 'transfer' | 'driveFolderName' | 'permanentDeletes'>>;

export interface DriveRig {
  emulator: RunningEmulator;
  control: EmulatorControl;
  /** The user in Drive's web UI. */
  web: DriveControl;
  tokens: EmulatorTokenSource;
  provider: GoogleDriveProvider;
  index: PhotoIndex;
  queue: TaskQueue;
  pipeline: UploadPipeline;
  storageDir: string;
  /** Requests the provider sent, by endpoint. */
  requests: Map<string, number>;
  /** Every URL googleapis and the resumable uploads asked fetch for. */
  urls: string[];
  /** Closes queue and index (VS Code closing) and opens fresh ones; `tokens` after signing in again. */
  restart(options?: DriveDestinationOptions, tokens?: EmulatorTokenSource): Promise<void>;
  close(): Promise<void>;
}

export interface DriveRigOptions {
  emulator?: EmulatorOptions;
  destination?: DriveDestinationOptions;
  queue?: TaskQueueOptions;
  /** Scopes of the sign-in (default: Google Photos' and drive.file, as after the incremental consent). */
  scopes?: readonly string[];
}

export async function startDriveRig(options: DriveRigOptions = {}): Promise<DriveRig> {
  const emulator = await startEmulator({ port: 0, ...options.emulator });
  const control = new EmulatorControl(emulator.control);
  let tokens = await emulatorTokenSource(emulator, options.scopes ?? [...SIGN_IN_SCOPES, ...DRIVE_SCOPES]);
  const storageDir = await tempDir('photosync-drive-rig-');
  const requests = new Map<string, number>();
  const urls: string[] = [];
  const fetch = guardedFetch(emulator.endpoints.drive, urls);

  const build = async (extra: DriveDestinationOptions = {}) => {
    const index = await openIndex({ storageDir, wasmDir: WASM_DIR, watch: false, saveDebounceMs: 50, maxSaveDelayMs: 500 });
    const queue = new TaskQueue({ concurrency: { upload: 4 }, backoff: { baseMs: 50, maxMs: 1000 }, journal: createIndexJournal(index), ...options.queue });
    const destination = await createDestination('google-drive', {
      index,
      queue,
      accountId: ACCOUNT,
      tokenSource: tokens,
      endpoints: emulator.endpoints,
      log: nullLogger,
      onRequest: (endpoint) => requests.set(endpoint, (requests.get(endpoint) ?? 0) + 1),
      fetch,
      ...options.destination,
      ...extra,
      transfer: { recoveryDelayMs: 10, ...options.destination?.transfer, ...extra.transfer },
    });
    return { index, queue, provider: destination.provider as GoogleDriveProvider, pipeline: destination.pipeline };
  };

  const parts = await build();
  const rig: DriveRig = {
    emulator,
    control,
    web: new DriveControl(emulator.control),
    tokens,
    storageDir,
    requests,
    urls,
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

export interface DriveView {
  files: DriveStateFile[];
  /** The live base folder(s) the app made. */
  bases: DriveStateFile[];
  /** Live album folders under the live base folder, by name. */
  albums: Map<string, DriveStateFile>;
  /** Live files (not folders) directly in a folder. */
  inFolder(folderId: string): DriveStateFile[];
  /** Live photo files the app made (copies included). */
  photos: DriveStateFile[];
  /** This app's appProperties of a file. */
  props(file: DriveStateFile): Record<string, string>;
}

const FOLDER = 'application/vnd.google-apps.folder';

export async function driveView(control: EmulatorControl): Promise<DriveView> {
  const state = await control.state();
  const files = state.drive.files;
  const props = (f: DriveStateFile) => Object.values(f.appProperties)[0] ?? {};
  const bases = files.filter((f) => f.mimeType === FOLDER && !f.trashed && props(f).photoSyncRole === 'base');
  const albums = new Map(files.filter((f) => f.mimeType === FOLDER && !f.trashed && bases.some((b) => f.parents.includes(b.id))).map((f) => [f.name, f]));
  return {
    files,
    bases,
    albums,
    inFolder: (id) => files.filter((f) => f.mimeType !== FOLDER && !f.trashed && f.parents.includes(id)),
    photos: files.filter((f) => f.mimeType !== FOLDER && !f.trashed && f.ownerApp && props(f).photoSyncSha256),
    props,
  };
}
