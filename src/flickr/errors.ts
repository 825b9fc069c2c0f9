// How Flickr says no, in three shapes: a method's `stat: "fail"` with a numbered code (HTTP 200; the
// upload API in XML), an OAuth-layer refusal `oauth_problem=…` as a form-encoded body with a 4xx on
// every door — REST and upload included, never JSON (Flickr4Java#81, DPZFlickr#11) — and plain HTTP
// failures (HAProxy's 429 page past the hourly limit, 5xx). Messages name the method, never a
// parameter value: a base string holds the token.

/** A method answered stat "fail" (`{"stat":"fail","code":N,"message":…}` or `<err code msg>`). */
export class FlickrApiError extends Error {
  override readonly name = 'FlickrApiError';
  constructor(
    /** "flickr.photosets.create", or "upload" for the upload API. */
    readonly method: string,
    readonly code: number,
    /** Flickr's own words, e.g. "Photoset not found". */
    readonly flickrMessage: string,
  ) {
    super(`Flickr refused ${method}: ${flickrMessage} (error ${code})`);
  }
}

/** What a signature refusal says about its cause, found by comparing our base string with Flickr's. */
export type SignatureDiagnosis =
  /** Flickr built the same base string: the secret used to sign is not the one Flickr has for the key or token. */
  | { kind: 'secret' }
  /** The base strings differ: the request was sent differently from how it was signed. */
  | { kind: 'encoding'; parameter?: string }
  | { kind: 'unknown' };

/** The OAuth layer refused the request (`oauth_problem=signature_invalid`, `token_rejected`, …). */
export class FlickrOAuthError extends Error {
  override readonly name = 'FlickrOAuthError';
  constructor(
    readonly method: string,
    readonly problem: string,
    readonly httpStatus: number,
    readonly diagnosis?: SignatureDiagnosis,
  ) {
    super(oauthMessage(method, problem, diagnosis));
  }
}

/** An HTTP answer that is neither a Flickr answer nor an OAuth refusal: 429, 5xx, an unreadable body. */
export class FlickrHttpError extends Error {
  override readonly name = 'FlickrHttpError';
  constructor(
    readonly method: string,
    readonly httpStatus: number,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }

  /** Past the key's hourly budget (Flickr answers with HAProxy's "429 Too Many Requests" page). */
  get isRateLimit(): boolean {
    return this.httpStatus === 429;
  }
}

function oauthMessage(method: string, problem: string, diagnosis?: SignatureDiagnosis): string {
  switch (problem) {
    case 'signature_invalid': {
      const why =
        diagnosis?.kind === 'secret'
          ? 'Flickr computed the same base string, so the API secret does not belong to the API key (or the sign-in belongs to another key)'
          : diagnosis?.kind === 'encoding'
            ? `the request reached Flickr encoded differently from how it was signed${diagnosis.parameter ? ` (first difference at parameter ${diagnosis.parameter})` : ''}`
            : 'the signature does not match';
      return `Flickr refused the signature of ${method} (signature_invalid): ${why}.`;
    }
    case 'token_rejected':
      return `Flickr no longer accepts the sign-in used for ${method} (token_rejected).`;
    case 'timestamp_refused':
      return `Flickr refused ${method} because this computer's clock is off by more than a few minutes (timestamp_refused).`;
    case 'nonce_used':
      return `Flickr saw the one-time value of ${method} before (nonce_used).`;
    case 'consumer_key_unknown':
      return `Flickr does not know the API key used for ${method} (consumer_key_unknown).`;
    case 'verifier_invalid':
      return `Flickr did not accept the verification code for ${method} (verifier_invalid).`;
    default:
      return `Flickr refused ${method} (${problem}).`;
  }
}

/** Reads an `oauth_problem=…` body; debug_sbs is appended unencoded by Flickr, so it is taken whole. */
export function parseOAuthProblem(body: string): { problem: string; debugBaseString?: string } | undefined {
  const text = body.trim();
  if (!text.startsWith('oauth_problem=')) return undefined;
  const sbsAt = text.indexOf('&debug_sbs=');
  const head = sbsAt >= 0 ? text.slice(0, sbsAt) : text;
  const problem = new URLSearchParams(head).get('oauth_problem') ?? 'unknown';
  return { problem, debugBaseString: sbsAt >= 0 ? text.slice(sbsAt + '&debug_sbs='.length) : undefined };
}

/** Compares the base string we signed with the one Flickr reports; names the first parameter that differs, never a value. */
export function diagnoseSignature(ours: string, theirs: string | undefined): SignatureDiagnosis {
  if (theirs === undefined) return { kind: 'unknown' };
  if (ours === theirs || safeDecode(ours) === safeDecode(theirs)) return { kind: 'secret' };
  const a = parameterList(ours);
  const b = parameterList(theirs);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return { kind: 'encoding', parameter: (a[i] ?? b[i] ?? '').split('=')[0] || undefined };
  }
  return { kind: 'encoding' };
}

/** The "k=v" pairs of a base string's third part (decoded once, as it was encoded twice). */
function parameterList(base: string): string[] {
  const parts = base.split('&');
  return parts.length < 3 ? [] : safeDecode(parts.slice(2).join('&')).split('&');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
