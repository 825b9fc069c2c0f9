import { FlickrApiError, FlickrHttpError, FlickrOAuthError } from '../../flickr/errors';
import { isAbortError, isNetworkError } from '../../tasks/outcome';
import { AuthError } from '../authError';

/** Every way signing in to Flickr (or using the sign-in) fails that the user can act on. */
export type FlickrAuthErrorKind =
  | 'noKey'
  | 'invalidKey'
  | 'wrongSecret'
  | 'clock'
  | 'signedOut'
  | 'tokenRejected'
  | 'keyChanged'
  | 'verifierRejected'
  | 'timeout'
  | 'inProgress'
  | 'listenFailed'
  | 'cancelled'
  | 'network'
  | 'unknown';

/** A sign-in failure; its message is written for the user (it never holds a token or secret). */
export class FlickrAuthError extends Error {
  override readonly name = 'FlickrAuthError';
  constructor(
    readonly kind: FlickrAuthErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Turns what a Flickr sign-in step threw into a FlickrAuthError (undefined for anything else). */
export function toFlickrAuthError(err: unknown): FlickrAuthError | undefined {
  if (err instanceof FlickrAuthError) return err;
  if (isAbortError(err)) return new FlickrAuthError('cancelled', 'Sign-in to Flickr was cancelled.');
  if (err instanceof AuthError) {
    if (err.kind === 'portInUse' || err.kind === 'listenFailed') return new FlickrAuthError('listenFailed', `Photo Sync could not listen on 127.0.0.1 to receive Flickr's answer (${err.detail.code ?? err.kind}).`);
    if (err.kind === 'cancelled') return new FlickrAuthError('cancelled', 'Sign-in to Flickr was cancelled.');
  }
  if (err instanceof FlickrOAuthError) {
    switch (err.problem) {
      case 'consumer_key_unknown':
        return new FlickrAuthError('invalidKey', 'Flickr does not know this API key (consumer_key_unknown). Check the key on Flickr’s “Your Apps” page and set it up again.');
      case 'signature_invalid':
        return new FlickrAuthError(
          err.diagnosis?.kind === 'encoding' ? 'unknown' : 'wrongSecret',
          err.diagnosis?.kind === 'encoding' ? `${err.message} Please report this with the Photo Sync log.` : 'Flickr refused the signature (signature_invalid): the API secret does not belong to this API key. Copy the secret from Flickr’s “Your Apps” page and set up the key again.',
        );
      case 'timestamp_refused':
        return new FlickrAuthError('clock', 'Flickr refused the sign-in because this computer’s clock is off by more than a few minutes (timestamp_refused). Set the date and time automatically, then sign in again.');
      case 'token_rejected':
        return new FlickrAuthError('tokenRejected', 'Flickr no longer accepts this sign-in attempt (token_rejected): it was declined, used already or took too long. Sign in again.');
      case 'verifier_invalid':
        return new FlickrAuthError('verifierRejected', 'Flickr did not accept the verification code (verifier_invalid). Sign in again.');
      default:
        return new FlickrAuthError('unknown', `${err.message} Sign in again; if it keeps failing, see the Photo Sync log.`);
    }
  }
  if (err instanceof FlickrApiError && err.code === 100) return new FlickrAuthError('invalidKey', `Flickr does not accept the API key (${err.flickrMessage}). Set it up again.`);
  if (err instanceof FlickrHttpError) return new FlickrAuthError(err.httpStatus >= 500 || err.isRateLimit ? 'network' : 'unknown', `${err.message} Try again later.`);
  if (isNetworkError(err)) return new FlickrAuthError('network', 'Photo Sync could not reach Flickr. Check the connection and try again.', { cause: err });
  return undefined;
}
