// The capacity's account and item words stay English in the Capacity a destination returns (the log
// and the command line) and go through l10n.t where the notification shows them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CAPACITY_FREE_FLICKR_ACCOUNT, CAPACITY_NOT_PUBLIC, CAPACITY_PHOTOS_AND_VIDEOS, capacityWords } from '../../src/sync/capacity';
import type { SyncL10n } from '../../src/sync/l10n';
import { englishL10n } from '../../src/util/englishL10n';
import { uploadFirstQuestion } from '../../src/ui/commands/capacity';

const pretend = { t: (message: string) => `«${message}»` } as unknown as SyncL10n;

test('capacity words are translated; words no message knows are shown as they are', () => {
  assert.deepEqual(capacityWords({ limit: 1000, used: 1, account: CAPACITY_FREE_FLICKR_ACCOUNT, items: CAPACITY_PHOTOS_AND_VIDEOS }, pretend), { account: '«free Flickr account»', items: '«photos and videos»' });
  assert.deepEqual(capacityWords({ limit: 50, used: 1, account: CAPACITY_FREE_FLICKR_ACCOUNT, items: CAPACITY_NOT_PUBLIC }, pretend).items, '«photos and videos that are not public»');
  assert.deepEqual(capacityWords({ limit: 5, used: 1, account: 'trial plan', items: 'toString' }, pretend), { account: 'trial plan', items: 'toString' });
  assert.deepEqual(capacityWords({ limit: 5, used: 1, account: CAPACITY_FREE_FLICKR_ACCOUNT, items: CAPACITY_NOT_PUBLIC }, englishL10n), { account: 'free Flickr account', items: 'photos and videos that are not public' });
});

test('"upload the first n" says one file and one other in the singular', () => {
  const marked = { t: (m: string, ...a: unknown[]) => `«${m.replace(/\{(\d+)\}/g, (_, i: string) => `[${String(a[Number(i)])}]`)}»` } as unknown as SyncL10n;
  assert.equal(uploadFirstQuestion(englishL10n, 3, 2, 'Flickr'), 'Upload the first 3 now? The other 2 stay “to upload” until there is room (delete photos on Flickr, or upgrade to Flickr Pro).');
  assert.equal(uploadFirstQuestion(englishL10n, 3, 1, 'Flickr'), 'Upload the first 3 now? The other one stays “to upload” until there is room (delete photos on Flickr, or upgrade to Flickr Pro).');
  assert.equal(uploadFirstQuestion(englishL10n, 1, 1, 'Flickr'), 'Upload the first file now? The other one stays “to upload” until there is room (delete photos on Flickr, or upgrade to Flickr Pro).');
  assert.equal(uploadFirstQuestion(englishL10n, 1, 1500, 'Flickr'), 'Upload the first file now? The other 1,500 stay “to upload” until there is room (delete photos on Flickr, or upgrade to Flickr Pro).');
  // Each case is its own message for translators, the counts as values.
  assert.equal(uploadFirstQuestion(marked, 2, 1, 'Flickr'), '«Upload the first [2] now? The other one stays “to upload” until there is room (delete photos on [Flickr], or upgrade to Flickr Pro).»');
});
