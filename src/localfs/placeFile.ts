// Puts downloaded bytes under their final name so that nothing is lost and nothing is half-written:
// bytes go to a temp file in the target folder, are hashed on the way and fsynced, and only then get
// the final name — by a hard link, which fails instead of replacing a file that appeared meanwhile.
// Where a file system has no hard links (exFAT, FAT, some network shares) the final name is first
// claimed with O_EXCL and the temp file renamed onto that empty claim.
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, addAbortSignal } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { NameReservations } from './collisions';
import { nodeFileSystem, type LocalFileSystem } from './fileSystem';
import { newPartName } from './parts';
import { errnoCode, fsyncFolder, isBelow } from './paths';
import { PlaceError, fileSystemError, freeBytes, noSpaceError } from './placeErrors';
import type { ResumePoint } from './resumeRange';
import { isSafeName } from './safeName';

export { PlaceError, type PlaceErrorCode } from './placeErrors';
export { cleanupStaleParts } from './parts';

export interface PlaceOptions {
  /** Bytes the server announced: checked before writing (free space) and after (exact size). */
  expectedSize?: number;
  /** Hex SHA-256 the bytes must have. */
  expectedSha256?: string;
  /** Set as the file's modification (and access) time: the capture time. */
  mtime?: Date;
  signal?: AbortSignal;
  /**
   * The download root. When given, `finalPath` must be below it and missing folders between the
   * two are created; the root itself must exist (an unplugged drive must not turn into a new empty
   * folder on the system disk). Without it, the target folder must exist.
   */
  root?: string;
  /** The run's reservations; used to pick the next free name when the final one got taken meanwhile. */
  names?: NameReservations;
  /** What to do when the final name got taken meanwhile: use the next free ` (n)` name (default) or fail. */
  onNameTaken?: 'next-name' | 'fail';
  /** Called with the temp file's path before any byte is written (to journal it for resuming). */
  onTempFile?: (tempPath: string) => void | Promise<void>;
  /**
   * Continue a temp file left by an interrupted download (from prepareResume); the stream is the rest.
   * The part is first renamed to a temp name of this process (onTempFile gets the new name).
   */
  resume?: ResumePoint;
  fileSystem?: LocalFileSystem;
  /**
   * Folders this run already prepared (checked below the root, created): not checked again, so a
   * folder that vanishes meanwhile is reported as missing rather than made anew. Filled as it goes.
   */
  preparedFolders?: Set<string>;
  /**
   * fsync the folder after naming the file (default true). A caller placing many files may pass
   * false and sync each folder once at the end (syncFolders), when a name lost to a power cut only
   * means the file is fetched again.
   */
  syncFolder?: boolean;
  /**
   * Runs on the complete, fsynced and closed temp file before it gets its final name — for changes
   * that must never show under the final name half-done (an EXIF edit, itself an atomic rewrite of
   * the temp file). `mtime` is set again afterwards. A throw removes the temp file.
   */
  beforeFinalName?: (tempPath: string) => Promise<void>;
}

export interface Placed {
  /** Where the file is now: `finalPath`, or `name (n).ext` beside it when that was taken meanwhile. */
  path: string;
  sha256: string;
  bytes: number;
  /** How the final name was given: hard link (normal) or O_EXCL claim + rename (no hard links). */
  method: 'link' | 'exclusive-rename';
}

/** Announced sizes from which free space is checked before writing. */
const FREE_SPACE_CHECK_BYTES = 1024 * 1024;

// link() answers these where a file system has no hard links (exFAT/FAT: EPERM).
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/** Bytes to place: a Node stream, a fetch body (web ReadableStream), or any (async) iterable of bytes. */
export type ByteSource = Readable | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/** Streams `source` to `finalPath` (see the top of this file): stageStream, then commitStaged. */
export async function placeStream(source: ByteSource, finalPath: string, options: PlaceOptions = {}): Promise<Placed> {
  return commitStaged(await stageStream(source, finalPath, options), options);
}

/**
 * Bytes received into a temp file in the final name's folder, hashed and checked against what was
 * announced — but not yet fsynced nor named, and still open. commitStaged finishes it, discardStaged
 * drops it; until then it is a hidden part file (removed by cleanupStaleParts once its process is gone).
 */
export interface Staged {
  tempPath: string;
  /** The final path asked for. */
  target: string;
  sha256: string;
  bytes: number;
  /** The temp file, still open (commitStaged or discardStaged closes it). */
  handle?: fs.promises.FileHandle;
}

/**
 * The receiving half of placeStream: the network-bound part, so a caller can start the next download
 * while this one is made durable and named (commitStaged). On failure the temp file is gone.
 */
export async function stageStream(source: ByteSource, finalPath: string, options: PlaceOptions = {}): Promise<Staged> {
  const target = path.resolve(finalPath);
  const folder = path.dirname(target);
  const name = path.basename(target);
  const fileSystem = options.fileSystem ?? nodeFileSystem;
  if (!isSafeName(name)) throw new PlaceError('unsafe-name', `"${name}" is not a safe file name; it must pass through safeFileName first.`, target);
  if (options.root !== undefined && !isBelow(options.root, target)) {
    throw new PlaceError('outside-root', `${target} is outside the download folder ${path.resolve(options.root)}; nothing was written.`, target);
  }
  throwIfAborted(options.signal, target);
  const progress = { bytes: options.resume?.bytes ?? 0 };
  let tempPath: string | undefined;
  let handle: fs.promises.FileHandle | undefined;
  const input = toReadable(source, options.signal);
  try {
    if (!options.preparedFolders?.has(folder)) {
      await prepareFolder(folder, options.root, target);
      options.preparedFolders?.add(folder);
    }
    // Free space is asked for up front only where it matters (statfs per small photo costs more than
    // it saves: a disk that fills mid-write is reported the same way, with the size announced).
    if (options.expectedSize !== undefined && options.expectedSize - progress.bytes >= FREE_SPACE_CHECK_BYTES) {
      const free = await freeBytes(folder);
      const stillNeeded = options.expectedSize - progress.bytes;
      if (free !== undefined && free < stillNeeded) throw noSpaceError(target, { needed: stillNeeded, written: 0, free });
    }
    ({ tempPath, handle } = await openTemp(folder, options.resume, fileSystem, target));
    await options.onTempFile?.(tempPath);
    const hash = options.resume?.hash ?? createHash('sha256');
    await copyInto(input, handle, hash, progress, options, target);
    const sha256 = hash.digest('hex');
    verify(progress.bytes, sha256, options, target);
    return { tempPath, target, sha256, bytes: progress.bytes, handle };
  } catch (err) {
    input.destroy();
    await handle?.close().catch(() => undefined);
    if (tempPath !== undefined) await removeFile(tempPath);
    if (isAbort(err, options.signal)) throw abortedError(target, err);
    const stillNeeded = options.expectedSize === undefined ? undefined : options.expectedSize - (options.resume?.bytes ?? 0);
    throw await fileSystemError(err, target, progress.bytes, stillNeeded);
  }
}

/**
 * The durable half: the edit (beforeFinalName), the modification time, fsync, then the final name —
 * a hard link (or an O_EXCL claim and rename) that never replaces a file — and the folder's fsync.
 * On failure the temp file is gone and nothing carries the final name.
 */
export async function commitStaged(staged: Staged, options: PlaceOptions = {}): Promise<Placed> {
  const { tempPath, target } = staged;
  const folder = path.dirname(target);
  const fileSystem = options.fileSystem ?? nodeFileSystem;
  let committed = false;
  let handle = staged.handle;
  try {
    throwIfAborted(options.signal, target);
    if (options.beforeFinalName) {
      // The edit rewrites the file (new bytes, fsynced, renamed over the temp name): close ours first.
      await handle?.close();
      handle = undefined;
      await options.beforeFinalName(tempPath);
      if (options.mtime) await fs.promises.utimes(tempPath, options.mtime, options.mtime);
    } else {
      handle ??= await fs.promises.open(tempPath, 'r+');
      if (options.mtime) await handle.utimes(options.mtime, options.mtime);
      await handle.sync();
      await handle.close();
      handle = undefined;
    }
    throwIfAborted(options.signal, target);
    const placed = await giveFinalName(tempPath, target, options, fileSystem);
    committed = true;
    if (placed.method === 'link') await removeFile(tempPath);
    if (options.syncFolder !== false) await fsyncFolder(folder);
    return { path: placed.path, sha256: staged.sha256, bytes: staged.bytes, method: placed.method };
  } catch (err) {
    await handle?.close().catch(() => undefined);
    if (!committed) await removeFile(tempPath);
    if (isAbort(err, options.signal)) throw abortedError(target, err);
    throw await fileSystemError(err, target, staged.bytes, undefined);
  }
}

/** Drops a staged file that will not be committed (its download was cancelled or stopped). */
export async function discardStaged(staged: Staged): Promise<void> {
  await staged.handle?.close().catch(() => undefined);
  await removeFile(staged.tempPath);
}

/** Removes a temp file (a plain unlink: fs.rm's force mode stats synchronously first); gone already is fine. */
async function removeFile(file: string): Promise<void> {
  await fs.promises.unlink(file).catch(() => undefined);
}

/** Makes the names created in these folders durable (after placing with syncFolder: false). */
export async function syncFolders(folders: Iterable<string>): Promise<void> {
  for (const folder of new Set(folders)) await fsyncFolder(folder);
}

function toReadable(source: ByteSource, signal: AbortSignal | undefined): Readable {
  const input =
    source instanceof Readable
      ? source
      : isWebStream(source)
        ? Readable.fromWeb(source as WebReadableStream<Uint8Array>)
        : Readable.from(source, { objectMode: false });
  // On abort the stream is destroyed, so a stalled read ends at once instead of at the next chunk.
  if (signal) addAbortSignal(signal, input);
  return input;
}

function isWebStream(source: ByteSource): source is ReadableStream<Uint8Array> {
  return typeof (source as ReadableStream<Uint8Array>).getReader === 'function';
}

async function prepareFolder(folder: string, root: string | undefined, target: string): Promise<void> {
  const base = root === undefined ? folder : path.resolve(root);
  const missing = (err: unknown) =>
    new PlaceError('folder-missing', `${root === undefined ? 'The folder' : 'The download folder'} ${base} does not exist (was it moved, or is its drive disconnected?); nothing was written.`, target, { cause: err });
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(base);
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw err;
    throw missing(err);
  }
  if (!stat.isDirectory()) throw new PlaceError('folder-missing', `${base} is not a folder; nothing was written.`, target);
  if (root !== undefined) await mkdirBelow(base, folder, missing);
}

/**
 * Makes the folders between base and folder one level at a time, never base itself: a `mkdir -p`
 * right after the check above would make a download folder that vanished meanwhile again (an
 * unplugged drive's mount point, on the internal disk) and fill it.
 */
async function mkdirBelow(base: string, folder: string, missing: (err: unknown) => Error): Promise<void> {
  const below = path.relative(base, folder);
  if (below.startsWith('..') || path.isAbsolute(below)) {
    await fs.promises.mkdir(folder, { recursive: true });
    return;
  }
  let current = base;
  for (const part of below.split(path.sep).filter(Boolean)) {
    current = path.join(current, part);
    try {
      await fs.promises.mkdir(current);
    } catch (err) {
      if (errnoCode(err) === 'EEXIST') continue;
      if (errnoCode(err) === 'ENOENT') throw missing(err);
      throw err;
    }
  }
}

async function openTemp(folder: string, resume: ResumePoint | undefined, fileSystem: LocalFileSystem, target: string): Promise<{ tempPath: string; handle: fs.promises.FileHandle }> {
  if (!resume) {
    const tempPath = path.join(folder, newPartName());
    return { tempPath, handle: await fileSystem.open(tempPath, 'wx') };
  }
  if (path.dirname(path.resolve(resume.partPath)) !== folder) {
    throw new PlaceError('io', `The partial download ${resume.partPath} is not in ${folder}, so it cannot become ${path.basename(target)}.`, target);
  }
  // Claim the part under a name of this process: another window cannot continue it too, and
  // cleanupStaleParts sees a live owner. From here on it is ours, and a failure removes it.
  const tempPath = path.join(folder, newPartName());
  try {
    await fs.promises.rename(resume.partPath, tempPath);
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw err;
    throw new PlaceError('io', `The partial download ${resume.partPath} is gone (continued by another window, or cleaned up); download ${path.basename(target)} again.`, target, { cause: err });
  }
  const handle = await fileSystem.open(tempPath, 'r+').catch(async (err: unknown) => {
    await fs.promises.rm(tempPath, { force: true });
    throw err;
  });
  const size = (await handle.stat()).size;
  if (size !== resume.bytes) {
    await handle.close();
    await fs.promises.rm(tempPath, { force: true });
    throw new PlaceError('io', `The partial download ${resume.partPath} changed since it was checked (${size} bytes instead of ${resume.bytes}); download ${path.basename(target)} again.`, target);
  }
  return { tempPath, handle };
}

/** Writes every chunk at its position and hashes it; stops early when more bytes come than announced. */
async function copyInto(input: Readable, handle: fs.promises.FileHandle, hash: Hash, progress: { bytes: number }, options: PlaceOptions, target: string): Promise<void> {
  const chunks = input[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<unknown>;
    try {
      next = await chunks.next();
    } catch (err) {
      if (isAbort(err, options.signal)) throw err;
      const reason = err instanceof Error ? err.message : String(err);
      throw new PlaceError('stream-error', `The download of ${path.basename(target)} broke off after ${progress.bytes} bytes (${reason}); nothing was written, it can be retried.`, target, { cause: err });
    }
    if (next.done) return;
    const chunk = toBuffer(next.value);
    if (options.expectedSize !== undefined && progress.bytes + chunk.length > options.expectedSize) {
      throw new PlaceError('size-mismatch', `${path.basename(target)} is larger than the ${options.expectedSize} bytes the server announced; nothing was written.`, target);
    }
    let offset = 0;
    while (offset < chunk.length) {
      const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset, progress.bytes + offset);
      offset += bytesWritten;
    }
    hash.update(chunk);
    progress.bytes += chunk.length;
  }
}

function verify(bytes: number, sha256: string, options: PlaceOptions, target: string): void {
  const name = path.basename(target);
  if (options.expectedSize !== undefined && bytes !== options.expectedSize) {
    throw new PlaceError('size-mismatch', `${name} arrived with ${bytes} bytes, but the server announced ${options.expectedSize}; nothing was written, it can be retried.`, target);
  }
  if (options.expectedSha256 !== undefined && sha256 !== options.expectedSha256.toLowerCase()) {
    throw new PlaceError('hash-mismatch', `${name} arrived damaged (SHA-256 ${sha256}, expected ${options.expectedSha256.toLowerCase()}); nothing was written, it can be retried.`, target);
  }
}

/** Gives the temp file the final name (or the next free one) without ever replacing an existing file. */
async function giveFinalName(tempPath: string, target: string, options: PlaceOptions, fileSystem: LocalFileSystem): Promise<{ path: string; method: Placed['method'] }> {
  // Without the run's reservations, numbering still avoids names on disk (listed on first collision).
  const names = options.names ?? new NameReservations();
  let candidate = target;
  let hardLinks = true;
  for (let attempt = 0; attempt < 10_000; attempt++) {
    try {
      if (hardLinks) {
        await fileSystem.link(tempPath, candidate);
        return { path: candidate, method: 'link' };
      }
      return { path: await renameOntoClaim(tempPath, candidate, fileSystem), method: 'exclusive-rename' };
    } catch (err) {
      const code = errnoCode(err);
      if (hardLinks && code !== undefined && NO_HARD_LINKS.has(code)) {
        hardLinks = false;
        continue;
      }
      if (code !== 'EEXIST') throw err;
      if (options.onNameTaken === 'fail') {
        throw new PlaceError('name-taken', `${candidate} appeared while it was being downloaded; it was left untouched and nothing was written.`, target, { cause: err });
      }
      candidate = await names.next(candidate);
    }
  }
  throw new PlaceError('name-taken', `No free name for ${path.basename(target)} in ${path.dirname(target)}; nothing was written.`, target);
}

async function renameOntoClaim(tempPath: string, candidate: string, fileSystem: LocalFileSystem): Promise<string> {
  // The claim is empty and ours: a crash right here leaves an empty file, never a partial photo.
  const claim = await fileSystem.open(candidate, 'wx');
  await claim.close();
  try {
    await fs.promises.rename(tempPath, candidate);
  } catch (err) {
    await fs.promises.rm(candidate, { force: true }).catch(() => undefined);
    throw err;
  }
  return candidate;
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (typeof chunk === 'string') return Buffer.from(chunk);
  throw new TypeError('The download stream must yield bytes.');
}

function isAbort(err: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (err instanceof Error && err.name === 'AbortError') || (err instanceof PlaceError && err.code === 'aborted');
}

function throwIfAborted(signal: AbortSignal | undefined, target: string): void {
  if (signal?.aborted) throw abortedError(target, signal.reason);
}

function abortedError(target: string, cause: unknown): PlaceError {
  if (cause instanceof PlaceError && cause.code === 'aborted') return cause;
  return new PlaceError('aborted', `The download of ${path.basename(target)} was cancelled; nothing was written.`, target, { cause });
}
