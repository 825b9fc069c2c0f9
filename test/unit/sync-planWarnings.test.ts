// What the scanner could not read below a sync folder's root reaches the user as the plan's warnings:
// in English in the plan (the command line prints them, the log keeps them), and through their
// templates in the preview and in the result message VS Code shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { buildPlan } from '../../src/sync/plan';
import { scanFolder } from '../../src/sync/scan';
import { parseSyncFolders } from '../../src/sync/config';
import { describePlan, summarizeReport } from '../../src/sync/reportText';
import { newReport } from '../../src/sync/upload/report';
import { translatePlanWarning } from '../../src/sync/warningText';
import { applyCheck } from '../../src/sync/upload/destinationCheck';
import { GOOGLE_PHOTOS_QUOTA as googlePhotosQuota } from '../../src/destinations/googlePhotos/rules';
import type { SyncL10n } from '../../src/sync/l10n';
import { englishL10n } from '../../src/util/englishL10n';
import { makeJpeg, openTestIndex, photosRules, tempDir, writeTree } from './sync-fixtures';

const pretend = {
  t(message: string, ...args: unknown[]): string {
    return `«${message.replace(/\{(\d+)\}/g, (_, i: string) => `⟦${String(args[Number(i)])}⟧`)}»`;
  },
} as unknown as SyncL10n;

test('broken and looping links below the root: English in the plan, translated in the preview and the result', async () => {
  const root = path.join(await tempDir('plan-warnings-'), 'Photos');
  await writeTree(root, { 'a.jpg': makeJpeg(1), 'sub/b.jpg': makeJpeg(2) });
  await fs.symlink(path.join(root, 'nowhere'), path.join(root, 'broken'));
  await fs.symlink(root, path.join(root, 'sub', 'up'));
  const rules = await photosRules();
  const [folder] = parseSyncFolders([{ path: root }], path.isAbsolute).folders;
  const scan = await scanFolder(folder, { rules });
  const index = await openTestIndex();
  try {
    const plan = buildPlan([{ folder, scan }], index, { accountId: 'a', provider: 'google-photos', rules, batchSize: 50 });
    assert.deepEqual(plan.warnings, [`Broken link skipped: ${path.join(root, 'broken')}`, `Skipped ${path.join(root, 'sub', 'up')}: it links back to a folder already scanned.`]);
    applyCheck(plan, { notices: [], freeBytes: 1 }, 'Google Drive');
    assert.match(plan.warnings[2], /^Google Drive has 1 B free but this sync uploads .+: free .+ more\. Photo Sync uploads until it is full; the rest waits for the next sync\.$/);
    for (const w of plan.warnings) {
      const shown = translatePlanWarning(w, pretend);
      assert.match(shown, /^«.*»$/s, `${w} is a known message`);
      assert.equal(shown.slice(1, -1).replace(/[⟦⟧]/g, ''), w, `${w}: the values come through`);
      assert.equal(translatePlanWarning(w, englishL10n), w);
    }
    const { detail } = describePlan(plan, 0, googlePhotosQuota, pretend);
    assert.ok(detail.includes(`«Broken link skipped: ⟦${path.join(root, 'broken')}⟧»`), detail);
    assert.ok(detail.includes(`«Skipped ⟦${path.join(root, 'sub', 'up')}⟧: it links back to a folder already scanned.»`), detail);
    assert.ok(describePlan(plan, 0, googlePhotosQuota, englishL10n).detail.includes(plan.warnings[0]));
    const report = newReport(plan);
    assert.match(summarizeReport(report, 'Google Photos', pretend), /«Broken link skipped: ⟦.*broken⟧»/);
  } finally {
    await index.dispose();
  }
});

test('more than five problems: the rest are counted in one translated line', () => {
  const stored = '… and 1,200 more problems scanning /photos.';
  assert.equal(translatePlanWarning(stored, pretend), '«… and ⟦1,200⟧ more problems scanning ⟦/photos⟧.»');
  assert.equal(translatePlanWarning('Album "Trip" is full (20,000 items at most); the rest go to "Trip (2)".', pretend), '«Album "⟦Trip⟧" is full (⟦20,000⟧ items at most); the rest go to "⟦Trip (2)⟧".»');
  assert.equal(translatePlanWarning('Cannot read folder /p/locked: EACCES', pretend), '«Cannot read folder ⟦/p/locked⟧: ⟦EACCES⟧»');
  assert.equal(translatePlanWarning('a Drive notice', pretend), 'a Drive notice');
});
