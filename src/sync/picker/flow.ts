// The Picker workflow (seed 003): create a session (with a request id, so a retried create is the
// same session) → the user picks in the service's own page → poll at the session's own pace until
// Done, stopping when the time to pick runs out → list what was picked → hand it to the download
// pipeline → delete the session, also when cancelled or failed. When VS Code closes mid-way the session
// is left for the next start, which finishes the downloads and then deletes it (leftovers.ts).
import { randomUUID } from 'node:crypto';
import { setTimeout as sleepFor } from 'node:timers/promises';
import type { PhotoIndex, PickerSessionState } from '../../index/api';
import { isAbortError, isNetworkError } from '../../tasks/outcome';
import type { TaskGroup } from '../../tasks/api';
import type { Logger } from '../../util/logger';
import type { DownloadPipeline, DownloadReport } from '../download/pipeline';
import type { DownloadSettings } from '../download/settings';
import type { RemoteItem } from '../provider';
import { PickingSessionGoneError, type PickingService, type PickingSessionInfo } from './service';
import { pickedListSource, recordPicked, settleSession } from './record';
import type { RunLeases } from '../runLease';
import { finishLeftovers, pickerLeaseKey, type LeftoverOutcome } from './leftovers';
import { l10nOr, type SyncL10n } from '../l10n';

/** Google's sessions say 5 s; without a hint this is the pace. */
const DEFAULT_POLL_MS = 5000;
/** Never faster than this, whatever the service says. */
const MIN_POLL_MS = 1000;
/** Polls that may fail in a row (network, 5xx) before the wait gives up. */
const MAX_POLL_FAILURES = 5;

export interface PickerFlowDeps {
  /** Task titles in the user's language (default English). */
  l10n?: SyncL10n;
  service: PickingService;
  pipeline: DownloadPipeline;
  index: PhotoIndex;
  accountId: string;
  log: Logger;
  now?: () => number;
  /** True while VS Code is shutting down: the session is then left for the next start to finish. */
  closing?: () => boolean;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  newRequestId?: () => string;
  /** Leases beside the index: the window importing a session holds its lease, so no other window's start cleans it up. */
  leases?: RunLeases;
}

export interface ImportOptions {
  folder: string;
  settings: DownloadSettings;
  maxItemCount: number;
  /** Cancels the wait (or the whole import). */
  signal?: AbortSignal;
  /** The session exists: send the user to `info.pickUrl`. */
  onSession(info: PickingSessionInfo): void | Promise<void>;
  /** The user pressed Done with this many items; downloading starts. */
  onPicked?(count: number): void;
  onGroup?(group: TaskGroup): void;
}

export type ImportResult =
  | { kind: 'imported'; sessionId: string; picked: number; report: DownloadReport }
  | { kind: 'nothing-picked'; sessionId: string }
  | { kind: 'cancelled'; sessionId?: string }
  /** The session ended (expired, closed, the time to pick ran out) before the user pressed Done. */
  /** `message`: English, as the index keeps it; `why` for the UI's own words. */
  | { kind: 'expired'; sessionId: string; message: string; why: 'time-ran-out' | 'session-gone' };

export class PickerFlow {
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(private readonly deps: PickerFlowDeps) {
    this.now = deps.now ?? Date.now;
    this.sleep = deps.sleep ?? ((ms, signal) => sleepFor(ms, undefined, { signal }));
  }

  async import(options: ImportOptions): Promise<ImportResult> {
    const { deps } = this;
    const requestId = (deps.newRequestId ?? randomUUID)();
    // Held from before the create: another window's (or this one's) start must not clean it up.
    const lease = deps.leases?.tryAcquire([pickerLeaseKey(requestId)]);
    let session: PickingSessionInfo;
    try {
      session = await this.create(options, requestId);
    } catch (err) {
      if (lease && 'held' in lease) lease.held.release();
      throw err;
    }
    let final: PickerSessionState = 'failed';
    let lastError: string | undefined;
    let resumable = false;
    try {
      await options.onSession(session);
      const done = await this.waitForDone(session, options.signal);
      if (done.kind === 'expired') {
        final = 'expired';
        lastError = done.message;
        return { kind: 'expired', sessionId: session.id, message: done.message, why: done.why };
      }
      const items: RemoteItem[] = [];
      for await (const item of deps.service.list(session.id, options.signal)) items.push(item);
      options.onPicked?.(items.length);
      if (items.length === 0) {
        final = 'downloaded';
        return { kind: 'nothing-picked', sessionId: session.id };
      }
      const title = importTitle(this.now());
      await recordPicked(deps.index, session.id, items, 'downloading');
      const plan = await deps.pipeline.plan(pickedListSource(deps.service, session.id, title, items), options.folder, options.settings, { signal: options.signal });
      const report = await deps.pipeline.run(plan, { title: items.length === 1 ? l10nOr(deps.l10n).t('Importing 1 item from {0}', deps.service.displayName) : l10nOr(deps.l10n).t('Importing {0} items from {1}', items.length, deps.service.displayName), onGroup: options.onGroup });
      // Stopped by something the user can fix (a full disk, signed out) or by VS Code closing: the
      // session stays for the next start (or Retry) to finish; cancelled by the user: it ends here. A stop
      // counts even when nothing was left to cancel (the last file met it: it is still to do).
      resumable = report.stopped !== undefined || (report.cancelled && (report.interrupted || deps.closing?.() === true));
      final = resumable ? 'downloading' : report.cancelled ? 'cancelled' : report.failed.length || report.notReady.length ? 'partial' : 'downloaded';
      lastError = report.stopped;
      return { kind: 'imported', sessionId: session.id, picked: items.length, report };
    } catch (err) {
      if (isAbortError(err) || options.signal?.aborted) {
        final = deps.closing?.() ? 'open' : 'cancelled';
        return { kind: 'cancelled', sessionId: session.id };
      }
      lastError = err instanceof Error ? err.message : String(err);
      throw err;
    } finally {
      // Closing VS Code or a fixable stop: the next start finishes the downloads, then deletes the session.
      const keep = resumable || deps.closing?.() === true;
      await settleSession(deps, session.id, final, lastError, !keep);
      if (lease && 'held' in lease) lease.held.release();
    }
  }

  /** At start: finishes or deletes the sessions earlier windows left behind (leftovers.ts). */
  finishLeftovers(settings: DownloadSettings, options: { onGroup?: (group: TaskGroup) => void } = {}): Promise<LeftoverOutcome> {
    return finishLeftovers(this.deps, settings, options);
  }

  /** sessions.create, journaled with its request id first; retried (same id) on a network error or a 5xx. */
  private async create(options: ImportOptions, requestId: string): Promise<PickingSessionInfo> {
    const { deps } = this;
    await deps.index.write((w) =>
      w.picker.upsertSession({ id: requestId, accountId: deps.accountId, mediaItemsSet: false, state: 'creating', targetFolder: options.folder, requestId }),
    );
    for (let attempt = 1; ; attempt++) {
      try {
        const info = await deps.service.create({ requestId, maxItemCount: options.maxItemCount }, options.signal);
        await deps.index.write((w) => {
          w.picker.removeSession(requestId);
          w.picker.upsertSession({
            id: info.id,
            accountId: deps.accountId,
            pickerUri: info.pickUrl,
            expireTime: info.expiresAt === undefined ? undefined : new Date(info.expiresAt).toISOString(),
            mediaItemsSet: info.done,
            state: 'open',
            targetFolder: options.folder,
            requestId,
          });
        });
        return info;
      } catch (err) {
        const status = (err as { httpStatus?: unknown }).httpStatus;
        const transient = isNetworkError(err) || (typeof status === 'number' && (status >= 500 || status === 429));
        if (attempt < 3 && transient && !options.signal?.aborted) {
          await this.sleep(500 * attempt, options.signal);
          continue;
        }
        // A clear refusal created nothing; an unanswered one may have: the next start asks again with the same id and deletes it.
        if (!transient) await deps.index.write((w) => w.picker.removeSession(requestId));
        throw err;
      }
    }
  }

  /** Polls at the session's pace until Done, the time to pick runs out, or the session is gone. */
  private async waitForDone(first: PickingSessionInfo, signal?: AbortSignal): Promise<{ kind: 'done' } | { kind: 'expired'; message: string; why: 'time-ran-out' | 'session-gone' }> {
    let info = first;
    let failures = 0;
    const service = this.deps.service.displayName;
    const outOfTime = `The time to pick in ${service} ran out before you pressed Done; nothing was imported. Run Import from ${service} again.`;
    while (!info.done) {
      const deadline = Math.min(info.pollUntil ?? Infinity, info.expiresAt ?? Infinity);
      const left = deadline - this.now();
      if (left <= 0) return { kind: 'expired', message: outOfTime, why: 'time-ran-out' };
      await this.sleep(Math.min(left, Math.max(MIN_POLL_MS, info.pollIntervalMs ?? DEFAULT_POLL_MS)), signal);
      try {
        const fresh = await this.deps.service.get(info.id, signal);
        info = { ...fresh, pollUntil: fresh.pollUntil ?? info.pollUntil, expiresAt: fresh.expiresAt ?? info.expiresAt };
        failures = 0;
      } catch (err) {
        if (err instanceof PickingSessionGoneError) return { kind: 'expired', message: `The picking session ended (it expired or was closed) before you pressed Done; nothing was imported. Run Import from ${service} again.`, why: 'session-gone' };
        if (isAbortError(err) || !isNetworkError(err) || ++failures > MAX_POLL_FAILURES) throw err;
        this.deps.log.warn(`Checking the picking session failed (${(err as Error).message}); trying again.`);
      }
    }
    await this.deps.index.write((w) => {
      const row = w.picker.session(info.id);
      if (row) w.picker.upsertSession({ ...row, mediaItemsSet: true, state: 'picked' });
    });
    return { kind: 'done' };
  }
}

/** "Import 2026-11-29 18:40" in the machine's time, for messages and the {album} layout token. */
export function importTitle(at: number): string {
  const d = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `Import ${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
