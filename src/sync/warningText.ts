// The plan's warnings (SyncPlan.warnings, copied into the sync's report): what the scanner could not
// read below a sync folder's root, an album that spills into a second one, a destination short of
// storage. They are made in English — the command line prints them, the log keeps them — from the
// templates below, and the preview and the result message show them through translatePlanWarning(),
// which recognises a warning by its template and hands the template and its values to `l10n.t` (as
// reasonText.ts does for the scanner's reasons). Text no template knows is shown as it is.
import type { SyncL10n } from './l10n';
import { byExactFirst, findTranslation, matchers, type Translate } from './reasonText';
import { translateDamagedWarning } from './damagedText';
import { translateDestinationText } from './destinationText';

// The scanner (scan.ts), below the root ({0}: the absolute path).
export const SCAN_FOLDER_UNREADABLE = 'Cannot read folder {0}: {1}';
export const SCAN_BROKEN_LINK = 'Broken link skipped: {0}';
export const SCAN_LINK_LOOP = 'Skipped {0}: it links back to a folder already scanned.';
// The planner (plan.ts, planLookups.ts).
export const PLAN_MORE_SCAN_PROBLEMS = '… and {0} more problems scanning {1}.';
export const PLAN_ALBUM_FULL = 'Album "{0}" is full ({1} items at most); the rest go to "{2}".';
// The destination's check (upload/destinationCheck.ts).
export const PLAN_STORAGE_SHORT = '{0} has {1} free but this sync uploads {2}: free {3} more. Photo Sync uploads until it is full; the rest waits for the next sync.';

// One call per template with the template's own name, so `npm run l10n` finds each message.
const WARNINGS = matchers([
  [SCAN_FOLDER_UNREADABLE, (l10n, a) => l10n.t(SCAN_FOLDER_UNREADABLE, ...a)],
  [SCAN_BROKEN_LINK, (l10n, a) => l10n.t(SCAN_BROKEN_LINK, ...a)],
  [SCAN_LINK_LOOP, (l10n, a) => l10n.t(SCAN_LINK_LOOP, ...a)],
  [PLAN_MORE_SCAN_PROBLEMS, (l10n, a) => l10n.t(PLAN_MORE_SCAN_PROBLEMS, ...a)],
  [PLAN_ALBUM_FULL, (l10n, a) => l10n.t(PLAN_ALBUM_FULL, ...a)],
  [PLAN_STORAGE_SHORT, (l10n, a) => l10n.t(PLAN_STORAGE_SHORT, ...a)],
] as [string, Translate][]).sort(byExactFirst);

/** A plan or report warning in the user's language; text no template knows comes back as it is. */
export function translatePlanWarning(stored: string, l10n: SyncL10n): string {
  return findTranslation(WARNINGS, stored, l10n) ?? translateDamagedWarning(stored, l10n) ?? translateDestinationText(stored, l10n);
}
