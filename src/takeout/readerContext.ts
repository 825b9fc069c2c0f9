// What every archive reader gets: the limits, the problem sink, the kind filter, and the plumbing
// that hands an entry's bytes to the caller as one Readable whose failure is reported once.
import { PassThrough, pipeline, type Readable, type Transform } from 'node:stream';
import { resolveLimits } from './guards';
import { EntryDamagedError, type EntryKind, type ProblemReason, type ReadLimits, type ReadOptions, type ReadProblem } from './types';

export interface ReaderContext {
  readonly archive: string;
  readonly limits: ReadLimits;
  readonly signal?: AbortSignal;
  report(problem: Omit<ReadProblem, 'archive'>): void;
  wants(kind: EntryKind): boolean;
}

export function createReaderContext(archive: string, options: ReadOptions = {}): ReaderContext {
  const limits = resolveLimits(options.limits);
  return {
    archive,
    limits,
    signal: options.signal,
    report: (problem) => options.onProblem?.({ archive, ...problem }),
    wants: (kind) => options.kinds === undefined || options.kinds.has(kind),
  };
}

/**
 * Returns a stream at once and fills it when `openSource` resolves: source → checks → the caller.
 * Any failure becomes an {@link EntryDamagedError} (reason from `classify`) and is reported once.
 */
export function deliverEntry(
  ctx: ReaderContext,
  entryName: string,
  openSource: () => Promise<Readable>,
  checks: Transform[],
  classify: (error: Error) => ProblemReason,
): Readable {
  const out = new PassThrough();
  const fail = (error: Error) => {
    const damaged = error instanceof EntryDamagedError ? error : new EntryDamagedError(classify(error), ctx.archive, entryName, error.message);
    ctx.report({ entryName, reason: damaged.reason, message: damaged.message });
    out.destroy(damaged);
  };
  openSource().then(
    (source) => {
      if (out.destroyed) {
        source.destroy();
        return;
      }
      // pipeline() tears every stage down when the caller destroys `out` early.
      pipeline([source, ...checks, out], (error) => {
        if (error && !isPrematureClose(error, out)) fail(error);
      });
    },
    (error: Error) => fail(error),
  );
  return out;
}

/** The caller destroying its own stream is not damage. */
function isPrematureClose(error: Error, out: PassThrough): boolean {
  return (error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE' && out.destroyed && !out.errored;
}
