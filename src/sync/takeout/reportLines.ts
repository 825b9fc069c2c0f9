// The full report of a Takeout import, one line each: English for the log and the command line
// (englishL10n), in the user's language for VS Code's "Show Report" (vs.l10n). The reader's own
// explanations (why an entry was refused, a sidecar's problem, a warning) are translated by their
// templates (problemText.ts); a text no template knows stays as it is.
import { formatBytes } from '../../localfs/placeErrors';
import type { MatchRule } from '../../takeout/sidecarMatch';
import type { ProblemReason } from '../../takeout/types';
import { englishL10n } from '../../util/englishL10n';
import type { SyncL10n } from '../l10n';
import { translateTakeoutProblem } from './problemText';
import { summaryLine, type TakeoutResult } from './report';

/** Why an entry was refused or listed, as a word or two. */
export function takeoutReasonWords(reason: ProblemReason, l10n: SyncL10n = englishL10n): string {
  switch (reason) {
    case 'unsafe-path':
      return l10n.t('unsafe name');
    case 'link':
      return l10n.t('link');
    case 'zip-bomb':
      return l10n.t('zip bomb');
    case 'too-large':
      return l10n.t('too large');
    case 'corrupt':
      return l10n.t('corrupt');
    case 'truncated':
      return l10n.t('truncated');
    case 'encrypted':
      return l10n.t('encrypted');
    case 'unreadable-archive':
      return l10n.t('unreadable archive');
    case 'invalid-json':
      return l10n.t('invalid JSON');
    case 'invalid-value':
      return l10n.t('invalid value');
    case 'duplicate-name':
      return l10n.t('duplicate name');
  }
  return reason;
}

/** How a sidecar was matched to its photo. */
function ruleWords(rule: string, l10n: SyncL10n): string {
  switch (rule as MatchRule) {
    case 'exact':
      return l10n.t('same name');
    case 'supplemental':
      return l10n.t('supplemental-metadata name');
    case 'supplemental-truncated':
      return l10n.t('shortened supplemental-metadata name');
    case 'duplicate-counter':
      return l10n.t('duplicate counter');
    case 'truncated-name':
      return l10n.t('shortened name');
    case 'edited-copy':
      return l10n.t('edited copy');
    case 'motion-photo':
      return l10n.t('motion photo');
    case 'live-photo':
      return l10n.t('live photo');
    case 'without-extension':
      return l10n.t('name without extension');
  }
  return rule;
}

/** The first 20 names, and how many more. */
function someNames(names: readonly string[], total: number, l10n: SyncL10n): string {
  const shown = names.slice(0, 20).join(', ');
  return total > 20 ? l10n.t('{0} and {1} more', shown, total - 20) : shown;
}

/** The full report, one line each, for the log and the terminal (English) and VS Code's Show Report (`l10n`). */
export function reportLines(r: TakeoutResult, l10n: SyncL10n = englishL10n): string[] {
  const count = (n: number, one: string, many: string) => (n === 1 ? one : many);
  const parts = count(r.parts.length, l10n.t('1 part'), l10n.t('{0} parts', r.parts.length));
  const media = count(r.counts.media, l10n.t('1 media file'), l10n.t('{0} media files', r.counts.media));
  const albums = count(r.counts.albums, l10n.t('1 album'), l10n.t('{0} albums', r.counts.albums));
  const lines = [summaryLine(r, l10n), l10n.t('Into {0} from {1}: {2}, {3}, {4} written.', r.root, parts, media, albums, formatBytes(r.bytesWritten))];
  const rules = Object.entries(r.counts.byRule)
    .filter(([rule]) => rule !== 'none')
    .map(([rule, n]) => `${ruleWords(rule, l10n)} ${n}`)
    .join(', ');
  if (rules) lines.push(l10n.t('Sidecar matches by rule: {0}.', rules));
  if (r.metadataWritten) lines.push(count(r.metadataWritten, l10n.t('Date, place or description written back from the sidecar into 1 file.'), l10n.t('Date, place or description written back from the sidecar into {0} files.', r.metadataWritten)));
  if (r.trash) lines.push(count(r.trash, l10n.t("1 file in the export's trash was not imported."), l10n.t("{0} files in the export's trash were not imported.", r.trash)));
  if (r.undated) {
    lines.push(
      count(
        r.undated,
        l10n.t('1 file has no capture date anywhere (no sidecar time, EXIF or date in the name): stored under photos/undated/.'),
        l10n.t('{0} files have no capture date anywhere (no sidecar time, EXIF or date in the name): stored under photos/undated/.', r.undated),
      ),
    );
  }
  if (r.links.symlink + r.links.hardlink) {
    const symlinks = count(r.links.symlink, l10n.t('1 symbolic link'), l10n.t('{0} symbolic links', r.links.symlink));
    const hardlinks = count(r.links.hardlink, l10n.t('1 hard link'), l10n.t('{0} hard links', r.links.hardlink));
    lines.push(l10n.t('Album entries: {0}, {1}.', symlinks, hardlinks));
  }
  for (const p of r.links.problems) lines.push(`  ${l10n.t('album entry: {0}', translateTakeoutProblem(p, l10n))}`);
  if (r.unmatched.length) lines.push(l10n.t('Without a sidecar (dates from EXIF or the name): {0}.', someNames(r.unmatched, r.counts.unmatchedMedia, l10n)));
  if (r.orphanSidecars.length) lines.push(l10n.t('Sidecars whose photo is not in the export: {0}.', someNames(r.orphanSidecars, r.orphanSidecars.length, l10n)));
  for (const d of r.damaged) lines.push(l10n.t('Damaged or refused: {0} ({1}): {2}', d.entryName ?? d.rawName ?? d.archive, takeoutReasonWords(d.reason, l10n), translateTakeoutProblem(d.message, l10n)));
  for (const p of r.problems.slice(0, 50)) lines.push(l10n.t('Sidecar problem: {0}: {1}', p.entryName ?? p.archive, translateTakeoutProblem(p.message, l10n)));
  for (const w of r.warnings.slice(0, 50)) lines.push(l10n.t('Warning: {0}', translateTakeoutProblem(w, l10n)));
  return lines;
}
