// The one place a destination's provider and upload pipeline are built — for the extension, the
// integration tests, the benchmarks and the command line alike. Each destination kind says which
// sign-in it uses and what it needs; a sync folder names its kind in `destination`.
import type { Endpoints } from '../google/endpoints';
import { SIGN_IN_SCOPES } from '../google/scopes';
import type { TokenSource } from '../google/tokenSource';
import type { PhotoIndex } from '../index/api';
import { loadMediaTypes } from '../metadata/mediaTypes';
import type { PhotoProvider } from '../sync/provider';
import { indexTransferJournal } from '../sync/transferJournal';
import { UploadPipeline } from '../sync/upload/pipeline';
import type { TaskQueueApi } from '../tasks/api';
import type { QuotaPolicy } from '../tasks/quotaPolicy';
import type { Logger } from '../util/logger';
import { googleDriveKind } from './googleDrive/kind';
import { GooglePhotosProvider } from './googlePhotos/provider';
import { DEFAULT_TRANSFER_SIZES, GOOGLE_PHOTOS_QUOTA, googlePhotosRules, PROVIDER_ID as GOOGLE_PHOTOS } from './googlePhotos/rules';
import { PHOTO_BYTES_ENDPOINT as FLICKR_PHOTO_BYTES } from '../flickr/client';
import type { OAuth1CredentialSource } from '../flickr/oauth1';
import { createFlickrProvider } from './flickr/destination';
import { FLICKR_QUOTA, PROVIDER_ID as FLICKR } from './flickr/rules';
import type { SyncL10n } from '../sync/l10n';

export interface DestinationDeps {
  /** Task titles in the user's language (vs.l10n; default English). */
  l10n?: SyncL10n;
  index: PhotoIndex;
  queue: TaskQueueApi;
  accountId: string;
  /** Google's token source (sessions of photoSync.google). */
  tokenSource: TokenSource;
  /** OAuth 1.0a credentials, for destinations that sign their requests so (Flickr: sessions of photoSync.flickr). */
  oauth1?: OAuth1CredentialSource;
  endpoints: Endpoints;
  /** `photoSync.endpoints` as set: destinations other than Google's read their own keys from it (e.g. flickrRest). */
  endpointSettings?: Readonly<Record<string, unknown>>;
  /** The destination's own settings (`photoSync.<destination>`, e.g. photoSync.flickr.privacy). */
  settings?: Readonly<Record<string, unknown>>;
  /** Requests counted in the destination's current quota period, so a provider can stop before the service refuses. */
  quotaUsed?: () => number | undefined;
  log: Logger;
  /** Told of every request sent, by endpoint name (tests and benchmarks count them). */
  onRequest?: (endpoint: string) => void;
  /** Told of each request that counts against the destination's quota. */
  countRequest?: () => void;
  /** `photoSync.upload.description`. */
  description?: string;
  /** Items per commit call; default the service's maximum. */
  batchSize?: number;
  /** Resumable-transfer sizes and recovery pacing (tests make them small); asyncThreshold: Flickr's async uploads. */
  transfer?: { resumableThreshold?: number; chunkSize?: number; recoveryDelayMs?: number; asyncThreshold?: number };
  leaseLabel?: string;
  readDates?: boolean;
  now?: () => number;
  /** `photoSync.drive.folderName`: the Drive folder the albums go under (default "Photo Sync"). */
  driveFolderName?: string;
  /** Deletes skip the service's trash (a user's explicit setting; default: into the trash). */
  permanentDeletes?: boolean;
  /** The fetch HTTP clients built on gaxios use (tests refuse anything leaving the machine). */
  fetch?: typeof fetch;
}

export interface Destination {
  provider: PhotoProvider;
  pipeline: UploadPipeline;
}

/** A kind of destination a sync folder can choose. */
export interface DestinationKind {
  id: string;
  displayName: string;
  /** The VS Code authentication provider whose sessions it uses. */
  authProviderId: string;
  /** Scopes a session must carry (asked for incrementally the first time they are needed). */
  scopes: readonly string[];
  quota: QuotaPolicy;
  create(deps: DestinationDeps): Promise<Destination>;
}

const googlePhotos: DestinationKind = {
  id: GOOGLE_PHOTOS,
  displayName: 'Google Photos',
  authProviderId: 'photoSync.google',
  scopes: SIGN_IN_SCOPES,
  quota: GOOGLE_PHOTOS_QUOTA,
  async create(deps) {
    const sizes = { ...DEFAULT_TRANSFER_SIZES, ...definedOnly(deps.transfer) };
    const rules = googlePhotosRules(await loadMediaTypes(), sizes);
    const provider = new GooglePhotosProvider({
      tokenSource: deps.tokenSource,
      libraryRoot: deps.endpoints.library,
      rules,
      logger: deps.log,
      onRequest: countingRequests(deps, rules),
      uploads: { ...sizes, recoveryDelayMs: deps.transfer?.recoveryDelayMs },
      transferJournal: indexTransferJournal(deps.index, GOOGLE_PHOTOS, deps.accountId),
      now: deps.now,
    });
    return { provider, pipeline: pipelineFor(provider, deps) };
  },
};

const flickr: DestinationKind = {
  id: FLICKR,
  displayName: 'Flickr',
  authProviderId: 'photoSync.flickr',
  // Flickr's permission: upload, and add to and create albums.
  scopes: ['write'],
  quota: FLICKR_QUOTA,
  async create(deps) {
    if (!deps.oauth1) throw new Error('Flickr needs OAuth 1.0a credentials (photoSync.flickr sign-ins).');
    const provider = createFlickrProvider({
      accountId: deps.accountId,
      credentials: deps.oauth1,
      endpointSettings: deps.endpointSettings,
      settings: deps.settings,
      mediaTypes: await loadMediaTypes(),
      log: deps.log,
      onRequest: countingRequests(deps, { countsTowardQuota: (endpoint) => endpoint !== FLICKR_PHOTO_BYTES }),
      quotaUsed: deps.quotaUsed,
      transferJournal: indexTransferJournal(deps.index, FLICKR, deps.accountId),
      asyncThreshold: deps.transfer?.asyncThreshold,
      now: deps.now,
    });
    return { provider, pipeline: pipelineFor(provider, deps) };
  },
};

/** Every destination kind, by id. */
export const DESTINATION_KINDS: ReadonlyMap<string, DestinationKind> = new Map([googlePhotos, googleDriveKind, flickr].map((k) => [k.id, k]));

export function destinationKind(id: string): DestinationKind | undefined {
  return DESTINATION_KINDS.get(id);
}

export async function createDestination(id: string, deps: DestinationDeps): Promise<Destination> {
  const kind = destinationKind(id);
  if (!kind) throw new Error(`Unknown destination "${id}"; Photo Sync knows ${[...DESTINATION_KINDS.keys()].join(', ')}.`);
  return kind.create(deps);
}

/** The upload pipeline of a provider, built the same way for every destination. */
export function pipelineFor(provider: PhotoProvider, deps: DestinationDeps): UploadPipeline {
  return new UploadPipeline({
    provider,
    l10n: deps.l10n,
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
}

/** The provider's onRequest: every request to the deps' counter, the quota-counting ones to the quota. */
export function countingRequests(deps: Pick<DestinationDeps, 'onRequest' | 'countRequest'>, rules: Pick<PhotoProvider['rules'], 'countsTowardQuota'>): (endpoint: string) => void {
  return (endpoint) => {
    deps.onRequest?.(endpoint);
    if (rules.countsTowardQuota(endpoint)) deps.countRequest?.();
  };
}

export function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}
