// Builds Google Photos' and Flickr's provider and every destination's upload pipeline from the
// factory's deps. Loaded on first use (`await import()` in factory.ts), not at activation: the
// providers, the pipeline and what they import are most of the extension's own code.
import { loadMediaTypes } from '../metadata/mediaTypes';
import type { PhotoProvider } from '../sync/provider';
import { indexTransferJournal } from '../sync/transferJournal';
import { UploadPipeline } from '../sync/upload/pipeline';
import { PHOTO_BYTES_ENDPOINT as FLICKR_PHOTO_BYTES } from '../flickr/client';
import { countingRequests, definedOnly, type Destination, type DestinationDeps } from './factory';
import { createFlickrProvider } from './flickr/destination';
import { PROVIDER_ID as FLICKR } from './flickr/rules';
import { GooglePhotosProvider } from './googlePhotos/provider';
import { DEFAULT_TRANSFER_SIZES, googlePhotosRules, PROVIDER_ID as GOOGLE_PHOTOS } from './googlePhotos/rules';

export async function createGooglePhotos(deps: DestinationDeps): Promise<Destination> {
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
}

export async function createFlickr(deps: DestinationDeps): Promise<Destination> {
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
