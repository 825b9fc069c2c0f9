// Tells what a Takeout folder is: the Google Photos root (its name is localised), a year folder
// ("Photos from 2019"), a special folder (trash, archive, locked, failed videos) or an album.
// Names from immich-go docs/misc/google-takeout.md and the GPTH (Xentraxx) folder classifier.

export type FolderKind = 'year' | 'album' | 'trash' | 'archive' | 'locked' | 'failed-videos' | 'photos-root' | 'outside';

export interface FolderInfo {
  readonly path: string;
  readonly kind: FolderKind;
  readonly year?: number;
  /** For albums: the metadata JSON's title, else the folder name. */
  readonly albumTitle?: string;
  /** "Untitled" / "Sans titre"…: Takeout may have merged several untitled albums into it. */
  readonly untitled?: boolean;
}

const PHOTOS_ROOT_NAMES = new Set(['Google Photos', 'Google Foto', 'Google Fotos', 'Fotky Google', 'Google Фото', 'Google Снимки'].map((n) => n.normalize('NFC')));
const YEAR_FOLDER = /^(?:Photos from|Fotos del|Fotos von) ((?:18|19|20)\d{2})$/;
const SPECIAL: ReadonlyMap<string, FolderKind> = new Map<string, FolderKind>([
  ...['Trash', 'Corbeille', 'Papierkorb', 'Cestino', 'Papelera', 'Lixeira', 'Prullenbak', 'Kosz', 'Корзина'].map((n) => [n, 'trash'] as [string, FolderKind]),
  ...['Archive', 'Archiv', 'Archivio', 'Archivo', 'Archief'].map((n) => [n, 'archive'] as [string, FolderKind]),
  ['Locked Folder', 'locked'],
  ['Failed Videos', 'failed-videos'],
]);
const UNTITLED = /^(?:Untitled|Sans titre|Sin título|Senza titolo|Ohne Titel|Zonder titel|Sem título)(?:\s*\(\d+\))?$/i;

/**
 * Where the Google Photos tree starts in an entry path: after `…/Google Photos/` (any language),
 * or at the top when the user opened that folder itself.
 */
export function photosRootOf(folder: string): string | undefined {
  const parts = folder.split('/');
  const at = parts.findIndex((p) => PHOTOS_ROOT_NAMES.has(p));
  if (at >= 0) return parts.slice(0, at + 1).join('/');
  // Opened below the root: a year folder or album at the top level still counts.
  return parts[0] === 'Takeout' ? undefined : '';
}

export function classifyFolder(folder: string, albumTitle: string | undefined): FolderInfo {
  const root = photosRootOf(folder);
  if (root === undefined) return { path: folder, kind: 'outside' };
  if (folder === root) return { path: folder, kind: 'photos-root' };
  const rest = root === '' ? folder : folder.slice(root.length + 1);
  const top = rest.split('/')[0];
  const year = YEAR_FOLDER.exec(top);
  if (year) return { path: folder, kind: 'year', year: Number(year[1]) };
  const special = SPECIAL.get(top);
  if (special && albumTitle === undefined) return { path: folder, kind: special };
  const title = albumTitle?.trim() || top;
  return { path: folder, kind: 'album', albumTitle: title, untitled: UNTITLED.test(top) || albumTitle === '' };
}
