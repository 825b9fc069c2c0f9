// Reads a .tgz / .tar.gz (or plain .tar) part in one forward pass with tar-stream over node:zlib.
// Entries the caller does not want are drained chunk by chunk, never kept. gzip cannot resume after
// damage, so a corrupt or cut-off part yields everything before the damage and reports the rest.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { PassThrough, pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';
import tar, { type ExtractEvents } from 'tar-stream';
import { entryKindOf, safeEntryName } from './entryNames';
import { checkArchiveTotal, checkDeclaredEntry, EntryCheck, type LimitVerdict } from './guards';
import type { ReaderContext } from './readerContext';
import { EntryDamagedError, type ArchiveEntry } from './types';
import { takeoutProblem, TAKEOUT_AT_OR_AFTER, TAKEOUT_BEFORE_FIRST, TAKEOUT_REFUSED, TAKEOUT_REST_NOT_READ, TAKEOUT_TAR_DAMAGED, TAKEOUT_TAR_ENDS, TAKEOUT_TAR_LINK, TAKEOUT_TAR_TOO_LARGE } from './problemText';

class BombError extends Error {}

type TarEntry = ExtractEvents['entry'][1];

/** Counts bytes through a stage; the gunzip side checks the running inflation ratio. */
class ByteCounter extends Transform {
  bytes = 0;
  constructor(private readonly check?: (bytes: number) => LimitVerdict | undefined) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    const verdict = this.check?.(this.bytes);
    callback(verdict ? new BombError(verdict.message) : null, chunk);
  }
}

export async function* readTar(file: string, gzipped: boolean, ctx: ReaderContext): AsyncGenerator<ArchiveEntry> {
  const fileSize = (await stat(file)).size;
  const compressed = new ByteCounter();
  const inflated = new ByteCounter((bytes) => (gzipped ? checkArchiveTotal(bytes, compressed.bytes, ctx.limits) : undefined));
  const extract = tar.extract();
  const stages = gzipped ? [createReadStream(file), compressed, zlib.createGunzip(), inflated] : [createReadStream(file), compressed, inflated];
  let streamError: Error | undefined;
  pipeline([...stages, extract], (error) => {
    if (error) streamError = error;
  });
  let current: string | undefined;
  let declaredTotal = 0;
  try {
    for await (const entry of extract) {
      ctx.signal?.throwIfAborted();
      const header = entry.header;
      const rawName = header.name;
      current = rawName;
      if (header.type === 'directory') {
        entry.resume();
        continue;
      }
      const safe = safeEntryName(rawName);
      const refusal =
        header.type !== 'file' && header.type !== 'contiguous-file'
          ? { reason: 'link' as const, message: takeoutProblem(TAKEOUT_TAR_LINK, header.type) }
          : !safe.ok
            ? { reason: 'unsafe-path' as const, message: takeoutProblem(TAKEOUT_REFUSED, safe.message) }
            : checkDeclaredEntry(header.size ?? 0, undefined, ctx.limits);
      if (refusal) {
        ctx.report({ rawName, entryName: safe.ok ? safe.name : undefined, ...refusal });
        entry.resume();
        continue;
      }
      const entryName = (safe as { name: string }).name;
      const size = header.size ?? 0;
      declaredTotal += size;
      if (declaredTotal > ctx.limits.maxTotalBytes) {
        ctx.report({ entryName, rawName, reason: 'too-large', message: takeoutProblem(TAKEOUT_TAR_TOO_LARGE, ctx.limits.maxTotalBytes) });
        return;
      }
      const kind = entryKindOf(entryName);
      if (!ctx.wants(kind)) {
        entry.resume(); // skipped: read through, not kept
        continue;
      }
      const check = new EntryCheck({ size, archive: file, entryName, truncatedHint: true });
      const delivery = bridge(entry, check, ctx, (error) => check.damaged(classifyTarFailure(error, rawName, compressed.bytes, fileSize).reason, error.message));
      yield { archive: file, entryName, rawName, kind, size, modified: header.mtime, open: delivery.open };
      await delivery.settled();
    }
    if (streamError) throw streamError;
  } catch (error) {
    const err = streamError ?? (error as Error);
    if (err instanceof EntryDamagedError) return; // reported by the entry's stream already
    if (err.name === 'AbortError') throw err;
    ctx.report({ ...classifyTarFailure(err, current, compressed.bytes, fileSize), entryName: current && safeName(current) });
  } finally {
    extract.destroy();
  }
}

function safeName(raw: string): string | undefined {
  const safe = safeEntryName(raw);
  return safe.ok ? safe.name : undefined;
}

function classifyTarFailure(error: Error, current: string | undefined, read: number, fileSize: number) {
  const where = current ? takeoutProblem(TAKEOUT_AT_OR_AFTER, current) : TAKEOUT_BEFORE_FIRST;
  if (error instanceof BombError) return { reason: 'zip-bomb' as const, message: takeoutProblem(TAKEOUT_REST_NOT_READ, error.message) };
  const truncated = /unexpected end|premature|Unexpected end of data/i.test(error.message) && read >= fileSize;
  return {
    reason: truncated ? ('truncated' as const) : ('corrupt' as const),
    message: truncated
      ? takeoutProblem(TAKEOUT_TAR_ENDS, where)
      : takeoutProblem(TAKEOUT_TAR_DAMAGED, where, error.message),
  };
}

/**
 * Hands a tar entry to the caller as a Node Readable with the checks applied, and lets the reader wait
 * until the entry is fully consumed. An entry the caller never opened, or abandoned, is drained so the
 * forward pass goes on.
 */
function bridge(
  entry: TarEntry,
  check: EntryCheck,
  ctx: ReaderContext,
  damaged: (error: Error) => EntryDamagedError,
): { open: () => Readable; settled: () => Promise<void> } {
  let out: PassThrough | undefined;
  const ended = new Promise<void>((resolve) => {
    entry.once('end', resolve);
    entry.once('close', resolve);
    entry.once('error', () => resolve());
  });
  return {
    open() {
      if (out) throw new Error('an archive entry can be opened once');
      const target = (out = new PassThrough());
      // Not pipeline(entry, …): destroying a tar-stream entry destroys the whole archive stream, so
      // the entry is only ever paused, resumed or drained here.
      entry.on('data', (chunk) => {
        if (check.destroyed) return; // the caller gave up: keep draining
        if (!check.write(chunk)) entry.pause();
      });
      check.on('drain', () => entry.resume());
      check.on('close', () => entry.resume());
      entry.once('end', () => check.end());
      // The archive-level failure is reported once by the reader loop; the caller gets a typed error.
      entry.once('error', (error: Error) => check.destroy(damaged(error)));
      check.once('error', (error: Error) => {
        if (error instanceof EntryDamagedError && !entry.destroyed) ctx.report({ entryName: error.entryName, reason: error.reason, message: error.message });
      });
      pipeline(check, target, () => undefined);
      return target;
    },
    async settled() {
      if (!out) entry.resume();
      else if (!out.readableEnded && !out.destroyed) {
        // Still unread when the loop moved on: a forward stream cannot wait for it, so fail it loudly.
        out.destroy(new Error('the loop moved to the next entry before this one was read to the end'));
        entry.resume();
      }
      await ended;
    },
  };
}
