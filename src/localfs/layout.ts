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

export class LayoutError extends Error {
  override name = 'LayoutError';
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
  const problem = (what: string) => new LayoutError(`The download layout "${template}" ${what}`);
  const text = template.trim();
  if (text === '') throw problem('is empty; use for example "photos/{yyyy}/{mm}/{filename}".');
  if (/^[a-z]:/i.test(text) || /^[\\/]/.test(text)) {
    throw problem('is an absolute path; it must be relative to the download folder, like "photos/{yyyy}/{mm}/{filename}".');
  }
  const segments = text.split(/[\\/]/);
  segments.forEach((segment) => {
    if (segment.trim() === '') throw problem('has an empty folder name (two slashes in a row, or one at the end).');
    if (segment === '.' || segment === '..') throw problem(`uses "${segment}", which would leave the download folder; only folder names and {tokens} are allowed.`);
    for (const [, token] of segment.matchAll(TOKEN)) {
      if (!(TOKENS as readonly string[]).includes(token)) {
        throw problem(`uses the unknown token {${token}}; known tokens are ${TOKENS.map((t) => `{${t}}`).join(', ')}.`);
      }
    }
    const literal = segment.replace(TOKEN, '');
    if (/[{}]/.test(literal)) throw problem(`has an unmatched "{" or "}" in "${segment}".`);
    const bad = NOT_IN_A_NAME.exec(literal);
    if (bad) throw problem(`contains "${bad[0]}", which Windows does not allow in a name.`);
    if (literal === segment && !isSafeName(segment)) throw problem(`has the folder name "${segment}", which is not allowed on every system (reserved name, leading dot, or trailing dot or space).`);
  });
  const withFilename = segments.filter((s) => s.includes('{filename}'));
  if (withFilename.length !== 1 || !segments[segments.length - 1].includes('{filename}') || segments[segments.length - 1].split('{filename}').length !== 2) {
    throw problem('must contain {filename} exactly once, in its last part (otherwise photos would overwrite each other).');
  }
  return { template: text, segments, usesAlbum: segments.some((s) => s.includes('{album}')) };
}

/** The calendar date of a capture time, in the offset it carries (see the top of this file). */
export function calendarDate(captureTime: string | Date): CalendarDate {
  if (captureTime instanceof Date) {
    if (Number.isNaN(captureTime.getTime())) throw new LayoutError('The photo has an invalid capture time.');
    const iso = captureTime.toISOString(); // UTC
    return { yyyy: iso.slice(0, 4), mm: iso.slice(5, 7), dd: iso.slice(8, 10) };
  }
  const match = RFC3339.exec(String(captureTime).trim());
  if (!match || Number.isNaN(Date.parse(match[0]))) {
    throw new LayoutError(`The photo's capture time "${String(captureTime)}" is not an RFC 3339 time such as 2024-05-01T10:00:00Z.`);
  }
  const [, yyyy, mm, dd] = match;
  // Date.parse accepts 2024-02-31; a calendar date must exist.
  const check = new Date(Date.UTC(+yyyy, +mm - 1, +dd));
  if (check.getUTCMonth() !== +mm - 1 || check.getUTCDate() !== +dd) throw new LayoutError(`The photo's capture time "${captureTime}" is not a real date.`);
  return { yyyy, mm, dd };
}

/**
 * The absolute path of `item` below `root`. Every folder level and the file name are sanitised
 * (safeName); the result is always strictly inside `root`.
 */
export function renderLayout(root: string, layout: string | Layout, item: LayoutItem): string {
  const compiled = typeof layout === 'string' ? compileLayout(layout) : layout;
  if (compiled.usesAlbum && item.album === undefined) {
    throw new LayoutError(`The download layout "${compiled.template}" uses {album}, but "${item.filename}" is not downloaded into an album.`);
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
    throw new LayoutError(`The download layout "${compiled.template}" leads outside the download folder ${root} for "${item.filename}".`);
  }
  return target;
}

/** Where the album tree's entry for a stored file goes: `albums/{yyyy}/{mm} {album}/{filename}`. */
export function albumLinkPath(root: string, album: { title: string; date: string | Date }, storedFileName: string, layout: string | Layout = ALBUM_LINK_LAYOUT): string {
  return renderLayout(root, layout, { filename: storedFileName, captureTime: album.date, album: album.title });
}
