// The index file as other windows may replace it: read with its identity from one descriptor, told
// apart by inode, size and mtime, and checked by SQLite's quick_check.
import fs from 'node:fs';
import type { Database } from 'sql.js';

export interface FileIdentity {
  ino: number;
  size: number;
  mtimeMs: number;
}

export const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** SQLite's quick_check: "ok" or the first problem found. */
export function quickCheck(db: Database): string {
  try {
    const result = String(db.exec('PRAGMA quick_check(1)')[0]?.values[0]?.[0] ?? '');
    return result === 'ok' ? 'ok' : `integrity check: ${result}`;
  } catch (err) {
    return `integrity check: ${(err as Error).message}`;
  }
}

/** Reads the file and its identity from one descriptor, so both describe the same version. */
export function readSnapshot(file: string): { bytes: Buffer; identity: FileIdentity } | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const stat = fs.fstatSync(fd);
    const bytes = fs.readFileSync(fd);
    return { bytes, identity: { ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs } };
  } finally {
    fs.closeSync(fd);
  }
}

export function identityOf(file: string): FileIdentity | undefined {
  try {
    const s = fs.statSync(file);
    return { ino: s.ino, size: s.size, mtimeMs: s.mtimeMs };
  } catch {
    return undefined;
  }
}

export function sameIdentity(a: FileIdentity | undefined, b: FileIdentity | undefined): boolean {
  return a !== undefined && b !== undefined && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}
