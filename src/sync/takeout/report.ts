// What an import did, for the notification, the output channel and the command line.
import type { ScanCounts } from '../../takeout/scan';
import type { ReadProblem } from '../../takeout/types';
import { englishL10n } from '../../util/englishL10n';
import type { SyncL10n } from '../l10n';
import { translateTakeoutStop } from './stopText';

export interface TakeoutProgress {
  phase: 'scanning' | 'importing';
  /** 1-based part being read, of `archives`. */
  archive: number;
  archives: number;
  archiveName: string;
  files: number;
  filesTotal: number;
  bytes: number;
  bytesTotal: number;
  etaMs?: number;
}

export interface TakeoutResult {
  root: string;
  parts: readonly string[];
  counts: ScanCounts;
  /** Stored as new files this run. */
  imported: number;
  /** Same bytes as a file stored before (another folder or part): linked, not stored again. */
  duplicates: number;
  /** Done by an earlier run: skipped. */
  already: number;
  /** In the export's trash: not imported. */
  trash: number;
  /** No capture date anywhere: stored under photos/undated/. */
  undated: number;
  metadataWritten: number;
  bytesWritten: number;
  /** Media without a sidecar (entry names; the first 200). */
  unmatched: string[];
  /** Sidecars without their media. */
  orphanSidecars: string[];
  /** Entries refused or damaged (zip-slip, bomb, corrupt, truncated); the rest was imported. */
  damaged: ReadProblem[];
  /** Other things worth knowing: invalid sidecar JSON, absurd timestamps. */
  problems: ReadProblem[];
  links: { symlink: number; hardlink: number; problems: string[] };
  warnings: string[];
  cancelled: boolean;
  /** Why the run stopped early (a full disk): what to do. */
  stopped?: string;
}

const DAMAGE = new Set(['unsafe-path', 'link', 'zip-bomb', 'too-large', 'corrupt', 'truncated', 'encrypted', 'unreadable-archive']);

export function isDamage(problem: ReadProblem): boolean {
  return DAMAGE.has(problem.reason);
}

export function emptyResult(root: string, parts: readonly string[]): TakeoutResult {
  return {
    root,
    parts,
    counts: { media: 0, matched: 0, matchedExact: 0, matchedByFallback: 0, unmatchedMedia: 0, orphanSidecars: 0, byRule: {}, albums: 0, problems: 0 },
    imported: 0,
    duplicates: 0,
    already: 0,
    trash: 0,
    undated: 0,
    metadataWritten: 0,
    bytesWritten: 0,
    unmatched: [],
    orphanSidecars: [],
    damaged: [],
    problems: [],
    links: { symlink: 0, hardlink: 0, problems: [] },
    warnings: [],
    cancelled: false,
  };
}

/** One line for the notification. */
export function summaryLine(r: TakeoutResult, l10n: SyncL10n = englishL10n): string {
  const head = r.stopped ? l10n.t('Takeout import stopped') : r.cancelled ? l10n.t('Takeout import cancelled') : l10n.t('Takeout imported');
  const parts = [
    l10n.t('{0} stored', r.imported),
    r.duplicates === 1 ? l10n.t('1 duplicate linked') : r.duplicates ? l10n.t('{0} duplicates linked', r.duplicates) : '',
    r.already ? l10n.t('{0} already there', r.already) : '',
    l10n.t('sidecars: {0} matched, {1} by fallback, {2} without', r.counts.matchedExact, r.counts.matchedByFallback, r.counts.unmatchedMedia),
    r.damaged.length === 1 ? l10n.t('1 damaged or refused entry') : r.damaged.length ? l10n.t('{0} damaged or refused entries', r.damaged.length) : '',
  ].filter(Boolean);
  return l10n.t('{0}: {1}.{2}', head, parts.join(', '), r.stopped ? ` ${translateTakeoutStop(r.stopped, l10n)}` : '');
}
