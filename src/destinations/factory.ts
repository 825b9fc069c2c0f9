// The one place a destination's provider and upload pipeline are built — for the extension, the
// integration tests, the benchmarks and the command line alike.
import type { Endpoints } from '../google/endpoints';
import type { TokenSource } from '../google/tokenSource';
import type { PhotoIndex } from '../index/api';
import { loadMediaTypes } from '../metadata/mediaTypes';
import type { PhotoProvider } from '../sync/provider';
import { indexTransferJournal } from '../sync/transferJournal';
import { UploadPipeline } from '../sync/upload/pipeline';
import type { TaskQueueApi } from '../tasks/api';
import type { Logger } from '../util/logger';
import { GooglePhotosProvider } from './googlePhotos/provider';
import { DEFAULT_TRANSFER_SIZES, googlePhotosRules, PROVIDER_ID as GOOGLE_PHOTOS } from './googlePhotos/rules';

/** Destinations a sync folder can choose. */
export type DestinationId = typeof GOOGLE_PHOTOS;

export const DESTINATIONS: readonly DestinationId[] = [GOOGLE_PHOTOS];

export interface DestinationDeps {
  index: PhotoIndex;
  queue: TaskQueueApi;
  accountId: string;
  tokenSource: TokenSource;
  endpoints: Endpoints;
  log: Logger;
  /** Told of every request sent, by endpoint name (tests and benchmarks count them). */
  onRequest?: (endpoint: string) => void;
  /** Told of each request that counts against the destination's quota. */
  countRequest?: () => void;
  /** `photoSync.upload.description`. */
  description?: string;
  /** Items per commit call; default the service's maximum. */
  batchSize?: number;
  /** Resumable-transfer sizes and recovery pacing (tests make them small). */
  transfer?: { resumableThreshold?: number; chunkSize?: number; recoveryDelayMs?: number };
  leaseLabel?: string;
  readDates?: boolean;
  now?: () => number;
}

export interface Destination {
  provider: PhotoProvider;
  pipeline: UploadPipeline;
}

export async function createDestination(id: DestinationId, deps: DestinationDeps): Promise<Destination> {
  const sizes = { ...DEFAULT_TRANSFER_SIZES, ...definedOnly(deps.transfer) };
  const rules = googlePhotosRules(await loadMediaTypes(), sizes);
  const provider = new GooglePhotosProvider({
    tokenSource: deps.tokenSource,
    libraryRoot: deps.endpoints.library,
    rules,
    logger: deps.log,
    onRequest: (endpoint) => {
      deps.onRequest?.(endpoint);
      if (rules.countsTowardQuota(endpoint)) deps.countRequest?.();
    },
    uploads: { ...sizes, recoveryDelayMs: deps.transfer?.recoveryDelayMs },
    transferJournal: indexTransferJournal(deps.index, id, deps.accountId),
    now: deps.now,
  });
  const pipeline = new UploadPipeline({
    provider,
    index: deps.index,
    queue: deps.queue,
    accountId: deps.accountId,
    log: deps.log,
    batchSize: deps.batchSize,
    description: deps.description,
    readDates: deps.readDates,
    leaseLabel: deps.leaseLabel,
    now: deps.now,
  });
  return { provider, pipeline };
}

function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}
