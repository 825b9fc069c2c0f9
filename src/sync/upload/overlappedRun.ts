// The queue group of a sync whose uploads start during the scan. It is made when the first upload
// starts, and held open by a gate task until the plan's tasks (commits, adds) are in: otherwise a
// group whose early uploads all settled before the scan ended would count as finished. Cancelling
// the group (the progress notification's Cancel) stops the scan too.
import type { TaskGroup, TaskQueueApi } from '../../tasks/api';
import type { EarlyUploads } from './earlyUploads';
import type { SyncL10n } from '../l10n';
import { englishL10n } from '../../util/englishL10n';

export interface StartedRun {
  group: TaskGroup;
  early: EarlyUploads;
  /** Every planned task is in the group: let it finish when they settle. */
  open(): void;
  /** Cancels the group (its uploads resume with the next sync) and lets it finish. */
  stop(): void;
}

export class OverlappedRun {
  private readonly abort = new AbortController();
  /** Aborted by the caller's signal or by cancelling the group: the scan's signal. */
  readonly signal: AbortSignal;
  private made: { group: TaskGroup; open: () => void } | undefined;

  constructor(
    private readonly queue: TaskQueueApi,
    private readonly title: string,
    outer: AbortSignal | undefined,
    private readonly onGroup?: (group: TaskGroup) => void,
    /** Cancelling the group stops its uploads but lets the scan and plan finish (the command line's Ctrl-C: the summary says what waits). */
    private readonly scanOutlivesGroup = false,
    private readonly l10n: SyncL10n = englishL10n,
  ) {
    this.signal = outer ? AbortSignal.any([outer, this.abort.signal]) : this.abort.signal;
  }

  /** The group was made and cancelled: no more uploads start. */
  get cancelled(): boolean {
    return this.made?.group.signal.aborted === true;
  }

  group(): TaskGroup {
    if (!this.made) {
      // Progress counts files sent; the gate is not one.
      const group = this.queue.group(this.title, this.l10n.t('Uploading'), { countKinds: ['upload'] });
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      group.add({
        kind: 'scan',
        title: this.l10n.t('Scanning and planning'),
        journal: false,
        maxAttempts: 1,
        run: ({ signal }) => new Promise<void>((resolve) => {
          void gate.then(resolve);
          signal.addEventListener('abort', () => resolve(), { once: true });
        }),
      });
      if (!this.scanOutlivesGroup) group.signal.addEventListener('abort', () => this.abort.abort(group.signal.reason), { once: true });
      this.made = { group, open };
      this.onGroup?.(group);
    }
    return this.made.group;
  }

  /** The run as the pipeline's `run` takes it over; undefined when no upload started during the scan. */
  started(early: EarlyUploads): StartedRun | undefined {
    const made = this.made;
    if (!made) return undefined;
    return {
      group: made.group,
      early,
      open: made.open,
      stop: () => {
        made.group.cancel();
        made.open();
      },
    };
  }

  /** The scan failed or the plan was declined: uploads started are cancelled (journaled, they resume). */
  async stop(drain: () => Promise<void>): Promise<void> {
    if (!this.abort.signal.aborted) this.abort.abort(new DOMException('The sync stopped before its plan ran', 'AbortError'));
    await drain();
    if (!this.made) return;
    this.made.group.cancel();
    this.made.open();
    await this.made.group.finished;
  }
}
