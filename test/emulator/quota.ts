import { ApiError, errorInfo } from './http';
import type { Clock } from './clock';

export const DEFAULT_DAILY_LIMIT = 10_000;
export const DEFAULT_WRITES_PER_MINUTE = 600;

/** The calendar day in America/Los_Angeles, where Google's daily quotas roll over at midnight. */
export function pacificDay(ms: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Los_Angeles', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms));
}

/** Per-project Library API quotas: all requests per day, writes per minute per user. */
export class Quota {
  dailyLimit = DEFAULT_DAILY_LIMIT;
  writesPerMinute = DEFAULT_WRITES_PER_MINUTE;
  private daily = new Map<string, { day: string; used: number }>();
  private writes = new Map<string, { minute: number; used: number }>();

  constructor(private readonly clock: Clock) {}

  /** Counts one Library request for the project; throws Google's 429 once the day's quota is spent. */
  chargeRequest(projectNumber: string): void {
    const day = pacificDay(this.clock.now());
    let entry = this.daily.get(projectNumber);
    if (!entry || entry.day !== day) {
      entry = { day, used: 0 };
      this.daily.set(projectNumber, entry);
    }
    if (entry.used >= this.dailyLimit) throw quotaError(projectNumber, 'All requests', 'All requests per day', 'ApiCallsPerProjectPerDay', String(this.dailyLimit));
    entry.used++;
  }

  chargeWrite(projectNumber: string, userSub: string): void {
    const minute = Math.floor(this.clock.now() / 60_000);
    const key = `${projectNumber} ${userSub}`;
    let entry = this.writes.get(key);
    if (!entry || entry.minute !== minute) {
      entry = { minute, used: 0 };
      this.writes.set(key, entry);
    }
    if (entry.used >= this.writesPerMinute) {
      throw quotaError(projectNumber, 'Write requests', 'Write requests per minute per user', 'WriteRequestsPerMinutePerUser', String(this.writesPerMinute));
    }
    entry.used++;
  }

  usage(): unknown {
    return {
      dailyLimit: this.dailyLimit,
      writesPerMinute: this.writesPerMinute,
      daily: Object.fromEntries([...this.daily].map(([p, e]) => [p, e])),
    };
  }

  reset(): void {
    this.dailyLimit = DEFAULT_DAILY_LIMIT;
    this.writesPerMinute = DEFAULT_WRITES_PER_MINUTE;
    this.daily.clear();
    this.writes.clear();
  }
}

function quotaError(projectNumber: string, metric: string, limit: string, limitName: string, value: string): ApiError {
  const consumer = `projects/${projectNumber}`;
  return new ApiError(
    429,
    'RESOURCE_EXHAUSTED',
    `Quota exceeded for quota metric '${metric}' and limit '${limit}' of service 'photoslibrary.googleapis.com' for consumer 'project_number:${projectNumber}'.`,
    [
      errorInfo('RATE_LIMIT_EXCEEDED', 'photoslibrary.googleapis.com', {
        quota_metric: `photoslibrary.googleapis.com/${metric === 'All requests' ? 'all_requests' : 'write_requests'}`,
        quota_limit: limitName,
        quota_limit_value: value,
        consumer,
        quota_location: 'global',
      }),
      { '@type': 'type.googleapis.com/google.rpc.Help', links: [{ description: 'Request a higher quota limit.', url: 'https://cloud.google.com/docs/quotas/help/request_increase' }] },
    ],
  );
}
