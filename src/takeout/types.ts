// Shapes shared by the Takeout readers, the scan and the matcher. Nothing here touches the disk.
import type { Readable } from 'node:stream';

/** What an entry is, judged from its name (the scan refines JSON kinds by their content). */
export type EntryKind = 'media' | 'sidecar' | 'album-metadata' | 'other';

/** One file inside a Takeout archive part or an extracted Takeout folder. */
export interface ArchiveEntry {
  /** Path of the archive part (or extracted folder) the entry comes from. */
  readonly archive: string;
  /** Safe relative path, `/`-separated, NFC, never absolute and never containing `..`. */
  readonly entryName: string;
  /** The name as stored, for messages. */
  readonly rawName: string;
  readonly kind: EntryKind;
  /** Uncompressed size in bytes, as declared by the archive. */
  readonly size: number;
  readonly compressedSize?: number;
  readonly modified?: Date;
  /**
   * The entry's bytes. Call it before advancing the loop: a `.tgz` is one forward stream, so the
   * reader waits for this stream to finish (or drains it) before it moves to the next entry. A
   * damaged entry fails the stream with an {@link EntryDamagedError} and is also reported.
   */
  open(): Readable;
}

export type ProblemReason =
  | 'unsafe-path' // `..`, absolute, drive letter, NUL: could leave the target folder
  | 'link' // symlink / hard link / device entry: never followed
  | 'zip-bomb' // compression ratio beyond the limit
  | 'too-large' // entry or archive total beyond the size limits
  | 'corrupt' // bad data, bad CRC, size mismatch, unreadable header
  | 'truncated' // the archive ends in the middle of an entry or before its directory
  | 'encrypted'
  | 'unreadable-archive' // not a zip / tgz / folder at all
  | 'invalid-json' // a sidecar or album JSON that does not parse or has the wrong shape
  | 'invalid-value' // a JSON field with an absurd value (timestamp 0, far future, lat 200…)
  | 'duplicate-name'; // the same entry name twice (another part, or NFC/NFD twins)

/** Something the reader refused or could not read; the rest of the archive is still read. */
export interface ReadProblem {
  readonly archive: string;
  readonly entryName?: string;
  readonly rawName?: string;
  readonly reason: ProblemReason;
  readonly message: string;
}

/** Limits against zip bombs and runaway archives; every one has a default (see guards.ts). */
export interface ReadLimits {
  /** Largest single entry (uncompressed). */
  maxEntryBytes: number;
  /** Largest sum of uncompressed sizes in one archive part. */
  maxTotalBytes: number;
  /** Largest uncompressed:compressed ratio, checked per entry and over the whole part. */
  maxCompressionRatio: number;
  /** Entries (and parts) smaller than this skip the ratio check: tiny JSON compresses very well. */
  ratioCheckMinBytes: number;
  /** Largest sidecar / album JSON the scan reads into memory. */
  maxJsonBytes: number;
}

export interface ReadOptions {
  limits?: Partial<ReadLimits>;
  /** Receives every refused or damaged entry, and archives that cannot be read at all. */
  onProblem?: (problem: ReadProblem) => void;
  /**
   * Yield only entries of these kinds. The others are still walked (a `.tgz` has to be read through;
   * their bytes are skipped without being kept), so a sidecar-only pass is cheap on zip parts.
   */
  kinds?: ReadonlySet<EntryKind>;
  signal?: AbortSignal;
}

/** The error a damaged entry's stream fails with. */
export class EntryDamagedError extends Error {
  constructor(
    readonly reason: ProblemReason,
    readonly archive: string,
    readonly entryName: string,
    message: string,
  ) {
    super(message);
    this.name = 'EntryDamagedError';
  }
}
