// Real small, read-only and exFAT file systems for the localfs tests. Each helper answers undefined
// when this machine does not let us mount (not root and no password-less sudo, no FUSE, no
// exfatprogs/exfat-fuse); the test then reaches the same code path through an injected error and says
// so in its diagnostics.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';

export interface Mounted {
  dir: string;
}

function run(command: string, args: string[]): boolean {
  const asRoot = process.getuid?.() === 0;
  try {
    if (asRoot) execFileSync(command, args, { stdio: 'pipe' });
    else execFileSync('sudo', ['-n', command, ...args], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

function output(command: string, args: string[]): string | undefined {
  try {
    const asRoot = process.getuid?.() === 0;
    return (asRoot ? execFileSync(command, args, { encoding: 'utf8' }) : execFileSync('sudo', ['-n', command, ...args], { encoding: 'utf8' })).trim();
  } catch {
    return undefined;
  }
}

function scratch(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

function unmountLater(t: TestContext, dir: string, after?: () => void): void {
  t.after(() => {
    // fuse and busy mounts may need a moment after the last file is closed
    for (let i = 0; i < 20 && !run('umount', [dir]); i++) execFileSync('sleep', ['0.1']);
    after?.();
    fs.rmSync(dir, { recursive: true, force: true });
  });
}

/** A tmpfs of `bytes` bytes. */
export function mountTmpfs(t: TestContext, bytes: number): Mounted | undefined {
  const dir = scratch('localfs-tmpfs-');
  if (!run('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0777`, 'tmpfs', dir])) {
    fs.rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  unmountLater(t, dir);
  return { dir };
}

/** `source` seen read-only through a bind mount. */
export function bindReadOnly(t: TestContext, source: string): Mounted | undefined {
  const dir = scratch('localfs-ro-');
  if (!run('mount', ['--bind', source, dir])) {
    fs.rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  if (!run('mount', ['-o', 'remount,bind,ro', dir])) {
    run('umount', [dir]);
    fs.rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  unmountLater(t, dir);
  return { dir };
}

/** An exFAT file system (case-insensitive, neither hard nor symbolic links), as on SD cards. */
export function mountExfat(t: TestContext, bytes = 8 * 1024 * 1024): Mounted | undefined {
  const work = scratch('localfs-exfat-');
  const image = path.join(work, 'disk.img');
  const dir = path.join(work, 'mnt');
  fs.mkdirSync(dir);
  fs.writeFileSync(image, '');
  fs.truncateSync(image, bytes);
  const cleanup = () => fs.rmSync(work, { recursive: true, force: true });
  if (!run('mkfs.exfat', [image])) return void cleanup();
  const loop = output('losetup', ['-f', '--show', image]);
  if (!loop) return void cleanup();
  if (!run('mount.exfat-fuse', [loop, dir])) {
    run('losetup', ['-d', loop]);
    return void cleanup();
  }
  t.after(() => {
    for (let i = 0; i < 20 && !run('umount', [dir]); i++) execFileSync('sleep', ['0.1']);
    run('losetup', ['-d', loop]);
    cleanup();
  });
  return { dir };
}

export function tempDir(t: TestContext, prefix = 'localfs-'): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}
