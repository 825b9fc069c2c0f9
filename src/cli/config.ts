// What the command line syncs and where it talks to: the same folder rules as `photoSync.folders`,
// read from its own config file (JSON with comments; --config, default under the XDG config folder)
// or, with --vscode-settings, from VS Code's settings.json files. A bad entry is a configuration
// error (exit 2) with every problem listed: a cron job must not silently sync something else.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { resolveEndpoints, type Endpoints } from '../google/endpoints';
import { parseSyncFolders, type SyncFolder } from '../sync/config';
import { parseDownloadSettings, parseMaxPickerItems, type DownloadSettings } from '../sync/download/settings';
import { CliError, EXIT } from './exit';
import { defaultConfigFile, vscodeSettingsFiles, vscodeUserDataDirs, type Env, currentEnv } from './paths';

export interface CliSettings {
  /** Where the settings came from, for messages and `status`. */
  source: string;
  folders: SyncFolder[];
  /** `photoSync.upload.description`. */
  description?: string;
  /** `photoSync.concurrency.uploads`. */
  uploads?: number;
  /** `photoSync.concurrency.downloads`. */
  downloads?: number;
  /** `photoSync.download.*` (layout, album links, EXIF, sidecars); `problems` name values replaced by defaults. */
  download: { settings: DownloadSettings; problems: string[] };
  /** `photoSync.picker.maxItemCount`. */
  maxPickerItems: number;
  endpoints: Endpoints;
  /** The index folder the config names (`"index"`), if any. */
  index?: string;
  /** The VS Code user-data folder the settings were read from (--vscode-settings). */
  userDataDir?: string;
}

/** Keys a config file may hold (with or without the `photoSync.` prefix settings.json uses). */
const CONFIG_KEYS = ['folders', 'upload', 'concurrency', 'endpoints', 'index', 'download', 'picker'];

export interface LoadOptions {
  /** --config <file>: must exist. */
  config?: string;
  /** --vscode-settings: read VS Code's settings instead of a config file. */
  vscodeSettings?: boolean;
  /** --vscode-user-data <dir>: that user-data folder only. */
  vscodeUserData?: string;
  env?: Env;
}

export function loadSettings(options: LoadOptions): CliSettings {
  const env = options.env ?? currentEnv();
  if (options.vscodeSettings || options.vscodeUserData) return fromVsCode(options.vscodeUserData, env);
  const file = options.config ? path.resolve(options.config) : defaultConfigFile(env);
  if (!fs.existsSync(file)) {
    if (options.config) throw new CliError(EXIT.usage, `Config file ${file} does not exist. Create it (see photo-sync --help) or leave out --config.`);
    return settingsFrom({}, `no config file (${file} does not exist)`, false, env);
  }
  const tree = readJsonc(file);
  const view = settingsView(tree, false);
  const unknown = Object.keys(view).filter((k) => !CONFIG_KEYS.includes(k));
  if (unknown.length) throw new CliError(EXIT.usage, `${file}: unknown setting${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}; a config file holds ${CONFIG_KEYS.map((k) => `"${k}"`).join(', ')}.`);
  return settingsFrom(view, `config file ${file}`, true, env);
}

function fromVsCode(userDataDir: string | undefined, env: Env): CliSettings {
  const candidates = userDataDir ? [path.resolve(userDataDir)] : vscodeUserDataDirs(env);
  for (const dir of candidates) {
    const files = vscodeSettingsFiles(dir).filter((f) => fs.existsSync(f));
    if (files.length === 0) continue;
    // Machine settings (remote windows, code-server) override the user's for machine-scoped keys.
    const merged: Record<string, unknown> = {};
    for (const f of files) Object.assign(merged, readJsonc(f));
    const settings = settingsFrom(settingsView(merged, true), `VS Code settings (${files.join(', ')})`, false, env);
    return { ...settings, userDataDir: dir };
  }
  const where = userDataDir ? `${path.resolve(userDataDir)}/User or /Machine` : `any of ${candidates.join(', ')}`;
  throw new CliError(EXIT.usage, `No VS Code settings.json found in ${where}. Name the folder with --vscode-user-data <dir>, or use a config file (--config).`);
}

function readJsonc(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(EXIT.usage, `Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
  }
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length) {
    const e = errors[0];
    const before = text.slice(0, e.offset).split('\n');
    throw new CliError(EXIT.usage, `${file} is not valid JSON: ${printParseErrorCode(e.error)} at line ${before.length}, column ${before[before.length - 1].length + 1}. Fix the file and run again.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CliError(EXIT.usage, `${file} must hold a JSON object ({ "folders": [ … ] }).`);
  return value as Record<string, unknown>;
}

/**
 * The settings as one nested object without the `photoSync.` prefix: `"photoSync.upload.description"`,
 * `"upload.description"` and `{"upload": {"description"}}` all land at upload.description. From
 * VS Code's settings only `photoSync.*` keys count.
 */
export function settingsView(tree: Record<string, unknown>, onlyPrefixed: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(tree)) {
    const prefixed = key === 'photoSync' || key.startsWith('photoSync.');
    if (onlyPrefixed && !prefixed) continue;
    const rest = key === 'photoSync' ? [] : (prefixed ? key.slice('photoSync.'.length) : key).split('.');
    if (rest.length === 0) {
      if (isObject(value)) Object.assign(out, settingsView(value, false));
      continue;
    }
    let target = out;
    for (const part of rest.slice(0, -1)) target = (target[part] = isObject(target[part]) ? target[part] : {}) as Record<string, unknown>;
    const last = rest[rest.length - 1];
    target[last] = isObject(value) && isObject(target[last]) ? { ...(target[last] as object), ...value } : value;
  }
  return out;
}

function settingsFrom(view: Record<string, unknown>, source: string, expandHome: boolean, env: Env): CliSettings {
  const where = source.startsWith('config file') ? source.slice('config file '.length) : 'photoSync.folders';
  const rawFolders = expandHome && Array.isArray(view.folders) ? view.folders.map((f) => expandFolder(f, env.home)) : view.folders;
  const { folders, problems } = parseSyncFolders(rawFolders, path.isAbsolute);
  if (problems.length) throw new CliError(EXIT.usage, `${where}: ${problems.map((p) => p.replace(/^photoSync\./, '')).join(' ')} Fix the entry and run again.`);
  let endpoints: Endpoints;
  try {
    endpoints = resolveEndpoints(isObject(view.endpoints) ? view.endpoints : undefined);
  } catch (err) {
    throw new CliError(EXIT.usage, `${where}: ${(err as Error).message}`);
  }
  const upload = isObject(view.upload) ? view.upload : {};
  const concurrency = isObject(view.concurrency) ? view.concurrency : {};
  const uploads = concurrency.uploads;
  if (uploads !== undefined && !(Number.isInteger(uploads) && (uploads as number) >= 1 && (uploads as number) <= 16)) {
    throw new CliError(EXIT.usage, `${where}: concurrency.uploads must be a whole number from 1 to 16.`);
  }
  const downloads = concurrency.downloads;
  if (downloads !== undefined && !(Number.isInteger(downloads) && (downloads as number) >= 1 && (downloads as number) <= 32)) {
    throw new CliError(EXIT.usage, `${where}: concurrency.downloads must be a whole number from 1 to 32.`);
  }
  const download = parseDownloadSettings((key) => key.split('.').reduce<unknown>((at, part) => (isObject(at) ? at[part] : undefined), view));
  if (view.index !== undefined && typeof view.index !== 'string') throw new CliError(EXIT.usage, `${where}: "index" must be the path of a folder holding index.sqlite.`);
  return {
    source,
    folders,
    description: typeof upload.description === 'string' ? upload.description : undefined,
    uploads: uploads as number | undefined,
    downloads: downloads as number | undefined,
    download: { settings: download.settings, problems: download.problems.map((p) => p.replace(/^photoSync\./, '')) },
    maxPickerItems: parseMaxPickerItems(isObject(view.picker) ? view.picker.maxItemCount : undefined),
    endpoints,
    index: typeof view.index === 'string' ? expandTilde(view.index, expandHome ? env.home : undefined) : undefined,
  };
}

function expandFolder(entry: unknown, home: string): unknown {
  if (!isObject(entry)) return entry;
  const out = { ...entry };
  if (typeof out.path === 'string') out.path = expandTilde(out.path, home);
  if (typeof out.archivePath === 'string') out.archivePath = expandTilde(out.archivePath, home);
  return out;
}

function expandTilde(p: string, home: string | undefined): string {
  if (!home) return p;
  if (p === '~') return home;
  return p.startsWith('~/') || p.startsWith('~\\') ? path.join(home, p.slice(2)) : p;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A starting config file, shown by `photo-sync --help`. */
export const EXAMPLE_CONFIG = `{
  // The same entries as VS Code's "photoSync.folders" setting.
  "folders": [
    { "path": "~/Pictures/Camera", "album": { "mode": "subfolders" } },
    { "path": "/srv/photos/Scans", "album": { "mode": "fixed", "name": "Scans" },
      "afterUpload": "archive", "archivePath": "/srv/photos/Scans-uploaded" }
  ],
  "upload": { "description": "" },
  "concurrency": { "uploads": 4, "downloads": 6 },
  // Where photo-sync pick and download put files below --to (as photoSync.download.* in VS Code).
  "download": { "layout": "photos/{yyyy}/{mm}/{filename}", "albumLinks": true, "sidecar": "xmp" }
}`;

export const HOME_HINT = os.platform() === 'win32' ? '%APPDATA%\\photo-sync\\config.json' : '~/.config/photo-sync/config.json';
