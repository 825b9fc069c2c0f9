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
// Parts: setup.ts (code-server + Node 24 cache), packaging.ts (.vsix), vscodeServer.ts (one
// code-server with the extension installed; also used by demo.ts), page.ts (what a user does), lock.ts.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { Endpoints } from '../../src/google/endpoints';
import { startEmulator } from '../emulator/index';
import { EmulatorControl } from '../emulator/control';
import { waitForPhotoSync, waitForWorkbench } from './page';
import { ensurePackagedExtension } from './packaging';
import { ARTIFACTS_DIR, EXTENSION_ID } from './paths';
import { ensureCodeServer } from './setup';
import { installedExtensionDir, readExtensionHostLog, readExtensionLog, startVsCodeServer, type VsCodeOptions } from './vscodeServer';

export { ARTIFACTS_DIR, EXTENSION_ID, REPO_ROOT } from './paths';
export { ensurePackagedExtension } from './packaging';
export { BASE_SETTINGS, readExtensionHostLog, readExtensionLog, startVsCodeServer, type SessionDirs, type VsCodeOptions, type VsCodeServer } from './vscodeServer';

/**
 * Debian's Chromium with the flags verified on these machines; never a downloaded browser. Every
 * host name but this machine's fails at once: the machines reach no other host, and a closed network
 * that drops packets instead of refusing them would otherwise leave a lookup or a connection waiting
 * for minutes (a webview's resource that its service worker did not take, say).
 */
export const CHROMIUM_PATH = process.env.PHOTO_SYNC_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
];

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
  /** Numbered PNG of the workbench (or of another page, e.g. a second window). */
  screenshot(name: string, of?: Page): Promise<string>;
  extensionLog(): Promise<string>;
  /** VS Code's own extension-host log (activation events and failures of every extension). */
  extensionHostLog(): Promise<string>;
  codeServerOutput(): string;
  /** Prints (and saves) what helps explain a failure: webview frames, the browser console, the log's tail. */
  diagnose(title: string): Promise<void>;
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
  } catch (error) {
    await session.diagnose(name).catch(() => undefined);
    throw error;
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
      test(title, { timeout: options.testTimeoutMs ?? TEST_TIMEOUT_MS }, async () => {
        if (!session) throw new Error('VS Code did not start (see the before hook)');
        try {
          await body(session);
        } catch (error) {
          failed = true;
          await session.page.screenshot({ path: path.join(ARTIFACTS_DIR, name, `failure-${safeName(title)}.png`) }).catch(() => undefined);
          await session.diagnose(title).catch(() => undefined);
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
  const vsix = await ensurePackagedExtension();
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
    const browserContext = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 1100 } });
    // What the workbench, its webviews and their service worker printed: saved with the artifacts and
    // its tail printed when a test fails (CI keeps only what the run prints).
    const consoleLines: string[] = [];
    const startedAt = Date.now();
    const note = (line: string) => consoleLines.push(`+${((Date.now() - startedAt) / 1000).toFixed(1)}s ${line}`);
    browserContext.on('console', (m) => note(`[${m.type()}] ${m.text().slice(0, 500)} (${m.location().url.replace(/\?.*$/, '').split('/').slice(-2).join('/')})`));
    browserContext.on('weberror', (e) => note(`[pageerror] ${e.error().message.slice(0, 500)}`));
    browserContext.on('serviceworker', (w) => note(`[serviceworker] started ${w.url().replace(/\?.*$/, '')}`));
    const page = await browserContext.newPage();
    page.on('crash', () => note('[crash] the page crashed'));
    const url = server.url;
    await page.goto(url);
    await waitForWorkbench(page);
    await waitForPhotoSync(page);

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
      async screenshot(shotName, of = page) {
        shots += 1;
        const file = path.join(artifacts, `${String(shots).padStart(2, '0')}-${safeName(shotName)}.png`);
        await of.screenshot({ path: file });
        return file;
      },
      extensionLog: async () => readExtensionLog(dirs.userData),
      extensionHostLog: async () => readExtensionHostLog(dirs.userData),
      codeServerOutput: () => server.output(),
      async diagnose(title) {
        const frames = page.frames().map((f) => `${f.url().replace(/\?.*$/, '').split('/').slice(-3).join('/')}${f.isDetached() ? ' (detached)' : ''}`);
        const webviews = await page.locator('iframe.webview').evaluateAll((els) => els.map((e) => `${e.className} ${e.getAttribute('src')?.match(/[?&]id=([^&]+)/)?.[1] ?? ''}`)).catch((e: Error) => [e.message]);
        const log = readExtensionLog(dirs.userData).split('\n').slice(-15);
        const lines = [
          `[e2e] ${name} › ${title}: diagnosis`,
          `  webview iframes: ${webviews.length ? webviews.join(' | ') : 'none'}`,
          `  frames: ${frames.join(' | ')}`,
          '  browser console (last 40):',
          ...consoleLines.slice(-40).map((l) => `    ${l}`),
          '  Photo Sync log (last 15):',
          ...log.map((l) => `    ${l.slice(0, 300)}`),
        ];
        writeFileSync(path.join(artifacts, `diagnosis-${safeName(title)}.txt`), `${lines.join('\n')}\n\nbrowser console (all):\n${consoleLines.join('\n')}\n`);
        console.error(lines.join('\n'));
      },
      async reload() {
        await page.reload();
        await waitForWorkbench(page);
        await waitForPhotoSync(page);
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

function safeName(name: string): string {
  return name.replace(/[^a-zA-Z0-9._-]+/g, '-');
}
