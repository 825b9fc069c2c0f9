// The metadata doctor over a folder: every photo and video below it diagnosed (dateDoctor.ts), with
// the Takeout sidecar's photoTakenTime as the first evidence where there is one (the index's import
// row, or a `name.json` / `name.supplemental-metadata.json` beside the file); then, on the user's
// word, the proposed dates written — EXIF for JPEGs, the mtime for the rest — and read back.
import { opendir } from 'node:fs/promises';
import path from 'node:path';
import { diagnoseCaptureDate, fixCaptureDate, type DateDiagnosis } from './dateDoctor';
import { isJpegFile } from './exifWrite';
import { loadMediaTypes } from './mediaTypes';
import { SidecarExistsError } from './sidecar';
import { readTakeoutSidecar } from './takeoutSidecar';

export interface FolderDateOptions {
  /** The Takeout capture time the index knows for a file (an imported file), if any. */
  takeoutTakenAt?: (file: string) => Date | undefined;
  now?: Date;
  timeZone?: string;
  signal?: AbortSignal;
  onProgress?: (checked: number, file: string) => void;
}

export interface FolderDateReport {
  checked: number;
  /** Files with at least one problem, in path order. */
  problems: DateDiagnosis[];
}

async function* mediaFiles(dir: string, signal?: AbortSignal): AsyncGenerator<string> {
  const types = await loadMediaTypes();
  const entries = [];
  for await (const entry of await opendir(dir)) entries.push(entry);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    signal?.throwIfAborted();
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* mediaFiles(full, signal);
    else if (entry.isFile() && types.typeOf(entry.name)) yield full;
  }
}

/** photoTakenTime from a Takeout JSON beside the file, when one is there. */
export async function sidecarTakenAt(file: string): Promise<Date | undefined> {
  for (const candidate of [`${file}.json`, `${file}.supplemental-metadata.json`]) {
    try {
      const facts = await readTakeoutSidecar(candidate);
      if (facts?.takenAt) return facts.takenAt;
    } catch {
      // no sidecar, or not readable: no evidence
    }
  }
  return undefined;
}

export async function checkFolderDates(folder: string, options: FolderDateOptions = {}): Promise<FolderDateReport> {
  const problems: DateDiagnosis[] = [];
  let checked = 0;
  for await (const file of mediaFiles(folder, options.signal)) {
    const takeoutTakenAt = options.takeoutTakenAt?.(file) ?? (await sidecarTakenAt(file));
    const diagnosis = await diagnoseCaptureDate(file, { takeoutTakenAt, stopAt: folder, now: options.now, timeZone: options.timeZone });
    checked++;
    options.onProgress?.(checked, file);
    if (diagnosis.problems.length) problems.push(diagnosis);
  }
  return { checked, problems };
}

export interface AppliedFix {
  file: string;
  ok: boolean;
  method?: 'exif' | 'mtime';
  /** What was written and read back, or why it failed. */
  message: string;
}

/** Writes each diagnosis's proposal and reads the file again to prove the date took. */
export async function applyDateFixes(diagnoses: readonly DateDiagnosis[], options: { timeZone?: string; now?: Date; stopAt?: string } = {}): Promise<AppliedFix[]> {
  const out: AppliedFix[] = [];
  for (const d of diagnoses) {
    const proposal = d.proposal;
    if (!proposal) {
      out.push({ file: d.file, ok: false, message: 'no evidence to propose a date from' });
      continue;
    }
    const date = { local: proposal.local, offset: proposal.offset };
    try {
      // A JPEG keeps the date in EXIF; anything else gets the mtime and an XMP sidecar, so the date
      // is not lost on the next copy and the doctor sees it next time (another program's XMP is kept).
      const jpeg = await isJpegFile(d.file);
      const fixed = await fixCaptureDate(d.file, date, { timeZone: options.timeZone, xmpSidecar: !jpeg }).catch((err: unknown) => {
        if (err instanceof SidecarExistsError) return fixCaptureDate(d.file, date, { timeZone: options.timeZone });
        throw err;
      });
      const back = await diagnoseCaptureDate(d.file, { timeZone: options.timeZone, now: options.now, stopAt: options.stopAt });
      const readBack = jpeg ? back.current?.local : back.evidence.find((e) => e.source === 'mtime')?.local;
      if (readBack !== proposal.local) {
        out.push({ file: d.file, ok: false, method: fixed.method, message: `written, but ${readBack ?? 'nothing'} read back instead of ${proposal.local}` });
        continue;
      }
      out.push({ file: d.file, ok: true, method: fixed.method, message: `${fixed.method === 'exif' ? 'EXIF DateTimeOriginal' : `modification time${fixed.sidecar ? ' and XMP sidecar' : ''}`} set to ${proposal.local.replace('T', ' ')}${proposal.offset ? ` ${proposal.offset}` : ''} (from ${proposal.detail}), read back` });
    } catch (err) {
      out.push({ file: d.file, ok: false, message: (err as Error).message });
    }
  }
  return out;
}
