// Pass 1 of an import: walk every part once, keep media names and sizes, read and parse only the
// JSON files, then match sidecars folder by folder across all parts (a photo and its JSON are often
// in different parts). On zip parts media bytes are never touched; a tgz has to be read through, but
// media bytes are skipped as they pass. Pass 2 (the importer) streams media and asks `describe()`.
import { basenameOf, dirnameOf } from './entryNames';
import { classifyFolder, type FolderInfo } from './folders';
import { readArchives } from './readArchive';
import { parseTakeoutJson, type AlbumMetadata, type JsonCheckOptions, type MediaSidecar } from './sidecarJson';
import { matchFolder, type MatchRule, type SidecarMatch } from './sidecarMatch';
import { resolveLimits } from './guards';
import type { ArchiveEntry, EntryKind, ReadOptions, ReadProblem } from './types';
import { takeoutProblem, TAKEOUT_DUPLICATE_NAME, TAKEOUT_JSON_TOO_LARGE } from './problemText';

export interface MediaDescription {
  readonly entryName: string;
  /** The part holding the copy the scan saw first; another part's copy of the same name is a duplicate. */
  readonly archive: string;
  readonly size: number;
  readonly folder: FolderInfo;
  readonly match: SidecarMatch;
  readonly metadata?: MediaSidecar;
  /** Entry name of the sidecar (it may sit in another part). */
  readonly sidecarEntryName?: string;
}

export interface ScanCounts {
  media: number;
  matched: number;
  matchedExact: number;
  matchedByFallback: number;
  unmatchedMedia: number;
  orphanSidecars: number;
  byRule: Partial<Record<MatchRule, number>>;
  albums: number;
  problems: number;
}

export interface TakeoutScan {
  describe(entryName: string): MediaDescription | undefined;
  media(): IterableIterator<MediaDescription>;
  readonly folders: readonly FolderInfo[];
  readonly albums: ReadonlyMap<string, AlbumMetadata>;
  /** Entry names of sidecars no media file claimed. */
  readonly orphanSidecars: readonly string[];
  readonly counts: ScanCounts;
  readonly problems: readonly ReadProblem[];
}

interface FolderState {
  media: Map<string, { archive: string; size: number }>;
  sidecars: Map<string, MediaSidecar | undefined>;
  album?: AlbumMetadata;
}

/**
 * Collects what pass 1 needs from entries, whichever way they are read: `scanTakeout` feeds it from
 * a JSON-only pass; a one-pass tgz importer can feed it every entry while writing media to disk.
 */
export class TakeoutIndexBuilder {
  private readonly folders = new Map<string, FolderState>();
  private readonly seen = new Set<string>();
  readonly problems: ReadProblem[] = [];
  private readonly maxJsonBytes: number;

  constructor(private readonly options: { maxJsonBytes?: number; json?: JsonCheckOptions; onProblem?: (problem: ReadProblem) => void } = {}) {
    this.maxJsonBytes = options.maxJsonBytes ?? resolveLimits(undefined).maxJsonBytes;
  }

  /** Problems found here (JSON) and by the readers feeding it; all are kept for the summary. */
  report(problem: ReadProblem, fromReader = false): void {
    this.problems.push(problem);
    if (!fromReader) this.options.onProblem?.(problem);
  }

  /** Records an entry; reads it when it is JSON (so call it before the loop moves on). */
  async add(entry: ArchiveEntry): Promise<void> {
    if (entry.kind === 'other') return;
    if (this.seen.has(entry.entryName)) {
      this.report({ archive: entry.archive, entryName: entry.entryName, reason: 'duplicate-name', message: TAKEOUT_DUPLICATE_NAME });
      return;
    }
    this.seen.add(entry.entryName);
    const folder = this.folder(dirnameOf(entry.entryName));
    if (entry.kind === 'media') {
      folder.media.set(basenameOf(entry.entryName), { archive: entry.archive, size: entry.size });
      return;
    }
    const text = await this.readJson(entry);
    if (text === undefined) return;
    const parsed = parseTakeoutJson(text, this.options.json);
    if (parsed.kind === 'invalid') {
      this.report({ archive: entry.archive, entryName: entry.entryName, reason: 'invalid-json', message: parsed.message });
      if (entry.kind === 'sidecar') folder.sidecars.set(basenameOf(entry.entryName), undefined); // still pairs, so it is not "missing"
      return;
    }
    for (const issue of parsed.issues) this.report({ archive: entry.archive, entryName: entry.entryName, reason: 'invalid-value', message: issue });
    if (parsed.kind === 'media') folder.sidecars.set(basenameOf(entry.entryName), parsed.sidecar);
    else if (parsed.kind === 'album') folder.album = parsed.album;
  }

  private folder(path: string): FolderState {
    let state = this.folders.get(path);
    if (!state) this.folders.set(path, (state = { media: new Map(), sidecars: new Map() }));
    return state;
  }

  private async readJson(entry: ArchiveEntry): Promise<string | undefined> {
    if (entry.size > this.maxJsonBytes) {
      this.report({ archive: entry.archive, entryName: entry.entryName, reason: 'too-large', message: takeoutProblem(TAKEOUT_JSON_TOO_LARGE, entry.size) });
      return undefined;
    }
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of entry.open()) chunks.push(chunk as Buffer);
    } catch {
      return undefined; // the reader reported the damage
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  finish(): TakeoutScan {
    const described = new Map<string, MediaDescription>();
    const folders: FolderInfo[] = [];
    const albums = new Map<string, AlbumMetadata>();
    const orphanSidecars: string[] = [];
    const counts: ScanCounts = { media: 0, matched: 0, matchedExact: 0, matchedByFallback: 0, unmatchedMedia: 0, orphanSidecars: 0, byRule: {}, albums: 0, problems: 0 };
    for (const [path, state] of [...this.folders].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const info = classifyFolder(path, state.album?.title);
      folders.push(info);
      if (info.kind === 'album') {
        albums.set(path, state.album ?? { title: info.albumTitle });
        counts.albums++;
      }
      const sidecars = [...state.sidecars].map(([fileName, meta]) => ({ fileName, title: meta?.title }));
      const matches = matchFolder([...state.media.keys()], sidecars);
      for (const orphan of matches.orphanSidecars) orphanSidecars.push(join(path, orphan));
      for (const [name, media] of state.media) {
        const match = matches.media.get(name) ?? { kind: 'none' as const, rule: 'none' as const };
        const entryName = join(path, name);
        described.set(entryName, {
          entryName,
          archive: media.archive,
          size: media.size,
          folder: info,
          match,
          metadata: match.sidecar ? state.sidecars.get(match.sidecar) : undefined,
          sidecarEntryName: match.sidecar ? join(path, match.sidecar) : undefined,
        });
        counts.media++;
        counts.byRule[match.rule] = (counts.byRule[match.rule] ?? 0) + 1;
        if (match.kind === 'exact') counts.matchedExact++;
        else if (match.kind === 'fallback') counts.matchedByFallback++;
        else counts.unmatchedMedia++;
      }
    }
    counts.matched = counts.matchedExact + counts.matchedByFallback;
    counts.orphanSidecars = orphanSidecars.length;
    counts.problems = this.problems.length;
    this.folders.clear();
    return {
      describe: (entryName) => described.get(entryName),
      media: () => described.values(),
      folders,
      albums,
      orphanSidecars,
      counts,
      problems: this.problems,
    };
  }
}

function join(folder: string, name: string): string {
  return folder ? `${folder}/${name}` : name;
}

const PASS_ONE_KINDS: ReadonlySet<EntryKind> = new Set(['media', 'sidecar', 'album-metadata']);

/** Pass 1 over every part: names and sizes of media, parsed JSON, matches. */
export async function scanTakeout(parts: readonly string[], options: ReadOptions & { json?: JsonCheckOptions } = {}): Promise<TakeoutScan> {
  const builder = new TakeoutIndexBuilder({ maxJsonBytes: options.limits?.maxJsonBytes, json: options.json, onProblem: options.onProblem });
  const onProblem = (problem: ReadProblem) => {
    builder.report(problem, true);
    options.onProblem?.(problem);
  };
  for await (const entry of readArchives(parts, { ...options, kinds: PASS_ONE_KINDS, onProblem })) await builder.add(entry);
  return builder.finish();
}
