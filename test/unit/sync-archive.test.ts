import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
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

test('a file reached through a linked folder outside the sync folder is not moved out of its real place', async () => {
  const s = await setup();
  const elsewhere = path.join(path.dirname(s.root), 'elsewhere');
  await writeTree(elsewhere, { 'b.jpg': makeJpeg(5) });
  await fs.symlink(elsewhere, path.join(s.root, 'Linked'));
  const source = path.join(s.root, 'Linked/b.jpg');
  const st = await fs.stat(source);
  const r = await archiveFile({ ...s, source, expected: { size: st.size, mtimeMs: st.mtimeMs } });
  assert.equal(r.ok, false);
  assert.match(r.ok ? '' : r.reason, /link/);
  assert.deepEqual(await fs.readFile(path.join(elsewhere, 'b.jpg')), makeJpeg(5), 'the real file stays where it is');
  await assert.rejects(fs.lstat(path.join(s.archiveRoot, 'Linked/b.jpg')));
});

test('a symlinked file is left alone (archiving the link would leave a dangling link and the photo in place)', async () => {
  const s = await setup();
  const elsewhere = path.join(path.dirname(s.root), 'elsewhere');
  await writeTree(elsewhere, { 'c.jpg': makeJpeg(6) });
  const source = path.join(s.root, 'c.jpg');
  await fs.symlink(path.relative(s.root, path.join(elsewhere, 'c.jpg')), source);
  const st = await fs.stat(source);
  const r = await archiveFile({ ...s, source, expected: { size: st.size, mtimeMs: st.mtimeMs } });
  assert.equal(r.ok, false);
  assert.deepEqual(await fs.readFile(source), makeJpeg(6), 'the link still resolves');
  await assert.rejects(fs.lstat(path.join(s.archiveRoot, 'c.jpg')));
});

test('a sync folder that is itself a link still archives its files', async () => {
  const s = await setup();
  const alias = path.join(path.dirname(s.root), 'alias');
  await fs.symlink(s.root, alias);
  const r = await archiveFile({ ...s, root: alias, source: path.join(alias, 'Rome/a.jpg') });
  assert.deepEqual(r, { ok: true, movedTo: path.join(s.archiveRoot, 'Rome/a.jpg') });
  assert.deepEqual(await fs.readFile(path.join(s.archiveRoot, 'Rome/a.jpg')), makeJpeg(1));
});

/** A folder whose entries cannot be removed, even by root (chattr +i); undefined where not supported. */
async function lockFolder(dir: string): Promise<(() => void) | undefined> {
  const chattr = (flag: string) => spawnSync('chattr', [flag, dir], { stdio: 'ignore' }).status === 0;
  if (!chattr('+i')) return undefined;
  return () => void chattr('-i');
}

test('a source that cannot be removed leaves no copy behind in the archive (same drive and across drives)', async (t) => {
  const otherDrive = (await fs.stat('/dev/shm').catch(() => undefined))?.isDirectory() ? await fs.mkdtemp('/dev/shm/photosync-') : undefined;
  for (const archiveBase of [undefined, otherDrive]) {
    const s = await setup();
    const archiveRoot = archiveBase ? path.join(archiveBase, 'archive') : s.archiveRoot;
    const unlock = await lockFolder(path.dirname(s.source));
    if (!unlock) {
      t.diagnostic('chattr +i is not available here: only the move itself is checked');
      assert.equal((await archiveFile({ ...s, archiveRoot })).ok, true);
      continue;
    }
    try {
      const r = await archiveFile({ ...s, archiveRoot });
      assert.equal(r.ok, false);
      assert.match(r.ok ? '' : r.reason, /could not be removed/);
    } finally {
      unlock();
    }
    assert.deepEqual(await fs.readFile(s.source), makeJpeg(1), 'the photo stays in the sync folder');
    assert.deepEqual(await fs.readdir(path.join(archiveRoot, 'Rome')), [], 'and only there');
  }
  if (otherDrive) await fs.rm(otherDrive, { recursive: true, force: true });
});

test('across drives the file is copied, verified and then removed', async () => {
  const otherDrive = (await fs.stat('/dev/shm').catch(() => undefined))?.isDirectory() ? await fs.mkdtemp('/dev/shm/photosync-') : await tempDir();
  try {
    const s = await setup();
    const archiveRoot = path.join(otherDrive, 'archive');
    const r = await archiveFile({ ...s, archiveRoot, expected: { ...s.expected, sha256: createHash('sha256').update(makeJpeg(1)).digest('hex') } });
    assert.deepEqual(r, { ok: true, movedTo: path.join(archiveRoot, 'Rome/a.jpg') });
    await assert.rejects(fs.stat(s.source));
    assert.deepEqual(await fs.readFile(path.join(archiveRoot, 'Rome/a.jpg')), makeJpeg(1));
    assert.deepEqual(await fs.readdir(path.join(archiveRoot, 'Rome')), ['a.jpg'], 'no temporary file left');
  } finally {
    await fs.rm(otherDrive, { recursive: true, force: true });
  }
});
