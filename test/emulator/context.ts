import type { IncomingMessage } from 'node:http';
import type { Faults } from './faults';
import { ApiError, header, invalidArgument } from './http';
import type { Quota } from './quota';
import type { EmulatorState } from './state';
import { readBody, type BodyResult, type Transfer } from './transfer';

/** Google front end's JSON body limit. */
export const MAX_JSON_BYTES = 10 * 1024 * 1024;

/** Thrown when the connection died mid-body: there is nobody to answer. */
export class ConnectionGone extends Error {}

/** What a handler sees of one request. */
export class RequestContext {
  private body: Promise<BodyResult> | undefined;
  /** Run once the response has been sent (or the connection died): releases locks held for the request. */
  readonly afterResponse: (() => void)[] = [];

  constructor(
    readonly req: IncomingMessage,
    readonly url: URL,
    /** Path below the service prefix, e.g. "/v1/albums". */
    readonly path: string,
    readonly origin: string,
    readonly state: EmulatorState,
    readonly faults: Faults,
    readonly quota: Quota,
    readonly transfer: Transfer,
  ) {}

  get method(): string {
    return this.req.method ?? 'GET';
  }

  header(name: string): string | undefined {
    return header(this.req, name);
  }

  readBody(maxBytes: number = MAX_JSON_BYTES): Promise<BodyResult> {
    this.body ??= readBody(this.req, this.transfer, maxBytes);
    return this.body;
  }

  bodyWasRead(): boolean {
    return this.body !== undefined;
  }

  async bytes(maxBytes: number = MAX_JSON_BYTES): Promise<Buffer> {
    const body = await this.readBody(maxBytes);
    if (body.aborted) throw new ConnectionGone();
    if (body.tooLarge) throw new ApiError(400, 'INVALID_ARGUMENT', `Request payload size exceeds the limit: ${maxBytes} bytes.`);
    return body.bytes;
  }

  /** Parses a JSON body as Google does: empty = {}, syntax errors → 400 "Invalid JSON payload received.". */
  async json(): Promise<Record<string, unknown>> {
    const bytes = await this.bytes();
    const type = this.header('content-type') ?? '';
    if (bytes.length > 0 && type && !/^application\/(json|[\w.+-]*\+json)\b/i.test(type) && !/^text\/plain\b/i.test(type)) {
      throw invalidArgument(`Invalid JSON payload received. Unexpected Content-Type "${type.split(';')[0]}"; expected application/json.`);
    }
    const text = bytes.toString('utf8').trim();
    if (text === '') return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      const detail = e instanceof Error ? e.message : 'syntax error';
      throw new ApiError(400, 'INVALID_ARGUMENT', `Invalid JSON payload received. ${detail}`, [
        { '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ description: `Invalid JSON payload received. ${detail}` }] },
      ]);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw invalidArgument(`Invalid JSON payload received. Expected an object at the top level, got ${Array.isArray(parsed) ? 'an array' : typeof parsed}.`);
    }
    return parsed as Record<string, unknown>;
  }

  /** application/x-www-form-urlencoded body merged over nothing (OAuth endpoints). */
  async form(): Promise<URLSearchParams> {
    const bytes = await this.bytes(1024 * 1024);
    return new URLSearchParams(bytes.toString('utf8'));
  }
}
