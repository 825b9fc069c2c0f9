import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QuotaCounter } from '../../src/sync/quota';
import { openTestIndex } from './sync-fixtures';

test('requests are counted per account and day in the index, batched into one write; byte downloads are not counted', async () => {
  const index = await openTestIndex();
  let changes = 0;
  const counter = new QuotaCounter(() => index, () => 'acct', () => changes++, 10_000);
  for (let i = 0; i < 7; i++) counter.count('uploads');
  counter.count('mediaItems.batchCreate');
  counter.count('mediaBytes');
  assert.equal(index.quota.used('acct'), 0, 'not written before the flush');
  await counter.flush();
  assert.equal(index.quota.used('acct'), 8);
  assert.equal(changes, 1);
  counter.count('albums.create');
  await counter.flush();
  assert.equal(index.quota.used('acct'), 9);
  assert.equal(index.quota.used('someone-else'), 0);
  await index.dispose();
});
