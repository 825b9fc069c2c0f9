// Replaces a photo with new header bytes + its unchanged tail, so that nothing is lost at any moment:
// the new file is written under a hidden temp name in the same folder (same file system, so the rename
// is atomic), fsynced, checked — tail bytes hashed again from disk, then the caller's own checks —
// and only then renamed over the original. A crash leaves the original or the new file, never half.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export class RewriteVerificationError extends Error {}

export interface RewritePlan {
  /** Bytes that replace the original's first `tailStart` bytes. */
  head: Buffer;
  /** Offset in the original from which every byte is copied unchanged. */
  tailStart: number;
  /** Runs on the fsynced temp file before it replaces the original; throw to abort. */
  verify?: (tempFile: string) => Promise<void>;
}

/** Hidden (dot) name, so folder scans that skip hidden files never pick up a half-written copy. */
function tempNameFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.photo-sync-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

const CHUNK = 1024 * 1024;

/**
 * Feeds `file` from `start` to its end through `each`, one reused 1 MB buffer at a time: memory stays
 * the same for a 200 MB photo (a stream would allocate a new chunk per read and leave it to the GC).
 */
async function eachChunk(file: string, start: number, each: (chunk: Buffer) => Promise<void> | void): Promise<number> {
  const handle = await fs.open(file, 'r');
  const buf = Buffer.allocUnsafe(CHUNK);
  let position = start;
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, CHUNK, position);
      if (bytesRead === 0) return position - start;
      await each(buf.subarray(0, bytesRead));
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

/** sha256 and length of `file` from `start` to its end. */
export async function hashFrom(file: string, start: number): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  const bytes = await eachChunk(file, start, (chunk) => void hash.update(chunk));
  return { sha256: hash.digest('hex'), bytes };
}

export async function rewriteFile(file: string, plan: RewritePlan): Promise<void> {
  const before = await fs.stat(file);
  const temp = tempNameFor(file);
  const out = await fs.open(temp, 'wx', before.mode & 0o7777);
  try {
    let copied: { sha256: string; bytes: number };
    try {
      await out.chmod(before.mode & 0o7777); // open()'s mode is filtered by the umask
      await out.write(plan.head);
      const hash = createHash('sha256');
      let position = plan.head.length;
      const bytes = await eachChunk(file, plan.tailStart, async (chunk) => {
        hash.update(chunk);
        await out.write(chunk, 0, chunk.length, position);
        position += chunk.length;
      });
      copied = { sha256: hash.digest('hex'), bytes };
      await out.sync();
    } finally {
      await out.close();
    }
    if (copied.bytes !== before.size - plan.tailStart) throw new RewriteVerificationError('the photo changed size while it was being copied; nothing was changed');
    // Read back from disk: what matters is what the file system now holds, not what we handed it.
    const written = await hashFrom(temp, plan.head.length);
    if (written.sha256 !== copied.sha256 || written.bytes !== copied.bytes) {
      throw new RewriteVerificationError('the image data in the new copy differs from the original; nothing was changed');
    }
    await plan.verify?.(temp);
    const now = await fs.stat(file);
    if (now.size !== before.size || now.mtimeMs !== before.mtimeMs) {
      throw new RewriteVerificationError('the photo was changed by another program while its metadata was written; nothing was changed, try again');
    }
    await fs.rename(temp, file);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
  await fsyncDir(path.dirname(file));
}

async function fsyncDir(dir: string): Promise<void> {
  // Makes the rename itself durable; not possible on every platform (Windows), so best effort.
  try {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // ignore
  }
}

/** Writes a small file (a sidecar) whole, the same crash-safe way: temp name, fsync, rename. */
export async function writeFileSafely(file: string, bytes: Uint8Array | string): Promise<void> {
  const temp = tempNameFor(file);
  const out = await fs.open(temp, 'wx', 0o644);
  try {
    try {
      await out.writeFile(bytes);
      await out.sync();
    } finally {
      await out.close();
    }
    await fs.rename(temp, file);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
  await fsyncDir(path.dirname(file));
}
