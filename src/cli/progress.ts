// How a run shows its progress: a live display (cli-progress) on a terminal with files, bytes, rate
// and time left per action; plain lines when not a terminal (every tenth of the way, or at most once
// a minute, so cron mail stays short); progress events with --json; nothing with --quiet.
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { LeaseHolder } from '../sync/runLease';
import type { GroupProgress, QueuePause, TaskGroup } from '../tasks/api';
import { formatGroupProgress, percentDone } from '../tasks/progressText';
import { formatBytes, formatCount } from '../util/format';
import type { Output } from './output';

const PLAIN_EVERY_MS = 60_000;
const JSON_EVERY_MS = 1_000;

export class ProgressDisplay {
  private multi: MultiBar | undefined;
  private scanBar: SingleBar | undefined;
  private lastWaiting = '';

  constructor(private readonly out: Output) {}

  /** A scan step ("Scanning /photos: 1,204 files, 12 hashed"). */
  scan(message: string): void {
    if (this.out.live) {
      if (!this.scanBar) this.scanBar = this.bars().create(1, 0, { text: message }, { format: '{text}' });
      else this.scanBar.update(0, { text: message });
    }
  }

  /** The scan is over: its line stays as the last state. */
  scanDone(message: string): void {
    if (this.scanBar) {
      this.scanBar.update(1, { text: message });
      // Ends the display, so lines printed next come below the scan's last state, not above it.
      this.stop();
    } else this.out.info(message);
  }

  /** Another run holds these folders: say who, with its published progress (once per change). */
  waiting(holder: LeaseHolder, folders: string): void {
    const who = `${holder.label ?? 'another Photo Sync'}${holder.pid ? ` (process ${holder.pid}${holder.host ? ` on ${holder.host}` : ''})` : ''}`;
    const p = holder.progress;
    const doing = p ? ` — ${p.title}: ${formatCount(p.done)} of ${formatCount(p.total)}` : '';
    // One upload run per account at a time: the holder may be syncing other folders than these.
    const text = `Waiting: ${who} is uploading to this account${doing}. The sync of ${folders} starts when it is done (Ctrl-C gives up).`;
    if (text === this.lastWaiting) return;
    const first = this.lastWaiting === '';
    this.lastWaiting = text;
    this.out.event('waiting', { holder: { label: holder.label, pid: holder.pid, host: holder.host, since: holder.since, progress: holder.progress } });
    if (this.out.live) {
      if (!this.scanBar) this.scanBar = this.bars().create(1, 0, { text }, { format: '{text}' });
      else this.scanBar.update(0, { text });
    } else if (first) this.out.info(text);
  }

  /** Follows a running group until it settles. `paused` tells when the queue waits for a quota. */
  follow(group: TaskGroup, paused: () => QueuePause | undefined): void {
    if (this.scanBar) {
      this.scanBar.stop();
      this.scanBar = undefined;
    }
    const started = Date.now();
    const rate = (p: GroupProgress) => {
      const seconds = (Date.now() - started) / 1000;
      return seconds >= 1 && p.bytesDone > 0 ? `${formatBytes(p.bytesDone / seconds)}/s` : '';
    };
    const line = (p: GroupProgress) => {
      // Cancelled tasks count as settled in the group's numbers; a stopped run says how far it got.
      if (group.signal.aborted) return `stopped: ${formatCount(p.done)} of ${formatCount(p.total)} sent${p.bytesTotal ? ` · ${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}` : ''}`;
      const text = formatGroupProgress(p, paused());
      const r = rate(p);
      return r && !p.finished ? `${text} · ${r}` : text;
    };
    const dispose: (() => void)[] = [];
    if (this.out.live) {
      const bar = this.bars().create(100, 0, { text: line(group.progress()) }, { format: `${group.title} |{bar}| {text}` });
      const update = () => {
        const p = group.progress();
        bar.update(Math.floor(percentDone(p)), { text: line(p) });
      };
      const timer = setInterval(update, 200);
      dispose.push(() => {
        clearInterval(timer);
        update();
        bar.stop();
      });
    } else if (this.out.json) {
      let last = 0;
      const emit = (force = false) => {
        if (!force && Date.now() - last < JSON_EVERY_MS) return;
        last = Date.now();
        const p = group.progress();
        this.out.event('progress', { title: group.title, done: p.done, failed: p.failed, cancelled: p.cancelled, total: p.total, bytesDone: p.bytesDone, bytesTotal: p.bytesTotal, etaMs: p.etaMs ?? null, paused: paused() ?? null });
      };
      emit(true);
      const sub = group.onProgress(() => emit());
      dispose.push(() => {
        sub.dispose();
        emit(true);
      });
    } else if (!this.out.quiet) {
      let lastAt = Date.now();
      let lastTenth = 0;
      this.out.info(`${group.title}: ${line(group.progress())}`);
      const sub = group.onProgress((p) => {
        const tenth = Math.floor(percentDone(p) / 10);
        if (tenth <= lastTenth && Date.now() - lastAt < PLAIN_EVERY_MS) return;
        lastTenth = tenth;
        lastAt = Date.now();
        if (!p.finished) this.out.info(`${group.title}: ${line(p)}`);
      });
      dispose.push(() => sub.dispose());
    }
    void group.finished.then(() => {
      for (const d of dispose) d();
    });
  }

  /** Ends the live display (before the summary is printed). */
  stop(): void {
    this.scanBar?.stop();
    this.scanBar = undefined;
    this.multi?.stop();
    this.multi = undefined;
    this.out.setLive(undefined);
  }

  private bars(): MultiBar {
    if (!this.multi) {
      const multi = new MultiBar(
        { stream: this.out.errorStream as NodeJS.WriteStream, hideCursor: true, clearOnComplete: false, stopOnComplete: false, barsize: 24, autopadding: true, format: '{text}', linewrap: false },
        Presets.shades_classic,
      );
      this.multi = multi;
      this.out.setLive((text) => multi.log(text));
    }
    return this.multi;
  }
}
