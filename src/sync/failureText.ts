// Why a task failed, as the Activity view shows it. The reasons are stored in English (the queue's
// journal, the index's lastError, the log, the command line print them) and made from the templates
// here and in src/tasks/failureText.ts; translateFailure() recognises a stored reason by its template
// and hands the template and its values to `l10n.t` (like translateReason for the scanner's reasons).
// A value that quotes a service's or Node's own words stays as it is; text no template knows, too.
import type { SyncL10n } from './l10n';
import { byExactFirst, findTranslation, knownReason, matchers, translateReason, type Matcher, type Translate } from './reasonText';
import { DOWNLOAD_STOP_TRANSLATIONS } from './download/stopText';
import { DESTINATION_TRANSLATIONS } from './destinationText';
import { TASK_DEPENDENCY_FAILED, TASK_FAILED_NO_REASON, TASK_GAVE_UP } from '../tasks/failureText';

// The upload task (src/sync/upload/uploadTask.ts). {0}: the file's name.
export const UPLOAD_KEEPS_CHANGING_WHILE_SENT = '{0} keeps changing while it is uploaded; it will be tried again on the next sync.';
export const UPLOAD_KEEPS_CHANGING = '{0} keeps changing; it will be tried again on the next sync.';
export const UPLOAD_NOW_EMPTY = '{0} is now empty (0 bytes); nothing to upload.';
/** {1}: the destination's too-large reason (reasonText.ts). */
export const UPLOAD_NOW_TOO_LARGE = '{0} is now {1}; nothing was uploaded.';
/** {1}: why the file could not be read (reasonText.ts REASON_*). */
export const UPLOAD_FILE_GONE = '{0} {1}; nothing was uploaded.';
/** {0}: the destination; {1}: the file's name; {2}: the service's own words (not translated). */
export const UPLOAD_REFUSED = '{0} refused {1}: {2} It is tried again once the file changes.';

// One call per template with the template's own name, so `npm run l10n` finds each message.
const OWN: [string, Translate][] = [
  [TASK_DEPENDENCY_FAILED, (l10n) => l10n.t(TASK_DEPENDENCY_FAILED)],
  [TASK_FAILED_NO_REASON, (l10n) => l10n.t(TASK_FAILED_NO_REASON)],
  [TASK_GAVE_UP, (l10n, a) => l10n.t(TASK_GAVE_UP, translateFailure(a[0] ?? '', l10n), a[1] ?? '')],
  [UPLOAD_KEEPS_CHANGING_WHILE_SENT, (l10n, a) => l10n.t(UPLOAD_KEEPS_CHANGING_WHILE_SENT, ...a)],
  [UPLOAD_KEEPS_CHANGING, (l10n, a) => l10n.t(UPLOAD_KEEPS_CHANGING, ...a)],
  [UPLOAD_NOW_EMPTY, (l10n, a) => l10n.t(UPLOAD_NOW_EMPTY, ...a)],
  [UPLOAD_NOW_TOO_LARGE, (l10n, a) => l10n.t(UPLOAD_NOW_TOO_LARGE, a[0] ?? '', translateReason(a[1] ?? '', l10n))],
  [UPLOAD_REFUSED, (l10n, a) => l10n.t(UPLOAD_REFUSED, ...a)],
];

const FAILURES: Matcher[] = matchers(OWN).sort(byExactFirst);
/** Other pipelines' stored texts that can end up as a task's reason. */
const MORE: Matcher[] = matchers([...DOWNLOAD_STOP_TRANSLATIONS, ...DESTINATION_TRANSLATIONS]).sort(byExactFirst);

const FILE_GONE_END = '; nothing was uploaded.';

/** UPLOAD_FILE_GONE: a file name may hold spaces, so the reason is the first tail a template knows. */
function fileGone(stored: string, l10n: SyncL10n): string | undefined {
  if (!stored.endsWith(FILE_GONE_END)) return undefined;
  const body = stored.slice(0, -FILE_GONE_END.length);
  for (let at = body.indexOf(' '); at > 0; at = body.indexOf(' ', at + 1)) {
    const reason = knownReason(body.slice(at + 1), l10n);
    if (reason !== undefined) return l10n.t(UPLOAD_FILE_GONE, body.slice(0, at), reason);
  }
  return undefined;
}

/** A stored failure reason in the user's language; unknown text comes back as it is. */
export function translateFailure(stored: string, l10n: SyncL10n): string {
  return findTranslation(FAILURES, stored, l10n) ?? findTranslation(MORE, stored, l10n) ?? fileGone(stored, l10n) ?? translateReason(stored, l10n);
}
