// Verify Backup's words: what it compares (the files on disk, the index, the destination) and what it
// can find. Shared by the VS Code view, the Markdown report and `photo-sync verify`.

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
export function summaryLine(report: VerifyReport): string {
  const inSync = report.folders.reduce((n, f) => n + f.inSync, 0);
  const unchecked = report.folders.reduce((n, f) => n + f.unchecked, 0);
  const tail = report.complete ? '' : ` Stopped early${report.stopped ? ` (${report.stopped})` : ''}; ${unchecked.toLocaleString('en-US')} not checked yet — Continue Verify to finish.`;
  if (report.findings.length === 0) return `${report.complete ? 'In sync' : 'Nothing wrong so far'}: ${plural(inSync, 'item')} checked on disk, in the index and in ${report.destination}.${tail}`;
  const counts = countsByKind(report.findings);
  const parts = FINDING_KINDS.filter((k) => counts[k]).map((k) => `${counts[k]} ${FINDING_TITLES[k].toLowerCase()}`);
  return `${plural(report.findings.length, 'finding')}: ${parts.join(', ')}; ${inSync.toLocaleString('en-US')} in sync.${tail}`;
}

export function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}
