import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { childDone, open, runChild, sqlite3, tempStorage } from './index-helpers';

test('a process killed in the middle of a save leaves the previous index intact', async () => {
  const dir = tempStorage();
  const file = path.join(dir, 'index.sqlite');
  const child = runChild('index-saver-child.ts', [dir]);
  const done = childDone(child);
  let lastSaved = 0;
  child.stdout?.on('data', (d: Buffer) => {
    const m = /saved (\d+)\n$/.exec(d.toString());
    if (m) lastSaved = Number(m[1]);
  });

  // Wait until a few saves happened, then kill the moment a save's temp file exists.
  let killedDuringSave = false;
  const deadline = Date.now() + 60_000;
  while (!killedDuringSave && Date.now() < deadline) {
    if (lastSaved >= 6000 && fs.readdirSync(dir).some((n) => n.startsWith('index.sqlite.tmp-'))) {
      child.kill('SIGKILL');
      killedDuringSave = true;
      break;
    }
    await new Promise((r) => setImmediate(r));
  }
  const exit = await done;
  assert.ok(killedDuringSave, 'the child was caught saving');
  assert.equal(exit.signal, 'SIGKILL');

  assert.equal(sqlite3(file, 'PRAGMA integrity_check'), 'ok');
  const rows = Number(sqlite3(file, 'SELECT count(*) FROM local_files'));
  assert.ok(rows >= lastSaved, `every reported save is in the file (${rows} ≥ ${lastSaved})`);
  assert.equal(rows % 2000, 0, 'the file holds whole batches only');

  let corrupt = false;
  const index = await open(dir, { watch: false, onCorrupt: () => (corrupt = true) });
  assert.equal(corrupt, false);
  assert.equal(index.localFiles.byStatus('seen').total, rows);
  assert.ok(!fs.readdirSync(dir).some((n) => n.startsWith('index.sqlite.tmp-')), 'a temp file of the dead process is removed on open');
  // The dead child still "holds" the lock file: the next write takes it over instead of waiting.
  await index.write((w) => w.localFiles.upsert({ path: '/after-crash.jpg', size: 1, mtimeMs: 1, status: 'seen' }));
  await index.dispose();
  assert.deepEqual(fs.readdirSync(dir), ['index.sqlite']);
  assert.equal(Number(sqlite3(file, 'SELECT count(*) FROM local_files')), rows + 1);
});

test('temp files of dead processes are removed on open, those of live ones are left alone', async () => {
  const dir = tempStorage();
  await (await open(dir, { watch: false })).dispose();
  const dead = spawn(process.execPath, ['-e', '0']);
  const deadPid = await new Promise<number>((resolve) => dead.on('exit', () => resolve(dead.pid ?? 0)));
  const orphan = path.join(dir, `index.sqlite.tmp-${deadPid}-0badf00d`);
  const live = path.join(dir, `index.sqlite.tmp-${process.ppid}-0badf00d`);
  fs.writeFileSync(orphan, 'half a save');
  fs.writeFileSync(live, 'another window saving right now');
  await (await open(dir, { watch: false })).dispose();
  assert.equal(fs.existsSync(orphan), false);
  assert.equal(fs.existsSync(live), true);
});

test('saves are batched: many writes in a burst produce one save', async () => {
  const dir = tempStorage();
  const file = path.join(dir, 'index.sqlite');
  const index = await open(dir, { watch: false, saveDebounceMs: 50, maxSaveDelayMs: 10_000 });
  const generation = () => Number(sqlite3(file, "SELECT value FROM meta WHERE key = 'generation'"));
  const before = generation();
  for (let i = 0; i < 200; i++) await index.write((w) => w.quota.add('acc', 'google-photos', '2026-01-10', 1));
  await index.flush();
  assert.equal(generation(), before + 1);
  assert.equal(sqlite3(file, 'SELECT requests FROM quota_use'), '200');
  await index.dispose();
});

test('dispose saves what is pending and a write after dispose is refused', async () => {
  const dir = tempStorage();
  const index = await open(dir, { watch: false, saveDebounceMs: 60_000, maxSaveDelayMs: 60_000 });
  await index.write((w) => w.localFiles.upsert({ path: '/a.jpg', size: 1, mtimeMs: 1, status: 'seen' }));
  await index.dispose();
  assert.equal(sqlite3(path.join(dir, 'index.sqlite'), 'SELECT count(*) FROM local_files'), '1');
  await assert.rejects(index.write(() => undefined), /closed/);
});

test('a write callback that throws changes nothing', async () => {
  const dir = tempStorage();
  const index = await open(dir, { watch: false });
  await assert.rejects(
    index.write((w) => {
      w.localFiles.upsert({ path: '/a.jpg', size: 1, mtimeMs: 1, status: 'seen' });
      throw new Error('boom');
    }),
    /boom/,
  );
  assert.equal(index.localFiles.byPath('/a.jpg'), undefined);
  assert.throws(() => (index.localFiles as unknown as { upsert(f: object): void }).upsert({ path: '/b', size: 1, mtimeMs: 1, status: 'seen' }), /inside index.write/);
  await index.dispose();
});

test('cached statements keep working across saves (sql.js 1.16 export does not reopen the database)', async () => {
  const dir = tempStorage();
  const index = await open(dir, { watch: false });
  for (let i = 0; i < 3; i++) {
    await index.write((w) => w.localFiles.upsert({ path: `/s/${i}.jpg`, size: i, mtimeMs: i, status: 'seen' }));
    assert.equal(index.localFiles.byPath(`/s/${i}.jpg`)?.size, i);
    await index.flush();
  }
  assert.equal(index.localFiles.byStatus('seen').total, 3);
  await index.dispose();
  assert.equal(sqlite3(path.join(dir, 'index.sqlite'), 'SELECT count(*) FROM local_files'), '3');
});

test('journal in memory, lock held: a failed write still rolls back after saves, and the saved file is a plain rollback-journal SQLite file', async () => {
  const dir = tempStorage();
  const file = path.join(dir, 'index.sqlite');
  const index = await open(dir, { watch: false });
  await index.write((w) => w.localFiles.upsert({ path: '/keep.jpg', size: 1, mtimeMs: 1, status: 'seen' }));
  await index.flush();
  await assert.rejects(
    index.write((w) => {
      w.localFiles.upsert({ path: '/keep.jpg', size: 99, mtimeMs: 99, status: 'seen' });
      w.localFiles.upsert({ path: '/gone.jpg', size: 2, mtimeMs: 2, status: 'seen' });
      throw new Error('boom');
    }),
    /boom/,
  );
  assert.equal(index.localFiles.byPath('/keep.jpg')?.size, 1, 'the changed row is back as it was');
  assert.equal(index.localFiles.byPath('/gone.jpg'), undefined);
  await index.write((w) => w.localFiles.upsert({ path: '/after.jpg', size: 3, mtimeMs: 3, status: 'seen' }));
  await index.flush();
  // Bytes 18–19 of the header: 1 = rollback journal (2 would be WAL, which other tools would need a -wal file for).
  const header = fs.readFileSync(file).subarray(18, 20);
  assert.deepEqual([...header], [1, 1]);
  assert.equal(sqlite3(file, 'PRAGMA integrity_check'), 'ok');
  assert.equal(sqlite3(file, "SELECT group_concat(path || ':' || size) FROM (SELECT * FROM local_files ORDER BY path)"), '/after.jpg:3,/keep.jpg:1');
  await index.dispose();
  // Opened again (a new in-memory database from the file), it reads and writes as before.
  const again = await open(dir, { watch: false });
  await again.write((w) => w.localFiles.upsert({ path: '/next.jpg', size: 4, mtimeMs: 4, status: 'seen' }));
  assert.equal(again.localFiles.byStatus('seen').total, 3);
  await again.dispose();
});
