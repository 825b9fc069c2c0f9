// photo-sync import-takeout on the built dist/cli.js: the same pipeline as the command in VS Code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { expectedSha256, writeParts, type TakeoutFile } from '../helpers/takeoutArchive';
import { ALBUM, sidecarJson, YEAR } from '../helpers/takeoutFixture';
import { cliHome, ensureCliBuilt, eventOf, runCli } from '../helpers/cli';
import { tempDir } from '../unit/sync-fixtures';
import { listTree } from './takeout-harness';

test('photo-sync import-takeout <parts…> --to <dir>: imports both parts, reports, and a second run finds everything done', async () => {
  await ensureCliBuilt();
  const home = cliHome();
  const dir = await tempDir('takeout-cli-');
  const files: TakeoutFile[] = [
    { name: `${YEAR}/IMG_1.jpg`, part: 0, seed: 'one' },
    { name: `${YEAR}/IMG_1.jpg.json`, part: 1, data: sidecarJson({ title: 'IMG_1.jpg', taken: 1_600_000_000 }) },
    { name: `${ALBUM}/IMG_1.jpg`, part: 1, seed: 'one' },
    { name: `${ALBUM}/IMG_1.jpg.json`, part: 1, data: sidecarJson({ title: 'IMG_1.jpg', taken: 1_600_000_000 }) },
    { name: `${ALBUM}/metadata.json`, part: 0, data: JSON.stringify({ title: 'Amsterdam 2022' }) },
    { name: `${YEAR}/IMG_2.jpg`, part: 1 },
  ];
  const parts = await writeParts(dir, files, 'zip');
  const root = await tempDir('takeout-cli-root-');
  const first = await runCli(home, ['import-takeout', ...parts, '--to', root, '--json']);
  assert.equal(first.code, 0, first.stderr);
  const result = eventOf<{ imported: number; duplicates: number; counts: { matchedExact: number; unmatchedMedia: number } }>(first, 'result');
  assert.equal(result.imported, 2);
  assert.equal(result.duplicates, 1);
  assert.equal(result.counts.matchedExact, 2);
  assert.equal(result.counts.unmatchedMedia, 1);
  assert.deepEqual(listTree(root), ['albums/2020/09 Amsterdam 2022/IMG_1.jpg', 'photos/2020/09/IMG_1.jpg', 'photos/2020/09/IMG_1.jpg.xmp', 'photos/undated/IMG_2.jpg']);
  assert.equal(fs.statSync(path.join(root, 'photos/2020/09/IMG_1.jpg')).mtimeMs, 1_600_000_000_000);
  const stored = fs.readFileSync(path.join(root, 'photos/2020/09/IMG_1.jpg'));
  assert.equal((await import('node:crypto')).createHash('sha256').update(stored).digest('hex'), await expectedSha256({ name: 'x', seed: 'one' }));

  const again = await runCli(home, ['import-takeout', ...parts, '--to', root]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /Takeout imported: 0 stored, 3 already there/);

  const bad = await runCli(home, ['import-takeout', parts[0], '--to', path.join(root, 'missing')]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /is not a folder/);
});
