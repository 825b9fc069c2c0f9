// The destinations' own notices and errors that VS Code shows: Google Drive's word that its folder
// was trashed or deleted (SyncPlan.warnings, from the destination check) and Flickr's "budget spent"
// error (Verify's stop, the Activity view, a listing's error). Made in English where the destination
// says them (the log, the command line) and translated where shown with translateDestinationText().
// A service's own error text is not here: it is shown as it is.
import type { SyncL10n } from './l10n';
import { byExactFirst, findTranslation, matchers, type Translate } from './reasonText';
import { quotaWords } from '../tasks/quotaWords';

/** {0}: the folder's name; {1}: DRIVE_FOLDER_TRASHED or DRIVE_FOLDER_DELETED; {2}: the other folder's name. */
export const DRIVE_FOLDER_LOST_USES_OTHER = 'The Google Drive folder “{0}” {1}; Photo Sync uses the other “{2}” folder it made.';
/** {2}: the folder's name again (each value once, in order, so the text can be read back). */
export const DRIVE_FOLDER_LOST_MADE_NEW = 'The Google Drive folder “{0}” {1}; Photo Sync made a new “{2}” folder and puts the albums there again (nothing is uploaded into the trash).';
export const DRIVE_FOLDER_TRASHED = 'was moved to the trash in Google Drive';
export const DRIVE_FOLDER_DELETED = 'was deleted in Google Drive';
/** {0}: calls an hour (3,600); {1}: when it resets (quotaWords.ts). */
export const FLICKR_BUDGET_SPENT = 'Photo Sync used the {0} Flickr calls this API key may make in an hour; it continues at {1}.';

function lost(text: string, l10n: SyncL10n): string {
  if (text === DRIVE_FOLDER_TRASHED) return l10n.t(DRIVE_FOLDER_TRASHED);
  if (text === DRIVE_FOLDER_DELETED) return l10n.t(DRIVE_FOLDER_DELETED);
  return text;
}

// One call per template with the template's own name, so `npm run l10n` finds each message.
export const DESTINATION_TRANSLATIONS: [string, Translate][] = [
  [DRIVE_FOLDER_LOST_USES_OTHER, (l10n, a) => l10n.t(DRIVE_FOLDER_LOST_USES_OTHER, a[0] ?? '', lost(a[1] ?? '', l10n), a[2] ?? '')],
  [DRIVE_FOLDER_LOST_MADE_NEW, (l10n, a) => l10n.t(DRIVE_FOLDER_LOST_MADE_NEW, a[0] ?? '', lost(a[1] ?? '', l10n), a[2] ?? '')],
  [FLICKR_BUDGET_SPENT, (l10n, a) => l10n.t(FLICKR_BUDGET_SPENT, a[0] ?? '', quotaWords(a[1] ?? '', l10n))],
];

const TEXTS = matchers(DESTINATION_TRANSLATIONS).sort(byExactFirst);

/** A destination's notice or error in the user's language; unknown text comes back as it is. */
export function translateDestinationText(stored: string, l10n: SyncL10n): string {
  return findTranslation(TEXTS, stored, l10n) ?? stored;
}
