// Why placing a download failed, in words a user can act on. Every PlaceError means: nothing was
// written under a final name and the temp file is gone.
import fs from 'node:fs';
import path from 'node:path';
import { errnoCode } from './paths';
import { englishL10n } from '../util/englishL10n';

export type PlaceErrorCode =
  | 'aborted'
  | 'size-mismatch'
  | 'hash-mismatch'
  | 'stream-error'
  | 'no-space'
  | 'read-only'
  | 'permission'
  | 'folder-missing'
  | 'name-taken'
  | 'unsafe-name'
  | 'outside-root'
  | 'io';

// Messages that stop a download run (shown translated by src/sync/download/stopText.ts). {0}: the
// folder; {1}: the file's name.
export const PLACE_READ_ONLY = '{0} is on a read-only file system, so {1} cannot be saved there. Choose another download folder; nothing was written.';
/** {0}: the file's name; {1}: the folder (placeholders in order: matching reads them left to right). */
export const PLACE_NO_PERMISSION = "No permission to write {0} in {1}. Check the folder's permissions or choose another download folder; nothing was written.";
export const PLACE_FOLDER_GONE = 'The folder {0} disappeared while {1} was being saved (deleted, renamed, or its drive disconnected). Nothing was written; the download can be retried.';

export class PlaceError extends Error {
  override name = 'PlaceError';
  /** For `no-space`: bytes the file needs (when its size was announced), bytes written when the disk filled, bytes free after the temp file was removed. */
  needed?: number;
  written?: number;
  free?: number;

  constructor(
    readonly code: PlaceErrorCode,
    message: string,
    /** The final path that was asked for. */
    readonly path: string,
    options?: { cause?: unknown; needed?: number; written?: number; free?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.needed = options?.needed;
    this.written = options?.written;
    this.free = options?.free;
  }
}

export function formatBytes(bytes: number): string {
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 'bytes';
  for (const next of units) {
    if (value < 1024) break;
    value /= 1024;
    unit = next;
  }
  const exact = `${bytes.toLocaleString('en-US')} bytes`;
  return unit === 'bytes' ? exact : `${exact} (${value.toFixed(1)} ${unit})`;
}

/** Bytes an unprivileged process may still write in `folder`; undefined when the system cannot tell. */
export async function freeBytes(folder: string): Promise<number | undefined> {
  try {
    const stats = await fs.promises.statfs(folder);
    return stats.bavail * stats.bsize;
  } catch {
    return undefined;
  }
}

/**
 * `needed`: the announced size still to write, when known. Without it the honest statement is where
 * the disk filled, not a guess of the size.
 */
export function noSpaceError(target: string, space: { needed?: number; written: number; free: number | undefined }, cause?: unknown): PlaceError {
  const folder = path.dirname(target);
  const name = path.basename(target);
  const free = space.free === undefined ? 'the free space could not be read' : `${formatBytes(space.free)} are free`;
  const what =
    space.needed !== undefined
      ? `it needs ${formatBytes(space.needed)} and ${free}`
      : `the disk was full after ${formatBytes(space.written)} of it had been written; ${free} now`;
  return new PlaceError('no-space', `Not enough space in ${folder} for ${name}: ${what}. Free up space or choose another download folder; nothing was written.`, target, {
    cause,
    needed: space.needed,
    written: space.written,
    free: space.free,
  });
}

/** Turns a file-system error met while placing `target` into a PlaceError (`written`: bytes so far). */
/** `expectedSize`: the bytes still to write, when announced. */
export async function fileSystemError(err: unknown, target: string, written: number, expectedSize: number | undefined): Promise<PlaceError> {
  if (err instanceof PlaceError) return err;
  const folder = path.dirname(target);
  const name = path.basename(target);
  const reason = err instanceof Error ? err.message : String(err);
  switch (errnoCode(err)) {
    case 'ENOSPC':
    case 'EDQUOT':
      return noSpaceError(target, { needed: expectedSize, written, free: await freeBytes(folder) }, err);
    case 'EROFS':
      return new PlaceError('read-only', englishL10n.t(PLACE_READ_ONLY, folder, name), target, { cause: err });
    case 'EACCES':
    case 'EPERM':
      return new PlaceError('permission', englishL10n.t(PLACE_NO_PERMISSION, name, folder), target, { cause: err });
    case 'ENOENT':
    case 'ENOTDIR':
      if (!(await isFolder(folder))) {
        return new PlaceError('folder-missing', englishL10n.t(PLACE_FOLDER_GONE, folder, name), target, { cause: err });
      }
      return new PlaceError('io', `The temp file of ${name} in ${folder} disappeared before it was complete (removed by another program?). Nothing was written; the download can be retried.`, target, { cause: err });
    default:
      return new PlaceError('io', `Could not save ${name} in ${folder}: ${reason}. Nothing was written.`, target, { cause: err });
  }
}

async function isFolder(folder: string): Promise<boolean> {
  try {
    return (await fs.promises.stat(folder)).isDirectory();
  } catch {
    return false;
  }
}
