// Why a file was skipped, excluded, refused or judged damaged — the reasons the scanner (scan.ts,
// damage.ts, filters.ts) and the destinations' rules write. They are stored in the index in English
// (syncFiles.lastError): code compares them (scanRecorder: a changed reason rewrites the row; the
// "damaged: " prefix is matched) and a change of VS Code's language must not rewrite every row. So
// the producers format them from the templates below with englishReason(), and what shows them (the
// tree, the Explorer badges, the review) translates at display time with translateReason(), which
// recognises a stored English reason by its template and hands the template and its values to
// `l10n.t`. A reason no template knows (older text, an error's own message) is shown as it is.
import type { SyncL10n } from './l10n';
import { englishL10n } from '../util/englishL10n';

// The scanner.
export const REASON_HIDDEN = 'a hidden file';
export const REASON_EMPTY = 'the file is empty (0 bytes)';
export const REASON_UNREADABLE_MAYBE = 'cannot be read (permission denied?)';
export const REASON_CHANGED_WHILE_READ = 'changed while being read; it will be picked up by the next sync';
export const REASON_NOT_INCLUDED = 'not matched by the include patterns';
export const REASON_EXCLUDED = 'matched by an exclude pattern';
export const REASON_PERMISSION = 'cannot be read: permission denied';
export const REASON_GONE = 'disappeared before it could be read';
export const REASON_IS_FOLDER = 'is a folder';
export const REASON_IO = 'cannot be read: disk input/output error';
export const REASON_FS_OTHER = 'cannot be read: {0}';
// The scanner's problems with a sync folder's root (ScanResult.problems; the Verify view translates them).
export const FOLDER_MISSING = 'Folder {0} does not exist or cannot be read. Reconnect the drive or remove it from photoSync.folders.';
export const FOLDER_NOT_A_FOLDER = '{0} is not a folder.';
// The destinations' rules.
export const REASON_UNSUPPORTED_GOOGLE_PHOTOS = 'not a photo or video type Google Photos accepts';
export const REASON_UNSUPPORTED_FLICKR = 'not a photo or video type Flickr accepts (JPEG, PNG, GIF, TIFF, HEIC, MP4, MOV)';
export const REASON_UNSUPPORTED_DRIVE = 'not a photo or video type';
export const REASON_TOO_LARGE_GOOGLE_PHOTOS_PHOTO = "larger than Google Photos' {0} limit for photos";
export const REASON_TOO_LARGE_GOOGLE_PHOTOS_VIDEO = "larger than Google Photos' {0} limit for videos";
export const REASON_TOO_LARGE_FLICKR_PHOTO = "larger than Flickr's {0} limit for photos";
export const REASON_TOO_LARGE_FLICKR_VIDEO = "larger than Flickr's {0} limit for videos";
export const REASON_TOO_LARGE_DRIVE = 'larger than Google Drive’s {0} limit per file';
// damage.ts: stored as "damaged: " + one of these.
export const DAMAGED_PREFIX = 'damaged: ';
export const DAMAGED_LABELLED = 'damaged: {0}';
export const DAMAGE_NOT_FORMAT = 'its bytes are not a {0} (nor another image or video format) — the file may be cut off or overwritten';
export const DAMAGE_JPEG_NO_SOI = 'the JPEG does not start with its start-of-image marker';
export const DAMAGE_JPEG_BREAKS = "the JPEG's structure breaks at byte {0}";
export const DAMAGE_JPEG_NO_FRAME = 'the JPEG has no image frame';
export const DAMAGE_JPEG_CUT = 'the JPEG ends before its end-of-image marker (the file is cut off)';
export const DAMAGE_PNG_SIGNATURE = 'the PNG signature is wrong';
export const DAMAGE_PNG_BREAKS = "the PNG's structure breaks at byte {0}";
export const DAMAGE_PNG_NO_HEADER = 'the PNG does not begin with its header chunk';
export const DAMAGE_PNG_CUT_IN_CHUNK = 'the PNG is cut off inside its {0} chunk';
export const DAMAGE_PNG_CHECKSUM = "the PNG's {0} chunk fails its checksum";
export const DAMAGE_PNG_NO_DATA = 'the PNG has no image data';
export const DAMAGE_PNG_CUT = 'the PNG ends before its end chunk (the file is cut off)';
export const DAMAGE_GIF_CUT = 'the GIF ends before its trailer (the file is cut off)';
export const DAMAGE_GIF_HEADER = 'the GIF header is wrong';
export const DAMAGE_GIF_NO_IMAGE = 'the GIF has no image';
export const DAMAGE_GIF_BREAKS = "the GIF's structure breaks at byte {0}";
export const DAMAGE_VIDEO_STRAY = 'the video ends with {0} stray bytes after its last box';
export const DAMAGE_VIDEO_BREAKS = "the video's structure breaks at byte {0}";
export const DAMAGE_VIDEO_CUT_IN_BOX = 'the video is cut off inside its {0} box';
export const DAMAGE_VIDEO_CUT_MISSING = "the video is cut off inside its '{0}' box ({1} bytes missing)";
export const DAMAGE_VIDEO_NO_MOOV_CUT = "the video has no 'moov' box and is cut off inside its '{0}' box (the recording was not finished)";
export const DAMAGE_VIDEO_NO_MOOV = "the video has no 'moov' box (the recording was not finished)";

export type Translate = (l10n: SyncL10n, args: string[]) => string;

// One call per template with the template's own name, so `npm run l10n` finds each message.
const TRANSLATIONS: [string, Translate][] = [
  [REASON_HIDDEN, (l10n) => l10n.t(REASON_HIDDEN)],
  [REASON_EMPTY, (l10n) => l10n.t(REASON_EMPTY)],
  [REASON_UNREADABLE_MAYBE, (l10n) => l10n.t(REASON_UNREADABLE_MAYBE)],
  [REASON_CHANGED_WHILE_READ, (l10n) => l10n.t(REASON_CHANGED_WHILE_READ)],
  [REASON_NOT_INCLUDED, (l10n) => l10n.t(REASON_NOT_INCLUDED)],
  [REASON_EXCLUDED, (l10n) => l10n.t(REASON_EXCLUDED)],
  [REASON_PERMISSION, (l10n) => l10n.t(REASON_PERMISSION)],
  [REASON_GONE, (l10n) => l10n.t(REASON_GONE)],
  [REASON_IS_FOLDER, (l10n) => l10n.t(REASON_IS_FOLDER)],
  [REASON_IO, (l10n) => l10n.t(REASON_IO)],
  [REASON_FS_OTHER, (l10n, a) => l10n.t(REASON_FS_OTHER, ...a)],
  [REASON_UNSUPPORTED_GOOGLE_PHOTOS, (l10n) => l10n.t(REASON_UNSUPPORTED_GOOGLE_PHOTOS)],
  [REASON_UNSUPPORTED_FLICKR, (l10n) => l10n.t(REASON_UNSUPPORTED_FLICKR)],
  [REASON_UNSUPPORTED_DRIVE, (l10n) => l10n.t(REASON_UNSUPPORTED_DRIVE)],
  [REASON_TOO_LARGE_GOOGLE_PHOTOS_PHOTO, (l10n, a) => l10n.t(REASON_TOO_LARGE_GOOGLE_PHOTOS_PHOTO, ...a)],
  [REASON_TOO_LARGE_GOOGLE_PHOTOS_VIDEO, (l10n, a) => l10n.t(REASON_TOO_LARGE_GOOGLE_PHOTOS_VIDEO, ...a)],
  [REASON_TOO_LARGE_FLICKR_PHOTO, (l10n, a) => l10n.t(REASON_TOO_LARGE_FLICKR_PHOTO, ...a)],
  [REASON_TOO_LARGE_FLICKR_VIDEO, (l10n, a) => l10n.t(REASON_TOO_LARGE_FLICKR_VIDEO, ...a)],
  [REASON_TOO_LARGE_DRIVE, (l10n, a) => l10n.t(REASON_TOO_LARGE_DRIVE, ...a)],
];

const DAMAGE_TRANSLATIONS: [string, Translate][] = [
  [DAMAGE_NOT_FORMAT, (l10n, a) => l10n.t(DAMAGE_NOT_FORMAT, ...a)],
  [DAMAGE_JPEG_NO_SOI, (l10n) => l10n.t(DAMAGE_JPEG_NO_SOI)],
  [DAMAGE_JPEG_BREAKS, (l10n, a) => l10n.t(DAMAGE_JPEG_BREAKS, ...a)],
  [DAMAGE_JPEG_NO_FRAME, (l10n) => l10n.t(DAMAGE_JPEG_NO_FRAME)],
  [DAMAGE_JPEG_CUT, (l10n) => l10n.t(DAMAGE_JPEG_CUT)],
  [DAMAGE_PNG_SIGNATURE, (l10n) => l10n.t(DAMAGE_PNG_SIGNATURE)],
  [DAMAGE_PNG_BREAKS, (l10n, a) => l10n.t(DAMAGE_PNG_BREAKS, ...a)],
  [DAMAGE_PNG_NO_HEADER, (l10n) => l10n.t(DAMAGE_PNG_NO_HEADER)],
  [DAMAGE_PNG_CUT_IN_CHUNK, (l10n, a) => l10n.t(DAMAGE_PNG_CUT_IN_CHUNK, ...a)],
  [DAMAGE_PNG_CHECKSUM, (l10n, a) => l10n.t(DAMAGE_PNG_CHECKSUM, ...a)],
  [DAMAGE_PNG_NO_DATA, (l10n) => l10n.t(DAMAGE_PNG_NO_DATA)],
  [DAMAGE_PNG_CUT, (l10n) => l10n.t(DAMAGE_PNG_CUT)],
  [DAMAGE_GIF_CUT, (l10n) => l10n.t(DAMAGE_GIF_CUT)],
  [DAMAGE_GIF_HEADER, (l10n) => l10n.t(DAMAGE_GIF_HEADER)],
  [DAMAGE_GIF_NO_IMAGE, (l10n) => l10n.t(DAMAGE_GIF_NO_IMAGE)],
  [DAMAGE_GIF_BREAKS, (l10n, a) => l10n.t(DAMAGE_GIF_BREAKS, ...a)],
  [DAMAGE_VIDEO_STRAY, (l10n, a) => l10n.t(DAMAGE_VIDEO_STRAY, ...a)],
  [DAMAGE_VIDEO_BREAKS, (l10n, a) => l10n.t(DAMAGE_VIDEO_BREAKS, ...a)],
  [DAMAGE_VIDEO_CUT_IN_BOX, (l10n, a) => l10n.t(DAMAGE_VIDEO_CUT_IN_BOX, ...a)],
  [DAMAGE_VIDEO_CUT_MISSING, (l10n, a) => l10n.t(DAMAGE_VIDEO_CUT_MISSING, ...a)],
  [DAMAGE_VIDEO_NO_MOOV_CUT, (l10n, a) => l10n.t(DAMAGE_VIDEO_NO_MOOV_CUT, ...a)],
  [DAMAGE_VIDEO_NO_MOOV, (l10n) => l10n.t(DAMAGE_VIDEO_NO_MOOV)],
];

export interface Matcher {
  exact?: string;
  pattern?: RegExp;
  translate: Translate;
}

export function matchers(list: [string, Translate][]): Matcher[] {
  return list.map(([template, translate]) => {
    if (!/\{\d+\}/.test(template)) return { exact: template, translate };
    // A value may be empty (a layout "" that is refused as empty).
    const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\d+\}/g, '(.*?)');
    return { pattern: new RegExp(`^${source}$`, 's'), translate };
  });
}

// Exact texts first: "cannot be read: permission denied" is its own message, not "cannot be read: {0}".
export const byExactFirst = (a: Matcher, b: Matcher) => Number(a.exact === undefined) - Number(b.exact === undefined);
const REASONS = matchers(TRANSLATIONS).sort(byExactFirst);
const DAMAGES = matchers(DAMAGE_TRANSLATIONS).sort(byExactFirst);

/** A stored reason in English: the template with its values (what the index keeps). */
export function englishReason(template: string, ...args: (string | number)[]): string {
  return englishL10n.t(template, ...args);
}

/** A damage reason as stored: "damaged: " + the template with its values. */
export function damagedReason(template: string, ...args: (string | number)[]): string {
  return DAMAGED_PREFIX + englishReason(template, ...args);
}

export function findTranslation(list: Matcher[], text: string, l10n: SyncL10n): string | undefined {
  for (const m of list) {
    if (m.exact !== undefined) {
      if (m.exact === text) return m.translate(l10n, []);
      continue;
    }
    const found = m.pattern?.exec(text);
    if (found) return m.translate(l10n, found.slice(1));
  }
  return undefined;
}

/**
 * A stored reason in the user's language. `withoutDamagedPrefix` leaves out "damaged: " where the
 * row already says so (the review's Damaged action). Unknown text comes back as it is.
 */
export function translateReason(stored: string, l10n: SyncL10n, options: { withoutDamagedPrefix?: boolean } = {}): string {
  if (stored.startsWith(DAMAGED_PREFIX) && knownReason(stored, l10n, options) === undefined) {
    const body = stored.slice(DAMAGED_PREFIX.length);
    return options.withoutDamagedPrefix ? body : l10n.t(DAMAGED_LABELLED, body);
  }
  return knownReason(stored, l10n, options) ?? stored;
}

/** As translateReason, but undefined when no template knows the reason (or the damage after "damaged: "). */
export function knownReason(stored: string, l10n: SyncL10n, options: { withoutDamagedPrefix?: boolean } = {}): string | undefined {
  if (stored.startsWith(DAMAGED_PREFIX)) {
    const translated = findTranslation(DAMAGES, stored.slice(DAMAGED_PREFIX.length), l10n);
    if (translated === undefined) return undefined;
    return options.withoutDamagedPrefix ? translated : l10n.t(DAMAGED_LABELLED, translated);
  }
  return findTranslation(REASONS, stored, l10n);
}
