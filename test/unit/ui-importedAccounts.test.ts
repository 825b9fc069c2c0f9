// The "Imported" rows list the Picker imports of every signed-in account, newest first — not only the
// default account's (an import chosen for the second account shows too).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createVsCode } from '../helpers/vscodeFake';
import { importedRoots, type ImportedVs } from '../../src/ui/importedNodes';
import { open, tempStorage } from './index-helpers';

test('Imported: each signed-in account’s imports, newest first; only the default account’s without the list', async () => {
  const index = await open(tempStorage(), { watch: false });
  try {
    await index.write((w) => {
      w.picker.upsertSession({ id: 'ann-1', accountId: 'ann', mediaItemsSet: true, state: 'downloaded', targetFolder: '/dl/a' });
    });
    await new Promise((r) => setTimeout(r, 5));
    await index.write((w) => {
      w.picker.upsertSession({ id: 'ben-1', accountId: 'ben', mediaItemsSet: true, state: 'downloaded', targetFolder: '/dl/b' });
    });
    const vs = createVsCode().vs as unknown as ImportedVs;
    const sessionsOf = async (accountIds?: () => string[]) => {
      const [root] = await importedRoots({ vs, index: () => index, accountId: () => 'ann', accountIds })();
      return ((await root?.children?.()) ?? []).map((n) => n.id);
    };
    const both = await sessionsOf(() => ['ann', 'ben']);
    assert.equal(both.length, 2);
    assert.ok(both[0]?.includes('ben-1') && both[1]?.includes('ann-1'), JSON.stringify(both));
    // With several accounts each row names its own (short on the row, in full in the tooltip).
    const [root] = await importedRoots({ vs, index: () => index, accountId: () => 'ann', accountIds: () => ['ann', 'ben'], accountLabel: (id) => ({ ann: 'ann@gmail.com', ben: 'ben@example.org' })[id] })();
    const rows = ((await root?.children?.()) ?? []).map((n) => n.toTreeItem());
    assert.deepEqual(rows.map((r) => r.description), ['nothing picked · b · ben', 'nothing picked · a · ann']);
    assert.match((rows[0].tooltip as { value: string }).value, /^Imported from the Google Photos of ben@example\.org into \/dl\/b/);
    const one = await sessionsOf();
    assert.equal(one.length, 1);
    assert.ok(one[0]?.includes('ann-1'));
    const [alone] = await importedRoots({ vs, index: () => index, accountId: () => 'ann', accountLabel: () => 'ann@gmail.com' })();
    const [only] = ((await alone?.children?.()) ?? []).map((n) => n.toTreeItem());
    assert.equal(only.description, 'nothing picked · a', 'one account: no account on the row');
  } finally {
    await index.dispose();
  }
});
