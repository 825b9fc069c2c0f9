// Why a Takeout import stopped or did not start (TakeoutResult.stopped, ImportBusyError): English
// where it is made (the log, the command line, the report), translated where VS Code shows it (the
// end notification, the error) by its template. The failure inside is translated as the Activity
// view translates it (a full disk, a read-only folder); the service's or Node's own words stay.
import type { SyncL10n } from '../l10n';
import { byExactFirst, findTranslation, matchers, type Translate } from '../reasonText';
import { translateFailure } from '../failureText';

/** {0}: why (a PlaceError's message, a task's failure). */
export const TAKEOUT_STOPPED = '{0} What is imported stays; run the import again to continue.';
/** {0}: the import folder; {1}: who holds it ("a VS Code window", "process 123"); {2}, {3}: files done and in all. */
export const TAKEOUT_BUSY_WITH_PROGRESS = 'Another import into {0} is running in {1} ({2} of {3} files). Wait for it to finish, then import again: what it imported is skipped.';
export const TAKEOUT_BUSY = 'Another import into {0} is running in {1}. Wait for it to finish, then import again: what it imported is skipped.';
/** Who holds the import when its lease names no label. {0}: the process id. */
export const TAKEOUT_BUSY_PROCESS = 'process {0}';

// One call per template with the template's own name, so `npm run l10n` finds each message. The
// form with progress comes first: the plain form would match it too.
const STOPS = matchers([
  [TAKEOUT_STOPPED, (l10n, a) => l10n.t(TAKEOUT_STOPPED, translateFailure(a[0] ?? '', l10n))],
  [TAKEOUT_BUSY_WITH_PROGRESS, (l10n, a) => l10n.t(TAKEOUT_BUSY_WITH_PROGRESS, a[0] ?? '', who(a[1] ?? '', l10n), a[2] ?? '', a[3] ?? '')],
  [TAKEOUT_BUSY, (l10n, a) => l10n.t(TAKEOUT_BUSY, a[0] ?? '', who(a[1] ?? '', l10n))],
] as [string, Translate][]).sort(byExactFirst);

const PROCESS = /^process (\d+)$/;

function who(text: string, l10n: SyncL10n): string {
  const pid = PROCESS.exec(text);
  return pid ? l10n.t(TAKEOUT_BUSY_PROCESS, pid[1]) : text;
}

/** Why a Takeout import stopped or did not start, in the user's language; unknown text as it is. */
export function translateTakeoutStop(stored: string, l10n: SyncL10n): string {
  return findTranslation(STOPS, stored, l10n) ?? stored;
}
