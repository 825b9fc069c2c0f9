// Where a downloaded photo goes below the download root, from a template such as
// `photos/{yyyy}/{mm}/{filename}`.
//
// Which day a photo belongs to: the calendar date written in its capture time, in the offset that time
// carries. Google's Library `creationTime` and Picker `createTime` are UTC instants (`…Z`), so with
// them a photo taken at 23:30 in New York on 31 December (04:30Z on 1 January) lands in January of
// the next year — exactly where gphotos-sync puts it, the same on every machine and after every trip
// (a re-run never moves a photo). A caller that knows the local time (EXIF DateTimeOriginal with
// OffsetTimeOriginal) passes it with its offset, `2024-12-31T23:30:00-05:00`, and the photo lands on
// the 31st. A time without an offset is a wall-clock time (Flickr's date taken, EXIF): its own date.
// A `Date` has no offset and counts as UTC. The computer's own time zone is never used.
import path from 'node:path';
import { isBelow } from './paths';
import { safeFileName, safeFolderName, isSafeName } from './safeName';
import { englishL10n } from '../util/englishL10n';

/** gphotos-sync's layout (seed 001). */
export const MONTH_LAYOUT = 'photos/{yyyy}/{mm}/{filename}';
/** A folder per day inside a folder per year (seed 002). */
export const DAY_LAYOUT = '{yyyy}/{yyyy}-{mm}-{dd}/{filename}';
/**
 * gphotos-sync's album tree; the date is the album's (gphotos-sync: its newest photo's, or its oldest
 * with --album-date-by-first-photo) and the file name is the stored file's.
 */
export const ALBUM_LINK_LAYOUT = 'albums/{yyyy}/{mm} {album}/{filename}';

const TOKENS = ['yyyy', 'mm', 'dd', 'album', 'filename'] as const;
type Token = (typeof TOKENS)[number];

// What is wrong with a layout or a capture time, in English (the log, the command line, a setting
// problem's text); VS Code shows them through their template (sync/layoutText.ts). {0} is the layout
// as written (or the capture time); the example, token names and {filename} are values, so a
// translation cannot change them.
export const LAYOUT_EMPTY = 'The download layout "{0}" is empty; use for example "{1}".';
export const LAYOUT_ABSOLUTE = 'The download layout "{0}" is an absolute path; it must be relative to the download folder, like "{1}".';
export const LAYOUT_EMPTY_FOLDER = 'The download layout "{0}" has an empty folder name (two slashes in a row, or one at the end).';
export const LAYOUT_LEAVES_FOLDER = 'The download layout "{0}" uses "{1}", which would leave the download folder; only folder names and tokens such as {2} are allowed.';
export const LAYOUT_UNKNOWN_TOKEN = 'The download layout "{0}" uses the unknown token {1}; known tokens are {2}.';
export const LAYOUT_UNMATCHED_BRACE = 'The download layout "{0}" has an unmatched "{" or "}" in "{1}".';
export const LAYOUT_BAD_CHARACTER = 'The download layout "{0}" contains "{1}", which Windows does not allow in a name.';
export const LAYOUT_UNSAFE_FOLDER = 'The download layout "{0}" has the folder name "{1}", which is not allowed on every system (reserved name, leading dot, or trailing dot or space).';
export const LAYOUT_FILENAME_ONCE = 'The download layout "{0}" must contain {1} exactly once, in its last part (otherwise photos would overwrite each other).';
export const LAYOUT_NEEDS_ALBUM = 'The download layout "{0}" uses {1}, but "{2}" is not downloaded into an album.';
export const LAYOUT_OUTSIDE = 'The download layout "{0}" leads outside the download folder {1} for "{2}".';
export const CAPTURE_TIME_INVALID = 'The photo has an invalid capture time.';
export const CAPTURE_TIME_NOT_RFC3339 = 'The photo\'s capture time "{0}" is not an RFC 3339 time such as {1}.';
export const CAPTURE_TIME_NOT_A_DATE = 'The photo\'s capture time "{0}" is not a real date.';

/** A layout or capture time that cannot work; `template` and `args` are what the message was made from. */
export class LayoutError extends Error {
  override name = 'LayoutError';
  readonly args: string[];
  constructor(
    readonly template: string,
    ...args: string[]
  ) {
    super(englishL10n.t(template, ...args));
    this.args = args;
  }
}

export interface LayoutItem {
  /** The name the server gives the file; sanitised here. */
  filename: string;
  /** RFC 3339 (`2024-05-01T10:00:00Z`, `…+02:00`) or a Date (UTC). */
  captureTime: string | Date;
  /** Album title, for templates with `{album}` (an untitled album: `''`, shown as "Untitled album"). */
  album?: string;
  /** File name used when nothing usable is left of `filename` (e.g. `<id>.jpg`). Default `unnamed`. */
  fallbackFilename?: string;
}

export interface CalendarDate {
  yyyy: string;
  mm: string;
  dd: string;
}

/** A checked template, split into its folder levels. */
export interface Layout {
  template: string;
  segments: readonly string[];
  usesAlbum: boolean;
}

// The offset is optional: a wall-clock time without one (EXIF, Flickr's date taken, Drive's image time)
// is the camera's own date, which is the day the photo belongs to.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?$/;
const TOKEN = /\{([^{}]*)\}/g;
// eslint-disable-next-line no-control-regex
const NOT_IN_A_NAME = /[<>:"|?*\u0000-\u001f]/;

/** Checks a template and explains what is wrong with it. */
export function compileLayout(template: string): Layout {
  const problem = (message: string, ...args: string[]) => new LayoutError(message, template, ...args);
  const text = template.trim();
  if (text === '') throw problem(LAYOUT_EMPTY, MONTH_LAYOUT);
  if (/^[a-z]:/i.test(text) || /^[\\/]/.test(text)) throw problem(LAYOUT_ABSOLUTE, MONTH_LAYOUT);
  const segments = text.split(/[\\/]/);
  segments.forEach((segment) => {
    if (segment.trim() === '') throw problem(LAYOUT_EMPTY_FOLDER);
    if (segment === '.' || segment === '..') throw problem(LAYOUT_LEAVES_FOLDER, segment, '{yyyy}');
    for (const [, token] of segment.matchAll(TOKEN)) {
      if (!(TOKENS as readonly string[]).includes(token)) {
        throw problem(LAYOUT_UNKNOWN_TOKEN, `{${token}}`, TOKENS.map((t) => `{${t}}`).join(', '));
      }
    }
    const literal = segment.replace(TOKEN, '');
    if (/[{}]/.test(literal)) throw problem(LAYOUT_UNMATCHED_BRACE, segment);
    const bad = NOT_IN_A_NAME.exec(literal);
    if (bad) throw problem(LAYOUT_BAD_CHARACTER, bad[0]);
    if (literal === segment && !isSafeName(segment)) throw problem(LAYOUT_UNSAFE_FOLDER, segment);
  });
  const withFilename = segments.filter((s) => s.includes('{filename}'));
  if (withFilename.length !== 1 || !segments[segments.length - 1].includes('{filename}') || segments[segments.length - 1].split('{filename}').length !== 2) {
    throw problem(LAYOUT_FILENAME_ONCE, '{filename}');
  }
  return { template: text, segments, usesAlbum: segments.some((s) => s.includes('{album}')) };
}

/** The calendar date of a capture time, in the offset it carries (see the top of this file). */
export function calendarDate(captureTime: string | Date): CalendarDate {
  if (captureTime instanceof Date) {
    if (Number.isNaN(captureTime.getTime())) throw new LayoutError(CAPTURE_TIME_INVALID);
    const iso = captureTime.toISOString(); // UTC
    return { yyyy: iso.slice(0, 4), mm: iso.slice(5, 7), dd: iso.slice(8, 10) };
  }
  const match = RFC3339.exec(String(captureTime).trim());
  if (!match || Number.isNaN(Date.parse(match[0]))) {
    throw new LayoutError(CAPTURE_TIME_NOT_RFC3339, String(captureTime), '2024-05-01T10:00:00Z');
  }
  const [, yyyy, mm, dd] = match;
  // Date.parse accepts 2024-02-31; a calendar date must exist.
  const check = new Date(Date.UTC(+yyyy, +mm - 1, +dd));
  if (check.getUTCMonth() !== +mm - 1 || check.getUTCDate() !== +dd) throw new LayoutError(CAPTURE_TIME_NOT_A_DATE, captureTime);
  return { yyyy, mm, dd };
}

/**
 * The absolute path of `item` below `root`. Every folder level and the file name are sanitised
 * (safeName); the result is always strictly inside `root`.
 */
export function renderLayout(root: string, layout: string | Layout, item: LayoutItem): string {
  const compiled = typeof layout === 'string' ? compileLayout(layout) : layout;
  if (compiled.usesAlbum && item.album === undefined) {
    throw new LayoutError(LAYOUT_NEEDS_ALBUM, compiled.template, '{album}', item.filename);
  }
  const date = calendarDate(item.captureTime);
  const values: Record<Token, string> = {
    ...date,
    // Values are made safe on their own first, so a "/" in an album title cannot add a folder level.
    album: item.album === undefined ? '' : safeFolderName(item.album, { fallback: 'Untitled album' }),
    filename: safeFileName(item.filename, { fallback: item.fallbackFilename }),
  };
  const last = compiled.segments.length - 1;
  const parts = compiled.segments.map((segment, index) => {
    const rendered = segment.replace(TOKEN, (_, token: Token) => values[token]);
    return index === last ? safeFileName(rendered, { fallback: values.filename }) : safeFolderName(rendered, { fallback: '_' });
  });
  const target = path.resolve(root, ...parts);
  if (!isBelow(root, target)) {
    throw new LayoutError(LAYOUT_OUTSIDE, compiled.template, root, item.filename);
  }
  return target;
}

/** Where the album tree's entry for a stored file goes: `albums/{yyyy}/{mm} {album}/{filename}`. */
export function albumLinkPath(root: string, album: { title: string; date: string | Date }, storedFileName: string, layout: string | Layout = ALBUM_LINK_LAYOUT): string {
  return renderLayout(root, layout, { filename: storedFileName, captureTime: album.date, album: album.title });
}
