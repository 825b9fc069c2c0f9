import type { RequestContext } from './context';
import type { Reply } from './http';

/** One operation the emulator serves; `op` names it in request counts and fault patterns. */
export interface Route {
  op: string;
  handle(ctx: RequestContext): Promise<Reply> | Reply;
}

/** Maps (method, path below the service prefix) to a route, or undefined for "no such URL". */
export type Resolver = (method: string, path: string, url?: URL) => Route | undefined;

/** An injected `{"type":"status"}` fault (see faults.ts). */
export interface InjectedStatus {
  status: number;
  message?: string;
  reason?: string;
  retryAfterSeconds?: number;
}

export interface Service {
  prefix: string;
  resolve: Resolver;
  /** How this API words an injected status fault; default: Google's google.rpc envelope. */
  faultReply?: (fault: InjectedStatus) => Reply;
}
