// Builds the Flickr provider for one signed-in account: the signed client on the configured
// endpoints, the REST methods, the ticket watcher, the journaled uploads and the provider's rules.
import { FlickrClient } from '../../flickr/client';
import { resolveFlickrEndpoints } from '../../flickr/endpoints';
import { FlickrApiError, FlickrOAuthError } from '../../flickr/errors';
import type { OAuth1CredentialSource } from '../../flickr/oauth1';
import type { MediaTypes } from '../../metadata/mediaTypes';
import type { TransferJournal } from '../../sync/provider';
import type { Logger } from '../../util/logger';
import { FlickrApi } from './api';
import { FlickrSyncError } from './classify';
import { FlickrProvider } from './provider';
import { FLICKR_BUDGET_SPENT } from '../../sync/destinationText';
import { englishL10n } from '../../util/englishL10n';
import { ASYNC_UPLOAD_BYTES, FLICKR_QUOTA, flickrRules } from './rules';
import { TicketWatcher, type TicketOptions } from './tickets';
import { FlickrUploads, type FlickrPrivacy } from './uploads';

const PRIVACY: readonly FlickrPrivacy[] = ['private', 'friends', 'family', 'friendsAndFamily', 'public'];

export interface FlickrProviderDeps {
  accountId: string;
  credentials: OAuth1CredentialSource;
  /** `photoSync.endpoints` as set (flickrOAuth, flickrRest, flickrUpload). */
  endpointSettings?: Readonly<Record<string, unknown>>;
  /** `photoSync.flickr` (privacy). */
  settings?: Readonly<Record<string, unknown>>;
  mediaTypes: MediaTypes;
  log: Logger;
  onRequest?: (endpoint: string) => void;
  /** Requests counted in the hourly period so far (all accounts of the key): at the limit, nothing more is sent. */
  quotaUsed?: () => number | undefined;
  transferJournal?: TransferJournal;
  /** Smaller in tests. */
  asyncThreshold?: number;
  tickets?: TicketOptions;
  now?: () => number;
}

/** `photoSync.flickr.privacy`, private unless set to one of the known values. */
export function privacyOf(settings: Readonly<Record<string, unknown>> | undefined): FlickrPrivacy {
  const value = settings?.privacy;
  return PRIVACY.includes(value as FlickrPrivacy) ? (value as FlickrPrivacy) : 'private';
}

export function createFlickrProvider(deps: FlickrProviderDeps): FlickrProvider {
  const rules = flickrRules(deps.mediaTypes, { asyncThreshold: deps.asyncThreshold });
  const privacy = privacyOf(deps.settings);
  const client = new FlickrClient({
    endpoints: resolveFlickrEndpoints(deps.endpointSettings),
    // Uploads and album changes need write; everything the provider does but delete works with it.
    credentials: (signal) => deps.credentials.credentials(deps.accountId, ['write'], signal),
    beforeRequest: () => {
      const used = deps.quotaUsed?.();
      if (used !== undefined && used >= FLICKR_QUOTA.limit) {
        throw new FlickrSyncError('budgetSpent', englishL10n.t(FLICKR_BUDGET_SPENT, FLICKR_QUOTA.limit.toLocaleString('en-US'), FLICKR_QUOTA.resetText));
      }
    },
    onRequest: deps.onRequest,
    // A sign-in Flickr no longer accepts is forgotten, so the user is asked to sign in again.
    onFailure: (err) => {
      if ((err instanceof FlickrApiError && err.code === 98) || (err instanceof FlickrOAuthError && err.problem === 'token_rejected')) deps.credentials.rejected?.(deps.accountId);
    },
    log: deps.log,
    now: deps.now,
  });
  const api = new FlickrApi(client, deps.accountId);
  const tickets = new TicketWatcher(api, deps.log, deps.tickets);
  const uploads = new FlickrUploads(api, client, tickets, { asyncThreshold: deps.asyncThreshold ?? ASYNC_UPLOAD_BYTES, privacy, journal: deps.transferJournal, log: deps.log });
  return new FlickrProvider({ api, client, uploads, rules, privacy, log: deps.log });
}
