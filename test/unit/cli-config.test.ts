// The command line's settings: its config file (JSON with comments, ~ expanded, strict keys) and
// VS Code's settings.json files on Linux, macOS and Windows paths — user settings overridden by the
// machine's (remote windows and code-server keep photoSync.folders there) — and where the index is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSettings, settingsView } from '../../src/cli/config';
import { CliError } from '../../src/cli/exit';
import { configDir, dataDir, extensionStorageDir, findExtensionIndex, vscodeUserDataDirs, type Env } from '../../src/cli/paths';
import { GOOGLE_ENDPOINTS } from '../../src/google/endpoints';

function fakeHome(): { home: string; env: Env } {
  const home = mkdtempSync(path.join(os.tmpdir(), 'photo-sync-cli-config-'));
  return { home, env: { platform: 'linux', home, vars: {} } };
}

function write(file: string, text: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

test('settings views: photoSync.-prefixed, dotted and nested keys land in one place; only photoSync.* from VS Code', () => {
  assert.deepEqual(settingsView({ 'photoSync.upload.description': 'a', concurrency: { uploads: 2 }, 'concurrency.downloads': 3 }, false), {
    upload: { description: 'a' },
    concurrency: { uploads: 2, downloads: 3 },
  });
  assert.deepEqual(settingsView({ 'editor.fontSize': 12, 'photoSync.folders': [], photoSync: { endpoints: { library: 'x' } } }, true), { folders: [], endpoints: { library: 'x' } });
});

test('config file: comments and trailing commas, ~ expanded, defaults; a bad file is a configuration error naming line and column', () => {
  const { home, env } = fakeHome();
  const file = write(path.join(configDir(env), 'config.json'), `{
    // my photos
    "folders": [ { "path": "~/Pictures", "album": { "mode": "fixed", "name": "All" }, }, ],
    "upload": { "description": "{file}" },
    "concurrency": { "uploads": 3 },
  }`);
  const s = loadSettings({ env });
  assert.equal(s.source, `config file ${file}`);
  assert.deepEqual(
    s.folders.map((f) => [f.path, f.album, f.destination]),
    [[path.join(home, 'Pictures'), { mode: 'fixed', name: 'All' }, 'google-photos']],
  );
  assert.equal(s.description, '{file}');
  assert.equal(s.uploads, 3);
  assert.deepEqual(s.endpoints, GOOGLE_ENDPOINTS);

  write(file, '{\n  "folders": [\n    { "path": "/x" }\n    { "path": "/y" }\n  ]\n}');
  assert.throws(() => loadSettings({ env }), (e) => e instanceof CliError && e.code === 2 && /CommaExpected at line 4, column 5/.test(e.message));
  write(file, '[]');
  assert.throws(() => loadSettings({ env }), /must hold a JSON object/);
  // No config file at the default place: no folders, Google's endpoints.
  const other = fakeHome();
  assert.match(loadSettings({ env: other.env }).source, /^no config file/);
  assert.throws(() => loadSettings({ env: other.env, config: path.join(other.home, 'given.json') }), /does not exist/);
});

test('VS Code settings: Code, Insiders, VSCodium, VS Code Server and code-server user-data folders on each OS', () => {
  const linux = vscodeUserDataDirs({ platform: 'linux', home: '/home/u', vars: {} });
  assert.deepEqual(linux, ['/home/u/.config/Code', '/home/u/.config/Code - Insiders', '/home/u/.config/VSCodium', '/home/u/.vscode-server/data', '/home/u/.vscode-server-insiders/data', '/home/u/.local/share/code-server']);
  const mac = vscodeUserDataDirs({ platform: 'darwin', home: '/Users/u', vars: {} });
  assert.equal(mac[0], '/Users/u/Library/Application Support/Code');
  assert.equal(mac[1], '/Users/u/Library/Application Support/Code - Insiders');
  const win = vscodeUserDataDirs({ platform: 'win32', home: 'C:\\Users\\u', vars: { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' } });
  assert.equal(win[0], path.join('C:\\Users\\u\\AppData\\Roaming', 'Code'));
  assert.equal(win[1], path.join('C:\\Users\\u\\AppData\\Roaming', 'Code - Insiders'));
  assert.equal(configDir({ platform: 'win32', home: 'C:\\Users\\u', vars: { APPDATA: 'C:\\R' } }), path.join('C:\\R', 'photo-sync'));
  assert.equal(dataDir({ platform: 'linux', home: '/home/u', vars: { XDG_DATA_HOME: '/d' } }), '/d/photo-sync');
  assert.equal(extensionStorageDir('/ud'), '/ud/User/globalStorage/photo-sync.photo-sync');
});

test('--vscode-settings: the first user-data folder with settings; Machine/settings.json overrides User for photoSync.folders; the index found in global storage', () => {
  const { home, env } = fakeHome();
  const insiders = path.join(home, '.config', 'Code - Insiders');
  write(path.join(insiders, 'User', 'settings.json'), `{
    // VS Code writes comments too
    "editor.fontSize": 14,
    "photoSync.folders": [ { "path": "/from/user" } ],
    "photoSync.endpoints": { "library": "http://127.0.0.1:9/photoslibrary" },
  }`);
  const server = path.join(home, '.vscode-server', 'data');
  write(path.join(server, 'Machine', 'settings.json'), '{ "photoSync.folders": [ { "path": "/from/machine", "album": { "mode": "template", "template": "{year}" } } ] }');
  const s = loadSettings({ env, vscodeSettings: true });
  assert.equal(s.userDataDir, insiders, 'Insiders before VS Code Server in the search order');
  assert.deepEqual(s.folders.map((f) => f.path), ['/from/user']);
  assert.equal(s.endpoints.library, 'http://127.0.0.1:9/photoslibrary');

  const fromServer = loadSettings({ env, vscodeUserData: server });
  assert.deepEqual(fromServer.folders.map((f) => [f.path, f.album]), [['/from/machine', { mode: 'template', template: '{year}' }]]);
  write(path.join(server, 'User', 'settings.json'), '{ "photoSync.folders": [ { "path": "/from/user" } ], "photoSync.upload.description": "mine" }');
  const merged = loadSettings({ env, vscodeUserData: server });
  assert.deepEqual(merged.folders.map((f) => f.path), ['/from/machine'], 'machine wins');
  assert.equal(merged.description, 'mine', 'user settings still apply');

  assert.equal(findExtensionIndex(vscodeUserDataDirs(env)), undefined);
  write(path.join(extensionStorageDir(server), 'index.sqlite'), 'x');
  assert.equal(findExtensionIndex(vscodeUserDataDirs(env)), extensionStorageDir(server));

  const empty = fakeHome();
  assert.throws(() => loadSettings({ env: empty.env, vscodeSettings: true }), (e) => e instanceof CliError && e.code === 2 && /No VS Code settings\.json found/.test(e.message));
});
