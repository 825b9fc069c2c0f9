// Follows async uploads' tickets (upload.async.html): one flickr.photos.upload.checkTickets call
// asks about every ticket in flight, first after a second, then less often (up to every 30 s), so a
// dozen large uploads cost one call per round rather than one each.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../util/logger';
import { num, type FlickrApi } from './api';
import { FlickrSyncError } from './classify';
import { FLICKR_TICKET_FAILED } from '../../sync/destinationText';
import { englishL10n } from '../../util/englishL10n';

/** What a ticket came to: the photo, a failure Flickr reports, or a ticket Flickr does not know. */
export type TicketOutcome = { kind: 'photo'; photoId: string } | { kind: 'failed' } | { kind: 'invalid' };

interface Waiter {
  resolve(outcome: TicketOutcome): void;
  reject(err: unknown): void;
}

export interface TicketOptions {
  firstCheckMs?: number;
  maxIntervalMs?: number;
  /** Most tickets in one call. */
  perCall?: number;
}

export class TicketWatcher {
  private readonly waiting = new Map<string, Waiter[]>();
  private running = false;
  private interval: number;

  constructor(
    private readonly api: FlickrApi,
    private readonly log: Logger,
    private readonly options: TicketOptions = {},
  ) {
    this.interval = options.firstCheckMs ?? 1000;
  }

  /** Resolves when Flickr has finished with the ticket (or says it failed or does not know it). */
  wait(ticketId: string, signal?: AbortSignal): Promise<TicketOutcome> {
    return new Promise<TicketOutcome>((resolve, reject) => {
      signal?.throwIfAborted();
      const waiter: Waiter = { resolve, reject };
      const list = this.waiting.get(ticketId) ?? [];
      list.push(waiter);
      this.waiting.set(ticketId, list);
      signal?.addEventListener(
        'abort',
        () => {
          const left = (this.waiting.get(ticketId) ?? []).filter((w) => w !== waiter);
          if (left.length) this.waiting.set(ticketId, left);
          else this.waiting.delete(ticketId);
          reject(signal.reason);
        },
        { once: true },
      );
      // A new ticket is asked about soon, whatever the interval has grown to.
      this.interval = this.options.firstCheckMs ?? 1000;
      if (!this.running) void this.run();
    });
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.waiting.size > 0) {
        const wait = this.interval;
        this.interval = Math.min(this.interval * 2, this.options.maxIntervalMs ?? 30_000);
        await sleep(wait);
        const ids = [...this.waiting.keys()].slice(0, this.options.perCall ?? 100);
        if (ids.length === 0) break;
        let answers;
        try {
          answers = await this.api.checkTickets(ids);
        } catch (err) {
          // The uploads waiting on these tickets fail with this error; their retry asks again.
          this.settle(ids, (w) => w.reject(err));
          continue;
        }
        for (const t of answers) {
          const outcome: TicketOutcome | undefined =
            num(t.invalid) === 1 ? { kind: 'invalid' } : num(t.complete) === 1 && t.photoid ? { kind: 'photo', photoId: String(t.photoid) } : num(t.complete) === 2 ? { kind: 'failed' } : undefined;
          if (outcome) {
            this.log.debug(`Flickr upload ticket ${t.id}: ${outcome.kind}`);
            this.settle([t.id], (w) => w.resolve(outcome));
          }
        }
      }
    } finally {
      this.running = false;
    }
  }

  private settle(ids: readonly string[], each: (w: Waiter) => void): void {
    for (const id of ids) {
      const list = this.waiting.get(id) ?? [];
      this.waiting.delete(id);
      list.forEach(each);
    }
  }
}

export function ticketFailed(fileName: string, ticketId: string): FlickrSyncError {
  return new FlickrSyncError('ticketFailed', englishL10n.t(FLICKR_TICKET_FAILED, fileName, ticketId));
}
