import { stat } from 'node:fs/promises';

/**
 * The local file changed (size, modification time) or vanished while its bytes were being sent, so
 * the upload may not hold what the index would record. The caller re-scans and uploads again.
 */
export class FileChangedError extends Error {
  override readonly name = 'FileChangedError';
  constructor(
    readonly path: string,
    readonly reason: 'missing' | 'size' | 'mtime',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface FileSnapshot {
  size: number;
  mtimeMs: number;
}

/** Reads size and mtime, checking them against what the caller expects the file to be. */
export async function snapshotFile(path: string, expected: { size: number; mtimeMs?: number }): Promise<FileSnapshot> {
  const now = await statOrMissing(path);
  if (now.size !== expected.size) {
    throw new FileChangedError(path, 'size', `${path} is ${now.size} bytes, not the ${expected.size} bytes seen when it was scanned; it will be scanned again.`);
  }
  if (expected.mtimeMs !== undefined && Math.trunc(now.mtimeMs) !== Math.trunc(expected.mtimeMs)) {
    throw new FileChangedError(path, 'mtime', `${path} was modified after it was scanned; it will be scanned again.`);
  }
  return now;
}

/** Throws FileChangedError when the file no longer matches `before` (checked after sending its bytes). */
export async function assertUnchanged(path: string, before: FileSnapshot, cause?: unknown): Promise<void> {
  const now = await statOrMissing(path, cause);
  if (now.size !== before.size) {
    throw new FileChangedError(path, 'size', `${path} changed size during upload (${before.size} → ${now.size} bytes); it will be uploaded again.`, { cause });
  }
  if (now.mtimeMs !== before.mtimeMs) {
    throw new FileChangedError(path, 'mtime', `${path} was modified during upload; it will be uploaded again.`, { cause });
  }
}

async function statOrMissing(path: string, cause?: unknown): Promise<FileSnapshot> {
  try {
    const s = await stat(path);
    return { size: s.size, mtimeMs: s.mtimeMs };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new FileChangedError(path, 'missing', `${path} no longer exists.`, { cause: cause ?? err });
    }
    throw err;
  }
}
