// Why two-way sync stopped (TwoWayReport.stopped): English where it is made (the log, the command
// line), translated where VS Code shows it (the end notification) by its template.
import type { SyncL10n } from '../l10n';
import { byExactFirst, findTranslation, matchers, type Translate } from '../reasonText';
import { translateStopReason } from '../verify/detailText';

/** {0}: the destination; {1}: why Verify stopped (verify/detailText.ts STOP_*) or TWO_WAY_CHECK_STOPPED. */
export const TWO_WAY_CHECK_UNFINISHED = 'the check of {0} did not finish ({1}); nothing was downloaded or removed';
export const TWO_WAY_CHECK_STOPPED = 'stopped';
export const TWO_WAY_NOT_CONFIRMED = 'the removals were not confirmed; nothing was removed';

// One call per template with the template's own name, so `npm run l10n` finds each message.
const STOPS = matchers([
  [TWO_WAY_CHECK_UNFINISHED, (l10n, a) => l10n.t(TWO_WAY_CHECK_UNFINISHED, a[0] ?? '', a[1] === TWO_WAY_CHECK_STOPPED ? l10n.t(TWO_WAY_CHECK_STOPPED) : translateStopReason(a[1] ?? '', l10n))],
  [TWO_WAY_NOT_CONFIRMED, (l10n) => l10n.t(TWO_WAY_NOT_CONFIRMED)],
] as [string, Translate][]).sort(byExactFirst);

/** Why two-way sync stopped, in the user's language; unknown text comes back as it is. */
export function translateTwoWayStop(stored: string, l10n: SyncL10n): string {
  return findTranslation(STOPS, stored, l10n) ?? stored;
}
