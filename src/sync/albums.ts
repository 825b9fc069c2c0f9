// Which album a file goes to. Default (seed 004): every folder is an album named after it; a folder
// whose name matches a "merge" pattern goes into its parent's album; files directly in the sync
// root go into an album named after the root. Or a template, or one fixed name (seed 000).
import path from 'node:path';
import type { AlbumRule } from './config';
import type { CaptureDate } from '../metadata/captureDate';

/** Google's album title limit. */
export const MAX_ALBUM_TITLE = 500;

export interface AlbumContext {
  /** Absolute path of the sync root. */
  root: string;
  /** Folder names from the root down to the file's folder (empty for files in the root). */
  folders: readonly string[];
  /** Which of `folders` are merge folders (same length). */
  merged: readonly boolean[];
  captureDate?: CaptureDate;
}

export function rootName(root: string): string {
  return path.basename(path.resolve(root)) || root;
}

/** seed 004: the nearest non-merged folder name, walking up to the root. */
export function subfolderAlbum(ctx: AlbumContext): string {
  for (let i = ctx.folders.length - 1; i >= 0; i--) if (!ctx.merged[i]) return ctx.folders[i];
  return rootName(ctx.root);
}

export function templateUsesDate(template: string): boolean {
  return /\{(year|month|day)\}/.test(template);
}

export function renderTemplate(template: string, ctx: AlbumContext): string {
  const root = rootName(ctx.root);
  const folder = ctx.folders.length ? ctx.folders[ctx.folders.length - 1] : root;
  const parent = ctx.folders.length >= 2 ? ctx.folders[ctx.folders.length - 2] : ctx.folders.length === 1 ? root : '';
  const rel = ctx.folders.length ? ctx.folders.join('/') : root;
  const d = ctx.captureDate;
  const values: Record<string, string> = {
    folder,
    parent,
    path: rel,
    year: d ? String(d.year).padStart(4, '0') : '',
    month: d ? String(d.month).padStart(2, '0') : '',
    day: d ? String(d.day).padStart(2, '0') : '',
  };
  return template.replace(/\{(folder|parent|path|year|month|day)\}/g, (_m, key: string) => values[key]);
}

/**
 * A title Google accepts: NFC (macOS names folders in decomposed form; "Café" must be one album
 * whichever machine synced it), trimmed, whitespace collapsed, ≤ 500 characters (code points,
 * never half a surrogate pair).
 */
export function cleanTitle(title: string, fallback: string): string {
  // eslint-disable-next-line no-control-regex
  let t = title.normalize('NFC').replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim();
  if (!t) t = fallback.normalize('NFC');
  const chars = Array.from(t);
  return chars.length > MAX_ALBUM_TITLE ? chars.slice(0, MAX_ALBUM_TITLE).join('').trimEnd() : t;
}

export function albumTitleFor(rule: AlbumRule, ctx: AlbumContext): string {
  const fallback = rootName(ctx.root);
  switch (rule.mode) {
    case 'fixed':
      return cleanTitle(rule.name, fallback);
    case 'template':
      return cleanTitle(renderTemplate(rule.template, ctx), fallback);
    default:
      return cleanTitle(subfolderAlbum(ctx), fallback);
  }
}

/** "Name", "Name (2)", "Name (3)"… for albums that spill over Google's 20,000-item cap. */
export function spillTitle(base: string, part: number): string {
  if (part <= 1) return base;
  const suffix = ` (${part})`;
  const chars = Array.from(base);
  const room = MAX_ALBUM_TITLE - suffix.length;
  return (chars.length > room ? chars.slice(0, room).join('') : base) + suffix;
}
