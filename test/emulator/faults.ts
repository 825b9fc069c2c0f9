import { Link } from './transfer';

/**
 * Fault injection scheduled through `POST {control}/faults`. A spec (or an array of them):
 *   {"type":"status","endpoint":"library.mediaItems.batchCreate","status":503,"times":2}
 *   {"type":"status","endpoint":"drive.files.create","status":403,"reason":"rateLimitExceeded"}  (reason: Drive only)
 *   {"type":"reset","endpoint":"POST /photoslibrary/v1/uploads*","afterBytes":300000,"times":1}
 *   {"type":"latency","ms":200[,"endpoint":…]}          {"type":"bandwidth","mbps":10}
 *   {"type":"dailyQuota","limit":50}                    {"type":"writesPerMinute","limit":5}
 *   {"type":"expireTokens"}                            {"type":"advanceClock","ms":86400000}
 *   {"type":"publishingStatus","status":"testing"}     {"type":"clear"}
 *   {"type":"apiEnabled","api":"library","enabled":false}   (the project has not enabled the API)
 *   {"type":"videoProcessing","ms":60000}              (new videos stay PROCESSING this long)
 * `endpoint` matches the operation name (see GET {control}/state → requestCounts) exactly, or
 * `METHOD /path` / `/path` with `*` wildcards against the request line; omitted = every request.
 */
export type FaultSpec =
  | { type: 'status'; endpoint?: string; status: number; times?: number; message?: string; retryAfterSeconds?: number; reason?: string }
  | { type: 'reset'; endpoint?: string; afterBytes: number; times?: number }
  | { type: 'latency'; ms: number; endpoint?: string; times?: number }
  | { type: 'bandwidth'; mbps: number | null }
  | { type: 'dailyQuota'; limit: number }
  | { type: 'writesPerMinute'; limit: number }
  | { type: 'expireTokens' }
  | { type: 'advanceClock'; ms: number }
  | { type: 'publishingStatus'; status: 'testing' | 'production' }
  | { type: 'apiEnabled'; api: 'library' | 'picker'; enabled: boolean }
  | { type: 'videoProcessing'; ms: number }
  | { type: 'clear' };

interface Scheduled<T> {
  spec: T;
  remaining: number;
}

type StatusFault = Extract<FaultSpec, { type: 'status' }>;
type ResetFault = Extract<FaultSpec, { type: 'reset' }>;
type LatencyFault = Extract<FaultSpec, { type: 'latency' }>;

export function endpointMatches(pattern: string | undefined, op: string, method: string, path: string): boolean {
  if (pattern === undefined || pattern === '' || pattern === '*') return true;
  if (pattern === op) return true;
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  const re = new RegExp(`^${escaped}$`);
  return re.test(`${method} ${path}`) || re.test(path) || (!pattern.includes('/') && re.test(op));
}

export class Faults {
  private statuses: Scheduled<StatusFault>[] = [];
  private resets: Scheduled<ResetFault>[] = [];
  private latencies: Scheduled<LatencyFault>[] = [];
  private mbps: number | undefined;
  /** APIs the project has not enabled: every call answers 403 SERVICE_DISABLED. */
  readonly disabledApis = new Set<'library' | 'picker'>();
  /** Shared upload / download links while a bandwidth cap is on. */
  links: { up: Link; down: Link } | undefined;

  constructor(private readonly baseBandwidthMbps: number | undefined) {
    this.bandwidthMbps = baseBandwidthMbps;
  }

  get bandwidthMbps(): number | undefined {
    return this.mbps;
  }

  set bandwidthMbps(mbps: number | undefined) {
    this.mbps = mbps && mbps > 0 ? mbps : undefined;
    this.links = this.mbps ? { up: new Link(this.mbps * 1_000_000), down: new Link(this.mbps * 1_000_000) } : undefined;
  }

  add(spec: StatusFault | ResetFault | LatencyFault): void {
    const remaining = spec.times ?? (spec.type === 'latency' ? Infinity : 1);
    if (spec.type === 'status') this.statuses.push({ spec, remaining });
    else if (spec.type === 'reset') this.resets.push({ spec, remaining });
    else this.latencies.push({ spec, remaining });
  }

  private take<T extends { endpoint?: string }>(list: Scheduled<T>[], op: string, method: string, path: string): T | undefined {
    const hit = list.find((f) => f.remaining > 0 && endpointMatches(f.spec.endpoint, op, method, path));
    if (!hit) return undefined;
    hit.remaining--;
    return hit.spec;
  }

  takeStatus(op: string, method: string, path: string): StatusFault | undefined {
    return this.take(this.statuses, op, method, path);
  }

  takeReset(op: string, method: string, path: string): ResetFault | undefined {
    return this.take(this.resets, op, method, path);
  }

  latencyFor(op: string, method: string, path: string): number {
    const hit = this.take(this.latencies, op, method, path);
    return hit?.ms ?? 0;
  }

  pending(): unknown {
    return {
      status: this.statuses.filter((f) => f.remaining > 0).map((f) => ({ ...f.spec, remaining: f.remaining })),
      reset: this.resets.filter((f) => f.remaining > 0).map((f) => ({ ...f.spec, remaining: f.remaining })),
      latency: this.latencies.filter((f) => f.remaining > 0).map((f) => ({ ...f.spec, remaining: f.remaining === Infinity ? 'always' : f.remaining })),
      bandwidthMbps: this.bandwidthMbps ?? null,
    };
  }

  clear(): void {
    this.statuses = [];
    this.resets = [];
    this.latencies = [];
    this.disabledApis.clear();
    this.bandwidthMbps = this.baseBandwidthMbps;
  }
}
