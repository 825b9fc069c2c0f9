// What Verify Backup says about each finding (Finding.detail). Like the scanner's reasons
// (reasonText.ts), the details are made in English: the report is saved and written as Markdown, the
// command line prints them, and code matches them (actions.ts: "was deleted"). The Verify view
// translates them where it shows them, with translateDetail(), which recognises a detail by its
// template and hands the template and its values to `l10n.t`. Unknown text is shown as it is.
import type { SyncL10n } from '../l10n';
import { translateDestinationText } from '../destinationText';
import { byExactFirst, englishReason, findTranslation, FOLDER_MISSING, FOLDER_NOT_A_FOLDER, matchers, translateReason, type Translate } from '../reasonText';

export const DETAIL_SAME_BYTES = 'same bytes as {0}';
export const DETAIL_CHANGED_LOCALLY = 'its bytes differ from what was uploaded from this path';
export const DETAIL_NOT_UPLOADED = 'not backed up yet';
export const DETAIL_ORPHAN_DISK = 'gone from disk and never backed up';
export const DETAIL_DELETED_REMOTELY = 'deleted in {0}';
export const DETAIL_ORPHAN_BOTH = 'gone from disk and from {0}';
export const DETAIL_MISSING_LOCALLY = 'in {0}, gone from the folder (deleted or moved away)';
export const DETAIL_ALBUM_DELETED = 'its album “{0}” was deleted in {1} (the item is still in the library)';
export const DETAIL_REMOVED_FROM_ALBUM = 'removed from album “{0}” (still in the library)';
export const DETAIL_ADDED_ELSEWHERE = 'in album “{0}”, never in this folder (added from elsewhere)';
/** An unreadable folder: {0} is the scanner's problem (below) or DETAIL_FOLDER_UNREADABLE. */
export const DETAIL_UNAVAILABLE = '{0} Nothing in it was counted as deleted.';
export const DETAIL_FOLDER_UNREADABLE = 'the folder cannot be read';

// Why a run stopped early (VerifyReport.stopped): stored in English like the details, shown through
// translateStopReason(). {0} is the destination's name; {1} the service's own words (not translated).
export const STOP_CANCELLED = 'cancelled';
export const STOP_BUDGET_SPENT = 'the {0} request quota left for this period is spent';
export const STOP_QUOTA_SPENT = '{0} says the request quota is spent ({1})';
export const STOP_SERVICE_ERROR = '{0} answered: {1}';

/** A detail as stored: English, the template with its values. */
export const englishDetail = englishReason;

// One call per template with the template's own name, so `npm run l10n` finds each message.
const DETAILS = matchers([
  [DETAIL_SAME_BYTES, (l10n, a) => l10n.t(DETAIL_SAME_BYTES, ...a)],
  [DETAIL_CHANGED_LOCALLY, (l10n) => l10n.t(DETAIL_CHANGED_LOCALLY)],
  [DETAIL_NOT_UPLOADED, (l10n) => l10n.t(DETAIL_NOT_UPLOADED)],
  [DETAIL_ORPHAN_DISK, (l10n) => l10n.t(DETAIL_ORPHAN_DISK)],
  [DETAIL_DELETED_REMOTELY, (l10n, a) => l10n.t(DETAIL_DELETED_REMOTELY, ...a)],
  [DETAIL_ORPHAN_BOTH, (l10n, a) => l10n.t(DETAIL_ORPHAN_BOTH, ...a)],
  [DETAIL_MISSING_LOCALLY, (l10n, a) => l10n.t(DETAIL_MISSING_LOCALLY, ...a)],
  [DETAIL_ALBUM_DELETED, (l10n, a) => l10n.t(DETAIL_ALBUM_DELETED, ...a)],
  [DETAIL_REMOVED_FROM_ALBUM, (l10n, a) => l10n.t(DETAIL_REMOVED_FROM_ALBUM, ...a)],
  [DETAIL_ADDED_ELSEWHERE, (l10n, a) => l10n.t(DETAIL_ADDED_ELSEWHERE, ...a)],
  [DETAIL_UNAVAILABLE, (l10n, a) => l10n.t(DETAIL_UNAVAILABLE, translateProblem(a[0] ?? '', l10n))],
] as [string, Translate][]).sort(byExactFirst);

const PROBLEMS = matchers([
  [DETAIL_FOLDER_UNREADABLE, (l10n) => l10n.t(DETAIL_FOLDER_UNREADABLE)],
  [FOLDER_MISSING, (l10n, a) => l10n.t(FOLDER_MISSING, ...a)],
  [FOLDER_NOT_A_FOLDER, (l10n, a) => l10n.t(FOLDER_NOT_A_FOLDER, ...a)],
] as [string, Translate][]).sort(byExactFirst);

function translateProblem(text: string, l10n: SyncL10n): string {
  return findTranslation(PROBLEMS, text, l10n) ?? text;
}

const STOPS = matchers([
  [STOP_CANCELLED, (l10n) => l10n.t(STOP_CANCELLED)],
  [STOP_BUDGET_SPENT, (l10n, a) => l10n.t(STOP_BUDGET_SPENT, ...a)],
  [STOP_QUOTA_SPENT, (l10n, a) => l10n.t(STOP_QUOTA_SPENT, a[0] ?? '', translateDestinationText(a[1] ?? '', l10n))],
  [STOP_SERVICE_ERROR, (l10n, a) => l10n.t(STOP_SERVICE_ERROR, ...a)],
] as [string, Translate][]).sort(byExactFirst);

/** Why a verify stopped early (VerifyReport.stopped, English) in the user's language; unknown text as it is. */
export function translateStopReason(stored: string, l10n: SyncL10n): string {
  return findTranslation(STOPS, stored, l10n) ?? stored;
}

/** A finding's stored English detail in the user's language; a scanner reason is translated as one. */
export function translateDetail(stored: string, l10n: SyncL10n): string {
  return findTranslation(DETAILS, stored, l10n) ?? translateReason(stored, l10n);
}
