// Where the command line keeps and finds things: its own config and data folders (XDG on Linux and
// macOS, %APPDATA% / %LOCALAPPDATA% on Windows) and the user-data folders of VS Code, VS Code
// Insiders, VSCodium, VS Code Server (remote SSH) and code-server, where the extension's settings
// and index live.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { INDEX_FILE_NAME } from '../index/constants';

export const EXTENSION_ID = 'photo-sync.photo-sync';

export interface Env {
  platform: NodeJS.Platform;
  home: string;
  vars: NodeJS.ProcessEnv;
}

export function currentEnv(): Env {
  return { platform: process.platform, home: os.homedir(), vars: process.env };
}

/** $XDG_CONFIG_HOME/photo-sync (default ~/.config/photo-sync); %APPDATA%\photo-sync on Windows. */
export function configDir(env: Env = currentEnv()): string {
  if (env.vars.XDG_CONFIG_HOME) return path.join(env.vars.XDG_CONFIG_HOME, 'photo-sync');
  if (env.platform === 'win32') return path.join(env.vars.APPDATA ?? path.join(env.home, 'AppData', 'Roaming'), 'photo-sync');
  return path.join(env.home, '.config', 'photo-sync');
}

/** $XDG_DATA_HOME/photo-sync (default ~/.local/share/photo-sync); %LOCALAPPDATA%\photo-sync on Windows. */
export function dataDir(env: Env = currentEnv()): string {
  if (env.vars.XDG_DATA_HOME) return path.join(env.vars.XDG_DATA_HOME, 'photo-sync');
  if (env.platform === 'win32') return path.join(env.vars.LOCALAPPDATA ?? path.join(env.home, 'AppData', 'Local'), 'photo-sync');
  return path.join(env.home, '.local', 'share', 'photo-sync');
}

export function defaultConfigFile(env: Env = currentEnv()): string {
  return path.join(configDir(env), 'config.json');
}

/**
 * VS Code's user-data folders, most likely first: desktop VS Code, Insiders and VSCodium on this OS,
 * then VS Code Server (a remote SSH window) and code-server, where machine-scoped settings such as
 * photoSync.folders live in <user-data>/Machine/settings.json.
 */
export function vscodeUserDataDirs(env: Env = currentEnv()): string[] {
  const products = ['Code', 'Code - Insiders', 'VSCodium'];
  let base: string;
  if (env.platform === 'win32') base = env.vars.APPDATA ?? path.join(env.home, 'AppData', 'Roaming');
  else if (env.platform === 'darwin') base = path.join(env.home, 'Library', 'Application Support');
  else base = env.vars.XDG_CONFIG_HOME ?? path.join(env.home, '.config');
  const xdgData = env.vars.XDG_DATA_HOME ?? path.join(env.home, '.local', 'share');
  return [
    ...products.map((p) => path.join(base, p)),
    path.join(env.home, '.vscode-server', 'data'),
    path.join(env.home, '.vscode-server-insiders', 'data'),
    path.join(xdgData, 'code-server'),
  ];
}

/** The settings files of a user-data folder: user settings, then the machine's (which win for machine-scoped keys). */
export function vscodeSettingsFiles(userDataDir: string): string[] {
  return [path.join(userDataDir, 'User', 'settings.json'), path.join(userDataDir, 'Machine', 'settings.json')];
}

/** The extension's global storage in a user-data folder (where index.sqlite lives). */
export function extensionStorageDir(userDataDir: string): string {
  return path.join(userDataDir, 'User', 'globalStorage', EXTENSION_ID);
}

/** The first user-data folder holding the extension's index, if any. */
export function findExtensionIndex(candidates: readonly string[]): string | undefined {
  for (const dir of candidates) {
    const storage = extensionStorageDir(dir);
    if (fs.existsSync(path.join(storage, INDEX_FILE_NAME))) return storage;
  }
  return undefined;
}
