import type { IncomingMessage, ServerResponse } from 'node:http';

/** google.rpc.Code names by HTTP status, as Google's front end maps them. */
const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  412: 'FAILED_PRECONDITION',
  413: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const DEFAULT_MESSAGES: Record<string, string> = {
  INTERNAL: 'Internal error encountered.',
  UNAVAILABLE: 'The service is currently unavailable.',
  DEADLINE_EXCEEDED: 'The request timed out. Please try again.',
  RESOURCE_EXHAUSTED: 'Resource has been exhausted (e.g. check quota).',
  NOT_FOUND: 'Requested entity was not found.',
  PERMISSION_DENIED: 'The caller does not have permission',
  INVALID_ARGUMENT: 'Request contains an invalid argument.',
};

/** Google's token endpoints forbid caching. */
export const NO_STORE = { 'Cache-Control': 'no-cache, no-store, max-age=0, must-revalidate', Pragma: 'no-cache' };

export function statusNameFor(httpStatus: number): string {
  return STATUS_NAMES[httpStatus] ?? (httpStatus >= 500 ? 'INTERNAL' : 'UNKNOWN');
}

export function defaultMessageFor(status: string): string {
  return DEFAULT_MESSAGES[status] ?? 'Request failed.';
}

/** An error a handler throws; the server answers it in Google's JSON envelope. */
export class ApiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly status: string,
    message: string,
    readonly details: unknown[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  envelope(): unknown {
    const error: Record<string, unknown> = { code: this.httpStatus, message: this.message, status: this.status };
    if (this.details.length > 0) error.details = this.details;
    return { error };
  }
}

/** A response body that is not Google's API envelope (OAuth errors, the uploads endpoint's bare shape). */
export class RawError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === 'string' ? body : JSON.stringify(body));
  }
}

/** google.rpc.Code numbers by name. */
const RPC_CODES: Record<string, number> = {
  CANCELLED: 1, UNKNOWN: 2, INVALID_ARGUMENT: 3, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, ALREADY_EXISTS: 6, PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8, FAILED_PRECONDITION: 9, ABORTED: 10, OUT_OF_RANGE: 11, UNIMPLEMENTED: 12, INTERNAL: 13,
  UNAVAILABLE: 14, DATA_LOSS: 15, UNAUTHENTICATED: 16,
};

/**
 * The uploads endpoint's error shape: a bare `{"code":<google.rpc.Code>,"message":…}` instead of the
 * REST envelope, as its 401 `{"code":16,"message":"Authentication session is not defined."}` (reference §2.3).
 */
export function bareError(err: ApiError): RawError {
  return new RawError(err.httpStatus, { code: RPC_CODES[err.status] ?? 2, message: err.message }, err.headers);
}

export const invalidArgument = (message: string): ApiError => new ApiError(400, 'INVALID_ARGUMENT', message);
export const notFound = (message = 'Requested entity was not found.'): ApiError => new ApiError(404, 'NOT_FOUND', message);
export const failedPrecondition = (message: string): ApiError => new ApiError(400, 'FAILED_PRECONDITION', message);
export const permissionDenied = (message = 'The caller does not have permission'): ApiError => new ApiError(403, 'PERMISSION_DENIED', message);

export function errorInfo(reason: string, service: string, metadata: Record<string, string> = {}): unknown {
  return { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain: 'googleapis.com', metadata: { service, ...metadata } };
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** Buffer/string sent as is; anything else as JSON. undefined = empty body. */
  body?: unknown;
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Reply {
  return { status, headers, body };
}

export function encodeBody(reply: Reply): { bytes: Buffer; contentType: string | undefined } {
  const b = reply.body;
  if (b === undefined) return { bytes: Buffer.alloc(0), contentType: undefined };
  if (Buffer.isBuffer(b)) return { bytes: b, contentType: 'application/octet-stream' };
  if (typeof b === 'string') return { bytes: Buffer.from(b, 'utf8'), contentType: 'text/plain; charset=utf-8' };
  return { bytes: Buffer.from(JSON.stringify(b, null, 2) + '\n', 'utf8'), contentType: 'application/json; charset=UTF-8' };
}

export function errorReply(err: unknown): Reply {
  if (err instanceof ApiError) return { status: err.httpStatus, headers: err.headers, body: err.envelope() };
  if (err instanceof RawError) return { status: err.httpStatus, headers: err.headers, body: err.body };
  const message = err instanceof Error ? err.message : String(err);
  return { status: 500, body: new ApiError(500, 'INTERNAL', `Internal error encountered. (${message})`).envelope() };
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}

export function sendHead(res: ServerResponse, reply: Reply, contentType: string | undefined, length: number): void {
  const headers: Record<string, string | number> = { ...(reply.headers ?? {}) };
  if (contentType && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['Content-Type'] = contentType;
  headers['Content-Length'] = length;
  res.writeHead(reply.status, headers);
}
