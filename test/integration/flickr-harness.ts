// Builds the real pieces a Flickr sync runs on — the emulator, an account signed in through its
// authorize page (by the emulator's own test client, which signs independently of the extension),
// the Flickr destination from the factory the extension uses, a sql.js index and a task queue.
import path from 'node:path';
import { startEmulator, type RunningEmulator, type EmulatorOptions } from '../emulator/index';
import { EmulatorControl } from '../emulator/control';
import { FlickrControl } from '../emulator/flickr/client';
import { FlickrTestClient, signInFlickr } from '../emulator/flickr/test-client';
import { DEFAULT_FLICKR_API_KEY, DEFAULT_FLICKR_API_SECRET } from '../emulator/index';
import { createDestination, type DestinationDeps } from '../../src/destinations/factory';
import type { FlickrProvider } from '../../src/destinations/flickr/provider';
import type { FlickrCredentials, OAuth1CredentialSource } from '../../src/flickr/oauth1';
import { openIndex } from '../../src/index/openIndex';
import type { PhotoIndex } from '../../src/index/api';
import { TaskQueue } from '../../src/tasks/queue';
import { createIndexJournal } from '../../src/tasks/indexJournal';
import type { TaskQueueOptions } from '../../src/tasks/api';
import type { UploadPipeline } from '../../src/sync/upload/pipeline';
import type { Logger } from '../../src/util/logger';
import { nullLogger } from '../../src/util/logger';
import { tempDir } from '../unit/sync-fixtures';

export { folder } from './sync-harness';
export const WASM_DIR = path.join(process.cwd(), 'node_modules/sql.js/dist');

/** A fixed credential pair for one account; remembers what the provider reported as rejected. */
export class FixedCredentials implements OAuth1CredentialSource {
  readonly rejectedAccounts: string[] = [];
  readonly asked: string[][] = [];
  constructor(public value: FlickrCredentials) {}
  async credentials(_accountId: string, scopes: readonly string[]): Promise<FlickrCredentials> {
    this.asked.push([...scopes]);
    return this.value;
  }
  rejected(accountId: string): void {
    this.rejectedAccounts.push(accountId);
  }
}

export type FlickrDestinationOptions = Partial<Pick<DestinationDeps, 'batchSize' | 'description' | 'readDates' | 'now' | 'transfer' | 'settings' | 'quotaUsed'>>;

export interface FlickrRig {
  emulator: RunningEmulator;
  control: EmulatorControl;
  flickr: FlickrControl;
  /** The emulator's own client, signed in as the rig's account. */
  testClient: FlickrTestClient;
  nsid: string;
  credentials: FixedCredentials;
  provider: FlickrProvider;
  index: PhotoIndex;
  queue: TaskQueue;
  pipeline: UploadPipeline;
  storageDir: string;
  /** Requests the provider sent, by endpoint (REST method, flickr.upload, flickr.photoBytes). */
  requests: Map<string, number>;
  restart(options?: FlickrDestinationOptions): Promise<void>;
  close(): Promise<void>;
}

export interface FlickrRigOptions {
  emulator?: EmulatorOptions;
  perms?: 'read' | 'write' | 'delete';
  destination?: FlickrDestinationOptions;
  queue?: TaskQueueOptions;
  log?: Logger;
}

export async function startFlickrRig(options: FlickrRigOptions = {}): Promise<FlickrRig> {
  const emulator = await startEmulator({ port: 0, ...options.emulator });
  const testClient = new FlickrTestClient(emulator.flickr);
  const fields = await signInFlickr(testClient, options.perms ?? 'write');
  const nsid = fields.get('user_nsid') ?? '';
  const credentials = new FixedCredentials({ consumer: { key: DEFAULT_FLICKR_API_KEY, secret: DEFAULT_FLICKR_API_SECRET }, token: testClient.token });
  const storageDir = await tempDir('photosync-flickr-rig-');
  const requests = new Map<string, number>();

  const build = async (extra: FlickrDestinationOptions = {}) => {
    const index = await openIndex({ storageDir, wasmDir: WASM_DIR, watch: false, saveDebounceMs: 50, maxSaveDelayMs: 500 });
    const queue = new TaskQueue({ concurrency: { upload: 4 }, backoff: { baseMs: 20, maxMs: 200 }, journal: createIndexJournal(index), ...options.queue });
    const destination = await createDestination('flickr', {
      index,
      queue,
      accountId: nsid,
      tokenSource: { getAccessToken: async () => Promise.reject(new Error('Flickr needs no Google token')) },
      oauth1: credentials,
      endpoints: emulator.endpoints,
      endpointSettings: { ...emulator.endpoints },
      log: options.log ?? nullLogger,
      onRequest: (endpoint) => requests.set(endpoint, (requests.get(endpoint) ?? 0) + 1),
      ...options.destination,
      ...extra,
    });
    return { index, queue, provider: destination.provider as FlickrProvider, pipeline: destination.pipeline };
  };

  const parts = await build();
  const rig: FlickrRig = {
    emulator,
    control: new EmulatorControl(emulator.control),
    flickr: new FlickrControl(emulator.control),
    testClient,
    nsid,
    credentials,
    storageDir,
    requests,
    ...parts,
    async restart(extra) {
      await rig.queue.dispose();
      await rig.index.dispose();
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

/** The account's photos in the emulator (the rig's user only). */
export async function flickrPhotos(rig: Pick<FlickrRig, 'flickr' | 'nsid'>) {
  return (await rig.flickr.state()).photos.filter((p) => p.owner === rig.nsid);
}

export async function flickrSets(rig: Pick<FlickrRig, 'flickr' | 'nsid'>) {
  return (await rig.flickr.state()).photosets.filter((s) => s.owner === rig.nsid);
}
