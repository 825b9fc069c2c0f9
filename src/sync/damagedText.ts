// The upload report's warning about files that look damaged (upload/report.ts damagedWarning): made
// in English (the command line prints it, the log keeps it) from the templates below, and shown in
// the user's language by translateDamagedWarning() (through translatePlanWarning), which reads the
// count, each "file (reason)" and the "and n more" back and translates the templates and the reasons.
import type { SyncL10n } from './l10n';
import { DAMAGED_PREFIX, englishReason, knownReason } from './reasonText';

export const PLAN_DAMAGED_ONE = '1 file looks damaged and was not uploaded: {0}';
/** {0}: how many; {1}: the list. */
export const PLAN_DAMAGED_MANY = '{0} files look damaged and were not uploaded: {1}';
/** {0}: the first files; {1}: how many more. */
export const PLAN_DAMAGED_MORE = '{0} and {1} more (listed in the review and under the folder)';
/** {0}: the file (relative path); {1}: why it looks damaged. */
export const PLAN_DAMAGED_FILE = '{0} ({1})';

/** "2 files look damaged and were not uploaded: a.jpg (the JPEG ends …), b.png (…)". */
export function englishDamagedWarning(files: readonly { rel: string; reason: string }[], total: number): string {
  const named = files.map((f) => englishReason(PLAN_DAMAGED_FILE, f.rel, f.reason)).join(', ');
  const list = total > files.length ? englishReason(PLAN_DAMAGED_MORE, named, total - files.length) : named;
  return total === 1 ? englishReason(PLAN_DAMAGED_ONE, list) : englishReason(PLAN_DAMAGED_MANY, total, list);
}

const ONE = /^1 file looks damaged and was not uploaded: (.*)$/s;
const MANY = /^(\d+) files look damaged and were not uploaded: (.*)$/s;
const MORE = /^(.*) and (\d+) more \(listed in the review and under the folder\)$/s;

/** The warning in the user's language, or undefined when it is not this warning. */
export function translateDamagedWarning(stored: string, l10n: SyncL10n): string | undefined {
  const one = ONE.exec(stored);
  if (one) return l10n.t(PLAN_DAMAGED_ONE, translateList(one[1], l10n));
  const many = MANY.exec(stored);
  if (many) return l10n.t(PLAN_DAMAGED_MANY, many[1], translateList(many[2], l10n));
  return undefined;
}

function translateList(list: string, l10n: SyncL10n): string {
  const more = MORE.exec(list);
  if (more) return l10n.t(PLAN_DAMAGED_MORE, translateFiles(more[1], l10n), more[2]);
  return translateFiles(list, l10n);
}

// Each "file (reason)" ends with ")"; a reason may hold parentheses itself, so the split between file
// and reason is the first " (" after which a known damage reason follows. Unknown items stay as they are.
function translateFiles(named: string, l10n: SyncL10n): string {
  const items = named.split('), ').map((x, i, all) => (i < all.length - 1 ? `${x})` : x));
  return items.map((item) => translateFile(item, l10n)).join(l10n.t(', '));
}

function translateFile(item: string, l10n: SyncL10n): string {
  if (!item.endsWith(')')) return item;
  for (let at = item.indexOf(' ('); at > 0; at = item.indexOf(' (', at + 1)) {
    const reason = knownReason(DAMAGED_PREFIX + item.slice(at + 2, -1), l10n, { withoutDamagedPrefix: true });
    if (reason !== undefined) return l10n.t(PLAN_DAMAGED_FILE, item.slice(0, at), reason);
  }
  return item;
}
