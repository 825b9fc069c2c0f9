// code-server for one session: fresh extensions / user-data folders with Photo Sync installed from the
// .vsix, user settings pointing photoSync.endpoints at the emulator, a seeded workspace, and the
// server on 127.0.0.1 in its own process group (stopped as a whole; killed on exit or a signal).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Endpoints } from '../../src/google/endpoints';
import type { EmulatorOptions } from '../emulator/index';
import { ensurePackagedExtension } from './packaging';
import { EXTENSION_ID, listFiles } from './paths';
import { ensureCodeServer, type CodeServerInstall } from './setup';

/** User settings every session starts with: no trust prompt, no welcome page, no AI side panel, nothing phoning home. */
export const BASE_SETTINGS: Readonly<Record<string, unknown>> = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'workbench.enableExperiments': false,
  'git.enabled': false,
};

export interface VsCodeOptions {
  /** Per-test timeout of a describeVsCode suite (default TEST_TIMEOUT_MS). */
  testTimeoutMs?: number;
  /** Extra user settings (override the defaults). */
  settings?: Record<string, unknown>;
  /**
   * Settings of the machine VS Code runs on (`<user-data>/Machine/settings.json`). In code-server's
   * remote window, machine-scoped settings such as photoSync.folders are read from here, not from the
   * user settings; the extension writes them here too.
   */
  machineSettings?: Record<string, unknown>;
  /** Files to create in the workspace, by path relative to it. */
  files?: Record<string, string | Uint8Array>;
  /** Files or folders to copy into the workspace (`to` is relative to it; default: the source's name). */
  copyIntoWorkspace?: { from: string; to?: string }[];
  /** Options for the emulator this session starts. */
  emulator?: EmulatorOptions;
  /** Name of the workspace folder (shown in VS Code's title). Default "workspace". */
  workspaceName?: string;
  /** Browser viewport. Default 1280×1100: the Library view shares the sidebar with Verify Backup and Activity, and a tree only renders the rows it shows. */
  viewport?: { width: number; height: number };
}

export interface VsCodeServer extends RunningCodeServer {
  /** The workbench URL with the workspace folder open. */
  url: string;
  dirs: SessionDirs;
}

/**
 * Prepares fresh VS Code folders under `root` (settings with photoSync.endpoints, the seeded
 * workspace), installs the .vsix and starts code-server on 127.0.0.1 (any free port, or `port`).
 * Installs code-server / packages the extension first when not given. The caller must stop() it.
 */
export async function startVsCodeServer(
  root: string,
  options: VsCodeOptions,
  endpoints: Endpoints,
  given: { install?: CodeServerInstall; vsix?: string; port?: number } = {},
): Promise<VsCodeServer> {
  const install = given.install ?? (await ensureCodeServer());
  const vsix = given.vsix ?? (await ensurePackagedExtension());
  const dirs = prepareDirs(root, options, endpoints);
  installExtension(install, dirs, vsix);
  const server = await startCodeServer(install, dirs, given.port ?? 0);
  return { ...server, dirs, url: `${server.origin}/?folder=${encodeURIComponent(dirs.workspace)}` };
}

export interface SessionDirs {
  root: string;
  extensions: string;
  userData: string;
  /** HOME-like folders (XDG_CONFIG_HOME, XDG_DATA_HOME) so code-server writes nothing into the real home. */
  xdg: string;
  workspace: string;
}

function prepareDirs(root: string, options: VsCodeOptions, endpoints: Endpoints): SessionDirs {
  const dirs: SessionDirs = {
    root,
    extensions: path.join(root, 'extensions'),
    userData: path.join(root, 'user-data'),
    xdg: path.join(root, 'xdg'),
    workspace: path.join(root, options.workspaceName ?? 'workspace'),
  };
  for (const dir of [dirs.extensions, path.join(dirs.userData, 'User'), dirs.xdg, dirs.workspace]) mkdirSync(dir, { recursive: true });
  const settings = { ...BASE_SETTINGS, 'photoSync.endpoints': endpoints, ...options.settings };
  writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  if (options.machineSettings) {
    mkdirSync(path.join(dirs.userData, 'Machine'), { recursive: true });
    writeFileSync(path.join(dirs.userData, 'Machine', 'settings.json'), JSON.stringify(options.machineSettings, null, 2));
  }
  for (const [relative, content] of Object.entries(options.files ?? {})) {
    const file = path.join(dirs.workspace, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  for (const { from, to } of options.copyIntoWorkspace ?? []) {
    cpSync(from, path.join(dirs.workspace, to ?? path.basename(from)), { recursive: true });
  }
  return dirs;
}

function codeServerEnv(install: CodeServerInstall, dirs: SessionDirs): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  // The outer npm's variables would leak into code-server's terminals and tasks; keep them out.
  for (const [key, value] of Object.entries(process.env)) if (!key.toLowerCase().startsWith('npm_')) env[key] = value;
  env.PATH = `${install.binDir}${path.delimiter}${process.env.PATH ?? ''}`;
  env.XDG_CONFIG_HOME = path.join(dirs.xdg, 'config');
  env.XDG_DATA_HOME = path.join(dirs.xdg, 'data');
  env.XDG_CACHE_HOME = path.join(dirs.xdg, 'cache');
  return env;
}

function commonArgs(install: CodeServerInstall, dirs: SessionDirs): string[] {
  return [install.entry, '--extensions-dir', dirs.extensions, '--user-data-dir', dirs.userData];
}

function installExtension(install: CodeServerInstall, dirs: SessionDirs, vsix: string): void {
  const result = spawnSync(install.node, [...commonArgs(install, dirs), '--install-extension', vsix], {
    env: codeServerEnv(install, dirs),
    encoding: 'utf8',
    timeout: 120_000,
  });
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(`Installing ${vsix} into code-server failed (exit ${String(result.status)}):\n${output}`);
  }
}

export function installedExtensionDir(extensionsDir: string): string {
  const name = readdirSync(extensionsDir).find((entry) => entry.startsWith(`${EXTENSION_ID}-`));
  if (!name) throw new Error(`${EXTENSION_ID} is not in ${extensionsDir}`);
  return path.join(extensionsDir, name);
}

export interface RunningCodeServer {
  origin: string;
  output(): string;
  stop(): Promise<void>;
}

/** Process groups of code-servers still running, killed if this process exits without closing them. */
const liveGroups = new Set<number>();
const killLiveGroups = () => {
  for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
};
process.on('exit', killLiveGroups);
// Dying by a signal (Ctrl-C, the test runner's SIGTERM) skips 'exit': kill the groups, then die as asked.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  const onSignal = () => {
    killLiveGroups();
    if (process.listenerCount(signal) === 1) {
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    }
  };
  process.on(signal, onSignal);
}

async function startCodeServer(install: CodeServerInstall, dirs: SessionDirs, port: number): Promise<RunningCodeServer> {
  const args = [
    ...commonArgs(install, dirs),
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    dirs.workspace,
  ];
  // Its own process group, so stop() reaches the extension host and every other child too.
  const child = spawn(install.node, args, { env: codeServerEnv(install, dirs), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error('code-server did not start');
  liveGroups.add(pid);
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    killGroup(pid, 'SIGTERM');
    const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5000).unref());
    await Promise.race([exited, timer]);
    // Whatever is left in the group (extension host, watchers) goes now.
    killGroup(pid, 'SIGKILL');
    liveGroups.delete(pid);
  };
  try {
    const origin = await waitForListening(child, (chunk) => (output += chunk));
    return { origin, output: () => output, stop };
  } catch (error) {
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\ncode-server output:\n${output}`);
  }
}

function waitForListening(child: ChildProcess, onOutput: (chunk: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error('code-server did not start listening within 60 s')), 60_000);
    const onData = (data: Buffer) => {
      const chunk = data.toString();
      onOutput(chunk);
      seen += chunk;
      const match = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited early with code ${String(code)}`));
    });
  });
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** Every log file under the user-data dir's logs folder that `match` selects, oldest session first. */
function readLogFiles(userDataDir: string, match: (file: string) => boolean): string {
  const logsDir = path.join(userDataDir, 'logs');
  const files = listFiles(logsDir).filter(match).sort();
  return files.map((f) => (files.length > 1 ? `==> ${path.relative(logsDir, f)} <==\n` : '') + readFileSync(f, 'utf8')).join('\n');
}

/** The extension's log channel as written by the extension host: <ud>/logs/<session>/exthost<N>/photo-sync.photo-sync/Photo Sync.log. */
export function readExtensionLog(userDataDir: string): string {
  return readLogFiles(userDataDir, (f) => path.basename(path.dirname(f)) === EXTENSION_ID && f.endsWith('.log'));
}

export function readExtensionHostLog(userDataDir: string): string {
  return readLogFiles(userDataDir, (f) => path.basename(f) === 'remoteexthost.log');
}
