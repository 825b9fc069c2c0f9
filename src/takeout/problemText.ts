// The reader's explanations of a refused, damaged or odd entry (ReadProblem.message) and of a
// sidecar's odd values. They are made in English from the templates below (the log and the command
// line print them as they are); VS Code's "Show Report" translates them by their template
// (src/sync/takeout/problemText.ts). A value quoting Node's, zlib's or yauzl's own words stays as it is.
import { englishL10n } from '../util/englishL10n';

/** The template with its values, in English. */
export function takeoutProblem(template: string, ...args: (string | number)[]): string {
  return englishL10n.t(template, ...args);
}

// Entry names (entryNames.ts), refused as a whole: "refused: " + one of these.
export const TAKEOUT_REFUSED = 'refused: {0}';
export const TAKEOUT_NAME_CONTROL = 'the name contains control characters';
export const TAKEOUT_NAME_ABSOLUTE = 'the name is an absolute path';
export const TAKEOUT_NAME_CLIMBS = 'the name climbs out of the folder with ..';
export const TAKEOUT_NAME_DRIVE = 'the name contains a drive letter';
export const TAKEOUT_NAME_EMPTY = 'the name is empty';
// An extracted folder (folderReader.ts). {0}: Node's words.
export const TAKEOUT_FOLDER_UNREADABLE = 'the folder cannot be read ({0})';
export const TAKEOUT_SYMLINK = 'a symbolic link is never followed';
export const TAKEOUT_NOT_REGULAR = 'not a regular file';
// Size and ratio limits (guards.ts). {n}: sizes as formatBytes writes them, ratios as numbers.
export const TAKEOUT_ENTRY_TOO_LARGE = 'the entry declares {0}, over the {1} entry limit';
export const TAKEOUT_ENTRY_INFLATES = 'the entry inflates {0}:1 ({1} → {2}), over the {3}:1 limit';
export const TAKEOUT_ARCHIVE_TOO_LARGE = 'the archive unpacks to more than {0} (limit)';
export const TAKEOUT_ARCHIVE_INFLATES = "the archive's {0} unpack to {1} or more, over the {2}:1 limit";
// An entry's bytes against what the archive declares (guards.ts EntryCheck).
export const TAKEOUT_ENTRY_HOLDS_MORE = 'the entry holds more than its declared {0}';
export const TAKEOUT_ENTRY_ENDS_EARLY = 'the entry ends after {0} of {1} bytes';
export const TAKEOUT_ENTRY_CRC = 'the entry fails its CRC-32 check (damaged bytes)';
/** {0}: one of the limits above (or a zlib stage's), then the part stops. */
export const TAKEOUT_REST_NOT_READ = '{0}; the rest of the part is not read';
// Opening a part (readArchive.ts). {0}: the file; {1}: Node's words.
export const TAKEOUT_CANNOT_OPEN = 'cannot open {0} ({1})';
export const TAKEOUT_NOT_AN_ARCHIVE = '{0} is not a zip, tgz or tar archive, nor a folder';
// tar / tgz parts (tarReader.ts).
/** {0}: the tar entry type (symlink, link, directory…). */
export const TAKEOUT_TAR_LINK = 'a {0} entry is never followed';
export const TAKEOUT_TAR_TOO_LARGE = 'the archive unpacks to more than the {0} byte limit; the rest is not read';
/** {0}: where (TAKEOUT_AT_OR_AFTER or TAKEOUT_BEFORE_FIRST). */
export const TAKEOUT_TAR_ENDS = 'the archive ends {0}; everything before it was read';
/** {0}: where; {1}: zlib's or tar's words. */
export const TAKEOUT_TAR_DAMAGED = 'the archive is damaged {0} ({1}); gzip cannot resume after damage, so the rest of the part is lost';
export const TAKEOUT_AT_OR_AFTER = 'at or after {0}';
export const TAKEOUT_BEFORE_FIRST = 'before the first entry';
// zip parts (zipReader.ts, zipRecovery.ts). {n}: yauzl's words, counts and offsets.
export const TAKEOUT_ZIP_NO_DIRECTORY = 'the zip has no readable central directory ({0}); reading it entry by entry from the start';
export const TAKEOUT_ZIP_DIRECTORY_DAMAGED = "the zip's central directory is damaged after {0} entries ({1}); reading the rest entry by entry";
export const TAKEOUT_ENCRYPTED = 'the entry is encrypted';
export const TAKEOUT_COMPRESSION = 'unsupported compression method {0}';
export const TAKEOUT_UNREADABLE_BYTES_END = 'unreadable bytes at offset {0}; nothing after them could be read';
export const TAKEOUT_UNREADABLE_BYTES_RESUMED = 'unreadable bytes at offset {0}; resumed at offset {1}';
export const TAKEOUT_ZIP_CUT = 'the archive ends inside this entry; it and anything after it are missing';
// The scan (scan.ts) and the sidecars' JSON (sidecarJson.ts). {0}: a field name (photoTakenTime, geoData…).
export const TAKEOUT_DUPLICATE_NAME = 'the same name appears again (another part, or a Unicode twin); the first copy is used';
export const TAKEOUT_JSON_TOO_LARGE = 'a {0}-byte JSON is not a Takeout sidecar; not read';
/** {0}: the JSON parser's words. */
export const TAKEOUT_JSON_INVALID = 'not valid JSON ({0})';
export const TAKEOUT_NO_TIMESTAMP = '{0} has no timestamp';
export const TAKEOUT_TIMESTAMP_NOT_SECONDS = '{0}.timestamp {1} is not a number of seconds';
export const TAKEOUT_TIMESTAMP_ZERO = '{0}.timestamp is 0 (unknown time), not used';
/** {2}: the time (ISO 8601) or TAKEOUT_OUT_OF_RANGE. */
export const TAKEOUT_TIMESTAMP_UNBELIEVABLE = '{0}.timestamp {1} ({2}) is not a believable time, not used';
export const TAKEOUT_OUT_OF_RANGE = 'out of range';
export const TAKEOUT_NO_COORDINATES = '{0} has no numeric latitude/longitude';
export const TAKEOUT_OFF_GLOBE = '{0} {1},{2} is outside the globe, not used';
export const TAKEOUT_URL_NOT_HTTPS = 'url {0} is not an https link, not used';
export const TAKEOUT_NOT_A_STRING = '{0} is not a string';
// The import (src/sync/takeout/placeEntry.ts). {0}: the file's name; {1}: why.
export const TAKEOUT_NO_XMP = '{0}: no XMP sidecar ({1})';
export const TAKEOUT_NO_ALBUM_ENTRY = 'No album entry for {0}: {1}';
