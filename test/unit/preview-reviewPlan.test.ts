// The review's rows from a real scan and plan: every file with its action, album and why (the
// duplicate names its original, the exclude names its rule, skipped folders are rows too);
// "Exclude" applied to the same scans; "Upload These" narrowed to exactly the files sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { applyExclude, restrictPlan, reviewRows } from '../../src/preview/reviewPlan';
import { parseSyncFolders } from '../../src/sync/config';
import { flagDamaged } from '../../src/sync/damage';
import { buildPlan } from '../../src/sync/plan';
import { scanFolder } from '../../src/sync/scan';
import { makeJpeg, openTestIndex, photosRules, tempDir, writeTree } from './sync-fixtures';

test('every file gets its action and reason; Exclude re-plans the same scan; Upload These sends only the chosen files', async () => {
  const root = path.join(await tempDir(), 'Trip');
  const same = makeJpeg(1);
  await writeTree(root, {
    'a.jpg': same,
    'day2/copy of a.jpg': same,
    'b.jpg': makeJpeg(2),
    'c.jpg': makeJpeg(3),
    'Temp/t.jpg': makeJpeg(4),
    '@eaDir/thumb.jpg': makeJpeg(5),
    'notes.txt': 'x',
    'cut.jpg': (await fs.readFile(path.join(process.cwd(), 'test/fixtures/media-validity/bad-truncated.jpg'))),
  });
  await fs.writeFile(path.join(root, 'huge.gif'), Buffer.alloc(1));
  await fs.truncate(path.join(root, 'huge.gif'), 201 * 1024 * 1024); // past Google's 200 MB for photos
  const folder = parseSyncFolders([{ path: root, album: { mode: 'fixed', name: 'Trip' }, exclude: ['**/Temp/**'] }], path.isAbsolute).folders[0];
  const rules = await photosRules();
  const index = await openTestIndex();
  const scan = await scanFolder(folder, { rules });
  await flagDamaged(scan);
  const scans = [{ folder, scan }];
  const options = { accountId: 'acct', provider: 'google-photos', rules, batchSize: 50 };
  const plan = buildPlan(scans, index, options);
  const data = reviewRows(scans, plan, { used: 120, limit: 10_000 });
  const by = new Map(data.rows.map((r) => [r.relPath, r]));

  assert.deepEqual(data.folders, [root]);
  assert.equal(by.get('a.jpg')?.action, 'new');
  assert.equal(by.get('a.jpg')?.album, 'Trip');
  assert.equal(by.get('day2/copy of a.jpg')?.action, 'duplicate');
  assert.match(by.get('day2/copy of a.jpg')?.reason ?? '', /same bytes as a\.jpg/);
  assert.equal(by.get('Temp/t.jpg')?.action, 'excluded');
  assert.match(by.get('Temp/t.jpg')?.reason ?? '', /exclude rule \*\*\/Temp\/\*\*/);
  assert.equal(by.get('@eaDir/')?.action, 'excluded');
  assert.match(by.get('@eaDir/')?.reason ?? '', /excludeFolders rule \^@eaDir\$/);
  assert.equal(by.get('notes.txt')?.action, 'unsupported');
  assert.equal(by.get('huge.gif')?.action, 'too-large');
  assert.equal(by.get('cut.jpg')?.action, 'damaged');
  assert.match(by.get('cut.jpg')?.reason ?? '', /end-of-image/);
  assert.equal(data.summary.counts.new, 3);
  assert.equal(data.summary.counts.excluded, 2);
  assert.equal(data.summary.requests, plan.cost.total);
  assert.equal(data.summary.quotaUsedToday, 120);

  // Exclude c.jpg (the glob the webview makes for a root file): the same scans, planned again.
  assert.equal(applyExclude(scans, 0, './c.jpg'), 1);
  assert.deepEqual(folder.exclude, ['**/Temp/**', './c.jpg']);
  const replanned = reviewRows(scans, buildPlan(scans, index, options), { used: 120, limit: 10_000 });
  const c = replanned.rows.find((r) => r.relPath === 'c.jpg');
  assert.equal(c?.action, 'excluded');
  assert.match(c?.reason ?? '', /exclude rule \.\/c\.jpg/);
  assert.equal(replanned.summary.counts.new, 2);

  // Upload These with only b.jpg: a.jpg is not sent.
  const narrowed = restrictPlan(buildPlan(scans, index, options), [{ folder: root, relPath: 'b.jpg', path: path.join(root, 'b.jpg') }]);
  assert.deepEqual(narrowed.uploads.map((u) => u.file.rel), ['b.jpg']);
  assert.equal(narrowed.bytesToUpload, narrowed.uploads[0].file.size);
});
