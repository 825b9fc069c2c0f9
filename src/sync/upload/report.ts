import type { GroupResult } from '../../tasks/api';
import type { SyncPlan } from '../plan';
import type { ArchivedFrom } from '../emptyFolders';
import { englishDamagedWarning } from '../damagedText';

/** The reason of a file a cancelled run did not get to: not a failure, the next sync does it. */
export const RESUMES_NEXT_SYNC = 'cancelled; it resumes on the next sync';

/** What a sync did, for the result message, the log and the command line's summary. */
export interface SyncReport {
  uploaded: number;
  /** Files whose content was already at the destination, put into one more album. */
  added: number;
  alreadyUploaded: number;
  duplicates: number;
  skipped: number;
  failed: { path: string; message: string }[];
  archived: number;
  archiveProblems: { path: string; reason: string }[];
  /** Archive moves that landed on another name than the file's own ("IMG_0105 (2).jpg"). */
  archiveRenames: { path: string; movedTo: string }[];
  /** Folders archive moves took files from, per sync folder: those left empty are offered for removal. */
  archivedFrom: ArchivedFrom[];
  albumsCreated: string[];
  warnings: string[];
  cancelled: boolean;
  /** The first errors tasks failed with, so the UI can explain a cause the user must fix (an API not enabled, a revoked grant). */
  errors: unknown[];
}

export function newReport(plan: SyncPlan): SyncReport {
  const report: SyncReport = {
    uploaded: 0,
    added: 0,
    alreadyUploaded: plan.alreadyUploaded.length,
    duplicates: plan.duplicates.length,
    skipped: plan.excluded.length + plan.unsupported.length + plan.tooLarge.length + plan.empty.length + plan.unreadable.length + plan.rejected.length + (plan.damaged?.length ?? 0),
    failed: [],
    archived: 0,
    archiveProblems: [],
    archiveRenames: [],
    archivedFrom: [],
    albumsCreated: [],
    warnings: [...plan.warnings],
    cancelled: false,
    errors: [],
  };
  for (const f of plan.unreadable) report.failed.push({ path: f.file.path, message: f.file.reason ?? 'cannot be read' });
  for (const f of plan.rejected) report.failed.push({ path: f.file.path, message: f.message });
  if (plan.damaged?.length) report.warnings.push(damagedWarning(plan.damaged));
  return report;
}

/** Wraps a task's run so the report keeps the first errors tasks failed with, not only their text. */
export function noting<T extends unknown[], R>(report: SyncReport, run: (...args: T) => Promise<R>): (...args: T) => Promise<R> {
  return async (...args: T) => {
    try {
      return await run(...args);
    } catch (err) {
      if (report.errors.length < 5) report.errors.push(err);
      throw err;
    }
  };
}

/** The reasons tasks failed with, by task id. */
export function failureReasons(result: GroupResult): Map<string, string> {
  return new Map(result.failed.map((f) => [f.taskId, f.reason]));
}

/** "2 files look damaged and were not uploaded: a.jpg (the JPEG ends …), b.png (…)" (the report adds the full stop). */
export function damagedWarning(damaged: SyncPlan['damaged']): string {
  const named = damaged.slice(0, 3).map((d) => ({ rel: d.file.rel, reason: (d.file.reason ?? 'damaged').replace(/^damaged: /, '') }));
  return englishDamagedWarning(named, damaged.length);
}
