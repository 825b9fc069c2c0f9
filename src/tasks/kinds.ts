/**
 * upload: bytes sent; commit: receipts turned into items (Google's batchCreate); album: album writes
 * (create, add/remove items). Each kind has its own concurrency.
 */
export type TaskKind = 'scan' | 'hash' | 'upload' | 'commit' | 'download' | 'pickerPoll' | 'verify' | 'album';

export const TASK_KINDS: readonly TaskKind[] = ['scan', 'hash', 'upload', 'commit', 'download', 'pickerPoll', 'verify', 'album'];

/** Default concurrency per kind; uploads/downloads come from the settings. */
export const DEFAULT_CONCURRENCY: Readonly<Record<TaskKind, number>> = {
  scan: 1,
  hash: 2,
  upload: 4,
  commit: 1,
  download: 6,
  pickerPoll: 2,
  verify: 2,
  album: 1,
};
