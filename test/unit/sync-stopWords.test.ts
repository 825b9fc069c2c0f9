// Why two-way sync and a Takeout import stopped: English where made (log, command line, report),
// translated by template where VS Code shows it; a nested reason translated too, a service's words kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TWO_WAY_CHECK_STOPPED, TWO_WAY_CHECK_UNFINISHED, TWO_WAY_NOT_CONFIRMED, translateTwoWayStop } from '../../src/sync/twoWay/stopText';
import { STOP_BUDGET_SPENT } from '../../src/sync/verify/detailText';
import { TAKEOUT_BUSY, TAKEOUT_BUSY_PROCESS, TAKEOUT_BUSY_WITH_PROGRESS, TAKEOUT_STOPPED, translateTakeoutStop } from '../../src/sync/takeout/stopText';
import { emptyResult, summaryLine } from '../../src/sync/takeout/report';
import { fileSystemError } from '../../src/localfs/placeErrors';
import type { SyncL10n } from '../../src/sync/l10n';
import { englishL10n } from '../../src/util/englishL10n';

const pretend = { t: (m: string, ...a: unknown[]) => `«${m.replace(/\{(\d+)\}/g, (_, i: string) => `[${String(a[Number(i)])}]`)}»` } as unknown as SyncL10n;

test('two-way sync: why it stopped, translated with Verify’s own reason inside', () => {
  const unfinished = englishL10n.t(TWO_WAY_CHECK_UNFINISHED, 'Google Photos', englishL10n.t(STOP_BUDGET_SPENT, 'Google Photos'));
  assert.equal(unfinished, 'the check of Google Photos did not finish (the Google Photos request quota left for this period is spent); nothing was downloaded or removed');
  assert.equal(translateTwoWayStop(unfinished, pretend), '«the check of [Google Photos] did not finish ([«the [Google Photos] request quota left for this period is spent»]); nothing was downloaded or removed»');
  const plain = englishL10n.t(TWO_WAY_CHECK_UNFINISHED, 'Flickr', TWO_WAY_CHECK_STOPPED);
  assert.equal(translateTwoWayStop(plain, pretend), '«the check of [Flickr] did not finish ([«stopped»]); nothing was downloaded or removed»');
  assert.equal(translateTwoWayStop(TWO_WAY_NOT_CONFIRMED, pretend), `«${TWO_WAY_NOT_CONFIRMED}»`);
  assert.equal(translateTwoWayStop(unfinished, englishL10n), unfinished);
});

test('Takeout: the stop in the notification and the busy error, translated; the English line unchanged', async () => {
  const full = await fileSystemError(Object.assign(new Error('EROFS'), { code: 'EROFS' }), '/dl/photos/a.jpg', 0, undefined);
  const result = { ...emptyResult('/dl', ['takeout-001.zip']), stopped: englishL10n.t(TAKEOUT_STOPPED, full.message) };
  assert.equal(result.stopped, '/dl/photos is on a read-only file system, so a.jpg cannot be saved there. Choose another download folder; nothing was written. What is imported stays; run the import again to continue.');
  assert.match(summaryLine(result), / \/dl\/photos is on a read-only file system, so a\.jpg cannot be saved there\. Choose another download folder; nothing was written\. What is imported stays; run the import again to continue\.$/);
  assert.match(summaryLine(result, pretend), /\[ «\[«\[\/dl\/photos\] is on a read-only file system, so \[a\.jpg\] cannot be saved there\. Choose another download folder; nothing was written\.»\] What is imported stays; run the import again to continue\.»\]»$/);

  const busy = englishL10n.t(TAKEOUT_BUSY_WITH_PROGRESS, '/dl', englishL10n.t(TAKEOUT_BUSY_PROCESS, 4242), 3, 10);
  assert.equal(busy, 'Another import into /dl is running in process 4242 (3 of 10 files). Wait for it to finish, then import again: what it imported is skipped.');
  assert.equal(translateTakeoutStop(busy, pretend), '«Another import into [/dl] is running in [«process [4242]»] ([3] of [10] files). Wait for it to finish, then import again: what it imported is skipped.»');
  const plain = englishL10n.t(TAKEOUT_BUSY, '/dl', 'a VS Code window');
  assert.equal(translateTakeoutStop(plain, pretend), '«Another import into [/dl] is running in [a VS Code window]. Wait for it to finish, then import again: what it imported is skipped.»');
});
