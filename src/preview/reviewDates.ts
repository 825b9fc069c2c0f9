// The metadata doctor's findings for the pre-upload review: each new or changed file of the plan
// (only those — what is already uploaded cannot be fixed any more, and what is skipped does not
// matter) diagnosed as "Check Capture Dates…" would (dateDoctor.ts, a Takeout sidecar beside the
// file as evidence), a few files at a time, handed out in batches so the rows show before the
// dates are known. Google's API cannot change a date after upload: this is the last chance.
import path from 'node:path';
import { diagnoseCaptureDate } from '../metadata/dateDoctor';
import { sidecarTakenAt } from '../metadata/folderDates';
import { UPLOADABLE_ACTIONS, type ReviewDateFlag, type ReviewRow } from '../webview/protocol';

export interface ReviewDateOptions {
  signal: AbortSignal;
  /** The Takeout capture time the index knows for a file (an imported one), if any. */
  takeoutTakenAt?: (file: string) => Date | undefined;
  now?: Date;
  timeZone?: string;
  /** Files diagnosed at once (default 4). */
  concurrency?: number;
  /** Flags found since the last call, about every `batchSize` files checked (default 200). */
  onFlags?: (flags: ReviewDateFlag[]) => void | Promise<void>;
  batchSize?: number;
}

/** Diagnoses the plan's new and changed files; returns every flag (also handed to onFlags in batches). */
export async function flagReviewDates(folders: readonly string[], rows: readonly ReviewRow[], options: ReviewDateOptions): Promise<ReviewDateFlag[]> {
  const todo = rows.filter((r) => UPLOADABLE_ACTIONS.has(r.action));
  const all: ReviewDateFlag[] = [];
  let pending: ReviewDateFlag[] = [];
  let checked = 0;
  let next = 0;
  const batchSize = options.batchSize ?? 200;
  const flush = async () => {
    const batch = pending;
    pending = [];
    await options.onFlags?.(batch);
  };
  const worker = async () => {
    while (next < todo.length) {
      options.signal.throwIfAborted();
      const row = todo[next++];
      const root = folders[row.folder];
      const file = path.join(root, ...row.relPath.split('/'));
      const flag = await diagnose(file, root, options).then(
        (reason) => reason && { folder: row.folder, relPath: row.relPath, reason },
        () => undefined, // gone or unreadable since the scan: the upload reports that
      );
      if (flag) {
        all.push(flag);
        pending.push(flag);
      }
      if (++checked % batchSize === 0 && pending.length) await flush();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, todo.length)) }, worker));
  options.signal.throwIfAborted();
  if (pending.length) await flush();
  return all;
}

/** The doctor's problems with the file's date in one line, or undefined when there are none. */
async function diagnose(file: string, root: string, options: ReviewDateOptions): Promise<string | undefined> {
  const takeoutTakenAt = options.takeoutTakenAt?.(file) ?? (await sidecarTakenAt(file));
  const d = await diagnoseCaptureDate(file, { takeoutTakenAt, stopAt: root, now: options.now, timeZone: options.timeZone });
  if (!d.problems.length) return undefined;
  const fix = d.proposal ? ` — Check Capture Dates… proposes ${d.proposal.local.replace('T', ' ')} (from ${d.proposal.detail})` : '';
  return `${d.problems.map((p) => p.message).join('; ')}${fix}`;
}
