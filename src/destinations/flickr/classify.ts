// Flickr's answers as the neutral outcomes the queue and pipelines act on. Codes from the method
// pages (flickr.reflection.getMethodInfo) and upload.api.html; OAuth problems from RFC 5849 §3.2 and
// what Flickr sends (oauth_problem=…). A refused signature is never retried: the same request would
// be refused again, so the user is told which request failed and what to check.
import { FlickrAuthError } from '../../auth/flickr/authError';
import { FlickrApiError, FlickrHttpError, FlickrOAuthError } from '../../flickr/errors';
import { classifyGeneric, type Outcome } from '../../tasks/outcome';
import type { QuotaPolicy } from '../../tasks/quotaPolicy';

/** The provider's own failures that are neither Flickr's answers nor the network's. */
export class FlickrSyncError extends Error {
  override readonly name = 'FlickrSyncError';
  constructor(
    readonly kind: 'ticketFailed' | 'originalUnavailable' | 'budgetSpent' | 'needsFirstPhoto' | 'deleteRefused',
    message: string,
  ) {
    super(message);
  }
}

const SIGN_IN_AGAIN = 'Sign in to Flickr again (Photo Sync: Sign In to Flickr).';
const SET_UP_KEY = 'Set up the Flickr API key and secret again (Photo Sync: Set Up Flickr API Key…).';

/** Codes every method may answer (https://www.flickr.com/services/api/ method pages). */
function commonCode(err: FlickrApiError): Outcome | undefined {
  switch (err.code) {
    case 96:
    case 97:
      return { kind: 'needs-user', message: `Flickr refused the signature of ${err.method} (error ${err.code}). ${SET_UP_KEY}` };
    case 98:
      return { kind: 'needs-user', message: `Flickr no longer accepts your sign-in (${err.method}: invalid auth token) — it was revoked, or Photo Sync was removed under Flickr's "Apps You're Using". ${SIGN_IN_AGAIN}` };
    case 99:
      return { kind: 'needs-user', message: `Flickr says the sign-in lacks a permission ${err.method} needs (${err.flickrMessage}). ${SIGN_IN_AGAIN}` };
    case 100:
      return { kind: 'needs-user', message: `Flickr does not accept the API key (${err.flickrMessage}). ${SET_UP_KEY}` };
    case 105:
    case 106:
      return { kind: 'retry' };
    default:
      return undefined;
  }
}

/** Upload API codes (upload.api.html; 7, 8 and 14 from a longer copy of the page). */
function uploadCode(err: FlickrApiError): Outcome {
  switch (err.code) {
    case 0:
    case 3:
      return { kind: 'retry' };
    case 4:
    case 5:
    case 8:
      return { kind: 'rejected' };
    case 6:
      return { kind: 'needs-user', message: `Flickr stopped the upload: the account is full (${err.flickrMessage}). A free Flickr account holds 1,000 photos and videos; delete some on Flickr or upgrade to Flickr Pro, then sync again.` };
    case 7:
      return { kind: 'needs-user', message: `Flickr stopped the upload: the account's video limit is reached (${err.flickrMessage}).` };
    case 14:
      return { kind: 'needs-user', message: `Flickr refused the upload (${err.flickrMessage}).` };
    default:
      return { kind: 'fatal' };
  }
}

function methodCode(err: FlickrApiError): Outcome {
  if (err.method === 'flickr.photosets.create' && err.code === 3) return { kind: 'needs-user', message: `Flickr will not create more albums for this account (${err.flickrMessage}).` };
  if (err.method === 'flickr.photosets.addPhoto' && err.code === 10) return { kind: 'needs-user', message: `The Flickr album is full (${err.flickrMessage}).` };
  return { kind: 'fatal' };
}

function oauthProblem(err: FlickrOAuthError): Outcome {
  switch (err.problem) {
    case 'nonce_used':
      return { kind: 'retry' };
    case 'signature_invalid':
      return { kind: 'needs-user', message: `${err.message} ${err.diagnosis?.kind === 'encoding' ? 'Please report this with the Photo Sync log.' : SET_UP_KEY}` };
    case 'token_rejected':
      return { kind: 'needs-user', message: `${err.message} ${SIGN_IN_AGAIN}` };
    case 'consumer_key_unknown':
      return { kind: 'needs-user', message: `${err.message} ${SET_UP_KEY}` };
    case 'timestamp_refused':
      return { kind: 'needs-user', message: `${err.message} Set this computer's date and time (automatic time), then sync again.` };
    default:
      return { kind: 'fatal' };
  }
}

/** What a failure of a Flickr call means, for a key whose hourly budget is `quota`. */
export function classifyFlickrError(err: unknown, now: number, quota: QuotaPolicy): Outcome {
  if (err instanceof FlickrApiError) return commonCode(err) ?? (err.method === 'upload' ? uploadCode(err) : methodCode(err));
  if (err instanceof FlickrOAuthError) return oauthProblem(err);
  if (err instanceof FlickrHttpError) {
    if (err.isRateLimit) return { kind: 'quota', until: quota.resetsAt(now), label: quota.label };
    if (err.httpStatus === 408 || err.httpStatus >= 500) return { kind: 'retry', afterMs: err.retryAfterMs };
    return { kind: 'fatal' };
  }
  if (err instanceof FlickrSyncError) {
    if (err.kind === 'budgetSpent') return { kind: 'quota', until: quota.resetsAt(now), label: quota.label };
    if (err.kind === 'originalUnavailable' || err.kind === 'deleteRefused') return { kind: 'needs-user', message: err.message };
    return { kind: 'fatal' };
  }
  if (err instanceof FlickrAuthError) return err.kind === 'cancelled' ? { kind: 'cancelled' } : err.kind === 'network' ? { kind: 'retry' } : { kind: 'needs-user', message: err.message };
  return classifyGeneric(err, now);
}
