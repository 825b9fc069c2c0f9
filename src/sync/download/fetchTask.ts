// One item in two tasks. The 'download' task (network): a usable address → the bytes → a temp file in
// the target folder, hashed and checked. The 'place' task (disk, after it): EXIF edits on the temp
// file → mtime → fsync → the final name, never over another file → sidecar and album entry → the index
// row. Splitting them lets the next download start while a received file is made durable. A refused
// address (expired) is refreshed once; a video still processing is skipped with that reason.
import fs from 'node:fs';
import path from 'node:path';
import type { DownloadRecord } from '../../index/api';
import { numberedName, type NameReservations } from '../../localfs/collisions';
import { albumLinkPath } from '../../localfs/layout';
import { LinkError, linkIntoAlbum } from '../../localfs/links';
import { commitStaged, discardStaged, PlaceError, stageStream, type Staged } from '../../localfs/placeFile';
import { hashFrom } from '../../metadata/safeRewrite';
import type { TaskContext } from '../../tasks/api';
import type { Outcome } from '../../tasks/outcome';
import { DownloadRefusedError, ItemNotReadyError, type DownloadStream, type RemoteItem } from '../provider';
import type { AddressBook } from './addresses';
import type { DownloadContext } from './context';
import { applyExif, captureDate, exifEditsFor, wantsSidecar, writeSidecar, type ExifOutcome } from './metadata';
import { counted, openItem } from './open';
import type { DownloadPlan, PlannedDownload } from './plan';
import { notePlaced, type DownloadReport } from './report';
import type { RowWriter } from './rowWriter';
import { DOWNLOAD_SIGNED_OUT } from './stopText';
import { englishL10n } from '../../util/englishL10n';

/** Failures that stop the whole run: every other item would meet them too. */
const STOP_CODES = new Set(['no-space', 'read-only', 'permission', 'folder-missing', 'outside-root']);

export interface RunState {
  plan: DownloadPlan;
  report: DownloadReport;
  names: NameReservations;
  addresses: AddressBook;
  /** Received files not yet placed, by download row id (removed if their place task never runs). */
  staged: Map<string, Staged>;
  /** Folders prepared this run (placeStream's cache). */
  folders: Set<string>;
  /** Folders that received names not yet fsynced (synced once at the end of the run). */
  unsynced: Set<string>;
  /** Row outcomes, written in batches. */
  rows: RowWriter;
  /** Stops the run (cancels what is left) with a message for the user. */
  stop(message: string): void;
  /** Planned downloads whose own task met the stop (a full disk, the folder gone, signed out): still to do, not failed. */
  stoppedBy: Set<string>;
}

/** What the download task hands its place task. */
export type Fetched = { kind: 'staged'; item: RemoteItem; received: DownloadStream['received'] } | { kind: 'skipped'; reason: string };

export class Fetcher {
  constructor(
    private readonly ctx: DownloadContext,
    private readonly run: RunState,
  ) {}

  /** The task classifier: what a failed download or place means (see STOP_CODES). */
  readonly classify = (err: unknown, now: number): Outcome => {
    if (err instanceof PlaceError) {
      if (err.code === 'aborted') return { kind: 'cancelled' };
      if (STOP_CODES.has(err.code)) return { kind: 'needs-user', message: err.message };
      if (err.code === 'unsafe-name') return { kind: 'fatal' };
      return { kind: 'retry' }; // broke off, wrong size or hash, a name taken meanwhile
    }
    if (err instanceof DownloadRefusedError) return { kind: 'fatal' };
    if (isSignedOut(err)) return { kind: 'needs-user', message: englishL10n.t(DOWNLOAD_SIGNED_OUT, (err as Error).message) };
    return this.ctx.provider.rules.classify(err, now);
  };

  /** The network half: the bytes into a temp file beside the target. */
  async download(p: PlannedDownload, task: TaskContext): Promise<Fetched> {
    const { run } = this;
    let opened: { item: RemoteItem; stream: DownloadStream };
    try {
      opened = await this.open(p, task.signal);
    } catch (err) {
      if (err instanceof ItemNotReadyError) return { kind: 'skipped', reason: err.message };
      throw this.stopIfNeeded(err, p);
    }
    const { item, stream } = opened;
    try {
      const staged = await stageStream(counted(stream.body, (n) => task.reportBytes(n, stream.size)), p.target, {
        root: run.plan.root,
        expectedSize: stream.size,
        signal: task.signal,
        preparedFolders: run.folders,
      });
      run.staged.set(p.id, staged);
      run.addresses.done(item.id);
      return { kind: 'staged', item, received: stream.received };
    } catch (err) {
      throw this.stopIfNeeded(err, p);
    }
  }

  /** The disk half: EXIF, mtime, fsync, the final name, sidecar, album entry, the index row. */
  async place(p: PlannedDownload, fetched: Fetched, task: TaskContext): Promise<void> {
    const { run } = this;
    const { report, plan } = run;
    const name = p.item.filename || p.item.id;
    if (fetched.kind === 'skipped') {
      await this.record(p, { state: 'skipped', lastError: fetched.reason });
      report.notReady.push({ name, reason: fetched.reason });
      run.addresses.done(p.item.id);
      return;
    }
    const staged = run.staged.get(p.id);
    if (!staged) throw new Error(`The received bytes of ${name} are gone; it is downloaded again next time.`);
    run.staged.delete(p.id);
    const { item } = fetched;
    const target = await run.names.reserve(p.target);
    // The name is taken: maybe by the very bytes (a download whose row a crash lost, or the user's
    // identical copy, under the name or a " (n)" form). Adopted, not placed a second time.
    const same = target !== p.target ? await identicalAt(p.target, staged) : undefined;
    if (same) {
      run.names.release(target);
      await discardStaged(staged);
      const stat = await fs.promises.stat(same);
      await this.record(p, { state: 'downloaded', localPath: same, bytes: stat.size, sha256: staged.sha256, receivedSha256: staged.sha256, received: fetched.received, mtimeMs: stat.mtimeMs, lastError: undefined });
      report.already++;
      return;
    }
    const edits = exifEditsFor(item, plan.settings);
    let exif: ExifOutcome | undefined;
    let placedPath: string;
    try {
      const placed = await commitStaged(
        { ...staged, target },
        {
          root: plan.root,
          names: run.names,
          mtime: captureDate(item),
          signal: task.signal,
          // The folder is fsynced once at the end of the run: a name lost to a power cut before
          // that only means the file is fetched again (its row is checked against the disk).
          syncFolder: false,
          beforeFinalName: edits ? async (temp) => void (exif = await applyExif(temp, edits, name)) : undefined,
        },
      );
      placedPath = placed.path;
      run.unsynced.add(path.dirname(placed.path));
      // Size and mtime are known unless an EXIF edit changed the file or no capture time was set.
      const taken = captureDate(item);
      const stat = exif?.sha256 || !taken ? await fs.promises.stat(placed.path) : { size: placed.bytes, mtimeMs: taken.getTime() };
      if (path.basename(placed.path) !== path.basename(p.target)) report.renamed.push({ wanted: path.basename(p.target), placed: path.relative(plan.root, placed.path) });
      if (exif?.written.length) report.exifWritten++;
      if (exif?.warning) report.warnings.push(exif.warning);
      await this.record(p, {
        state: 'downloaded',
        localPath: placed.path,
        bytes: stat.size,
        sha256: exif?.sha256 ?? placed.sha256,
        receivedSha256: placed.sha256,
        received: fetched.received,
        mtimeMs: stat.mtimeMs,
        lastError: undefined,
      });
      notePlaced(report, placed.path, stat.size);
    } catch (err) {
      run.names.release(target);
      throw this.stopIfNeeded(err, p);
    }
    // The photo is in place and recorded: what follows only adds to it.
    await this.afterPlaced(item, placedPath);
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
        // The photo is in place; an album entry that cannot be made (the folder gone, a conflict) is told.
        const message = err instanceof LinkError ? err.message : `No album entry for ${path.basename(file)}: ${(err as Error).message}`;
        if (report.links.problems.length < 20) report.links.problems.push(message);
      }
    }
  }

  private record(p: PlannedDownload, change: Partial<Omit<DownloadRecord, 'id'>>): Promise<void> {
    return this.run.rows.set(p.id, p.item.id, change);
  }

  /** A failure every other item would meet too stops the run; the error is rethrown for the task. */
  private stopIfNeeded(err: unknown, p: PlannedDownload): unknown {
    const outcome = this.classify(err, this.ctx.now());
    if (outcome.kind === 'needs-user') {
      this.run.stoppedBy.add(p.id);
      this.run.stop(outcome.message ?? (err as Error).message);
    }
    return err;
  }
}

/**
 * The file at `target` or at one of its " (n)" names that holds exactly the staged bytes (size first,
 * then hash); the walk ends at the first free name. One lstat when the name is free (the usual case).
 */
async function identicalAt(target: string, staged: Staged): Promise<string | undefined> {
  const folder = path.dirname(target);
  for (let n = 0; n < 1000; n++) {
    const candidate = path.join(folder, numberedName(path.basename(target), n));
    let stat: fs.Stats;
    try {
      stat = await fs.promises.lstat(candidate);
    } catch {
      return undefined;
    }
    if (stat.isFile() && stat.size === staged.bytes && (await hashFrom(candidate, 0)).sha256 === staged.sha256) return candidate;
  }
  return undefined;
}

/** The user is signed out or revoked the app's access: no item can be fetched until they sign in. */
function isSignedOut(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AuthError' || /\binvalid_grant\b/.test(err.message));
}
