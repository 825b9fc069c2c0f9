import type { Logger } from '../util/logger';
import { nullLogger } from '../util/logger';
import { parseGoogleError } from './errors';
import type { TokenSource } from './tokenSource';

/** baseUrl byte downloads: a separate, larger quota (75,000/day), not the request quota. */
export const MEDIA_BYTES_ENDPOINT = 'mediaBytes';

export interface GoogleRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  /** Name reported to `onRequest` (quota accounting), e.g. the discovery method id "mediaItems.batchCreate". */
  endpoint: string;
  /** Scopes the access token must carry; omit for requests sent without a token. */
  scopes?: readonly string[];
  headers?: Record<string, string>;
  /** Serialized as JSON with the matching Content-Type. */
  json?: unknown;
  /**
   * A factory, not a value: a stream can be read only once and the 401 retry sends the request again.
   * A stream body is sent with `duplex: 'half'`.
   */
  body?: () => BodyInit;
  signal?: AbortSignal;
}

export interface GoogleHttpOptions {
  tokenSource: TokenSource;
  logger?: Logger;
  /** Called once per HTTP request sent (retries included): the index counts quota use from it. */
  onRequest?: (endpoint: string) => void;
}

/**
 * The one place a Google request is sent. Adds the bearer token, refreshes it once on a 401, and
 * turns every non-2xx answer into a GoogleApiError. Retrying 429/5xx is the task queue's job
 * (classifyGoogleError), so this never retries those.
 */
export class GoogleHttp {
  private readonly logger: Logger;

  constructor(private readonly options: GoogleHttpOptions) {
    this.logger = options.logger ?? nullLogger;
  }

  /** Sends the request; resolves with a 2xx response whose body is still unread. */
  async send(request: GoogleRequest): Promise<Response> {
    const token = request.scopes ? await this.options.tokenSource.getAccessToken(request.scopes, request.signal) : undefined;
    let response = await this.sendOnce(request, token);
    if (response.status === 401 && token !== undefined && request.scopes) {
      // The token expired or was revoked server-side: drop it and try once with a fresh one.
      await discardBody(response);
      this.options.tokenSource.invalidate?.(token);
      const fresh = await this.options.tokenSource.getAccessToken(request.scopes, request.signal);
      // The same token again would only earn the same 401 and spend quota.
      if (fresh !== token) response = await this.sendOnce(request, fresh);
    }
    if (response.ok) return response;
    const text = await response.text().catch(() => '');
    throw parseGoogleError(response.status, text, response.headers.get('retry-after'));
  }

  /** Sends the request and parses a JSON answer (an empty body gives `{}`). */
  async json<T>(request: GoogleRequest): Promise<T> {
    const response = await this.send(request);
    const text = await response.text();
    return (text.trim() ? JSON.parse(text) : {}) as T;
  }

  private async sendOnce(request: GoogleRequest, token: string | undefined): Promise<Response> {
    const headers: Record<string, string> = { ...request.headers };
    if (token !== undefined) headers.Authorization = `Bearer ${token}`;
    let body: BodyInit | undefined;
    if (request.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(request.json);
    } else if (request.body) {
      body = request.body();
    }
    const init: RequestInit & { duplex?: 'half' } = { method: request.method, headers, body, signal: request.signal };
    if (body instanceof ReadableStream) init.duplex = 'half';

    this.options.onRequest?.(request.endpoint);
    const started = performance.now();
    // baseUrls are capability URLs: their path alone grants the bytes, so only the host is logged.
    const where = request.endpoint === MEDIA_BYTES_ENDPOINT ? originOnly(request.url) : pathOnly(request.url);
    try {
      const response = await fetch(request.url, init);
      this.logger.debug(`${request.method} ${where} → ${response.status} in ${Math.round(performance.now() - started)} ms`);
      return response;
    } catch (err) {
      this.logger.debug(`${request.method} ${where} → failed after ${Math.round(performance.now() - started)} ms: ${(err as Error).message}`);
      throw err;
    }
  }
}

/** The URL without its query: upload session URLs carry an upload id that must not reach the log. */
export function pathOnly(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

function originOnly(url: string): string {
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return '(invalid URL)';
  }
}

async function discardBody(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // Nothing to release.
  }
}
