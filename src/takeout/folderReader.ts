// Reads an already extracted Takeout folder with the same entry shape as the archive readers.
// Symbolic links are never followed: one pointing outside the folder would leak other files in.
import { createReadStream, type Dirent } from 'node:fs';
import { opendir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { entryKindOf, safeEntryName } from './entryNames';
import { checkDeclaredEntry, EntryCheck } from './guards';
import { deliverEntry, type ReaderContext } from './readerContext';
import type { ArchiveEntry } from './types';
import { takeoutProblem, TAKEOUT_FOLDER_UNREADABLE, TAKEOUT_NOT_REGULAR, TAKEOUT_REFUSED, TAKEOUT_SYMLINK } from './problemText';

export async function* readFolder(root: string, ctx: ReaderContext): AsyncGenerator<ArchiveEntry> {
  // Depth-first with one open directory handle per level: memory follows depth, not file count.
  yield* walk(root, '', ctx);
}

async function* walk(root: string, relative: string, ctx: ReaderContext): AsyncGenerator<ArchiveEntry> {
  let dir;
  try {
    dir = await opendir(path.join(root, relative));
  } catch (error) {
    ctx.report({ entryName: relative || undefined, reason: 'corrupt', message: takeoutProblem(TAKEOUT_FOLDER_UNREADABLE, (error as Error).message) });
    return;
  }
  for await (const dirent of dir) {
    ctx.signal?.throwIfAborted();
    const rawName = relative ? `${relative}/${dirent.name}` : dirent.name;
    if (dirent.isDirectory()) {
      yield* walk(root, rawName, ctx);
      continue;
    }
    const entry = await fileEntry(root, rawName, dirent, ctx);
    if (entry) yield entry;
  }
}

async function fileEntry(root: string, rawName: string, dirent: Dirent, ctx: ReaderContext): Promise<ArchiveEntry | undefined> {
  if (!dirent.isFile()) {
    ctx.report({ rawName, reason: 'link', message: dirent.isSymbolicLink() ? TAKEOUT_SYMLINK : TAKEOUT_NOT_REGULAR });
    return undefined;
  }
  const safe = safeEntryName(rawName);
  if (!safe.ok) {
    ctx.report({ rawName, reason: 'unsafe-path', message: takeoutProblem(TAKEOUT_REFUSED, safe.message) });
    return undefined;
  }
  const entryName = safe.name;
  const kind = entryKindOf(entryName);
  if (!ctx.wants(kind)) return undefined;
  const full = path.join(root, rawName);
  const info = await stat(full);
  const verdict = checkDeclaredEntry(info.size, undefined, ctx.limits);
  if (verdict) {
    ctx.report({ entryName, rawName, ...verdict });
    return undefined;
  }
  return {
    archive: root,
    entryName,
    rawName,
    kind,
    size: info.size,
    modified: info.mtime,
    open: (): Readable =>
      deliverEntry(ctx, entryName, async () => createReadStream(full), [new EntryCheck({ size: info.size, archive: root, entryName })], () => 'corrupt'),
  };
}
