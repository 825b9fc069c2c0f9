import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withLock } from './lock';

test('withLock runs holders one at a time and releases the lock', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'photo-sync-lock-'));
  try {
    const lock = path.join(dir, 'install.lock');
    const events: string[] = [];
    const hold = (name: string) =>
      withLock(lock, async () => {
        events.push(`${name} in`);
        await new Promise((resolve) => setTimeout(resolve, 300));
        events.push(`${name} out`);
      });
    await Promise.all([hold('a'), hold('b')]);
    assert.deepEqual(events, ['a in', 'a out', 'b in', 'b out']);
    assert.equal(existsSync(lock), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('withLock takes over a lock whose owner process is gone', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'photo-sync-lock-'));
  try {
    const lock = path.join(dir, 'install.lock');
    mkdirSync(lock);
    writeFileSync(path.join(lock, 'pid'), '2147483646');
    assert.equal(await withLock(lock, () => 'ran', { timeoutMs: 5_000 }), 'ran');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
