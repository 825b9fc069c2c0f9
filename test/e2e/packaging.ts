// Packaging: `npm run package` once, reused while nothing it is built from has changed.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withLock } from './lock';
import { listFiles, REPO_ROOT } from './paths';

const PACKAGE_INPUTS = ['src', 'scripts', 'media', 'package.json', 'package.nls.json', 'l10n', 'package-lock.json', 'esbuild.mjs', '.vscodeignore', 'README.md', 'CHANGELOG.md', 'LICENSE'];

/**
 * Path of photo-sync-<version>.vsix at the repo root, running `npm run package` if it is missing or
 * older than its sources. One process at a time per checkout (the build empties dist/ first).
 */
export async function ensurePackagedExtension(): Promise<string> {
  const lock = path.join(os.tmpdir(), `photo-sync-package-${createHash('sha256').update(REPO_ROOT).digest('hex').slice(0, 12)}.lock`);
  return withLock(lock, () => {
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
  });
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
