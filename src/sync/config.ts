// The `photoSync.folders` setting: one entry per local folder kept in sync. Parsed defensively
// because users edit settings.json by hand; a bad entry is reported, never silently guessed.
// Problems are English; the UI translates them (settingsText.ts).
import { englishReason as say } from './reasonText';
import {
  SETTING_ACCOUNT_EMPTY, SETTING_ACCOUNT_NOT_NAME, SETTING_ALBUM_MODE_UNKNOWN, SETTING_ALBUM_NOT_OBJECT, SETTING_ALBUM_TEMPLATE_MISSING,
  SETTING_FOLDER_ARCHIVE, SETTING_FOLDER_DESTINATION, SETTING_FOLDER_FLAG, SETTING_FOLDER_NOT_OBJECT, SETTING_FOLDER_PATH,
  SETTING_FOLDER_REGEX, SETTING_FOLDERS_NOT_LIST,
} from './settingsText';

export type AlbumRule =
  | { mode: 'subfolders' }
  | { mode: 'template'; template: string }
  | { mode: 'fixed'; name: string };

export type AfterUpload = 'keep' | 'archive';

export interface SyncFolder {
  /** Absolute local path. */
  path: string;
  /** Where it is backed up: a destination id (src/destinations/factory.ts). Default "google-photos". */
  destination: string;
  album: AlbumRule;
  include: string[];
  exclude: string[];
  /** Folder-name regexes: the folder and its subtree are skipped (seed 004's EXCLUDE). */
  excludeFolders: string[];
  /** Folder-name regexes: synced, but into the parent's album (seed 004's EXCLUDE_IN_TITLE). */
  mergeFolders: string[];
  afterUpload: AfterUpload;
  archivePath?: string;
  /** Two-way sync (src/sync/twoWay): upload new files (default on); download items of the folder's albums missing locally; mirror local deletions (default off). */
  upload?: boolean;
  download?: boolean;
  mirrorDeletes?: boolean;
  /** The signed-in account it syncs with (its label as VS Code's sessions name it, e.g. an email); absent: the default account. */
  account?: string;
}

export const DEFAULT_DESTINATION = 'google-photos';
export const DEFAULT_EXCLUDE_FOLDERS = ['^\\.', '^__', '^@eaDir$'];
export const DEFAULT_MERGE_FOLDERS = ['^_'];

export interface ParsedFolders {
  folders: SyncFolder[];
  problems: string[];
}

function stringList(value: unknown, fallback: string[]): string[] {
  if (value === undefined || value === null) return [...fallback];
  if (!Array.isArray(value)) return [...fallback];
  return value.filter((v): v is string => typeof v === 'string');
}

function checkRegexes(list: string[], where: string, problems: string[]): string[] {
  return list.filter((source) => {
    try {
      new RegExp(source);
      return true;
    } catch {
      problems.push(say(SETTING_FOLDER_REGEX, where, source));
      return false;
    }
  });
}

function parseAlbumRule(value: unknown, where: string, problems: string[]): AlbumRule {
  if (value === undefined || value === null) return { mode: 'subfolders' };
  if (typeof value !== 'object') {
    problems.push(say(SETTING_ALBUM_NOT_OBJECT, `${where}.album`));
    return { mode: 'subfolders' };
  }
  const v = value as Record<string, unknown>;
  if (v.mode === 'template') {
    if (typeof v.template === 'string' && v.template.trim()) return { mode: 'template', template: v.template };
    problems.push(say(SETTING_ALBUM_TEMPLATE_MISSING, `${where}.album.template`));
    return { mode: 'subfolders' };
  }
  if (v.mode === 'fixed') {
    if (typeof v.name === 'string' && v.name.trim()) return { mode: 'fixed', name: v.name.trim() };
    problems.push(say(SETTING_ALBUM_TEMPLATE_MISSING, `${where}.album.name`));
    return { mode: 'subfolders' };
  }
  if (v.mode !== undefined && v.mode !== 'subfolders') problems.push(say(SETTING_ALBUM_MODE_UNKNOWN, `${where}.album.mode`, String(v.mode)));
  return { mode: 'subfolders' };
}

/** Parses the raw setting value. `isAbsolute` is injected so the rule is testable on any OS. */
export function parseSyncFolders(raw: unknown, isAbsolute: (p: string) => boolean): ParsedFolders {
  const problems: string[] = [];
  const folders: SyncFolder[] = [];
  if (raw === undefined || raw === null) return { folders, problems };
  if (!Array.isArray(raw)) return { folders, problems: [SETTING_FOLDERS_NOT_LIST] };
  raw.forEach((entry, i) => {
    const where = `photoSync.folders[${i}]`;
    if (typeof entry !== 'object' || entry === null) {
      problems.push(say(SETTING_FOLDER_NOT_OBJECT, where));
      return;
    }
    const e = entry as Record<string, unknown>;
    if (typeof e.path !== 'string' || !isAbsolute(e.path)) {
      problems.push(say(SETTING_FOLDER_PATH, `${where}.path`));
      return;
    }
    const afterUpload: AfterUpload = e.afterUpload === 'archive' ? 'archive' : 'keep';
    const archivePath = typeof e.archivePath === 'string' && e.archivePath ? e.archivePath : undefined;
    if (afterUpload === 'archive' && (!archivePath || !isAbsolute(archivePath))) {
      problems.push(say(SETTING_FOLDER_ARCHIVE, where));
    }
    if (e.destination !== undefined && (typeof e.destination !== 'string' || !e.destination.trim())) {
      problems.push(say(SETTING_FOLDER_DESTINATION, `${where}.destination`));
    }
    folders.push({
      path: e.path,
      destination: typeof e.destination === 'string' && e.destination.trim() ? e.destination.trim() : DEFAULT_DESTINATION,
      album: parseAlbumRule(e.album, where, problems),
      include: stringList(e.include, []),
      exclude: stringList(e.exclude, []),
      excludeFolders: checkRegexes(stringList(e.excludeFolders, DEFAULT_EXCLUDE_FOLDERS), `${where}.excludeFolders`, problems),
      mergeFolders: checkRegexes(stringList(e.mergeFolders, DEFAULT_MERGE_FOLDERS), `${where}.mergeFolders`, problems),
      afterUpload: afterUpload === 'archive' && archivePath && isAbsolute(archivePath) ? 'archive' : 'keep',
      archivePath: archivePath && isAbsolute(archivePath) ? archivePath : undefined,
      ...twoWayFlags(e, where, problems),
      ...accountOf(e, where, problems),
    });
  });
  return { folders, problems };
}

/** `upload` / `download` / `mirrorDeletes` of a folder entry, only when set (booleans; anything else is reported). */
function twoWayFlags(e: Record<string, unknown>, where: string, problems: string[]): Pick<SyncFolder, 'upload' | 'download' | 'mirrorDeletes'> {
  const out: Pick<SyncFolder, 'upload' | 'download' | 'mirrorDeletes'> = {};
  for (const key of ['upload', 'download', 'mirrorDeletes'] as const) {
    if (e[key] === undefined) continue;
    if (typeof e[key] === 'boolean') out[key] = e[key];
    else problems.push(say(SETTING_FOLDER_FLAG, `${where}.${key}`));
  }
  return out;
}

/**
 * `account` of a folder entry. Something other than a name is reported and kept as written, so the
 * folder matches no signed-in account and is not synced: never another account in its place.
 */
function accountOf(e: Record<string, unknown>, where: string, problems: string[]): Pick<SyncFolder, 'account'> {
  if (e.account === undefined || e.account === null) return {};
  if (typeof e.account === 'string' && e.account.trim()) return { account: e.account.trim() };
  if (typeof e.account === 'string') {
    problems.push(say(SETTING_ACCOUNT_EMPTY, `${where}.account`));
    return {};
  }
  problems.push(say(SETTING_ACCOUNT_NOT_NAME, `${where}.account`));
  return { account: JSON.stringify(e.account) };
}

/** The setting value written back for a folder (defaults left out so settings.json stays short). */
export function serializeSyncFolder(folder: SyncFolder): Record<string, unknown> {
  const out: Record<string, unknown> = { path: folder.path, album: { ...folder.album } };
  if (folder.destination !== DEFAULT_DESTINATION) out.destination = folder.destination;
  if (folder.include.length) out.include = folder.include;
  if (folder.exclude.length) out.exclude = folder.exclude;
  if (JSON.stringify(folder.excludeFolders) !== JSON.stringify(DEFAULT_EXCLUDE_FOLDERS)) out.excludeFolders = folder.excludeFolders;
  if (JSON.stringify(folder.mergeFolders) !== JSON.stringify(DEFAULT_MERGE_FOLDERS)) out.mergeFolders = folder.mergeFolders;
  out.afterUpload = folder.afterUpload;
  if (folder.archivePath) out.archivePath = folder.archivePath;
  for (const key of ['upload', 'download', 'mirrorDeletes'] as const) if (folder[key] !== undefined) out[key] = folder[key];
  if (folder.account) out.account = folder.account;
  return out;
}
