// The one place a destination's provider and upload pipeline are built — for the extension, the
// integration tests, the benchmarks and the command line alike. Each destination kind says which
// sign-in it uses and what it needs; a sync folder names its kind in `destination`.
import type { Endpoints } from '../google/endpoints';
import { SIGN_IN_SCOPES } from '../google/scopes';
import type { TokenSource } from '../google/tokenSource';
import type { PhotoIndex } from '../index/api';
import type { PhotoProvider } from '../sync/provider';
import type { UploadPipeline } from '../sync/upload/pipeline';
import type { TaskQueueApi } from '../tasks/api';
import type { QuotaPolicy } from '../tasks/quotaPolicy';
import type { Logger } from '../util/logger';
import { googleDriveKind } from './googleDrive/kind';
import { GOOGLE_PHOTOS_QUOTA, PROVIDER_ID as GOOGLE_PHOTOS } from './googlePhotos/rules';
import type { OAuth1CredentialSource } from '../flickr/oauth1';
import { FLICKR_QUOTA, PROVIDER_ID as FLICKR } from './flickr/quota';
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
  // The provider and pipeline are loaded on first use (./build.ts), not at activation.
  async create(deps) {
    return (await import('./build.js')).createGooglePhotos(deps);
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
    return (await import('./build.js')).createFlickr(deps);
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
