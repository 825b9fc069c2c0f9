import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { archiveFile } from '../../src/sync/archive';
import { makeJpeg, tempDir, writeTree } from './sync-fixtures';

async function setup() {
  const base = await tempDir();
  const root = path.join(base, 'photos');
  const archiveRoot = path.join(base, 'archive');
  await writeTree(root, { 'Rome/a.jpg': makeJpeg(1) });
  const source = path.join(root, 'Rome/a.jpg');
  const st = await fs.stat(source);
  return { root, archiveRoot, source, expected: { size: st.size, mtimeMs: st.mtimeMs } };
}

test('moves the file keeping its relative path', async () => {
  const s = await setup();
  const r = await archiveFile({ ...s });
  assert.deepEqual(r, { ok: true, movedTo: path.join(s.archiveRoot, 'Rome/a.jpg') });
  await assert.rejects(fs.stat(s.source));
  assert.deepEqual(await fs.readFile(path.join(s.archiveRoot, 'Rome/a.jpg')), makeJpeg(1));
});

test('never overwrites an existing archive file', async () => {
  const s = await setup();
  await writeTree(s.archiveRoot, { 'Rome/a.jpg': 'older archived file' });
  const r = await archiveFile({ ...s });
  assert.deepEqual(r, { ok: true, movedTo: path.join(s.archiveRoot, 'Rome/a (2).jpg') });
  assert.equal(await fs.readFile(path.join(s.archiveRoot, 'Rome/a.jpg'), 'utf8'), 'older archived file');
  assert.deepEqual(await fs.readFile(path.join(s.archiveRoot, 'Rome/a (2).jpg')), makeJpeg(1));
});

test('a file changed after upload stays in place', async () => {
  const s = await setup();
  await fs.writeFile(s.source, makeJpeg(2));
  await fs.utimes(s.source, new Date(), new Date(Date.now() + 10_000));
  const r = await archiveFile({ ...s });
  assert.equal(r.ok, false);
  assert.deepEqual(await fs.readFile(s.source), makeJpeg(2));
  await assert.rejects(fs.stat(path.join(s.archiveRoot, 'Rome/a.jpg')));
});
