// Why a download stopped or could not list (DownloadReport.stopped, QuotaSpentError, the fetch tasks'
// "needs you" reasons). Stored and printed in English — the report is kept, the command line and the
// log print it — and translated where VS Code shows it: the end-of-run notification, the listing's
// error, the Activity view (src/sync/failureText.ts). Values that quote a service's or Node's own
// words (the sign-in error) stay as they are.
import type { SyncL10n } from '../l10n';
import { byExactFirst, findTranslation, matchers, type Translate } from '../reasonText';
import { errorMessageFor } from '../layoutText';
import { translateDestinationText } from '../destinationText';
import { quotaWords } from '../../tasks/quotaWords';
import { PLACE_FOLDER_GONE, PLACE_NO_PERMISSION, PLACE_READ_ONLY } from '../../localfs/placeErrors';

/** {0}: the album or source; {1}: the download folder. */
export const DOWNLOAD_ALREADY_RUNNING = '“{0}” is already being downloaded into {1} (in this or another VS Code window); run it again when that one is done.';
/** {0}: the service's own error text. */
export const DOWNLOAD_SIGNED_OUT = 'Not signed in, or access was revoked ({0}). Sign in again and run the download again; nothing is lost.';
/** QuotaSpentError's message. {0}: the quota's label (quotaWords.ts); {1}: the reset, "2026-01-01 08:00" (UTC). */
export const DOWNLOAD_QUOTA_SPENT = 'The {0} of requests is spent until {1} UTC; try the download again after that.';

// One call per template with the template's own name, so `npm run l10n` finds each message.
export const DOWNLOAD_STOP_TRANSLATIONS: [string, Translate][] = [
  [DOWNLOAD_ALREADY_RUNNING, (l10n, a) => l10n.t(DOWNLOAD_ALREADY_RUNNING, ...a)],
  [DOWNLOAD_SIGNED_OUT, (l10n, a) => l10n.t(DOWNLOAD_SIGNED_OUT, ...a)],
  [DOWNLOAD_QUOTA_SPENT, (l10n, a) => l10n.t(DOWNLOAD_QUOTA_SPENT, quotaWords(a[0] ?? '', l10n), a[1] ?? '')],
  [PLACE_READ_ONLY, (l10n, a) => l10n.t(PLACE_READ_ONLY, ...a)],
  [PLACE_NO_PERMISSION, (l10n, a) => l10n.t(PLACE_NO_PERMISSION, ...a)],
  [PLACE_FOLDER_GONE, (l10n, a) => l10n.t(PLACE_FOLDER_GONE, ...a)],
];

const STOPS = matchers(DOWNLOAD_STOP_TRANSLATIONS).sort(byExactFirst);

/** Why a download stopped, in the user's language; unknown text comes back as it is. */
export function translateDownloadStop(stored: string, l10n: SyncL10n): string {
  return findTranslation(STOPS, stored, l10n) ?? translateDestinationText(stored, l10n);
}

/** What the extension says when listing failed: a spent quota or a layout problem translated. */
export function downloadErrorText(err: unknown, l10n: SyncL10n): string {
  if (err instanceof Error && err.name === 'QuotaSpentError') return translateDownloadStop(err.message, l10n);
  return errorMessageFor(err, l10n);
}
