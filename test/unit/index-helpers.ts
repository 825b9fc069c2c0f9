// Shared by the index-*.test.ts files: temp storage folders, the sql.js wasm folder, the sqlite3 tool.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openIndex } from '../../src/index/openIndex';
import type { OpenIndexOptions, PhotoIndex } from '../../src/index/api';

export const wasmDir = path.dirname(require.resolve('sql.js/dist/sql-wasm.wasm'));

export function tempStorage(prefix = 'photosync-idx-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function open(storageDir: string, extra: Partial<OpenIndexOptions> = {}): Promise<PhotoIndex> {
  return openIndex({ storageDir, wasmDir, saveDebounceMs: 20, maxSaveDelayMs: 200, ...extra });
}

/** Runs SQL through Debian's sqlite3 command-line tool (the file must be a real SQLite database). */
export function sqlite3(file: string, sql: string): string {
  return execFileSync('sqlite3', ['-batch', file, sql], { encoding: 'utf8' }).trim();
}

/** Starts a TypeScript child script under tsx with stdout piped. */
export function runChild(script: string, args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
}

/** Resolves with the child's exit code and all it printed. */
export function childDone(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  let stdout = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout })));
}
