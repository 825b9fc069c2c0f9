import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectionGone, RequestContext } from './context';
import { handleControl } from './control-routes';
import { Faults } from './faults';
import { flickrService } from './flickr/service';
import { ApiError, bareError, encodeBody, errorReply, sendHead, statusNameFor, defaultMessageFor, type Reply } from './http';
import { libraryService } from './library/routes';
import { mediaService } from './media';
import { authorizePage, submitConsent } from './authorize';
import { revoke, token, userinfo } from './oauth';
import { pickerService, pickerUiService } from './picker';
import { Quota } from './quota';
import type { Route, Service } from './routes';
import { EmulatorState, PROJECT_NUMBER } from './state';
import { Transfer, writeBody } from './transfer';
import { DRIVE_SERVICES } from './drive/routes';

export interface EmulatorOptions {
  port?: number;
  libraryDir?: string;
  users?: number;
  latencyMs?: number;
  bandwidthMbps?: number;
  /** How long a new video stays PROCESSING, in emulator-clock ms (default 5000). */
  videoProcessingMs?: number;
  /** Told of every API request as it arrives (the reliability suite lands kills by it). */
  onRequest?: (op: string, req: IncomingMessage) => void;
}

export const PATHS = {
  authorize: '/accounts/o/oauth2/v2/auth',
  token: '/oauth2/token',
  revoke: '/oauth2/revoke',
  userinfo: '/openidconnect/v1/userinfo',
  library: '/photoslibrary',
  picker: '/photospicker',
  control: '/__emulator',
} as const;

const OAUTH_SERVICES: Service[] = [
  { prefix: PATHS.authorize, resolve: (m, p) => (p !== '' ? undefined : m === 'POST' ? { op: 'oauth.consent', handle: submitConsent } : m === 'GET' ? { op: 'oauth.authorize', handle: authorizePage } : undefined) },
  { prefix: PATHS.token, resolve: (_m, p) => (p === '' ? { op: 'oauth.token', handle: token } : undefined) },
  { prefix: PATHS.revoke, resolve: (m, p) => (p === '' && (m === 'POST' || m === 'GET') ? { op: 'oauth.revoke', handle: revoke } : undefined) },
  { prefix: PATHS.userinfo, resolve: (m, p) => (p === '' && (m === 'GET' || m === 'POST') ? { op: 'oauth.userinfo', handle: userinfo } : undefined) },
];

function notFoundPage(path: string): Reply {
  const html = `<!DOCTYPE html>\n<html lang=en><meta charset=utf-8><title>Error 404 (Not Found)!!1</title><p><b>404.</b> <ins>That’s an error.</ins><p>The requested URL <code>${path.replace(/[<>&"]/g, '')}</code> was not found on this server.  <ins>That’s all we know.</ins>\n`;
  return { status: 404, headers: { 'Content-Type': 'text/html; charset=UTF-8' }, body: html };
}

export class EmulatorServer {
  readonly state: EmulatorState;
  readonly faults: Faults;
  readonly quota: Quota;
  private readonly server: Server;
  private readonly services: Service[];
  origin = '';
  /** API requests being handled now (control calls not counted), so tests can wait for quiet. */
  inFlight = 0;

  constructor(readonly options: EmulatorOptions) {
    this.state = new EmulatorState(Math.max(1, options.users ?? 1), options.videoProcessingMs);
    this.faults = new Faults(options.bandwidthMbps);
    this.quota = new Quota(this.state.clock);
    this.services = [...OAUTH_SERVICES, libraryService, pickerService, pickerUiService, mediaService, ...DRIVE_SERVICES, flickrService];
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      });
    });
    this.server.keepAliveTimeout = 5000;
    // A client that sends garbage or vanishes must never take the emulator down.
    this.server.on('clientError', (_err, socket) => socket.destroy());
  }

  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    const { port: actual } = this.server.address() as AddressInfo;
    this.origin = `http://127.0.0.1:${actual}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private count(key: string): void {
    this.state.requestCounts.set(key, (this.state.requestCounts.get(key) ?? 0) + 1);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    const url = new URL(req.url ?? '/', this.origin);
    const method = req.method ?? 'GET';
    const path = url.pathname;

    if (path === PATHS.control || path.startsWith(`${PATHS.control}/`)) {
      const transfer = new Transfer(undefined, undefined);
      const ctx = new RequestContext(req, url, path.slice(PATHS.control.length), this.origin, this.state, this.faults, this.quota, transfer);
      const reply = await handleControl(ctx, this).catch(errorReply);
      await this.send(req, res, ctx, reply, 0);
      return;
    }

    this.inFlight++;
    try {
      await this.handleApi(req, res, url, method, path);
    } finally {
      this.inFlight--;
    }
  }

  private async handleApi(req: IncomingMessage, res: ServerResponse, url: URL, method: string, path: string): Promise<void> {
    const service = this.services.find((s) => path === s.prefix || path.startsWith(`${s.prefix}/`));
    let route: Route | undefined;
    try {
      route = service?.resolve(method, path.slice(service.prefix.length), url);
    } catch {
      // e.g. a malformed %-escape in a path segment: no such URL.
      route = undefined;
    }
    const op = route?.op ?? 'unknown';
    this.count(op);
    this.options.onRequest?.(op, req);

    const reset = this.faults.takeReset(op, method, path);
    const transfer = new Transfer(this.faults.links, reset?.afterBytes);
    const ctx = new RequestContext(req, url, service ? path.slice(service.prefix.length) : path, this.origin, this.state, this.faults, this.quota, transfer);
    const latency = (this.options.latencyMs ?? 0) + this.faults.latencyFor(op, method, path);

    let reply: Reply;
    // The uploads endpoint answers every error, injected ones included, in its bare shape.
    const fail = (err: ApiError): Reply => errorReply(op === 'library.uploads' ? bareError(err) : err);
    const disabled = service === libraryService ? 'library' : service === pickerService ? 'picker' : undefined;
    const injected = this.faults.takeStatus(op, method, path);
    if (disabled && this.faults.disabledApis.has(disabled)) {
      await ctx.readBody().catch(() => undefined);
      reply = fail(serviceDisabled(disabled));
    } else if (injected && service?.faultReply) {
      await ctx.readBody().catch(() => undefined);
      reply = service.faultReply(injected);
    } else if (injected) {
      await ctx.readBody().catch(() => undefined);
      const status = statusNameFor(injected.status);
      const headers: Record<string, string> = injected.retryAfterSeconds !== undefined ? { 'Retry-After': String(injected.retryAfterSeconds) } : {};
      reply = fail(new ApiError(injected.status, status, injected.message ?? defaultMessageFor(status), [], headers));
    } else if (!route) {
      reply = notFoundPage(path);
    } else {
      try {
        reply = await route.handle(ctx);
      } catch (err) {
        if (err instanceof ConnectionGone) {
          this.finish(ctx);
          return;
        }
        reply = errorReply(err);
      }
    }
    try {
      await this.send(req, res, ctx, reply, latency);
    } finally {
      this.finish(ctx);
    }
  }

  private finish(ctx: RequestContext): void {
    for (const release of ctx.afterResponse.splice(0)) release();
  }

  private async send(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, reply: Reply, latencyMs: number): Promise<void> {
    if (!ctx.bodyWasRead()) {
      const drained = await ctx.readBody(0);
      if (drained.aborted) return;
    } else if ((await ctx.readBody()).aborted) {
      return;
    }
    if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
    if (req.socket.destroyed) return;
    const { bytes, contentType } = encodeBody(reply);
    sendHead(res, reply, contentType, bytes.length);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    await writeBody(res, bytes, ctx.transfer);
  }
}

/** Google's answer when the caller's Cloud project has not enabled the API (shape as Google sends it). */
function serviceDisabled(api: 'library' | 'picker'): ApiError {
  const service = api === 'library' ? 'photoslibrary.googleapis.com' : 'photospicker.googleapis.com';
  const title = api === 'library' ? 'Photos Library API' : 'Google Photos Picker API';
  const activationUrl = `https://console.developers.google.com/apis/api/${service}/overview?project=${PROJECT_NUMBER}`;
  const message = `${title} has not been used in project ${PROJECT_NUMBER} before or it is disabled. Enable it by visiting ${activationUrl} then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.`;
  return new ApiError(403, 'PERMISSION_DENIED', message, [
    {
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: 'SERVICE_DISABLED',
      domain: 'googleapis.com',
      metadata: { consumer: `projects/${PROJECT_NUMBER}`, service, serviceTitle: title, containerInfo: PROJECT_NUMBER, activationUrl },
    },
    { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message },
    { '@type': 'type.googleapis.com/google.rpc.Help', links: [{ description: 'Google developers console API activation', url: activationUrl }] },
  ]);
}
