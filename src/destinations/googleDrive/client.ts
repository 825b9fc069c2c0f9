// googleapis' Drive v3 client (@googleapis/drive, loaded on first use) on google-auth-library's
// OAuth2Client. The client's tokens come from the extension's TokenSource (the photoSync.google
// sessions), never from a refresh token of its own. `rootUrl` is `photoSync.endpoints.drive` and is
// given with every call, because a rootUrl given when the client is made does not reach media
// uploads (googleapis/google-api-nodejs-client#1921). googleapis' own retries are off: the task
// queue retries by the provider's rules. Every failure becomes a GoogleApiError (Drive's envelope).
import { Readable } from 'node:stream';
import type { drive_v3 } from '@googleapis/drive';
import type { GaxiosOptions, GaxiosResponse } from 'gaxios';
import { OAuth2Client } from 'google-auth-library';
import { scrubError } from '../../auth/authError';
import { GoogleApiError, parseGoogleError } from '../../google/errors';
import type { TokenSource } from '../../google/tokenSource';

type RequestOptions = GaxiosOptions;
type Response<T> = GaxiosResponse<T>;

/** The per-call options googleapis' generated methods take as their second argument. */
export interface CallOptions {
  rootUrl: string;
  signal?: AbortSignal;
  responseType?: 'stream' | 'json';
  headers?: Record<string, string>;
  onUploadProgress?: (progress: { bytesRead: number }) => void;
}

export interface DriveClientOptions {
  tokenSource: TokenSource;
  /** Scopes each request's token must carry (drive.file). */
  scopes: readonly string[];
  /** `photoSync.endpoints.drive` (Google's https://www.googleapis.com, or the emulator). */
  root: string;
  /** Told of every request sent, by the emulator's operation names (drive.files.list, drive.upload, …). */
  onRequest?: (endpoint: string) => void;
  /** Tests route requests through a fetch that refuses anything leaving the machine. */
  fetch?: typeof fetch;
}

/** Marks an error whose request body was a stream: the 401 retry must build the request again. */
const RESEND_AFTER_REFRESH = Symbol('resendAfterRefresh');

/** OAuth2Client whose access tokens are the TokenSource's; a 401 drops the token and tries once more. */
export class TokenSourceAuth extends OAuth2Client {
  constructor(
    private readonly tokens: TokenSource,
    private readonly scopes: readonly string[],
    private readonly onRequest: ((endpoint: string) => void) | undefined,
    fetchImplementation?: typeof fetch,
  ) {
    super({ transporterOptions: fetchImplementation ? { fetchImplementation } : undefined });
  }

  override async getAccessToken(): Promise<{ token: string }> {
    return { token: await this.tokens.getAccessToken(this.scopes) };
  }

  protected override async getRequestMetadataAsync(): Promise<{ headers: Headers }> {
    return { headers: new Headers({ authorization: `Bearer ${await this.tokens.getAccessToken(this.scopes)}` }) };
  }

  protected override async requestAsync<T>(opts: RequestOptions, retried = false): Promise<Response<T>> {
    const signal = (opts as { signal?: AbortSignal }).signal;
    const token = await this.tokens.getAccessToken(this.scopes, signal);
    const headers = new Headers(opts.headers as HeadersInit | undefined);
    headers.set('authorization', `Bearer ${token}`);
    this.onRequest?.(endpointOf(opts));
    try {
      return await this.transporter.request<T>({ ...opts, headers });
    } catch (err) {
      if ((err as { response?: { status?: number } }).response?.status !== 401 || retried) throw err;
      // Expired or revoked server-side: never send this token again.
      this.tokens.invalidate?.(token);
      if (opts.data instanceof Readable || opts.data instanceof ReadableStream) throw Object.assign(err as object, { [RESEND_AFTER_REFRESH]: true });
      return this.requestAsync<T>(opts, true);
    }
  }
}

/** The emulator's operation names, so counts here and in its control state line up. */
export function endpointOf(opts: RequestOptions): string {
  const url = new URL(String(opts.url));
  const method = (opts.method ?? 'GET').toUpperCase();
  const params = (opts.params ?? {}) as Record<string, unknown>;
  if (url.pathname.startsWith('/upload/') || url.searchParams.has('upload_id')) return 'drive.upload';
  const path = url.pathname.replace(/^\/drive\/v3/, '');
  if (path === '/about') return 'drive.about.get';
  if (path === '/files/generateIds') return 'drive.files.generateIds';
  if (path === '/files') return method === 'POST' ? 'drive.files.create' : 'drive.files.list';
  if (/^\/files\/[^/]+\/copy$/.test(path)) return 'drive.files.copy';
  if (/^\/files\/[^/]+$/.test(path)) {
    if (method === 'PATCH') return 'drive.files.update';
    if (method === 'DELETE') return 'drive.files.delete';
    return params.alt === 'media' || url.searchParams.get('alt') === 'media' ? 'drive.media' : 'drive.files.get';
  }
  if (path.startsWith('/changes')) return path === '/changes/startPageToken' ? 'drive.changes.getStartPageToken' : 'drive.changes.list';
  return `drive${path.replace(/\//g, '.')}`;
}

/** A Drive v3 client bound to one account's tokens and one root address. */
export class DriveApi {
  readonly rootUrl: string;

  constructor(
    readonly drive: drive_v3.Drive,
    readonly auth: TokenSourceAuth,
    root: string,
  ) {
    this.rootUrl = `${root.replace(/\/+$/, '')}/`;
  }

  /**
   * One generated-method call with `rootUrl` and the signal given per call. `run` builds the request
   * (a stream body cannot be sent twice: after a 401 it is built again once).
   */
  async call<T>(run: (options: CallOptions) => Promise<{ data: T }>, signal?: AbortSignal, extra: Omit<CallOptions, 'rootUrl' | 'signal'> = {}): Promise<T> {
    return (await this.respond(run, signal, extra)).data;
  }

  /** As `call`, with the answer's status and headers (downloads look at 206 and Content-Range). */
  async respond<T, R extends { data: T }>(run: (options: CallOptions) => Promise<R>, signal?: AbortSignal, extra: Omit<CallOptions, 'rootUrl' | 'signal'> = {}): Promise<R> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await run({ ...extra, rootUrl: this.rootUrl, signal });
      } catch (err) {
        if (attempt === 0 && (err as Record<symbol, unknown>)[RESEND_AFTER_REFRESH]) continue;
        throw await driveError(err, signal);
      }
    }
  }

  /**
   * A raw request built by `build` (a stream body cannot be sent twice: after a 401 it is built again
   * once). For requests googleapis' generated methods would make at a cost per call (the one-request upload).
   */
  async send<T>(build: () => Promise<RequestOptions & { signal?: AbortSignal }>): Promise<Response<T>> {
    for (let attempt = 0; ; attempt++) {
      const opts = await build();
      try {
        return await this.auth.request<T>(opts);
      } catch (err) {
        if (attempt === 0 && (err as Record<symbol, unknown>)[RESEND_AFTER_REFRESH]) continue;
        throw await driveError(err, opts.signal);
      }
    }
  }

  /** A raw request through the same auth (the resumable protocol, which googleapis does not drive). */
  async request<T>(opts: RequestOptions & { signal?: AbortSignal }): Promise<Response<T>> {
    try {
      return await this.auth.request<T>(opts);
    } catch (err) {
      throw await driveError(err, opts.signal);
    }
  }
}

export async function createDriveApi(options: DriveClientOptions): Promise<DriveApi> {
  // Loaded on first use, never at activation: the Drive client is the largest part of the bundle.
  const { drive } = await import('@googleapis/drive');
  // Node's own fetch (undici), not the node-fetch gaxios falls back to: less CPU per request.
  const fetchImplementation = options.fetch ?? globalThis.fetch;
  const auth = new TokenSourceAuth(options.tokenSource, options.scopes, options.onRequest, fetchImplementation);
  const client = drive({ version: 'v3', auth: auth as unknown as drive_v3.Options['auth'], retry: false, fetchImplementation });
  return new DriveApi(client, auth, options.root);
}

/**
 * Drive's answer as a GoogleApiError (its reason from `errors[]`), a cancelled call as AbortError,
 * and anything without an answer (a dropped connection) as a copy with its message and code.
 */
export async function driveError(err: unknown, signal?: AbortSignal): Promise<unknown> {
  if (signal?.aborted) return signal.reason instanceof Error ? signal.reason : new DOMException('The operation was aborted.', 'AbortError');
  if (err instanceof GoogleApiError) return err;
  const response = (err as { response?: { status?: unknown; data?: unknown; headers?: unknown } }).response;
  // A gaxios error carries its request (`config`, with the bearer token): only a scrubbed copy leaves.
  if (typeof response?.status !== 'number') return scrubError(err);
  const body = await bodyText(response.data);
  const headers = response.headers as { get?: (k: string) => string | null } & Record<string, string | undefined>;
  const retryAfter = typeof headers?.get === 'function' ? headers.get('retry-after') : headers?.['retry-after'];
  return parseGoogleError(response.status, body, retryAfter);
}

async function bodyText(data: unknown): Promise<string> {
  if (data === undefined || data === null) return '';
  if (typeof data === 'string') return data;
  if (data instanceof Readable) {
    const chunks: Buffer[] = [];
    for await (const chunk of data) chunks.push(Buffer.from(chunk as Uint8Array));
    return Buffer.concat(chunks).toString('utf8');
  }
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return Buffer.from(data as ArrayBuffer).toString('utf8');
  return JSON.stringify(data);
}
