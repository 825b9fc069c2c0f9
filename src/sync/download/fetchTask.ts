// One item: a usable address → the bytes → a temp file in the target folder (hashed, fsynced, EXIF
// edits applied) → its final name, never over another file → sidecar and album entry → the index row.
// A refused address (expired) is refreshed once; a video still processing is skipped with that reason.
import fs from 'node:fs';
import path from 'node:path';
import type { DownloadRecord } from '../../index/api';
import type { NameReservations } from '../../localfs/collisions';
import { albumLinkPath } from '../../localfs/layout';
import { LinkError, linkIntoAlbum } from '../../localfs/links';
import { PlaceError, placeStream } from '../../localfs/placeFile';
import type { TaskContext } from '../../tasks/api';
import type { Outcome } from '../../tasks/outcome';
import { DownloadRefusedError, ItemNotReadyError, type DownloadStream, type RemoteItem } from '../provider';
import type { AddressBook } from './addresses';
import type { DownloadContext } from './context';
import { applyExif, captureDate, exifEditsFor, wantsSidecar, writeSidecar, type ExifOutcome } from './metadata';
import { counted, openItem } from './open';
import type { DownloadPlan, PlannedDownload } from './plan';
import { notePlaced, type DownloadReport } from './report';

/** Failures that stop the whole run: every other item would meet them too. */
const STOP_CODES = new Set(['no-space', 'read-only', 'permission', 'folder-missing', 'outside-root']);

export interface RunState {
  plan: DownloadPlan;
  report: DownloadReport;
  names: NameReservations;
  addresses: AddressBook;
  /** Stops the run (cancels what is left) with a message for the user. */
  stop(message: string): void;
}

export class Fetcher {
  constructor(
    private readonly ctx: DownloadContext,
    private readonly run: RunState,
  ) {}

  /** The task classifier: what a failed fetch means (see STOP_CODES and `stopsRun`). */
  readonly classify = (err: unknown, now: number): Outcome => {
    if (err instanceof PlaceError) {
      if (err.code === 'aborted') return { kind: 'cancelled' };
      if (STOP_CODES.has(err.code)) return { kind: 'needs-user', message: err.message };
      if (err.code === 'unsafe-name') return { kind: 'fatal' };
      return { kind: 'retry' }; // broke off, wrong size or hash, a name taken meanwhile
    }
    if (err instanceof DownloadRefusedError) return { kind: 'fatal' };
    if (isSignedOut(err)) return { kind: 'needs-user', message: `Not signed in, or access was revoked (${(err as Error).message}). Sign in again and run the download again; nothing is lost.` };
    return this.ctx.provider.rules.classify(err, now);
  };

  async fetch(p: PlannedDownload, task: TaskContext): Promise<void> {
    const { ctx, run } = this;
    const { report, plan } = run;
    const name = p.item.filename || p.item.id;
    await ctx.index.write((w) => w.downloads.update(p.id, { state: 'downloading' }));
    let opened: { item: RemoteItem; stream: DownloadStream };
    try {
      opened = await this.open(p, task.signal);
    } catch (err) {
      if (!(err instanceof ItemNotReadyError)) throw this.stopIfNeeded(err);
      await this.record(p, { state: 'skipped', lastError: err.message });
      report.notReady.push({ name, reason: err.message });
      run.addresses.done(p.item.id);
      return;
    }
    const { item, stream } = opened;
    const target = await run.names.reserve(p.target);
    const edits = exifEditsFor(item, plan.settings);
    let exif: ExifOutcome | undefined;
    try {
      const placed = await placeStream(
        counted(stream.body, (n) => task.reportBytes(n, stream.size)),
        target,
        {
          root: plan.root,
          names: run.names,
          expectedSize: stream.size,
          mtime: captureDate(item),
          signal: task.signal,
          onTempFile: (partPath) => ctx.index.write((w) => w.downloads.update(p.id, { partPath })),
          beforeFinalName: edits ? async (temp) => void (exif = await applyExif(temp, edits, name)) : undefined,
        },
      );
      run.addresses.done(item.id);
      const stat = await fs.promises.stat(placed.path);
      if (path.basename(placed.path) !== path.basename(p.target)) report.renamed.push({ wanted: path.basename(p.target), placed: path.relative(plan.root, placed.path) });
      if (exif?.written.length) report.exifWritten++;
      if (exif?.warning) report.warnings.push(exif.warning);
      await this.afterPlaced(item, placed.path);
      await this.record(p, {
        state: 'downloaded',
        localPath: placed.path,
        bytes: stat.size,
        sha256: exif?.sha256 ?? placed.sha256,
        receivedSha256: placed.sha256,
        received: stream.received,
        mtimeMs: stat.mtimeMs,
        partPath: undefined,
        lastError: undefined,
      });
      notePlaced(report, placed.path, stat.size);
    } catch (err) {
      run.names.release(target);
      await ctx.index.write((w) => w.downloads.update(p.id, { partPath: undefined, lastError: err instanceof Error ? err.message : String(err) })).catch(() => undefined);
      throw this.stopIfNeeded(err);
    }
  }

  /** Opens the bytes; a refused address gets one fresh address and one more try. */
  private async open(p: PlannedDownload, signal: AbortSignal): Promise<{ item: RemoteItem; stream: DownloadStream }> {
    const { provider } = this.ctx;
    let item = await this.run.addresses.usable(p.item.id, { signal });
    try {
      return { item, stream: await openItem(provider, item, signal) };
    } catch (err) {
      if (!(err instanceof DownloadRefusedError)) throw err;
      this.ctx.log.info(`${item.filename}: ${err.message} Fetching a fresh address.`);
      item = await this.run.addresses.usable(p.item.id, { force: true, signal });
      try {
        return { item, stream: await openItem(provider, item, signal) };
      } catch (again) {
        if (again instanceof DownloadRefusedError) throw new DownloadRefusedError(again.httpStatus, `${again.message} A fresh address was refused too; it may have been deleted or its access withdrawn.`);
        throw again;
      }
    }
  }

  /** Sidecar and album entry: their problems are warnings, the photo itself is in place. */
  private async afterPlaced(item: RemoteItem, file: string): Promise<void> {
    const { report, plan } = this.run;
    if (wantsSidecar(item, plan.settings)) {
      try {
        const written = await writeSidecar(file, item, plan.settings, { provider: this.ctx.provider.id, kind: plan.source.kind });
        if (written.path) report.sidecars++;
        if (written.warning) report.warnings.push(written.warning);
      } catch (err) {
        report.warnings.push(`No sidecar for ${path.basename(file)}: ${(err as Error).message}`);
      }
    }
    const album = plan.source.album;
    if (album && plan.settings.albumLinks) {
      try {
        const entry = albumLinkPath(plan.root, { title: album.title, date: plan.newest ?? item.creationTime ?? new Date(this.ctx.now()) }, path.basename(file));
        const link = await linkIntoAlbum(plan.root, file, entry);
        report.links[link.kind]++;
      } catch (err) {
        if (!(err instanceof LinkError)) throw err;
        if (report.links.problems.length < 20) report.links.problems.push(err.message);
      }
    }
  }

  private async record(p: PlannedDownload, change: Partial<Omit<DownloadRecord, 'id'>>): Promise<void> {
    const picker = this.run.plan.source.kind === 'picker' ? this.run.plan.source.key.slice('picker:'.length) : undefined;
    await this.ctx.index.write((w) => {
      w.downloads.update(p.id, change);
      if (picker && change.state) {
        w.picker.updateItem(picker, p.item.id, { downloadState: change.state, localPath: change.localPath, bytes: change.bytes, lastError: change.lastError });
      }
    });
  }

  /** A failure every other item would meet too stops the run; the error is rethrown for the task. */
  private stopIfNeeded(err: unknown): unknown {
    const outcome = this.classify(err, this.ctx.now());
    if (outcome.kind === 'needs-user') this.run.stop(outcome.message ?? (err as Error).message);
    return err;
  }
}

/** The user is signed out or revoked the app's access: no item can be fetched until they sign in. */
function isSignedOut(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AuthError' || /\binvalid_grant\b/.test(err.message));
}
