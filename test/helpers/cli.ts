// Runs the built command line (dist/cli.js) as a child process, the way a user or cron does: its own
// HOME and XDG folders (so nothing touches the real ones), no display and no D-Bus session (so no
// browser opens and secrets go to the 0600 file), and helpers to sign it in through the emulator's
// consent page over HTTP.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Endpoints } from '../../src/google/endpoints';
import { completeConsent } from '../emulator/consent';
import { withLock } from '../e2e/lock';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const CLI_PATH = path.join(REPO_ROOT, 'dist', 'cli.js');
export const CLIENT_FILE = path.join(REPO_ROOT, 'test', 'fixtures', 'client_secret.json');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds dist/cli.js (only that target) when it is missing or older than the sources; once across test processes. */
export async function ensureCliBuilt(): Promise<string> {
  const fresh = () => {
    try {
      const built = statSync(CLI_PATH).mtimeMs;
      return built >= Math.max(newestSource(path.join(REPO_ROOT, 'src')), statSync(path.join(REPO_ROOT, 'esbuild.mjs')).mtimeMs, statSync(path.join(REPO_ROOT, 'package.json')).mtimeMs);
    } catch {
      return false;
    }
  };
  if (fresh()) return CLI_PATH;
  await withLock(path.join(os.tmpdir(), 'photo-sync-cli-build.lock'), () => {
    if (fresh()) return;
    const result = spawnSync(process.execPath, ['esbuild.mjs', '--only=cli'], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`Building dist/cli.js failed:\n${result.stdout}\n${result.stderr}`);
  });
  return CLI_PATH;
}

export interface CliHome {
  /** HOME of the child processes. */
  dir: string;
  configDir: string;
  dataDir: string;
  /** The default config file ($XDG_CONFIG_HOME/photo-sync/config.json). */
  configFile: string;
  secretsFile: string;
  env: NodeJS.ProcessEnv;
  /** Writes the config file (folders and the emulator's endpoints). */
  writeConfig(config: Record<string, unknown>, file?: string): string;
}

/** A fresh home for the command line, pointed at the emulator through its config file. */
export function cliHome(endpoints?: Endpoints): CliHome {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'photo-sync-cli-home-'));
  const configRoot = path.join(dir, 'config');
  const dataRoot = path.join(dir, 'data');
  const configDir = path.join(configRoot, 'photo-sync');
  mkdirSync(configDir, { recursive: true });
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir, XDG_CONFIG_HOME: configRoot, XDG_DATA_HOME: dataRoot, LANG: 'C.UTF-8', TZ: process.env.TZ };
  const home: CliHome = {
    dir,
    configDir,
    dataDir: path.join(dataRoot, 'photo-sync'),
    configFile: path.join(configDir, 'config.json'),
    secretsFile: path.join(configDir, 'secrets.json'),
    env,
    writeConfig(config, file = home.configFile) {
      writeFileSync(file, `// written by the test\n${JSON.stringify({ ...(endpoints ? { endpoints: emulatorEndpoints(endpoints) } : {}), ...config }, null, 2)}\n`);
      return file;
    },
  };
  return home;
}

/** The Google endpoints of photoSync.endpoints (the emulator also prints Flickr's). */
export function emulatorEndpoints(endpoints: Endpoints): Endpoints {
  const { authorize, token, revoke, userinfo, library, picker, drive } = endpoints;
  return { authorize, token, revoke, userinfo, library, picker, drive };
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the output once `pattern` appears on stdout or stderr. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  done: Promise<CliResult>;
}

export function startCli(home: CliHome, args: readonly string[], options: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): RunningCli {
  const child = spawn(process.execPath, [CLI_PATH, ...args], { cwd: options.cwd ?? home.dir, env: { ...home.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
    for (const w of [...waiters]) w();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
    for (const w of [...waiters]) w();
  });
  if (options.input !== undefined) child.stdin?.end(options.input);
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = pattern.exec(stdout) ?? pattern.exec(stderr);
          if (m) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(m);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`Timed out waiting for ${pattern} in the output of photo-sync ${args.join(' ')}:\n${stdout}\n${stderr}`));
        }, timeoutMs);
        waiters.add(check);
        void done.then(() => setTimeout(check, 0));
        check();
      });
    },
    done,
  };
}

export async function runCli(home: CliHome, args: readonly string[], options: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliResult> {
  const running = startCli(home, args, { input: options.input ?? '', env: options.env });
  const timer = setTimeout(() => running.child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
  try {
    return await running.done;
  } finally {
    clearTimeout(timer);
  }
}

/** The --json events a run printed. */
export function events(result: Pick<CliResult, 'stdout'>): { type: string; [key: string]: unknown }[] {
  return result.stdout
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { type: string });
}

/** The first --json event of a type, typed as the test expects it. */
export function eventOf<T>(result: Pick<CliResult, 'stdout'>, type: string): T {
  const found = events(result).find((e) => e.type === type);
  if (!found) throw new Error(`No "${type}" event in:\n${result.stdout}`);
  return found as unknown as T;
}

const AUTH_URL = /(http:\/\/127\.0\.0\.1:\d+\/accounts\/o\/oauth2\/v2\/auth\?\S+)/;

/** `photo-sync login`, with the consent page answered over HTTP as a browser would (Allow, or Deny). */
export async function cliLogin(home: CliHome, options: { deny?: boolean; account?: string; args?: string[] } = {}): Promise<CliResult> {
  const running = startCli(home, ['login', ...(options.args ?? [])]);
  const [, url] = await running.waitFor(AUTH_URL);
  await completeConsent(url, { deny: options.deny, account: options.account });
  return running.done;
}

/** setup-client with the emulator's Desktop client, then login (as `account`, default the first test user). */
export async function cliSignIn(home: CliHome, account?: string, globalArgs: string[] = []): Promise<void> {
  const setup = await runCli(home, ['setup-client', CLIENT_FILE, ...globalArgs]);
  if (setup.code !== 0) throw new Error(`setup-client failed: ${setup.stderr}`);
  const login = await cliLogin(home, { account, args: globalArgs });
  if (login.code !== 0) throw new Error(`login failed: ${login.stdout}\n${login.stderr}`);
}

export { AUTH_URL };
