// The end-to-end harness: Photo Sync packaged as a .vsix, installed into a real VS Code (code-server
// from the npm registry), pointed at the Google emulator, driven through Debian's Chromium.
//
// API for scenario authors (test/e2e/*.test.ts; files run one after another by `npm run test:e2e`,
// each file at most one code-server, so keep related checks in one file):
//
//   // one VS Code for one test
//   test('what the user sees', { timeout: SETUP_TIMEOUT_MS }, () =>   // may include the one-time install
//     withVsCode('scenario-name', { settings, files, copyIntoWorkspace, emulator }, async (ctx) => {
//       await openPhotoSync(ctx.page);                      // helpers from ./page
//       await ctx.screenshot('container');                  // test/e2e/artifacts/scenario-name/01-container.png
//       const state = await ctx.emulator.control.state();   // assert on what the emulator saw
//     }));
//
//   // one VS Code shared by the tests of a suite, in order
//   describeVsCode('scenario-name', options, (vsTest) => {
//     vsTest('step one', async (ctx) => { … });
//     vsTest('step two', async (ctx) => { … });
//   });
//
//   ctx.page / ctx.browserContext   Playwright page showing the workbench, and its browser context
//                                   (tabs the extension opens with env.openExternal land in it)
//   ctx.emulator                    { endpoints, control: EmulatorControl, controlUrl } (in-process emulator)
//   ctx.workspace                   the folder VS Code has open (seeded from options.files / copyIntoWorkspace)
//   ctx.userDataDir                 code-server's --user-data-dir; ctx.globalStorageDir is the
//                                   extension's globalStorageUri (<ud>/User/globalStorage/photo-sync.photo-sync)
//   ctx.extensionDir                the installed extension (its package.json is what VS Code loaded)
//   ctx.screenshot(name)            numbered PNG under test/e2e/artifacts/<scenario>/ — look at them
//   ctx.extensionLog()              the extension's "Photo Sync" log channel, as VS Code writes it to
//                                   <ud>/logs/<session>/exthost<N>/photo-sync.photo-sync/Photo Sync.log
//   ctx.extensionHostLog()          VS Code's extension-host log (activation, activation failures)
//   ctx.codeServerOutput()          code-server's stdout+stderr so far
//   ctx.reload()                    reloads the window (same browser profile: SecretStorage survives;
//                                   a new browser would lose it — code-server keeps secrets in the browser)
//
// Options: settings (merged into User/settings.json over BASE_SETTINGS and photoSync.endpoints = the
// emulator's), files ({ 'relative/path': string | Uint8Array }), copyIntoWorkspace ([{ from, to? }]),
// emulator (startEmulator options: users, libraryDir, latencyMs, …), workspaceName, viewport.
// startVsCode(name, options) gives the same context plus close(failed) for hand-made lifecycles.
// Cleanup is always done: code-server's whole process group, Chromium and the emulator are stopped
// even when a test throws (and killed on process exit as a last resort). Every session leaves
// code-server.log, extension.log and extension-host.log in its artifacts folder; a failing one also
// failure.png (withVsCode) or failure-<test>.png (describeVsCode), and keeps its VS Code folders.
// The extension is packaged with `npm run package` when photo-sync-<version>.vsix is missing or older
// than its sources (PHOTO_SYNC_E2E_REPACKAGE=1 forces it); code-server comes from ./setup.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, cpSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { Endpoints } from '../../src/google/endpoints';
import { startEmulator, type EmulatorOptions } from '../emulator/index';
import { EmulatorControl } from '../emulator/control';
import { ensureCodeServer, type CodeServerInstall } from './setup';
import { waitForWorkbench } from './page';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const ARTIFACTS_DIR = path.join(__dirname, 'artifacts');
export const EXTENSION_ID = 'photo-sync.photo-sync';

/** Debian's Chromium with the flags verified on these machines; never a downloaded browser. */
export const CHROMIUM_PATH = process.env.PHOTO_SYNC_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

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
  /** Extra user settings (override the defaults). */
  settings?: Record<string, unknown>;
  /** Files to create in the workspace, by path relative to it. */
  files?: Record<string, string | Uint8Array>;
  /** Files or folders to copy into the workspace (`to` is relative to it; default: the source's name). */
  copyIntoWorkspace?: { from: string; to?: string }[];
  /** Options for the emulator this session starts. */
  emulator?: EmulatorOptions;
  /** Name of the workspace folder (shown in VS Code's title). Default "workspace". */
  workspaceName?: string;
  /** Browser viewport. Default 1280×800. */
  viewport?: { width: number; height: number };
}

export interface VsCodeContext {
  page: Page;
  browserContext: BrowserContext;
  emulator: { endpoints: Endpoints; control: EmulatorControl; controlUrl: string };
  workspace: string;
  userDataDir: string;
  globalStorageDir: string;
  /** Where the .vsix was installed; its package.json is the manifest VS Code loaded. */
  extensionDir: string;
  /** The workbench URL (http://127.0.0.1:<port>/?folder=…). */
  url: string;
  screenshot(name: string): Promise<string>;
  extensionLog(): Promise<string>;
  /** VS Code's own extension-host log (activation events and failures of every extension). */
  extensionHostLog(): Promise<string>;
  codeServerOutput(): string;
  reload(): Promise<void>;
}

export interface VsCodeSession extends VsCodeContext {
  /** Stops everything. With failed=true it first saves failure.png and the logs to the artifacts folder. */
  close(failed?: boolean): Promise<void>;
}

/** Runs `body` against a fresh VS Code with Photo Sync installed; always cleans up. */
export async function withVsCode(name: string, options: VsCodeOptions, body: (ctx: VsCodeContext) => Promise<void>): Promise<void> {
  const session = await startVsCode(name, options);
  let failed = true;
  try {
    await body(session);
    failed = false;
  } finally {
    await session.close(failed);
  }
}

/**
 * A node:test suite whose tests share one VS Code (started before the first, stopped after the last,
 * in order). A failing test saves failure-<test>.png; the session's logs are kept in the artifacts folder.
 */
export function describeVsCode(name: string, options: VsCodeOptions, define: (vsTest: (title: string, body: (ctx: VsCodeContext) => Promise<void>) => void) => void): void {
  describe(name, { concurrency: false }, () => {
    let session: VsCodeSession | undefined;
    let failed = false;
    before(async () => {
      session = await startVsCode(name, options);
    }, { timeout: SETUP_TIMEOUT_MS });
    after(async () => {
      await session?.close(failed);
    });
    define((title, body) => {
      test(title, { timeout: TEST_TIMEOUT_MS }, async () => {
        if (!session) throw new Error('VS Code did not start (see the before hook)');
        try {
          await body(session);
        } catch (error) {
          failed = true;
          await session.page.screenshot({ path: path.join(ARTIFACTS_DIR, name, `failure-${safeName(title)}.png`) }).catch(() => undefined);
          throw error;
        }
      });
    });
  });
}

/** Starting may include the one-time code-server install (minutes on a cold CI machine). */
export const SETUP_TIMEOUT_MS = 15 * 60_000;
export const TEST_TIMEOUT_MS = 3 * 60_000;

/** Starts emulator, code-server and Chromium for one scenario. The caller must close() it. */
export async function startVsCode(name: string, options: VsCodeOptions = {}): Promise<VsCodeSession> {
  const artifacts = path.join(ARTIFACTS_DIR, name);
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });

  const install = await ensureCodeServer();
  const vsix = ensurePackagedExtension();
  const root = mkdtempSync(path.join(os.tmpdir(), `photo-sync-e2e-${name}-`));
  const cleanups: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    cleanups.length = 0;
  };

  try {
    const emulator = await startEmulator({ port: 0, ...options.emulator });
    cleanups.push(() => emulator.close());

    const server = await startVsCodeServer(root, options, emulator.endpoints, { install, vsix });
    cleanups.push(() => server.stop());
    const { dirs } = server;

    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    cleanups.push(() => browser.close());
    const browserContext = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 } });
    const page = await browserContext.newPage();
    const url = server.url;
    await page.goto(url);
    await waitForWorkbench(page);
    // Photo Sync's contributions are registered once its activity-bar item shows (the palette lists
    // only commands registered when it opens).
    await page.locator('.part.activitybar a.action-label[aria-label^="Photo Sync"]').waitFor({ timeout: 60_000 });

    let shots = 0;
    const ctx: VsCodeContext = {
      page,
      browserContext,
      emulator: { endpoints: emulator.endpoints, control: new EmulatorControl(emulator.control), controlUrl: emulator.control },
      workspace: dirs.workspace,
      userDataDir: dirs.userData,
      globalStorageDir: path.join(dirs.userData, 'User', 'globalStorage', EXTENSION_ID),
      extensionDir: installedExtensionDir(dirs.extensions),
      url,
      async screenshot(shotName) {
        shots += 1;
        const file = path.join(artifacts, `${String(shots).padStart(2, '0')}-${safeName(shotName)}.png`);
        await page.screenshot({ path: file });
        return file;
      },
      extensionLog: async () => readExtensionLog(dirs.userData),
      extensionHostLog: async () => readExtensionHostLog(dirs.userData),
      codeServerOutput: () => server.output(),
      async reload() {
        await page.reload();
        await waitForWorkbench(page);
        await page.locator('.part.activitybar a.action-label[aria-label^="Photo Sync"]').waitFor({ timeout: 60_000 });
      },
    };
    return {
      ...ctx,
      async close(failed = false) {
        try {
          if (failed) await page.screenshot({ path: path.join(artifacts, 'failure.png') }).catch(() => undefined);
          writeFileSync(path.join(artifacts, 'code-server.log'), server.output());
          writeFileSync(path.join(artifacts, 'extension.log'), readExtensionLog(dirs.userData));
          writeFileSync(path.join(artifacts, 'extension-host.log'), readExtensionHostLog(dirs.userData));
        } finally {
          await stopAll();
          if (failed) console.error(`[e2e] ${name} failed; artifacts in ${artifacts}, VS Code folders in ${root}`);
          else rmSync(root, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
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
  const vsix = given.vsix ?? ensurePackagedExtension();
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
process.on('exit', () => {
  for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
});

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

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}

function safeName(name: string): string {
  return name.replace(/[^a-zA-Z0-9._-]+/g, '-');
}

// ---- Packaging: `npm run package` once, reused while nothing it is built from has changed. ----

const PACKAGE_INPUTS = ['src', 'media', 'package.json', 'package-lock.json', 'esbuild.mjs', '.vscodeignore', 'README.md', 'CHANGELOG.md', 'LICENSE'];

/** Path of photo-sync-<version>.vsix at the repo root, running `npm run package` if it is missing or older than its sources. */
export function ensurePackagedExtension(): string {
  const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  const vsix = path.join(REPO_ROOT, `${manifest.name}-${manifest.version}.vsix`);
  if (!process.env.PHOTO_SYNC_E2E_REPACKAGE && existsSync(vsix) && newestInput() <= statSync(vsix).mtimeMs) return vsix;
  const started = Date.now();
  const result = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'package'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0 || !existsSync(vsix)) {
    throw new Error(`npm run package failed (exit ${String(result.status)}):\n${result.stdout}${result.stderr}`);
  }
  console.error(`[e2e] packaged ${path.basename(vsix)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return vsix;
}

function newestInput(): number {
  let newest = 0;
  for (const input of PACKAGE_INPUTS) {
    const full = path.join(REPO_ROOT, input);
    if (!existsSync(full)) continue;
    const files = statSync(full).isDirectory() ? listFiles(full) : [full];
    for (const file of files) newest = Math.max(newest, statSync(file).mtimeMs);
  }
  return newest;
}
