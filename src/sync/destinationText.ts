// The destinations' own notices and errors that VS Code shows: Google Drive's word that its folder
// was trashed or deleted (SyncPlan.warnings, from the destination check), Flickr's "budget spent"
// error (Verify's stop, the Activity view, a listing's error) and the two services' own failures
// (a task's reason in Activity, a download's stop). Made in English where the destination
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
/** Drive's needs-you reason when the sign-in lacks Drive's scope (googleDrive/rules.ts). */
export const DRIVE_NO_ACCESS = 'Photo Sync may not use Google Drive with this sign-in: sync the folder again and allow Google Drive access when Google asks.';
/** Flickr's own failures (flickr/tickets.ts, flickr/provider.ts). {0}: the file; {1}: the ticket. */
export const FLICKR_TICKET_FAILED = 'Flickr accepted {0} but could not process it (upload ticket {1} failed); nothing was added. It is tried again on the next sync.';
/** {0}: the file name (or Flickr's id). */
export const FLICKR_ORIGINAL_UNAVAILABLE = 'Flickr does not offer the original of {0} to this account (originals may be switched off, or the account may download only smaller sizes). Photo Sync does not keep a smaller copy in its place.';
/** {0}: the album. */
export const FLICKR_NEEDS_FIRST_PHOTO = 'A Flickr album cannot exist without a photo: “{0}” is created with its first photo.';
export const FLICKR_DELETE_REFUSED = 'Photo Sync deletes photos on Flickr only for a sync folder with mirror deletes on; nothing was deleted.';

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
  [DRIVE_NO_ACCESS, (l10n) => l10n.t(DRIVE_NO_ACCESS)],
  [FLICKR_TICKET_FAILED, (l10n, a) => l10n.t(FLICKR_TICKET_FAILED, ...a)],
  [FLICKR_ORIGINAL_UNAVAILABLE, (l10n, a) => l10n.t(FLICKR_ORIGINAL_UNAVAILABLE, ...a)],
  [FLICKR_NEEDS_FIRST_PHOTO, (l10n, a) => l10n.t(FLICKR_NEEDS_FIRST_PHOTO, ...a)],
  [FLICKR_DELETE_REFUSED, (l10n) => l10n.t(FLICKR_DELETE_REFUSED)],
];

const TEXTS = matchers(DESTINATION_TRANSLATIONS).sort(byExactFirst);

/** A destination's notice or error in the user's language; unknown text comes back as it is. */
export function translateDestinationText(stored: string, l10n: SyncL10n): string {
  return findTranslation(TEXTS, stored, l10n) ?? stored;
}
