// What the setting parsers (config.ts, download/settings.ts, takeout/settings.ts) say about a value
// they could not use. The parsers write it in English (the command line prints it, and strips the
// "photoSync." prefix); VS Code's notifications translate it where they show it, with
// translateSettingProblem(), which recognises a problem by its template and hands the template and
// its values to `l10n.t` (as reasonText.ts does for the scanner). Setting names stay as written.
import type { SyncL10n } from './l10n';
import { byExactFirst, findTranslation, matchers, type Translate } from './reasonText';
import { translateLayoutProblem } from './layoutText';

// photoSync.folders ({0}: the entry, e.g. photoSync.folders[2], or one of its keys).
export const SETTING_FOLDERS_NOT_LIST = 'photoSync.folders must be a list of folders.';
export const SETTING_FOLDER_NOT_OBJECT = '{0} must be an object with a "path".';
export const SETTING_FOLDER_PATH = '{0} must be an absolute folder path.';
export const SETTING_FOLDER_ARCHIVE = '{0}: "afterUpload": "archive" needs an absolute "archivePath"; files will be kept in place.';
export const SETTING_FOLDER_DESTINATION = '{0} must be the name of a destination, e.g. "google-photos"; using Google Photos.';
export const SETTING_FOLDER_REGEX = '{0}: "{1}" is not a valid regular expression and was ignored.';
export const SETTING_ALBUM_NOT_OBJECT = '{0} must be an object like {"mode": "subfolders"}; using sub-folder albums.';
export const SETTING_ALBUM_TEMPLATE_MISSING = '{0} is missing; using sub-folder albums.';
export const SETTING_ALBUM_MODE_UNKNOWN = '{0} "{1}" is unknown; using sub-folder albums.';
export const SETTING_FOLDER_FLAG = '{0} must be true or false; using the default.';
export const SETTING_ACCOUNT_EMPTY = '{0} is empty; the folder syncs with the default account. Use "Choose Account…" on its row to pick one.';
export const SETTING_ACCOUNT_NOT_NAME = '{0} must be the name of a signed-in account as the Accounts view shows it (e.g. "you@gmail.com"); the folder is not synced until it names one.';
// photoSync.download.* and photoSync.takeout.*.
export const SETTING_DOWNLOAD_LAYOUT = 'photoSync.download.layout: {0} Using "{1}".';
export const SETTING_DOWNLOAD_SIDECAR = 'photoSync.download.sidecar must be "none", "xmp" or "json"; using "{0}".';
export const SETTING_TAKEOUT_WRITE_METADATA = 'photoSync.takeout.writeMetadata must be "missing", "overwrite" or "off"; using "missing".';

// One call per template with the template's own name, so `npm run l10n` finds each message.
const PROBLEMS = matchers([
  [SETTING_FOLDERS_NOT_LIST, (l10n) => l10n.t(SETTING_FOLDERS_NOT_LIST)],
  [SETTING_FOLDER_NOT_OBJECT, (l10n, a) => l10n.t(SETTING_FOLDER_NOT_OBJECT, ...a)],
  [SETTING_FOLDER_PATH, (l10n, a) => l10n.t(SETTING_FOLDER_PATH, ...a)],
  [SETTING_FOLDER_ARCHIVE, (l10n, a) => l10n.t(SETTING_FOLDER_ARCHIVE, ...a)],
  [SETTING_FOLDER_DESTINATION, (l10n, a) => l10n.t(SETTING_FOLDER_DESTINATION, ...a)],
  [SETTING_FOLDER_REGEX, (l10n, a) => l10n.t(SETTING_FOLDER_REGEX, ...a)],
  [SETTING_ALBUM_NOT_OBJECT, (l10n, a) => l10n.t(SETTING_ALBUM_NOT_OBJECT, ...a)],
  [SETTING_ALBUM_TEMPLATE_MISSING, (l10n, a) => l10n.t(SETTING_ALBUM_TEMPLATE_MISSING, ...a)],
  [SETTING_ALBUM_MODE_UNKNOWN, (l10n, a) => l10n.t(SETTING_ALBUM_MODE_UNKNOWN, ...a)],
  [SETTING_FOLDER_FLAG, (l10n, a) => l10n.t(SETTING_FOLDER_FLAG, ...a)],
  [SETTING_ACCOUNT_EMPTY, (l10n, a) => l10n.t(SETTING_ACCOUNT_EMPTY, ...a)],
  [SETTING_ACCOUNT_NOT_NAME, (l10n, a) => l10n.t(SETTING_ACCOUNT_NOT_NAME, ...a)],
  // {0} is the layout's own problem (localfs/layout.ts), translated as one.
  [SETTING_DOWNLOAD_LAYOUT, (l10n, a) => l10n.t(SETTING_DOWNLOAD_LAYOUT, translateLayoutProblem(a[0] ?? '', l10n), a[1] ?? '')],
  [SETTING_DOWNLOAD_SIDECAR, (l10n, a) => l10n.t(SETTING_DOWNLOAD_SIDECAR, ...a)],
  [SETTING_TAKEOUT_WRITE_METADATA, (l10n) => l10n.t(SETTING_TAKEOUT_WRITE_METADATA)],
] as [string, Translate][]).sort(byExactFirst);

/** A setting problem in the user's language; text no template knows comes back as it is. */
export function translateSettingProblem(stored: string, l10n: SyncL10n): string {
  return findTranslation(PROBLEMS, stored, l10n) ?? stored;
}
