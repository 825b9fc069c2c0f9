// The entry point for reading: one part or many, zip / tgz / tar / extracted folder, told apart by
// their first bytes rather than their names (downloads get renamed).
import { open, stat } from 'node:fs/promises';
import { readFolder } from './folderReader';
import { createReaderContext, type ReaderContext } from './readerContext';
import type { ArchiveEntry, ReadOptions } from './types';
import { takeoutProblem, TAKEOUT_CANNOT_OPEN, TAKEOUT_NOT_AN_ARCHIVE } from './problemText';

export type ArchiveFormat = 'zip' | 'tgz' | 'tar' | 'folder';

/** What a path holds, from its first bytes; undefined when it is none of the supported kinds. */
export async function detectArchiveFormat(file: string): Promise<ArchiveFormat | undefined> {
  const info = await stat(file);
  if (info.isDirectory()) return 'folder';
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(262);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    if (bytesRead >= 4 && head.readUInt32LE(0) === 0x04034b50) return 'zip';
    if (bytesRead >= 4 && head.readUInt32LE(0) === 0x06054b50) return 'zip'; // empty zip
    if (bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'tgz';
    if (bytesRead >= 262 && head.toString('latin1', 257, 262) === 'ustar') return 'tar';
    return undefined;
  } finally {
    await handle.close();
  }
}

/**
 * Every entry of one Takeout part (or extracted folder), in archive order.
 *
 *     for await (const entry of readArchive(part, { kinds: new Set(['media']), onProblem })) {
 *       await pipeline(entry.open(), createWriteStream(target));
 *     }
 *
 * Refused and damaged entries are not yielded (or fail their stream) and go to `onProblem`.
 */
export async function* readArchive(file: string, options: ReadOptions = {}): AsyncGenerator<ArchiveEntry> {
  const ctx = createReaderContext(file, options);
  let format: ArchiveFormat | undefined;
  try {
    format = await detectArchiveFormat(file);
  } catch (error) {
    ctx.report({ reason: 'unreadable-archive', message: takeoutProblem(TAKEOUT_CANNOT_OPEN, file, (error as Error).message) });
    return;
  }
  if (!format) {
    ctx.report({ reason: 'unreadable-archive', message: takeoutProblem(TAKEOUT_NOT_AN_ARCHIVE, file) });
    return;
  }
  yield* readFormat(file, format, ctx);
}

// The zip and tar readers (yauzl, tar-stream) are loaded on first use, not at activation.
async function* readFormat(file: string, format: ArchiveFormat, ctx: ReaderContext): AsyncGenerator<ArchiveEntry> {
  switch (format) {
    case 'zip':
      return yield* (await import('./zipReader.js')).readZip(file, ctx);
    case 'tgz':
      return yield* (await import('./tarReader.js')).readTar(file, true, ctx);
    case 'tar':
      return yield* (await import('./tarReader.js')).readTar(file, false, ctx);
    case 'folder':
      return yield* readFolder(file, ctx);
  }
}

/** All parts one after the other, as one stream of entries (Takeout splits an export into parts). */
export async function* readArchives(files: readonly string[], options: ReadOptions = {}): AsyncGenerator<ArchiveEntry> {
  for (const file of files) yield* readArchive(file, options);
}
