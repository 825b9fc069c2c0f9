// The one place a Flickr request is sent: signed with the current credentials, parameters in the
// query (GET) or form body (POST) exactly as signed, REST answers as plain JSON
// (`format=json&nojsoncallback=1`), uploads as multipart with every field but the file signed. Every
// refusal becomes a FlickrApiError, FlickrOAuthError or FlickrHttpError; retrying is the task queue's job.
import type { Logger } from '../util/logger';
import { nullLogger } from '../util/logger';
import type { FlickrEndpoints } from './endpoints';
import { diagnoseSignature, FlickrApiError, FlickrHttpError, FlickrOAuthError, parseOAuthProblem } from './errors';
import { multipartBody, type MultipartFile } from './multipart';
import { baseStringOf, encodeParams, signParams, type FlickrCredentials, type Params } from './oauth1';
import { parseUploadAnswer, type UploadAnswer } from './uploadAnswer';

/** Endpoint names told to `onRequest` (quota accounting): REST calls by method, the rest by door. */
export const UPLOAD_ENDPOINT = 'flickr.upload';
/** Photo bytes from the static photo servers: not API calls, not counted against the hourly limit. */
export const PHOTO_BYTES_ENDPOINT = 'flickr.photoBytes';

export interface FlickrClientOptions {
  endpoints: FlickrEndpoints;
  /** The app's key and secret and the user's token, asked for per request (sign-out takes effect at once). */
  credentials: (signal?: AbortSignal) => Promise<FlickrCredentials>;
  /** Called before each request is sent; may throw to stop it (e.g. the hourly budget is spent). */
  beforeRequest?: (endpoint: string) => void;
  /** Called once per request sent. */
  onRequest?: (endpoint: string) => void;
  /** Told of every failure of `call` and `upload` before it is thrown (e.g. to forget a revoked sign-in). */
  onFailure?: (err: unknown) => void;
  log?: Logger;
  now?: () => number;
}

export interface SignedAnswer {
  status: number;
  text: string;
  headers: Headers;
}

/** Sends one signed request and reads its answer; OAuth-layer refusals are thrown as FlickrOAuthError. */
export async function sendSigned(
  method: 'GET' | 'POST',
  url: string,
  params: Params,
  credentials: FlickrCredentials,
  options: { name: string; signal?: AbortSignal; now?: () => number },
): Promise<SignedAnswer> {
  const signed = signParams(method, url, params, credentials, { now: options.now });
  const body = encodeParams(signed);
  const response =
    method === 'GET'
      ? await fetch(`${url}?${body}`, { signal: options.signal, redirect: 'manual' })
      : await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body, signal: options.signal, redirect: 'manual' });
  const text = await response.text();
  throwOAuthProblem(options.name, response.status, text, () => baseStringOf(method, url, signed));
  return { status: response.status, text, headers: response.headers };
}

function throwOAuthProblem(name: string, status: number, text: string, ourBase: () => string): void {
  const problem = parseOAuthProblem(text);
  if (!problem) return;
  const diagnosis = problem.problem === 'signature_invalid' ? diagnoseSignature(ourBase(), problem.debugBaseString) : undefined;
  throw new FlickrOAuthError(name, problem.problem, status, diagnosis);
}

function httpFailure(name: string, status: number, headers: Headers): FlickrHttpError {
  const retryAfter = Number(headers.get('retry-after'));
  const after = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined;
  if (status === 429) return new FlickrHttpError(name, status, `Flickr answered ${name} with 429 Too Many Requests: the API key's hourly limit is spent.`, after);
  return new FlickrHttpError(name, status, `Flickr answered ${name} with HTTP ${status}.`, after);
}

export class FlickrClient {
  private readonly log: Logger;

  constructor(private readonly options: FlickrClientOptions) {
    this.log = options.log ?? nullLogger;
  }

  get endpoints(): FlickrEndpoints {
    return this.options.endpoints;
  }

  /**
   * Calls a REST method and returns its answer (without `stat`). Writes must be POSTed (Flickr
   * answers a setter sent with GET with error 116).
   */
  async call<T>(method: string, args: Params = {}, options: { post?: boolean; signal?: AbortSignal } = {}): Promise<T> {
    return this.reporting(() => this.callOnce<T>(method, args, options));
  }

  private async callOnce<T>(method: string, args: Params, options: { post?: boolean; signal?: AbortSignal }): Promise<T> {
    const credentials = await this.options.credentials(options.signal);
    const http = options.post ? 'POST' : 'GET';
    this.options.beforeRequest?.(method);
    this.options.onRequest?.(method);
    const started = performance.now();
    let answer: SignedAnswer;
    try {
      answer = await sendSigned(http, this.options.endpoints.rest, { method, format: 'json', nojsoncallback: '1', ...args }, credentials, { name: method, signal: options.signal, now: this.options.now });
    } catch (err) {
      this.log.debug(`Flickr ${method} → ${(err as Error).name} after ${Math.round(performance.now() - started)} ms`);
      throw err;
    }
    this.log.debug(`Flickr ${method} → ${answer.status} in ${Math.round(performance.now() - started)} ms`);
    if (answer.status !== 200) throw httpFailure(method, answer.status, answer.headers);
    let json: { stat?: unknown; code?: unknown; message?: unknown };
    try {
      json = JSON.parse(answer.text) as typeof json;
    } catch {
      throw new FlickrHttpError(method, answer.status, `Flickr answered ${method} with something that is not JSON.`);
    }
    if (json.stat !== 'ok') throw new FlickrApiError(method, Number(json.code ?? 0), typeof json.message === 'string' ? json.message : 'no message');
    return json as T;
  }

  /** Uploads a file (multipart POST; the file part is not signed). */
  async upload(fields: Params, file: Omit<MultipartFile, 'field'>, options: { signal?: AbortSignal; onProgress?: (bytes: number) => void } = {}): Promise<UploadAnswer> {
    return this.reporting(() => this.uploadOnce(fields, file, options));
  }

  private async reporting<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      this.options.onFailure?.(err);
      throw err;
    }
  }

  private async uploadOnce(fields: Params, file: Omit<MultipartFile, 'field'>, options: { signal?: AbortSignal; onProgress?: (bytes: number) => void }): Promise<UploadAnswer> {
    const credentials = await this.options.credentials(options.signal);
    const url = this.options.endpoints.upload;
    const signed = signParams('POST', url, fields, credentials, { now: this.options.now });
    const body = multipartBody(signed, { ...file, field: 'photo' });
    this.options.beforeRequest?.(UPLOAD_ENDPOINT);
    this.options.onRequest?.(UPLOAD_ENDPOINT);
    const started = performance.now();
    const init: RequestInit & { duplex: 'half' } = {
      method: 'POST',
      headers: { 'Content-Type': body.contentType, 'Content-Length': String(body.length) },
      body: body.stream(options.onProgress),
      duplex: 'half',
      signal: options.signal,
      redirect: 'manual',
    };
    const response = await fetch(url, init);
    const text = await response.text();
    this.log.debug(`Flickr upload (${file.size} bytes) → ${response.status} in ${Math.round(performance.now() - started)} ms`);
    throwOAuthProblem('upload', response.status, text, () => baseStringOf('POST', url, signed));
    if (response.status !== 200) throw httpFailure('upload', response.status, response.headers);
    return parseUploadAnswer(text);
  }

  /** GETs photo bytes from a static photo URL (capability URLs: nothing is signed, nothing counted). */
  async photoBytes(url: string, signal?: AbortSignal): Promise<Response> {
    this.options.onRequest?.(PHOTO_BYTES_ENDPOINT);
    const response = await fetch(url, { signal });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw httpFailure('photo download', response.status, response.headers);
    }
    return response;
  }
}
