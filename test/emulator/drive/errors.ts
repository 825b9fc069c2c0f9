import { ConnectionGone } from '../context';
import { ApiError, RawError, type Reply } from '../http';

/** One entry of Drive's `errors[]` (the apiary "v1 error format" Drive still answers in). */
export interface DriveErrorItem {
  domain: string;
  reason: string;
  message: string;
  location?: string;
  locationType?: string;
}

/**
 * Drive's envelope: `{"error":{"code","message","errors":[…]}}`. Errors raised by Google's front end
 * (credentials, scopes) also carry `status` and `details`; those from Drive itself do not (brief
 * "Limits and errors"; tidyverse/googledrive#380, ericberman/MyFlightbookWeb#294).
 */
export class DriveError extends Error {
  constructor(
    readonly httpStatus: number,
    message: string,
    readonly errors: DriveErrorItem[],
    readonly extra: { status?: string; details?: unknown[] } = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  envelope(): unknown {
    const error: Record<string, unknown> = { code: this.httpStatus, message: this.message, errors: this.errors };
    if (this.extra.status) error.status = this.extra.status;
    if (this.extra.details?.length) error.details = this.extra.details;
    return { error };
  }
}

function single(status: number, domain: string, reason: string, message: string, location?: string, locationType?: string): DriveError {
  const item: DriveErrorItem = { domain, reason, message };
  if (location !== undefined) Object.assign(item, { location, locationType: locationType ?? 'parameter' });
  return new DriveError(status, message, [item]);
}

export const fileNotFound = (id: string): DriveError => single(404, 'global', 'notFound', `File not found: ${id}.`, 'fileId');
export const invalidValue = (location: string, message = 'Invalid Value'): DriveError => single(400, 'global', 'invalid', message, location);
export const invalidParameter = (location: string, message: string): DriveError => single(400, 'global', 'invalidParameter', message, location);
export const requiredParameter = (location: string, message: string): DriveError => single(400, 'global', 'required', message, location);
export const badRequest = (message: string): DriveError => single(400, 'global', 'badRequest', message);
export const badContent = (message: string): DriveError => single(400, 'global', 'badContent', message);
export const fieldNotWritable = (message = 'The resource body includes fields which are not directly writable.'): DriveError =>
  single(403, 'global', 'fieldNotWritable', message);
export const cannotAddParent = (): DriveError => single(403, 'global', 'cannotAddParent', 'Increasing the number of parents is not allowed.');
export const fileIdInUse = (): DriveError => single(409, 'global', 'fileIdInUse', 'A file already exists with the provided ID.', 'file.id', 'other');
export const fileIdNotUsable = (): DriveError => single(400, 'global', 'fileIdNotUsable', 'The provided file ID is not usable.', 'file.id', 'other');
export const fileNotDownloadable = (): DriveError =>
  single(403, 'global', 'fileNotDownloadable', 'Only files with binary content can be downloaded. Use Export with Docs Editors files.', 'alt');
export const storageQuotaExceeded = (): DriveError => single(403, 'global', 'storageQuotaExceeded', "The user's Drive storage quota has been exceeded.");
export const userRateLimitExceeded = (): DriveError => single(403, 'usageLimits', 'userRateLimitExceeded', 'User rate limit exceeded.');

/** What an injected `{"type":"status"}` fault answers on a Drive endpoint: the reason Drive gives for that status. */
export function faultError(status: number, reason?: string, message?: string): DriveError {
  const known: Record<string, [string, string]> = {
    userRateLimitExceeded: ['usageLimits', 'User rate limit exceeded.'],
    rateLimitExceeded: ['usageLimits', 'Rate Limit Exceeded'],
    quotaExceeded: ['usageLimits', 'The user has exceeded their Drive storage quota'],
    dailyLimitExceeded: ['usageLimits', 'Daily Limit Exceeded'],
    storageQuotaExceeded: ['global', "The user's Drive storage quota has been exceeded."],
    backendError: ['global', status === 503 ? 'The service is currently unavailable.' : 'Backend Error'],
    internalError: ['global', 'Internal Error'],
    badGateway: ['global', 'Bad Gateway'],
    authError: ['global', 'Invalid Credentials'],
    notFound: ['global', 'Not Found'],
  };
  const defaultReason =
    status === 403 ? 'userRateLimitExceeded' : status === 429 ? 'rateLimitExceeded' : status === 401 ? 'authError' : status === 404 ? 'notFound' : status === 502 ? 'badGateway' : status >= 500 ? 'backendError' : 'badRequest';
  const why = reason ?? defaultReason;
  const [domain, text] = known[why] ?? ['global', 'Bad Request'];
  return single(status, domain, why, message ?? text);
}

/** Google front-end errors (../auth, ../validate, ctx.json) re-shaped the way Drive answers them. */
function fromApiError(err: ApiError): DriveError {
  const reasonOf = (err.details as { reason?: string }[]).find((d) => d.reason)?.reason;
  if (err.httpStatus === 401) {
    const missing = reasonOf === 'CREDENTIALS_MISSING';
    const item = { message: missing ? 'Login Required.' : 'Invalid Credentials', domain: 'global', reason: missing ? 'required' : 'authError', location: 'Authorization', locationType: 'header' };
    return new DriveError(401, err.message, [item], { status: err.status, details: err.details }, err.headers);
  }
  if (err.httpStatus === 403 && reasonOf === 'ACCESS_TOKEN_SCOPE_INSUFFICIENT') {
    const item = { message: 'Insufficient Permission', domain: 'global', reason: 'insufficientPermissions' };
    return new DriveError(403, err.message, [item], { status: err.status, details: err.details }, err.headers);
  }
  const field = (err.details as { fieldViolations?: { field?: string }[] }[]).find((d) => d.fieldViolations)?.fieldViolations?.[0]?.field;
  const reason = err.httpStatus === 400 ? (/^Invalid JSON payload received\. (Unexpected|Expected an object|[A-Z][a-z]+ token)/.test(err.message) ? 'parseError' : 'invalid') : 'badRequest';
  const item: DriveErrorItem = { domain: 'global', reason, message: err.message };
  if (field) Object.assign(item, { location: field, locationType: 'other' });
  return new DriveError(err.httpStatus, err.message, [item], {}, err.headers);
}

/** Every Drive handler's failure becomes Drive's envelope; a dead connection stays a dead connection. */
export function driveErrorReply(err: unknown): Reply {
  if (err instanceof ConnectionGone) throw err;
  if (err instanceof RawError) return { status: err.httpStatus, headers: err.headers, body: err.body };
  const drive = err instanceof DriveError ? err : err instanceof ApiError ? fromApiError(err) : faultError(500, 'internalError', `Internal Error (${err instanceof Error ? err.message : String(err)})`);
  return { status: drive.httpStatus, headers: drive.headers, body: drive.envelope() };
}
