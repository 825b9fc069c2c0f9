import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GOOGLE_PHOTOS_QUOTA } from '../../src/destinations/googlePhotos/rules';
import { QuotaCounter } from '../../src/sync/quota';
import { openTestIndex, photosRules } from './sync-fixtures';

test('requests are counted per account and Pacific day in the index, batched into one write; byte downloads do not count', async () => {
  const index = await openTestIndex();
  const rules = await photosRules();
  let changes = 0;
  // 07:59 UTC on Jan 10 is still Jan 9 in California.
  let now = Date.UTC(2026, 0, 10, 7, 59);
  const counter = new QuotaCounter(() => index, () => 'acct', GOOGLE_PHOTOS_QUOTA, () => changes++, 10_000, () => now);
  // What the destination factory does with each request the provider sends.
  const sent = (endpoint: string) => rules.countsTowardQuota(endpoint) && counter.count();
  for (let i = 0; i < 7; i++) sent('uploads');
  sent('mediaItems.batchCreate');
  sent('mediaBytes');
  const used = (day: string, account = 'acct') => index.quota.used(account, 'google-photos', day);
  assert.equal(used('2026-01-09'), 0, 'not written before the flush');
  await counter.flush();
  assert.equal(used('2026-01-09'), 8);
  assert.equal(changes, 1);
  now = Date.UTC(2026, 0, 10, 8, 0);
  sent('albums.create');
  await counter.flush();
  assert.equal(used('2026-01-10'), 1, 'a new Pacific day starts at 08:00 UTC');
  assert.equal(counter.usedNow(), 1);
  assert.equal(used('2026-01-10', 'someone-else'), 0);
  await index.dispose();
});
