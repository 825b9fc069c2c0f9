// The words a download run ends with: what arrived where, what was already there, what could not be
// had yet, what failed and why, and why a run stopped.
import type * as vscode from 'vscode';
import type { DownloadReport } from './report';
import { formatBytes, formatCount } from '../../util/format';
import { englishL10n } from '../../util/englishL10n';
import { translateDownloadStop } from './stopText';

export interface DownloadMessage {
  level: 'info' | 'warning' | 'error';
  message: string;
  /** Longer explanation (log and a modal's detail). */
  detail: string;
}

type L10n = Pick<typeof vscode.l10n, 't'>;

const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;
/** "1 item" / "1,234 items". */
const items = (l10n: L10n, n: number) => (n === 1 ? l10n.t('1 item') : l10n.t('{0} items', formatCount(n)));

/** "photos/2019/06, photos/2022/03 and 2 more folders". */
export function folderList(folders: Record<string, number>, l10n: L10n = englishL10n): string {
  const names = Object.keys(folders).sort().map((f) => f.split('\\').join('/'));
  if (names.length <= 3) return names.length <= 1 ? (names[0] ?? '') : l10n.t('{0} and {1}', names.slice(0, -1).join(l10n.t(', ')), names[names.length - 1]);
  return l10n.t('{0} and {1} more folders', names.slice(0, 2).join(l10n.t(', ')), formatCount(names.length - 2));
}

export function describeDownload(report: DownloadReport, options: { verb: 'Imported' | 'Downloaded'; service: string }, l10n: L10n): DownloadMessage {
  const what = report.source.kind === 'picker' ? '' : l10n.t(' of “{0}”', report.source.title);
  const parts: string[] = [];
  if (report.downloaded > 0) parts.push(
      options.verb === 'Imported'
        ? l10n.t('Imported {0}{1} ({2}) into {3}.', items(l10n, report.downloaded), what, formatBytes(report.bytes), folderList(report.folders, l10n))
        : l10n.t('Downloaded {0}{1} ({2}) into {3}.', items(l10n, report.downloaded), what, formatBytes(report.bytes), folderList(report.folders, l10n)),
    );
  else if (!report.stopped) parts.push(l10n.t('Nothing new to download{0}.', what));
  if (report.already > 0) parts.push(report.already === 1 ? l10n.t('1 item was already there.') : l10n.t('{0} items were already there.', formatCount(report.already)));
  if (report.notReady.length > 0) parts.push(l10n.t('{0} not available yet ({1}: {2}).', items(l10n, report.notReady.length), report.notReady[0].name, report.notReady[0].reason));
  if (report.failed.length > 0) parts.push(l10n.t('{0} failed ({1}: {2}).', items(l10n, report.failed.length), report.failed[0].name, report.failed[0].message));
  if (report.stopped) parts.push(l10n.t('Stopped: {0}', translateDownloadStop(report.stopped, l10n)));
  else if (report.cancelled) parts.push(l10n.t('Cancelled; run it again to download the rest.'));

  const detail: string[] = [];
  const links = report.links.symlink + report.links.hardlink;
  if (links > 0) {
    const kind = report.links.hardlink === 0 ? 'symbolic links' : report.links.symlink === 0 ? 'hard links (this drive does not allow symbolic links)' : `${report.links.symlink} symbolic and ${report.links.hardlink} hard links`;
    detail.push(`Album folder: ${plural(links, 'entry', 'entries')} under albums/, as ${kind} to the files in photos/.`);
  }
  if (report.links.problems.length) detail.push(`Album entries not made: ${report.links.problems[0]}`);
  if (report.renamed.length) detail.push(`${plural(report.renamed.length, 'name was', 'names were')} taken, so ${report.renamed.length === 1 ? 'that file' : 'those files'} got a “ (n)” name (e.g. ${report.renamed[0].placed}); nothing was overwritten.`);
  if (report.exifWritten) detail.push(`EXIF written into ${plural(report.exifWritten, 'JPEG')}.`);
  if (report.sidecars) detail.push(`${plural(report.sidecars, 'sidecar')} written beside files whose own metadata was not changed.`);
  if (report.stoppedAt) detail.push(`The listing stopped at photos taken before ${report.stoppedAt.slice(0, 10)}, which an earlier complete download already brought; photos added later with an older date are found with Check All Items.`);
  for (const w of report.warnings.slice(0, 3)) detail.push(w);
  if (report.downloaded > 0) detail.push(`${options.service} sends photos without their location (GPS) data and videos re-encoded; the index keeps the hash of what arrived beside the hash of the file as written.`);

  const level = report.stopped || (report.failed.length > 0 && report.downloaded === 0) ? 'error' : report.failed.length || report.notReady.length || report.cancelled ? 'warning' : 'info';
  return { level, message: parts.join(' '), detail: detail.join('\n') };
}
