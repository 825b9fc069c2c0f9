// The "Imported" rows' dates follow VS Code's display language (vs.env.language), not a fixed en-GB.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createVsCode } from '../helpers/vscodeFake';
import { importDate, importedRoots, type ImportedVs } from '../../src/ui/importedNodes';
import { open, tempStorage } from './index-helpers';

const at = new Date(2026, 10, 30, 14, 5);

test('importDate writes the date as the language does', () => {
  assert.equal(importDate(at, 'en-GB'), '30 Nov 2026, 14:05');
  assert.match(importDate(at, 'de'), /^30\. Nov\. 2026, 14:05$/);
  assert.match(importDate(at, 'en'), /^Nov 30, 2026, 0?2:05\sPM$/);
  assert.equal(importDate(at, 'not a tag!'), importDate(at, undefined), 'a tag Intl refuses falls back to the machine’s locale');
});

test('an Imported row’s label uses vs.env.language', async () => {
  const index = await open(tempStorage(), { watch: false });
  try {
    await index.write((w) => {
      w.picker.upsertSession({ id: 's-1', accountId: 'ann', mediaItemsSet: true, state: 'downloaded', targetFolder: '/dl/a' });
    });
    const created = index.picker.recent('ann', 5).find((s) => s.id === 's-1')?.createdAt;
    assert.ok(created);
    const labelIn = async (language: string) => {
      const fake = createVsCode().vs as unknown as ImportedVs;
      const vs = { ...fake, env: { ...fake.env, language } } as ImportedVs;
      const [root] = await importedRoots({ vs, index: () => index, accountId: () => 'ann' })();
      const [row] = (await root?.children?.()) ?? [];
      return String((await row?.toTreeItem())?.label);
    };
    assert.equal(await labelIn('de'), importDate(new Date(created), 'de'));
    assert.equal(await labelIn('fr'), importDate(new Date(created), 'fr'));
    assert.notEqual(await labelIn('de'), await labelIn('zh-cn'));
  } finally {
    await index.dispose();
  }
});
