// Request/response and notifications over a one-way `post` function, used on both sides of the
// webview. `Out` lists what this side may send, `In` what it answers. Typed end to end: a request's
// result type follows from its method name.
import { isEnvelope, type Envelope } from './protocol';

export interface Api {
  requests: Record<string, { params: unknown; result: unknown }>;
  notifications: Record<string, unknown>;
}

type RequestHandler<P, R> = (params: P, signal: AbortSignal) => R | Promise<R>;

export class RequestError extends Error {
  constructor(message: string, readonly method: string) {
    super(message);
    this.name = 'RequestError';
  }
}

export class Messenger<Out extends Api, In extends Api> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; method: string }>();
  private readonly requestHandlers = new Map<string, RequestHandler<unknown, unknown>>();
  private readonly notificationHandlers = new Map<string, (params: unknown) => void>();
  /** Requests we are answering, so closing the other side can abort them. */
  private readonly running = new Set<AbortController>();
  private closed: string | undefined;

  /** `post` may return a promise that settles once the message was handed over (VS Code's postMessage does). */
  constructor(
    private readonly post: (message: Envelope) => void | PromiseLike<unknown>,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  request<M extends keyof Out['requests'] & string>(method: M, params: Out['requests'][M]['params'], signal?: AbortSignal): Promise<Out['requests'][M]['result']> {
    if (this.closed !== undefined) return Promise.reject(new RequestError(this.closed, method));
    if (signal?.aborted) return Promise.reject(new RequestError('Cancelled', method));
    const messageId = this.nextId++;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.pending.delete(messageId);
        reject(new RequestError('Cancelled', method));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(messageId, {
        method,
        resolve: (v) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(v as Out['requests'][M]['result']);
        },
        reject: (e) => {
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      });
      void this.send({ kind: 'request', messageId, method, params });
    });
  }

  /** Resolves once the message was handed over, so a sender of many large messages can pace itself. */
  notify<M extends keyof Out['notifications'] & string>(method: M, params: Out['notifications'][M]): Promise<void> {
    if (this.closed !== undefined) return Promise.resolve();
    return this.send({ kind: 'notification', method, params });
  }

  onRequest<M extends keyof In['requests'] & string>(method: M, handler: RequestHandler<In['requests'][M]['params'], In['requests'][M]['result']>): void {
    this.requestHandlers.set(method, handler as RequestHandler<unknown, unknown>);
  }

  onNotification<M extends keyof In['notifications'] & string>(method: M, handler: (params: In['notifications'][M]) => void): void {
    this.notificationHandlers.set(method, handler as (params: unknown) => void);
  }

  /** Feed every message that arrives from the other side here. Anything that is not an envelope is ignored. */
  receive(message: unknown): void {
    if (this.closed !== undefined || !isEnvelope(message)) return;
    switch (message.kind) {
      case 'response': {
        const waiter = this.pending.get(message.inReplyTo);
        if (!waiter) return; // cancelled or answered already
        this.pending.delete(message.inReplyTo);
        if (message.error !== undefined) waiter.reject(new RequestError(message.error, waiter.method));
        else waiter.resolve(message.result);
        return;
      }
      case 'notification': {
        const handler = this.notificationHandlers.get(message.method);
        if (!handler) return;
        try {
          handler(message.params);
        } catch (e) {
          this.onError(e);
        }
        return;
      }
      case 'request':
        void this.answer(message.messageId, message.method, message.params);
    }
  }

  /** Rejects what is still waiting and aborts what is being answered; later calls fail fast. */
  close(reason = 'The view was closed'): void {
    if (this.closed !== undefined) return;
    this.closed = reason;
    for (const [, waiter] of this.pending) waiter.reject(new RequestError(reason, waiter.method));
    this.pending.clear();
    for (const controller of this.running) controller.abort();
    this.running.clear();
  }

  get pendingRequests(): number {
    return this.pending.size;
  }

  private async answer(messageId: number, method: string, params: unknown): Promise<void> {
    const handler = this.requestHandlers.get(method);
    if (!handler) {
      void this.send({ kind: 'response', inReplyTo: messageId, error: `Unknown request: ${method}` });
      return;
    }
    const controller = new AbortController();
    this.running.add(controller);
    try {
      const result = await handler(params, controller.signal);
      if (!controller.signal.aborted) void this.send({ kind: 'response', inReplyTo: messageId, result });
    } catch (e) {
      if (!controller.signal.aborted) void this.send({ kind: 'response', inReplyTo: messageId, error: e instanceof Error ? e.message : String(e) });
    } finally {
      this.running.delete(controller);
    }
  }

  private async send(message: Envelope): Promise<void> {
    try {
      await this.post(message);
    } catch (e) {
      this.onError(e);
    }
  }
}
