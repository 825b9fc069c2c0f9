// Small downloads received into memory. A profile of the download bench showed the network task
// spending as long on the disk as on the body: the temp file's open and write wait in libuv's thread
// pool behind the place tasks' fsyncs, and the connection's slot waits with them. A photo of a few
// megabytes is therefore held in memory (within a budget per run) and written to its temp file by its
// place task, which then fsyncs and names it exactly as before (temp name → fsync → hard link, never
// over a file). Bigger files, bodies of unknown size, and any beyond the budget stream to disk in the
// download task as before. A crash while bytes are held leaves nothing on disk: the row is pending and
// the next run fetches them again.
import path from 'node:path';
import { PlaceError } from '../../localfs/placeFile';

/** Largest body held in memory (a phone photo is 2–8 MB; videos go to disk). */
export const HOLD_MAX_ITEM_BYTES = 8 * 1024 * 1024;
/** Bytes a run holds at most (received, not yet written by their place task). */
export const HOLD_BUDGET_BYTES = 32 * 1024 * 1024;

/** The run's budget of bytes held in memory. */
export class HeldBytes {
  private heldBytes = 0;

  constructor(
    private readonly budget = HOLD_BUDGET_BYTES,
    private readonly maxItem = HOLD_MAX_ITEM_BYTES,
  ) {}

  /** Bytes held now (tests). */
  get held(): number {
    return this.heldBytes;
  }

  /** Reserves room for a body of `size` bytes; false when it must go to disk (unknown size, too big, budget spent). */
  take(size: number | undefined): size is number {
    if (size === undefined || size > this.maxItem || this.heldBytes + size > this.budget) return false;
    this.heldBytes += size;
    return true;
  }

  release(size: number): void {
    this.heldBytes = Math.max(0, this.heldBytes - size);
  }
}

/**
 * Reads the whole body (exactly `size` bytes, as announced) into one buffer. Fails as stageStream
 * does — a PlaceError the task queue retries ('stream-error', 'size-mismatch') or 'aborted' — so a
 * held download fails and retries like one streamed to disk.
 */
export async function receiveHeld(body: AsyncIterable<Uint8Array>, target: string, size: number, signal: AbortSignal): Promise<Buffer> {
  const name = path.basename(target);
  const out = Buffer.allocUnsafe(size);
  let bytes = 0;
  const iterator = body[Symbol.asyncIterator]();
  try {
    for (;;) {
      if (signal.aborted) throw aborted(target, signal.reason);
      let next: IteratorResult<Uint8Array>;
      try {
        next = await iterator.next();
      } catch (err) {
        if (signal.aborted) throw aborted(target, err);
        const reason = err instanceof Error ? err.message : String(err);
        throw new PlaceError('stream-error', `The download of ${name} broke off after ${bytes} bytes (${reason}); nothing was written, it can be retried.`, target, { cause: err });
      }
      if (next.done) break;
      const chunk = next.value;
      if (bytes + chunk.byteLength > size) {
        throw new PlaceError('size-mismatch', `${name} is larger than the ${size} bytes the server announced; nothing was written.`, target);
      }
      out.set(chunk, bytes);
      bytes += chunk.byteLength;
    }
  } catch (err) {
    await iterator.return?.(undefined).catch(() => undefined);
    throw err;
  }
  if (bytes !== size) {
    throw new PlaceError('size-mismatch', `${name} arrived with ${bytes} bytes, but the server announced ${size}; nothing was written, it can be retried.`, target);
  }
  return out;
}

function aborted(target: string, cause: unknown): PlaceError {
  return new PlaceError('aborted', `The download of ${path.basename(target)} was cancelled; nothing was written.`, target, { cause });
}
