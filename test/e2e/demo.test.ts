// `npm run demo` as someone trying Photo Sync would run it: it prints an address, that address is a
// VS Code with Photo Sync and a sample "My Photos" folder, and Ctrl-C stops everything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ARTIFACTS_DIR, CHROMIUM_ARGS, CHROMIUM_PATH, REPO_ROOT, SETUP_TIMEOUT_MS } from './harness';
import { openPhotoSync, openViewContainer, treeRows, waitForPhotoSync, waitForWorkbench, welcomeButtons } from './page';

const SHOTS = path.join(ARTIFACTS_DIR, 'demo');

test('npm run demo serves VS Code with Photo Sync on a sample photo folder until Ctrl-C', { timeout: SETUP_TIMEOUT_MS }, async () => {
  rmSync(SHOTS, { recursive: true, force: true });
  mkdirSync(SHOTS, { recursive: true });
  // What `npm run demo` runs (tsx test/e2e/demo.ts), in its own process group so nothing outlives the test.
  const demo = spawn(process.execPath, ['--import', 'tsx', path.join('test', 'e2e', 'demo.ts')], { cwd: REPO_ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  demo.stdout.on('data', (d: Buffer) => (output += d.toString()));
  demo.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => demo.once('exit', (code) => resolve(code)));
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const url = await waitForOutput(() => output, /^\s+(http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)$/m, exited);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(url);
    await waitForWorkbench(page);
    await waitForPhotoSync(page);

    await openViewContainer(page, 'Explorer');
    const explorer = await waitForRows(() => treeRows(page, 'My Photos'), ['Camera', 'Phone', 'Trips', 'client_secret.json']);
    await page.screenshot({ path: path.join(SHOTS, '01-explorer-my-photos.png') });
    assert.ok(explorer.some((label) => /\.jpe?g$/i.test(label)), `sample photos at the top level too: ${JSON.stringify(explorer)}`);

    await openPhotoSync(page);
    assert.ok((await welcomeButtons(page, 'Library')).includes('Sign In to Google Photos'));
    await page.screenshot({ path: path.join(SHOTS, '02-photo-sync.png') });

    process.kill(demo.pid ?? 0, 'SIGINT');
    assert.equal(await exited, 0, `the demo exits cleanly on Ctrl-C:\n${output}`);
    await assert.rejects(fetch(url), 'code-server stopped with the demo');
  } finally {
    await browser.close();
    try {
      process.kill(-(demo.pid ?? 0), 'SIGKILL');
    } catch {
      // Already stopped.
    }
  }
});

async function waitForOutput(read: () => string, pattern: RegExp, exited: Promise<number | null>, timeoutMs = SETUP_TIMEOUT_MS): Promise<string> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !gone) {
    const match = pattern.exec(read());
    if (match) return match[1];
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`The demo printed no address${gone ? ' and exited' : ''}:\n${read()}`);
}

/** Explorer rows once every wanted label shows (the file tree loads asynchronously). */
async function waitForRows(read: () => Promise<{ label: string }[]>, wanted: string[]): Promise<string[]> {
  const deadline = Date.now() + 20_000;
  let labels: string[] = [];
  while (Date.now() < deadline) {
    labels = (await read()).map((r) => r.label);
    if (wanted.every((w) => labels.includes(w))) return labels;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  assert.fail(`Explorer shows ${JSON.stringify(labels)}, wanted ${JSON.stringify(wanted)}`);
}
