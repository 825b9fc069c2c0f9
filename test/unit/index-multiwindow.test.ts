import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { IndexChange } from '../../src/index/api';
import { childDone, open, runChild, sqlite3, tempStorage } from './index-helpers';

test('two processes writing the same index concurrently lose none of each other’s rows', async () => {
  const dir = tempStorage();
  const rows = 200;
  const a = childDone(runChild('index-writer-child.ts', [dir, 'window-a', String(rows)]));
  const b = childDone(runChild('index-writer-child.ts', [dir, 'window-b', String(rows)]));
  const [ra, rb] = await Promise.all([a, b]);
  assert.equal(ra.code, 0);
  assert.equal(rb.code, 0);
  const file = path.join(dir, 'index.sqlite');
  assert.equal(sqlite3(file, 'PRAGMA integrity_check'), 'ok');
  assert.equal(sqlite3(file, "SELECT count(*) FROM local_files WHERE path LIKE '/window-a/%'"), String(rows));
  assert.equal(sqlite3(file, "SELECT count(*) FROM local_files WHERE path LIKE '/window-b/%'"), String(rows));
  assert.equal(sqlite3(file, 'SELECT requests FROM quota_use'), String(2 * rows), 'read-modify-write counters add up');
  const reloads = JSON.parse(ra.stdout).reloads + JSON.parse(rb.stdout).reloads;
  assert.ok(reloads > 0, 'the windows really interleaved (each picked up the other’s saves)');
  assert.deepEqual(
    fs.readdirSync(dir).filter((n) => !n.startsWith('ready-')),
    ['index.sqlite'],
    'no lock or temp file left',
  );
});

// A watch that never fires must fail the test, not hang the run.
test('a window sees another window’s save without writing itself (file watch)', { timeout: 30_000 }, async () => {
  const dir = tempStorage();
  const first = await open(dir);
  const second = await open(dir);
  const reloaded = new Promise<IndexChange>((resolve) => second.onDidChange((e) => e.reason === 'reload' && resolve(e)));
  await first.write((w) => w.albums.upsert({ id: 'alb', accountId: 'acc', provider: 'google-photos', title: 'Trip', appCreated: true }));
  await first.flush();
  await reloaded;
  assert.equal(second.albums.byTitle('Trip')[0]?.id, 'alb');
  await first.dispose();
  await second.dispose();
});

test('a lock left by a process that died is taken over', async () => {
  const dir = tempStorage();
  const index = await open(dir, { watch: false, staleLockMs: 60 * 60 * 1000 });
  const dead = spawn(process.execPath, ['-e', '0']);
  const deadPid = await new Promise<number>((resolve) => dead.on('exit', () => resolve(dead.pid ?? 0)));
  fs.writeFileSync(path.join(dir, 'index.sqlite.lock'), JSON.stringify({ pid: deadPid, host: (await import('node:os')).hostname(), owner: 'dead', acquiredAt: Date.now() }));
  await index.write((w) => w.localFiles.upsert({ path: '/x.jpg', size: 1, mtimeMs: 1, status: 'seen' }));
  await index.dispose();
  assert.equal(sqlite3(path.join(dir, 'index.sqlite'), 'SELECT count(*) FROM local_files'), '1');
  assert.deepEqual(fs.readdirSync(dir), ['index.sqlite']);
});

test('a lock held by a live process is respected until it is older than the stale limit', async () => {
  const dir = tempStorage();
  const index = await open(dir, { watch: false, staleLockMs: 5_000, lockTimeoutMs: 200 });
  const lock = path.join(dir, 'index.sqlite.lock');
  // Our parent is alive: a fresh lock in its name must make the write wait (and here, time out).
  fs.writeFileSync(lock, JSON.stringify({ pid: process.ppid, host: (await import('node:os')).hostname(), owner: 'other-window', acquiredAt: Date.now() }));
  await assert.rejects(index.write(() => undefined), /another VS Code window/);
  // The same lock untouched for an hour is stale.
  const hourAgo = new Date(Date.now() - 60 * 60 * 1000);
  fs.utimesSync(lock, hourAgo, hourAgo);
  await index.write((w) => w.localFiles.upsert({ path: '/y.jpg', size: 1, mtimeMs: 1, status: 'seen' }));
  await index.dispose();
  assert.equal(sqlite3(path.join(dir, 'index.sqlite'), 'SELECT count(*) FROM local_files'), '1');
});

test('a window never saves over an index a newer Photo Sync in another window wrote', async () => {
  const dir = tempStorage();
  const older = await open(dir, { watch: false });
  const newer = await open(dir, { watch: false });
  await newer.write((w) => w.localFiles.upsert({ path: '/newer.jpg', size: 1, mtimeMs: 1, status: 'seen' }));
  await newer.dispose();
  const file = path.join(dir, 'index.sqlite');
  // What a future migration would leave behind.
  sqlite3(file, 'UPDATE schema_version SET version = version + 1');
  await assert.rejects(older.write((w) => w.localFiles.upsert({ path: '/older.jpg', size: 1, mtimeMs: 1, status: 'seen' })), /newer Photo Sync/);
  assert.equal(sqlite3(file, 'SELECT path FROM local_files'), '/newer.jpg');
  assert.ok(!fs.existsSync(`${file}.lock`), 'the lock is released for the newer window');
  await older.dispose();
  assert.equal(sqlite3(file, 'SELECT path FROM local_files'), '/newer.jpg');
});
