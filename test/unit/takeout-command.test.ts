// The Import Google Takeout command's own logic: a part brings its sibling parts; the progress line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatTakeoutProgress, withSiblingParts } from '../../src/ui/commands/importTakeout';
import { summaryLine, emptyResult } from '../../src/sync/takeout/report';
import { tempDir } from './sync-fixtures';

test('one part picked brings every part of the same export, not other exports or other kinds', async () => {
  const dir = await tempDir('takeout-parts-');
  for (const name of ['takeout-20240712T112341Z-001.zip', 'takeout-20240712T112341Z-002.zip', 'takeout-20240712T112341Z-003.zip', 'takeout-20250101T000000Z-001.zip', 'takeout-20240712T112341Z-001.tgz', 'notes.zip']) writeFileSync(path.join(dir, name), '');
  assert.deepEqual(
    withSiblingParts([path.join(dir, 'takeout-20240712T112341Z-002.zip')]).map((p) => path.basename(p)),
    ['takeout-20240712T112341Z-001.zip', 'takeout-20240712T112341Z-002.zip', 'takeout-20240712T112341Z-003.zip'],
  );
  assert.deepEqual(withSiblingParts([path.join(dir, 'notes.zip')]).map((p) => path.basename(p)), ['notes.zip']);
});

test('progress says the part, files, bytes and the time left; the summary the counts', () => {
  assert.equal(formatTakeoutProgress({ phase: 'scanning', archive: 1, archives: 2, archiveName: 'a.zip', files: 0, filesTotal: 0, bytes: 0, bytesTotal: 0 }), 'Reading the sidecars of 2 parts…');
  assert.equal(
    formatTakeoutProgress({ phase: 'importing', archive: 2, archives: 3, archiveName: 'b.zip', files: 1234, filesTotal: 5000, bytes: 3 * 1024 ** 3, bytesTotal: 12 * 1024 ** 3, etaMs: 180_000 }),
    'Part 2 of 3 · 1,234 of 5,000 files · 3.0 GB of 12 GB · about 3 min left',
  );
  const r = emptyResult('/x', ['a.zip']);
  r.imported = 3;
  r.counts.matchedExact = 2;
  r.counts.unmatchedMedia = 1;
  assert.equal(summaryLine(r), 'Takeout imported: 3 stored, sidecars: 2 matched, 0 by fallback, 1 without.');
});
