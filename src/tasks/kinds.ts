/**
 * upload: bytes sent; commit: receipts turned into items (Google's batchCreate); album: album writes
 * (create, add/remove items); download: bytes received into a temp file; place: a received file made
 * durable and given its name (disk work, so the next download need not wait for it). Each kind has
 * its own concurrency.
 */
export type TaskKind = 'scan' | 'hash' | 'upload' | 'commit' | 'download' | 'place' | 'pickerPoll' | 'verify' | 'album';

export const TASK_KINDS: readonly TaskKind[] = ['scan', 'hash', 'upload', 'commit', 'download', 'place', 'pickerPoll', 'verify', 'album'];

/** Default concurrency per kind; uploads/downloads come from the settings. */
export const DEFAULT_CONCURRENCY: Readonly<Record<TaskKind, number>> = {
  scan: 1,
  hash: 2,
  upload: 4,
  commit: 1,
  download: 6,
  place: 2,
  pickerPoll: 2,
  verify: 2,
  album: 1,
};
