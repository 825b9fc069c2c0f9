// The reader's explanations of a Takeout entry (src/takeout/problemText.ts) in the user's language,
// recognised by their template as the scanner's reasons are (reasonText.ts). Values quoting Node's,
// zlib's or yauzl's words, names and numbers stay as they are; a text no template knows goes to the
// failures' translations (a full disk, a read-only folder) and otherwise stays as it is.
import {
  TAKEOUT_ENTRY_CRC,
  TAKEOUT_ENTRY_ENDS_EARLY,
  TAKEOUT_ENTRY_HOLDS_MORE,
  TAKEOUT_ARCHIVE_INFLATES,
  TAKEOUT_ARCHIVE_TOO_LARGE,
  TAKEOUT_AT_OR_AFTER,
  TAKEOUT_BEFORE_FIRST,
  TAKEOUT_CANNOT_OPEN,
  TAKEOUT_COMPRESSION,
  TAKEOUT_DUPLICATE_NAME,
  TAKEOUT_ENCRYPTED,
  TAKEOUT_ENTRY_INFLATES,
  TAKEOUT_ENTRY_TOO_LARGE,
  TAKEOUT_FOLDER_UNREADABLE,
  TAKEOUT_JSON_INVALID,
  TAKEOUT_JSON_TOO_LARGE,
  TAKEOUT_NAME_ABSOLUTE,
  TAKEOUT_NAME_CLIMBS,
  TAKEOUT_NAME_CONTROL,
  TAKEOUT_NAME_DRIVE,
  TAKEOUT_NAME_EMPTY,
  TAKEOUT_NOT_AN_ARCHIVE,
  TAKEOUT_NOT_A_STRING,
  TAKEOUT_NOT_REGULAR,
  TAKEOUT_NO_ALBUM_ENTRY,
  TAKEOUT_NO_COORDINATES,
  TAKEOUT_NO_TIMESTAMP,
  TAKEOUT_NO_XMP,
  TAKEOUT_OFF_GLOBE,
  TAKEOUT_OUT_OF_RANGE,
  TAKEOUT_REFUSED,
  TAKEOUT_REST_NOT_READ,
  TAKEOUT_SYMLINK,
  TAKEOUT_TAR_DAMAGED,
  TAKEOUT_TAR_ENDS,
  TAKEOUT_TAR_LINK,
  TAKEOUT_TAR_TOO_LARGE,
  TAKEOUT_TIMESTAMP_NOT_SECONDS,
  TAKEOUT_TIMESTAMP_UNBELIEVABLE,
  TAKEOUT_TIMESTAMP_ZERO,
  TAKEOUT_UNREADABLE_BYTES_END,
  TAKEOUT_UNREADABLE_BYTES_RESUMED,
  TAKEOUT_URL_NOT_HTTPS,
  TAKEOUT_ZIP_CUT,
  TAKEOUT_ZIP_DIRECTORY_DAMAGED,
  TAKEOUT_ZIP_NO_DIRECTORY,
} from '../../takeout/problemText';
import { translateFailure } from '../failureText';
import type { SyncL10n } from '../l10n';
import { byExactFirst, findTranslation, matchers, type Translate } from '../reasonText';

// One call per template with the template's own name, so `npm run l10n` finds each message. A value
// that is itself an explanation (after "refused: ", before "; the rest of the part is not read", the
// where of a tar archive) is translated in turn.
const PROBLEMS = matchers([
  [TAKEOUT_REFUSED, (l10n, a) => l10n.t(TAKEOUT_REFUSED, translateTakeoutProblem(a[0] ?? '', l10n))],
  [TAKEOUT_NAME_CONTROL, (l10n) => l10n.t(TAKEOUT_NAME_CONTROL)],
  [TAKEOUT_NAME_ABSOLUTE, (l10n) => l10n.t(TAKEOUT_NAME_ABSOLUTE)],
  [TAKEOUT_NAME_CLIMBS, (l10n) => l10n.t(TAKEOUT_NAME_CLIMBS)],
  [TAKEOUT_NAME_DRIVE, (l10n) => l10n.t(TAKEOUT_NAME_DRIVE)],
  [TAKEOUT_NAME_EMPTY, (l10n) => l10n.t(TAKEOUT_NAME_EMPTY)],
  [TAKEOUT_FOLDER_UNREADABLE, (l10n, a) => l10n.t(TAKEOUT_FOLDER_UNREADABLE, ...a)],
  [TAKEOUT_SYMLINK, (l10n) => l10n.t(TAKEOUT_SYMLINK)],
  [TAKEOUT_NOT_REGULAR, (l10n) => l10n.t(TAKEOUT_NOT_REGULAR)],
  [TAKEOUT_ENTRY_TOO_LARGE, (l10n, a) => l10n.t(TAKEOUT_ENTRY_TOO_LARGE, ...a)],
  [TAKEOUT_ENTRY_INFLATES, (l10n, a) => l10n.t(TAKEOUT_ENTRY_INFLATES, ...a)],
  [TAKEOUT_ENTRY_HOLDS_MORE, (l10n, a) => l10n.t(TAKEOUT_ENTRY_HOLDS_MORE, ...a)],
  [TAKEOUT_ENTRY_ENDS_EARLY, (l10n, a) => l10n.t(TAKEOUT_ENTRY_ENDS_EARLY, ...a)],
  [TAKEOUT_ENTRY_CRC, (l10n) => l10n.t(TAKEOUT_ENTRY_CRC)],
  [TAKEOUT_ARCHIVE_TOO_LARGE, (l10n, a) => l10n.t(TAKEOUT_ARCHIVE_TOO_LARGE, ...a)],
  [TAKEOUT_ARCHIVE_INFLATES, (l10n, a) => l10n.t(TAKEOUT_ARCHIVE_INFLATES, ...a)],
  [TAKEOUT_CANNOT_OPEN, (l10n, a) => l10n.t(TAKEOUT_CANNOT_OPEN, ...a)],
  [TAKEOUT_NOT_AN_ARCHIVE, (l10n, a) => l10n.t(TAKEOUT_NOT_AN_ARCHIVE, ...a)],
  [TAKEOUT_TAR_LINK, (l10n, a) => l10n.t(TAKEOUT_TAR_LINK, ...a)],
  [TAKEOUT_TAR_TOO_LARGE, (l10n, a) => l10n.t(TAKEOUT_TAR_TOO_LARGE, ...a)],
  [TAKEOUT_TAR_ENDS, (l10n, a) => l10n.t(TAKEOUT_TAR_ENDS, where(a[0] ?? '', l10n))],
  [TAKEOUT_TAR_DAMAGED, (l10n, a) => l10n.t(TAKEOUT_TAR_DAMAGED, where(a[0] ?? '', l10n), a[1] ?? '')],
  [TAKEOUT_ZIP_NO_DIRECTORY, (l10n, a) => l10n.t(TAKEOUT_ZIP_NO_DIRECTORY, ...a)],
  [TAKEOUT_ZIP_DIRECTORY_DAMAGED, (l10n, a) => l10n.t(TAKEOUT_ZIP_DIRECTORY_DAMAGED, ...a)],
  [TAKEOUT_ENCRYPTED, (l10n) => l10n.t(TAKEOUT_ENCRYPTED)],
  [TAKEOUT_COMPRESSION, (l10n, a) => l10n.t(TAKEOUT_COMPRESSION, ...a)],
  [TAKEOUT_UNREADABLE_BYTES_END, (l10n, a) => l10n.t(TAKEOUT_UNREADABLE_BYTES_END, ...a)],
  [TAKEOUT_UNREADABLE_BYTES_RESUMED, (l10n, a) => l10n.t(TAKEOUT_UNREADABLE_BYTES_RESUMED, ...a)],
  [TAKEOUT_ZIP_CUT, (l10n) => l10n.t(TAKEOUT_ZIP_CUT)],
  [TAKEOUT_DUPLICATE_NAME, (l10n) => l10n.t(TAKEOUT_DUPLICATE_NAME)],
  [TAKEOUT_JSON_TOO_LARGE, (l10n, a) => l10n.t(TAKEOUT_JSON_TOO_LARGE, ...a)],
  [TAKEOUT_JSON_INVALID, (l10n, a) => l10n.t(TAKEOUT_JSON_INVALID, ...a)],
  [TAKEOUT_NO_TIMESTAMP, (l10n, a) => l10n.t(TAKEOUT_NO_TIMESTAMP, ...a)],
  [TAKEOUT_TIMESTAMP_NOT_SECONDS, (l10n, a) => l10n.t(TAKEOUT_TIMESTAMP_NOT_SECONDS, ...a)],
  [TAKEOUT_TIMESTAMP_ZERO, (l10n, a) => l10n.t(TAKEOUT_TIMESTAMP_ZERO, ...a)],
  [TAKEOUT_TIMESTAMP_UNBELIEVABLE, (l10n, a) => l10n.t(TAKEOUT_TIMESTAMP_UNBELIEVABLE, a[0] ?? '', a[1] ?? '', a[2] === TAKEOUT_OUT_OF_RANGE ? l10n.t(TAKEOUT_OUT_OF_RANGE) : (a[2] ?? ''))],
  [TAKEOUT_NO_COORDINATES, (l10n, a) => l10n.t(TAKEOUT_NO_COORDINATES, ...a)],
  [TAKEOUT_OFF_GLOBE, (l10n, a) => l10n.t(TAKEOUT_OFF_GLOBE, ...a)],
  [TAKEOUT_URL_NOT_HTTPS, (l10n, a) => l10n.t(TAKEOUT_URL_NOT_HTTPS, ...a)],
  [TAKEOUT_NOT_A_STRING, (l10n, a) => l10n.t(TAKEOUT_NOT_A_STRING, ...a)],
  [TAKEOUT_NO_XMP, (l10n, a) => l10n.t(TAKEOUT_NO_XMP, a[0] ?? '', translateFailure(a[1] ?? '', l10n))],
  [TAKEOUT_NO_ALBUM_ENTRY, (l10n, a) => l10n.t(TAKEOUT_NO_ALBUM_ENTRY, a[0] ?? '', translateFailure(a[1] ?? '', l10n))],
  // Last: any explanation above followed by the part stopping.
  [TAKEOUT_REST_NOT_READ, (l10n, a) => l10n.t(TAKEOUT_REST_NOT_READ, translateTakeoutProblem(a[0] ?? '', l10n))],
] as [string, Translate][]).sort(byExactFirst);

/** Where a tar archive broke: "at or after <entry>" or "before the first entry". */
function where(text: string, l10n: SyncL10n): string {
  if (text === TAKEOUT_BEFORE_FIRST) return l10n.t(TAKEOUT_BEFORE_FIRST);
  const at = /^at or after (.*)$/s.exec(text);
  return at ? l10n.t(TAKEOUT_AT_OR_AFTER, at[1]) : text;
}

/** A Takeout entry's explanation in the user's language; unknown text as it is. */
export function translateTakeoutProblem(stored: string, l10n: SyncL10n): string {
  return findTranslation(PROBLEMS, stored, l10n) ?? translateFailure(stored, l10n);
}
