// Verify Backup's words: what it compares (the files on disk, the index, the destination) and what it
// can find. Shared by the VS Code view, the Markdown report and `photo-sync verify`.
import { englishL10n } from '../../util/englishL10n';
import { formatCount } from '../../util/format';
import type { SyncL10n } from '../l10n';
import { translateStopReason } from './detailText';

/**
 * missing-locally: the destination has it, the folder no longer does (deleted or moved away);
 * missing-remotely: the index says it was backed up, the destination no longer has it (deleted in its
 *   web UI) or no longer in its album (removed from the album, or the album deleted);
 * changed-locally: the file's bytes differ from what was uploaded from that path;
 * not-uploaded: never backed up;
 * duplicate: the same bytes at several paths of the folder;
 * orphan: an index row for something gone everywhere (a file deleted before it was uploaded, or gone
 *   from disk and from the destination): nothing to restore, only to forget;
 * unavailable: the sync folder is missing (an unplugged drive): nothing in it was read as deleted.
 */
export type FindingKind = 'missing-locally' | 'missing-remotely' | 'changed-locally' | 'not-uploaded' | 'duplicate' | 'orphan' | 'unavailable';

export const FINDING_KINDS: readonly FindingKind[] = ['unavailable', 'missing-locally', 'missing-remotely', 'changed-locally', 'not-uploaded', 'duplicate', 'orphan'];

/** Headings for the tree and the report. */
export const FINDING_TITLES: Record<FindingKind, string> = {
  unavailable: 'Folder unavailable',
  'missing-locally': 'Missing locally',
  'missing-remotely': 'Missing remotely',
  'changed-locally': 'Changed locally since upload',
  'not-uploaded': 'Not yet uploaded',
  duplicate: 'Duplicates',
  orphan: 'Orphans in the index',
};

/** A finding kind's heading in the user's language. */
export function findingTitle(kind: FindingKind, l10n: SyncL10n = englishL10n): string {
  switch (kind) {
    case 'unavailable':
      return l10n.t('Folder unavailable');
    case 'missing-locally':
      return l10n.t('Missing locally');
    case 'missing-remotely':
      return l10n.t('Missing remotely');
    case 'changed-locally':
      return l10n.t('Changed locally since upload');
    case 'not-uploaded':
      return l10n.t('Not yet uploaded');
    case 'duplicate':
      return l10n.t('Duplicates');
    default:
      return l10n.t('Orphans in the index');
  }
}

/** What the user can do about a finding (the tree's row actions). */
export type FindingAction = 'reupload' | 'redownload' | 'reveal' | 'open' | 'forget';

export const ACTIONS_FOR: Record<FindingKind, readonly FindingAction[]> = {
  unavailable: ['reveal'],
  'missing-locally': ['redownload', 'open', 'forget'],
  'missing-remotely': ['reupload', 'reveal', 'forget'],
  'changed-locally': ['reupload', 'reveal', 'open'],
  'not-uploaded': ['reupload', 'reveal'],
  duplicate: ['reveal', 'open'],
  orphan: ['forget'],
};

export interface Finding {
  kind: FindingKind;
  /** The sync folder (absolute). */
  folder: string;
  /** The local file (absolute): where it is, or where it was. */
  path?: string;
  /** The file relative to the folder, "/"-separated, for display. */
  rel?: string;
  sha256?: string;
  /** The destination's item. */
  mediaItemId?: string;
  /** The album concerned (removed from it, deleted, or where a remote-only item lives). */
  album?: { id: string; title: string };
  /** Why, in words: "deleted in Google Photos", "removed from album “Rome”", "same bytes as Rome/a.jpg". */
  detail: string;
  /** The item's page in the service's web app, when known. */
  webUrl?: string;
  /** The remote item's file name (remote-only items have no local path yet). */
  filename?: string;
}

export interface FolderSummary {
  path: string;
  available: boolean;
  /** Files on disk that are candidates (accepted types). */
  files: number;
  /** Files (and remote items) found in sync on all three sides. */
  inSync: number;
  /** Backed-up items whose remote side could not be checked (stopped early). */
  unchecked: number;
}

export interface VerifyReport {
  destination: string;
  accountId: string;
  startedAt: number;
  finishedAt?: number;
  deep: boolean;
  folders: FolderSummary[];
  findings: Finding[];
  /** Requests this verify sent (across continues). */
  requests: number;
  /** Requests estimated before it ran. */
  estimated: number;
  /** True when every step ran; false when it stopped early (see stopped) and can continue. */
  complete: boolean;
  /** Why it stopped early, in words. */
  stopped?: string;
  stoppedBy?: 'cancelled' | 'quota' | 'error';
}

export function countsByKind(findings: readonly Finding[]): Partial<Record<FindingKind, number>> {
  const out: Partial<Record<FindingKind, number>> = {};
  for (const f of findings) out[f.kind] = (out[f.kind] ?? 0) + 1;
  return out;
}

/** "All 12 files in sync." / "3 findings: 1 missing locally, 2 missing remotely." — one line. */
export function summaryLine(report: VerifyReport, l10n: SyncL10n = englishL10n): string {
  const n = formatCount;
  const inSync = report.folders.reduce((k, f) => k + f.inSync, 0);
  const unchecked = report.folders.reduce((k, f) => k + f.unchecked, 0);
  const tail = report.complete ? '' : report.stopped ? l10n.t(' Stopped early ({0}); {1} not checked yet — Continue Verify to finish.', translateStopReason(report.stopped, l10n), n(unchecked)) : l10n.t(' Stopped early; {0} not checked yet — Continue Verify to finish.', n(unchecked));
  if (report.findings.length === 0) {
    const items = inSync === 1 ? l10n.t('1 item') : l10n.t('{0} items', n(inSync));
    return report.complete
      ? l10n.t('In sync: {0} checked on disk, in the index and in {1}.{2}', items, report.destination, tail)
      : l10n.t('Nothing wrong so far: {0} checked on disk, in the index and in {1}.{2}', items, report.destination, tail);
  }
  const counts = countsByKind(report.findings);
  const parts = FINDING_KINDS.filter((k) => counts[k]).map((k) => l10n.t('{0} {1}', n(counts[k] ?? 0), findingTitle(k, l10n).toLocaleLowerCase()));
  const found = report.findings.length === 1 ? l10n.t('1 finding') : l10n.t('{0} findings', n(report.findings.length));
  return l10n.t('{0}: {1}; {2} in sync.{3}', found, parts.join(', '), n(inSync), tail);
}
