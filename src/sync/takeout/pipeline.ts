// Import Google Takeout: pass 1 scans every part (names, sizes, sidecar JSON — media bytes of zip
// parts are not read) and matches sidecars folder by folder across parts; pass 2 streams each part's
// media once, in archive order, into the download tree (placeEntry.ts). One task per part on the
// queue (kind 'place', one at a time per import folder), progress in archives, files and bytes with
// an ETA, cancel through the group's signal. Nothing is extracted to a temp folder and no archive is
// held in memory; the archives themselves are never changed.
import fs from 'node:fs';
import path from 'node:path';
import type { PhotoIndex } from '../../index/api';
import type { LocalFileSystem } from '../../localfs/fileSystem';
import { NameReservations } from '../../localfs/collisions';
import { cleanupStaleParts, PlaceError, syncFolders } from '../../localfs/placeFile';
import { readArchive } from '../../takeout/readArchive';
import { scanTakeout, type TakeoutScan } from '../../takeout/scan';
import type { ReadLimits, ReadProblem } from '../../takeout/types';
import type { TaskGroup, TaskQueueApi } from '../../tasks/api';
import type { Outcome } from '../../tasks/outcome';
import type { Logger } from '../../util/logger';
import { RunLeases, type HeldLeases } from '../runLease';
import { EntryImporter } from './placeEntry';
import { emptyResult, isDamage, type TakeoutProgress, type TakeoutResult } from './report';
import type { TakeoutSettings } from './settings';
import { l10nOr, type SyncL10n } from '../l10n';
import { TAKEOUT_BUSY, TAKEOUT_BUSY_PROCESS, TAKEOUT_BUSY_WITH_PROGRESS, TAKEOUT_STOPPED } from './stopText';
import { englishL10n } from '../../util/englishL10n';

export interface TakeoutImportOptions {
  /** Task titles in the user's language (default English). */
  l10n?: SyncL10n;
  /** Archive parts (zip, tgz, tar) or extracted Takeout folders, in any order. */
  parts: readonly string[];
  /** The download folder: files go to photos/{yyyy}/{mm}, album entries to albums/. */
  root: string;
  settings: TakeoutSettings;
  index: PhotoIndex;
  queue: TaskQueueApi;
  log: Logger;
  onProgress?: (progress: TakeoutProgress) => void;
  /** Gets the group as soon as it exists (the UI's cancel button cancels it). */
  onGroup?: (group: TaskGroup) => void;
  limits?: Partial<ReadLimits>;
  fileSystem?: LocalFileSystem;
  /** One import into a folder at a time, across VS Code windows and the command line. */
  leases?: RunLeases;
  now?: () => Date;
}

const STOP_CODES = new Set(['no-space', 'read-only', 'permission', 'folder-missing', 'outside-root']);

function classify(err: unknown): Outcome {
  if (err instanceof PlaceError) {
    if (err.code === 'aborted') return { kind: 'cancelled' };
    if (STOP_CODES.has(err.code)) return { kind: 'needs-user', message: err.message };
  }
  if ((err as Error).name === 'AbortError') return { kind: 'cancelled' };
  return { kind: 'fatal' };
}

function archiveSize(part: string): number | undefined {
  try {
    const stat = fs.statSync(part);
    return stat.isFile() ? stat.size : undefined;
  } catch {
    return undefined;
  }
}

export class ImportBusyError extends Error {}

export async function importTakeout(options: TakeoutImportOptions): Promise<TakeoutResult> {
  let held: HeldLeases | undefined;
  if (options.leases) {
    const lease = options.leases.tryAcquire([RunLeases.key('takeout', path.resolve(options.root))]);
    if ('busy' in lease) {
      const who = lease.busy.label ?? englishL10n.t(TAKEOUT_BUSY_PROCESS, lease.busy.pid);
      const p = lease.busy.progress;
      throw new ImportBusyError(p ? englishL10n.t(TAKEOUT_BUSY_WITH_PROGRESS, options.root, who, p.done, p.total) : englishL10n.t(TAKEOUT_BUSY, options.root, who));
    }
    held = lease.held;
  }
  try {
    return await runImport(options, held);
  } finally {
    held?.release();
  }
}

async function runImport(options: TakeoutImportOptions, held: HeldLeases | undefined): Promise<TakeoutResult> {
  const { root, index, log } = options;
  const parts = [...options.parts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const now = options.now ?? (() => new Date());
  const result = emptyResult(root, parts);
  const seenProblems = new Set<string>();
  const onProblem = (problem: ReadProblem) => {
    const key = `${problem.archive}\0${problem.entryName ?? problem.rawName ?? ''}\0${problem.reason}`;
    if (seenProblems.has(key)) return;
    seenProblems.add(key);
    if (isDamage(problem)) result.damaged.push(problem);
    else if (problem.reason !== 'duplicate-name' && result.problems.length < 1000) result.problems.push(problem);
  };
  const l10n = l10nOr(options.l10n);
  const group = options.queue.group(l10n.t('Import Google Takeout'), l10n.t('Importing'));
  options.onGroup?.(group);

  // Pass 1, then one task per part that waits for it.
  const report = (p: Omit<TakeoutProgress, 'archives'>) => options.onProgress?.({ ...p, archives: parts.length });
  report({ phase: 'scanning', archive: 1, archiveName: path.basename(parts[0] ?? ''), files: 0, filesTotal: 0, bytes: 0, bytesTotal: 0 });
  let scan: TakeoutScan | undefined;
  let filesTotal = 0;
  let bytesTotal = 0;
  const bytesByPart = new Map<string, number>();
  const albumDates = new Map<string, Date>();
  const scanTask = group.add({
    kind: 'scan',
    title: parts.length === 1 ? l10n.t('Reading the Takeout’s sidecars (1 part)') : l10n.t('Reading the Takeout’s sidecars ({0} parts)', parts.length),
    journal: false,
    maxAttempts: 1,
    classify,
    run: async (ctx) => {
      scan = await scanTakeout(parts, { onProblem, signal: ctx.signal, limits: options.limits });
      result.counts = { ...scan.counts };
      for (const media of scan.media()) {
        if (media.match.kind === 'none' && result.unmatched.length < 200) result.unmatched.push(media.entryName);
        if (media.folder.kind === 'outside') continue;
        filesTotal++;
        bytesTotal += media.size;
        bytesByPart.set(media.archive, (bytesByPart.get(media.archive) ?? 0) + media.size);
        const taken = media.metadata?.photoTakenTime;
        if (media.folder.kind === 'album' && taken && taken > (albumDates.get(media.folder.path) ?? new Date(0))) albumDates.set(media.folder.path, taken);
      }
      for (const [folder, album] of scan.albums) if (!albumDates.has(folder) && album.date) albumDates.set(folder, album.date);
      result.orphanSidecars = scan.orphanSidecars.slice(0, 200);
      // Temp files an interrupted import left (their process is gone).
      await cleanupStaleParts(path.join(root, 'photos')).catch(() => undefined);
    },
  });

  // Pass 2.
  const pending = new Map();
  const flush = async () => {
    if (pending.size === 0) return;
    const rows = [...pending.values()];
    pending.clear();
    await index.write((w) => {
      for (const row of rows) w.imports.upsert(row);
    });
  };
  const folders = new Set<string>();
  const importer = new EntryImporter({ root, settings: options.settings, index, names: new NameReservations(), result, albumDates, pending, flush, now, unsynced: folders, fileSystem: options.fileSystem });
  const started = Date.now();
  let files = 0;
  let bytes = 0;
  let stopped: string | undefined;
  const tick = (archive: number) => {
    const elapsed = Date.now() - started;
    const etaMs = bytes > 0 && elapsed > 2000 ? ((bytesTotal - bytes) * elapsed) / bytes : undefined;
    report({ phase: 'importing', archive, archiveName: path.basename(parts[archive - 1]), files, filesTotal, bytes, bytesTotal, etaMs });
    held?.report({ title: l10n.t('Importing Google Takeout'), done: files, total: filesTotal });
  };
  const readPart = async (part: string, i: number, signal: AbortSignal, reportBytes: (done: number, total: number) => void) => {
    let lastTick = 0;
    let partBytes = 0;
    const partTotal = bytesByPart.get(part) ?? 0;
    for await (const entry of readArchive(part, { kinds: new Set(['media']), onProblem, signal, limits: options.limits })) {
      signal.throwIfAborted();
      const described = scan!.describe(entry.entryName);
      // The same name again in another part: the first copy is the one imported.
      if (!described || described.archive !== entry.archive) continue;
      const outcome = await importer.import(entry, described, signal, (n) => {
        bytes += n;
        partBytes += n;
        reportBytes(partBytes, partTotal);
      });
      if (outcome === 'already' || outcome === 'trash' || outcome === 'skipped') {
        bytes += described.size;
        partBytes += described.size;
        reportBytes(partBytes, partTotal);
      }
      files++;
      if (Date.now() - lastTick > 250) {
        lastTick = Date.now();
        tick(i + 1);
      }
    }
  };
  parts.forEach((part, i) => {
    group.add({
      kind: 'place',
      title: l10n.t('Importing {0}', path.basename(part)),
      serialKey: `takeout:${root}`,
      dependsOn: [scanTask.id],
      bytes: archiveSize(part),
      journal: false,
      maxAttempts: 1,
      classify,
      run: async (ctx) => {
        tick(i + 1);
        try {
          await readPart(part, i, ctx.signal, (done, total) => ctx.reportBytes(done, total));
        } catch (err) {
          await flush();
          // A full disk or a missing folder meets every other file too: stop the whole import.
          const outcome = classify(err);
          if (outcome.kind === 'needs-user') {
            stopped ??= outcome.message ?? (err as Error).message;
            group.cancel();
          }
          throw err;
        }
        tick(i + 1);
        await flush();
      },
    });
  });
  const finished = await group.finished;
  const scanned = await scanTask.outcome;
  if (scanned.state === 'failed' && !group.signal.aborted) throw scanned.error;
  await flush();
  await syncFolders(folders);
  await index.flush();
  const failure = stopped ?? finished.failed[0]?.reason;
  result.cancelled = !failure && (finished.cancelled > 0 || group.signal.aborted);
  if (failure) {
    result.stopped = englishL10n.t(TAKEOUT_STOPPED, failure);
    log.warn(`Takeout import stopped: ${failure}`);
  }
  return result;
}
