import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { open, sqlite3, tempStorage } from './index-helpers';

async function makeIndexWithRows(dir: string, rows: number): Promise<string> {
  const index = await open(dir, { watch: false });
  await index.write((w) => {
    for (let i = 0; i < rows; i++) w.localFiles.upsert({ path: `/p/${i}.jpg`, size: i, mtimeMs: i, status: 'uploaded' });
  });
  await index.dispose();
  return path.join(dir, 'index.sqlite');
}

const damages: [string, (file: string) => void][] = [
  ['garbage bytes', (file) => fs.writeFileSync(file, Buffer.from('this is not a database at all, just text that happens to be long enough '.repeat(4)))],
  ['a truncated file', (file) => fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2))],
  [
    'overwritten pages',
    (file) => {
      const bytes = fs.readFileSync(file);
      // Keep the header valid; scribble over the b-tree pages after the first.
      bytes.fill(0xa5, 4096, bytes.length - 4096);
      fs.writeFileSync(file, bytes);
    },
  ],
];

for (const [name, damage] of damages) {
  test(`a corrupt index (${name}) is moved aside, the user is told, and a fresh index asks for a rebuild`, async () => {
    const dir = tempStorage();
    const file = await makeIndexWithRows(dir, 300);
    damage(file);
    const damaged = fs.readFileSync(file);
    const told: { movedTo: string; reason: string }[] = [];

    const index = await open(dir, { watch: false, integrityCheck: 'open', onCorrupt: (info) => told.push(info), now: () => Date.UTC(2026, 10, 21, 3, 4, 5) });
    assert.equal(told.length, 1);
    assert.equal(path.basename(told[0].movedTo), 'index.sqlite.corrupt-2026-11-21T03-04-05-000Z');
    assert.deepEqual(fs.readFileSync(told[0].movedTo), damaged, 'the damaged file is kept byte for byte for a later look');
    assert.equal(index.needsRebuild, true);
    assert.equal(index.localFiles.byStatus('uploaded').total, 0);
    await index.write((w) => w.localFiles.upsert({ path: '/p/rebuilt.jpg', size: 1, mtimeMs: 1, status: 'uploaded' }));
    await index.dispose();
    assert.equal(sqlite3(file, 'PRAGMA integrity_check'), 'ok');
    assert.equal(sqlite3(file, "SELECT value FROM meta WHERE key = 'needs_rebuild'"), '1');

    // The flag survives a restart until the sync engine says the rebuild is done.
    const again = await open(dir, { watch: false, onCorrupt: (info) => told.push(info) });
    assert.equal(told.length, 1, 'the fresh file is not reported again');
    assert.equal(again.needsRebuild, true);
    await again.markRebuilt();
    assert.equal(again.needsRebuild, false);
    await again.dispose();
    assert.equal(sqlite3(file, "SELECT value FROM meta WHERE key = 'needs_rebuild'"), '0');
  });
}

test('a healthy index is not reported as corrupt', async () => {
  const dir = tempStorage();
  await makeIndexWithRows(dir, 50);
  let told = 0;
  const index = await open(dir, { watch: false, onCorrupt: () => told++ });
  assert.equal(told, 0);
  assert.equal(index.needsRebuild, false);
  assert.equal(index.localFiles.byStatus('uploaded').total, 50);
  await index.dispose();
});

test('damage found by the integrity check after open replaces the index the same way', async () => {
  const dir = tempStorage();
  const file = await makeIndexWithRows(dir, 2000);
  const bytes = fs.readFileSync(file);
  bytes.fill(0x5a, bytes.length - 3 * 4096); // the last pages: table and index b-tree pages, not the schema
  fs.writeFileSync(file, bytes);
  const told: string[] = [];
  const index = await open(dir, { watch: false, onCorrupt: (info) => told.push(info.reason) });
  assert.deepEqual(told, [], 'cheap checks at open pass: the header, length and schema are fine');
  const changes: string[] = [];
  index.onDidChange((e) => changes.push(e.reason));
  assert.equal(await index.verifyIntegrity(), false);
  assert.equal(told.length, 1);
  assert.match(told[0], /integrity check/);
  assert.ok(changes.includes('reload'), 'readers are told the index was replaced');
  assert.equal(index.needsRebuild, true);
  assert.equal(index.localFiles.byStatus('uploaded').total, 0);
  await index.flush();
  assert.equal(sqlite3(file, 'PRAGMA integrity_check'), 'ok');
  assert.equal(sqlite3(file, "SELECT value FROM meta WHERE key = 'needs_rebuild'"), '1');
  assert.ok(fs.readdirSync(dir).some((n) => n.startsWith('index.sqlite.corrupt-')));
  assert.equal(await index.verifyIntegrity(), true, 'the fresh index is healthy');
  await index.dispose();
});
