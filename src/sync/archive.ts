// seed 000's "move uploaded photos to an archive folder", made safe: only files whose upload was
// confirmed, only if unchanged since, never over an existing file, and across drives by
// copy + verify + unlink.
import { createHash } from 'node:crypto';
import { createReadStream, constants, promises as fs } from 'node:fs';
import path from 'node:path';

export interface ArchiveRequest {
  /** Absolute path of the uploaded file. */
  source: string;
  /** Sync root the relative path is kept from. */
  root: string;
  /** Archive root (absolute). */
  archiveRoot: string;
  /** What was uploaded: the file must still be exactly this. */
  expected: { size: number; mtimeMs: number; sha256?: string };
}

export type ArchiveResult = { ok: true; movedTo: string } | { ok: false; reason: string };

export async function archiveFile(req: ArchiveRequest): Promise<ArchiveResult> {
  const rel = path.relative(req.root, req.source);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return { ok: false, reason: 'is not inside its sync folder' };
  const archiveRoot = path.resolve(req.archiveRoot);
  if (isInside(path.resolve(req.source), archiveRoot)) return { ok: false, reason: 'is already in the archive folder' };
  let stat;
  let realDir: string;
  let realRoot: string;
  try {
    stat = await fs.lstat(req.source);
    realDir = await fs.realpath(path.dirname(req.source));
    realRoot = await fs.realpath(req.root);
  } catch {
    return { ok: false, reason: 'is no longer there to archive' };
  }
  // Reached through a link: moving it would take a file from outside the sync folder, or leave
  // a dangling link in the archive while the photo stays where it is.
  if (stat.isSymbolicLink()) return { ok: false, reason: 'is a link, so it was kept in place (the photo it points to is not moved)' };
  if (!isInside(realDir, realRoot)) return { ok: false, reason: 'is inside a linked folder outside the sync folder, so it was kept in place' };
  if (!stat.isFile()) return { ok: false, reason: 'is not a regular file' };
  if (stat.size !== req.expected.size || stat.mtimeMs !== req.expected.mtimeMs) {
    return { ok: false, reason: 'changed after it was uploaded, so it was kept in place (the next sync uploads the new version)' };
  }
  const wanted = path.join(archiveRoot, rel);
  await fs.mkdir(path.dirname(wanted), { recursive: true });
  for (let n = 1; n < 1000; n++) {
    const target = n === 1 ? wanted : withSuffix(wanted, n);
    const placed = await placeWithoutOverwrite(req.source, target, req.expected);
    if (placed === 'exists') continue;
    if (placed !== 'ok') return { ok: false, reason: placed };
    return { ok: true, movedTo: target };
  }
  return { ok: false, reason: 'no free name in the archive folder' };
}

/** Hard-links the file at `target` (fails if taken) and then unlinks the source; copies across drives. */
async function placeWithoutOverwrite(source: string, target: string, expected: ArchiveRequest['expected']): Promise<'ok' | 'exists' | string> {
  try {
    await fs.link(source, target);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      // The same file already has this archive name: an earlier move was stopped between its link and
      // its unlink. Finishing it removes the original name; anything else there is another file.
      const [a, b] = await Promise.all([fs.lstat(source), fs.lstat(target)]).catch(() => [undefined, undefined]);
      if (a && b && a.dev === b.dev && a.ino === b.ino) {
        await fs.unlink(source);
        return 'ok';
      }
      return 'exists';
    }
    if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') {
      return `could not be moved to the archive: ${code ?? String(err)}`;
    }
    return copyThenPlace(source, target, expected);
  }
  try {
    await fs.unlink(source);
    return 'ok';
  } catch (err) {
    // The source cannot be removed (read-only folder): take the archive name back rather than
    // leave the photo in two places (or, on a retry with the next name, in hundreds).
    await fs.unlink(target).catch(() => undefined);
    return `could not be removed from the sync folder after archiving: ${(err as NodeJS.ErrnoException).code ?? String(err)}`;
  }
}

async function copyThenPlace(source: string, target: string, expected: ArchiveRequest['expected']): Promise<'ok' | 'exists' | string> {
  // Another drive, or a file system without hard links: copy beside the target, verify, then place.
  const temp = `${target}.photosync-${process.pid}-${Date.now()}.tmp`;
  try {
    await fs.copyFile(source, temp, constants.COPYFILE_EXCL);
    const copied = await fs.stat(temp);
    if (copied.size !== expected.size) throw new Error('the copy has a different size');
    if (expected.sha256 && (await sha256Of(temp)) !== expected.sha256) throw new Error('the copy has different bytes');
    try {
      await fs.link(temp, target);
      await fs.unlink(temp);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') {
        await fs.unlink(temp);
        return 'exists';
      }
      // No hard links at all: rename, after checking the name is free (small window, documented).
      if (await exists(target)) {
        await fs.unlink(temp);
        return 'exists';
      }
      await fs.rename(temp, target);
    }
  } catch (err) {
    await fs.rm(temp, { force: true });
    return `could not be copied to the archive: ${(err as Error).message}`;
  }
  // The copy is verified and placed; the original goes only if it is still what was copied and
  // can go — otherwise the archive copy is withdrawn, so the photo is never in two places.
  try {
    const now = await fs.stat(source);
    if (now.size !== expected.size || now.mtimeMs !== expected.mtimeMs) throw new Error('it changed while it was copied');
    await fs.unlink(source);
    return 'ok';
  } catch (err) {
    await fs.unlink(target).catch(() => undefined);
    return `could not be removed from the sync folder after archiving: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
  }
}

function withSuffix(file: string, n: number): string {
  const ext = path.extname(file);
  return `${file.slice(0, file.length - ext.length)} (${n})${ext}`;
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch {
    return false;
  }
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest('hex');
}
