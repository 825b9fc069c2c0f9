import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { scanFolder, type ScannedFile } from '../../src/sync/scan';
import { parseSyncFolders } from '../../src/sync/config';
import { makeJpeg, photosRules, tempDir, writeTree } from './sync-fixtures';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const byRel = (files: ScannedFile[]) => new Map(files.map((f) => [f.rel, f]));

test('scan applies folder rules, globs, types and limits, and names albums like seed 004', async () => {
  const root = path.join(await tempDir(), 'Holidays');
  const a = makeJpeg(1);
  await writeTree(root, {
    'root.jpg': a,
    'Rome/r1.jpg': makeJpeg(2),
    'Rome/_raw/r2.JPG': makeJpeg(3),
    'Rome/notes.txt': 'hello',
    'Rome/empty.jpg': Buffer.alloc(0),
    '.git/x.jpg': makeJpeg(4),
    '__MACOSX/y.jpg': makeJpeg(5),
    '@eaDir/z.jpg': makeJpeg(6),
    'Paris/clip.mp4': Buffer.from('not really a video but bytes'),
    'Paris/skip-me.jpg': makeJpeg(7),
    'Paris/raw.CR2': Buffer.from('raw bytes'),
    'Unicode ✓ Ünïcødé/写真 🌸.jpg': makeJpeg(8),
  });
  await fs.truncate(path.join(root, 'Paris/big.png'), 0).catch(() => undefined);
  await fs.writeFile(path.join(root, 'Paris/big.png'), '');
  await fs.truncate(path.join(root, 'Paris/big.png'), 200 * 1024 * 1024 + 1); // sparse: no real disk use
  await fs.symlink(root, path.join(root, 'Rome', 'loop')); // a link back to the root

  const { folders } = parseSyncFolders([{ path: root, exclude: ['skip-*'] }], path.isAbsolute);
  const result = await scanFolder(folders[0], { rules: await photosRules() });
  const files = byRel(result.files);

  assert.equal(result.missing, false);
  assert.deepEqual(result.skippedFolders.sort(), ['.git', '@eaDir', '__MACOSX']);
  assert.ok(result.problems.some((p) => p.includes('links back')), result.problems.join('\n'));
  assert.equal(files.get('root.jpg')?.albumTitle, 'Holidays');
  assert.equal(files.get('root.jpg')?.sha256, sha(a));
  assert.equal(files.get('Rome/r1.jpg')?.albumTitle, 'Rome');
  assert.equal(files.get('Rome/_raw/r2.JPG')?.albumTitle, 'Rome');
  assert.equal(files.get('Rome/notes.txt')?.status, 'unsupported');
  assert.equal(files.get('Rome/empty.jpg')?.status, 'empty');
  assert.equal(files.get('Paris/skip-me.jpg')?.status, 'excluded');
  assert.equal(files.get('Paris/big.png')?.status, 'too-large');
  assert.equal(files.get('Paris/big.png')?.sha256, undefined, 'over-size files are never hashed');
  assert.equal(files.get('Paris/clip.mp4')?.kind, 'video');
  assert.equal(files.get('Paris/raw.CR2')?.mimeType, 'image/x-canon-cr2');
  assert.equal(files.get('Unicode ✓ Ünïcødé/写真 🌸.jpg')?.albumTitle, 'Unicode ✓ Ünïcødé');
  assert.ok(![...files.keys()].some((k) => k.startsWith('Rome/loop')), 'the symlink loop is not walked');
});

test('scan hashes only new or changed files', async () => {
  const root = await tempDir();
  const one = makeJpeg(10);
  await writeTree(root, { 'a.jpg': one, 'b.jpg': makeJpeg(11) });
  const { folders } = parseSyncFolders([{ path: root }], path.isAbsolute);
  const rules = await photosRules();
  const first = await scanFolder(folders[0], { rules });
  assert.ok(first.files.every((f) => f.changed));
  const known = new Map(first.files.map((f) => [f.path, { size: f.size, mtimeMs: f.mtimeMs, sha256: `known-${f.name}` }]));
  // Change b.jpg: different bytes and mtime.
  await fs.writeFile(path.join(root, 'b.jpg'), makeJpeg(12));
  await fs.utimes(path.join(root, 'b.jpg'), new Date(), new Date(Date.now() + 5000));
  const second = byRel((await scanFolder(folders[0], { rules, known: (p) => known.get(p) })).files);
  assert.equal(second.get('a.jpg')?.changed, false);
  assert.equal(second.get('a.jpg')?.sha256, 'known-a.jpg', 'unchanged size/mtime: the index hash is trusted, no read');
  assert.equal(second.get('b.jpg')?.changed, true);
  assert.equal(second.get('b.jpg')?.sha256, sha(makeJpeg(12)));
});

test('a folder that does not exist is reported, not an empty success', async () => {
  const { folders } = parseSyncFolders([{ path: path.join(await tempDir(), 'gone') }], path.isAbsolute);
  const result = await scanFolder(folders[0], { rules: await photosRules() });
  assert.equal(result.missing, true);
  assert.match(result.problems[0], /does not exist/);
});

test('hidden files are not uploaded: macOS "._" resource forks and dot-files end as excluded', async () => {
  const root = path.join(await tempDir(), 'FromMac');
  await writeTree(root, {
    'IMG_1.jpg': makeJpeg(41),
    '._IMG_1.jpg': Buffer.from('\x00\x05\x16\x07AppleDouble resource fork, not a JPEG'),
    'Trip/.hidden.jpg': makeJpeg(42),
  });
  const { folders } = parseSyncFolders([{ path: root }], path.isAbsolute);
  const files = byRel((await scanFolder(folders[0], { rules: await photosRules() })).files);
  assert.equal(files.get('IMG_1.jpg')?.status, 'candidate');
  assert.equal(files.get('._IMG_1.jpg')?.status, 'excluded');
  assert.equal(files.get('Trip/.hidden.jpg')?.status, 'excluded');
  assert.match(files.get('._IMG_1.jpg')?.reason ?? '', /hidden/);
});

test('an archive folder inside the sync folder is not scanned (archived files would come back every sync)', async () => {
  const root = path.join(await tempDir(), 'Inbox');
  await writeTree(root, { 'new.jpg': makeJpeg(51), 'Archive/Rome/old.jpg': makeJpeg(52) });
  const { folders } = parseSyncFolders([{ path: root, afterUpload: 'archive', archivePath: path.join(root, 'Archive') }], path.isAbsolute);
  const result = await scanFolder(folders[0], { rules: await photosRules() });
  assert.deepEqual(result.files.map((f) => f.rel), ['new.jpg']);
  assert.deepEqual(result.skippedFolders, ['Archive']);
});
