// A quota's label and reset time stay English in the policies (log, command line) and are translated
// where VS Code shows them: the status bar's pause, Activity, Accounts, Verify's cost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GOOGLE_PHOTOS_QUOTA } from '../../src/destinations/googlePhotos/rules';
import { DRIVE_QUOTA } from '../../src/destinations/googleDrive/rules';
import { FLICKR_QUOTA } from '../../src/destinations/flickr/quota';
import { quotaWords } from '../../src/tasks/quotaWords';
import { formatGroupProgress } from '../../src/tasks/progressText';
import { setDisplayLanguage } from '../../src/util/format';
import { englishL10n } from '../../src/util/englishL10n';
import type { SyncL10n } from '../../src/sync/l10n';

const pretend = { t: (m: string, ...a: unknown[]) => `«${m.replace(/\{(\d+)\}/g, (_, i: string) => `[${String(a[Number(i)])}]`)}»` } as unknown as SyncL10n;

test('quota labels and reset times: English as defined, each a known message where shown', (t) => {
  assert.deepEqual([GOOGLE_PHOTOS_QUOTA.label, GOOGLE_PHOTOS_QUOTA.resetText], ['daily quota', 'midnight Pacific time']);
  assert.deepEqual([FLICKR_QUOTA.label, FLICKR_QUOTA.resetText], ['hourly limit', 'the top of the hour']);
  assert.equal(DRIVE_QUOTA.label, 'rate limit (12,000 requests a minute)');
  for (const words of [GOOGLE_PHOTOS_QUOTA.label, GOOGLE_PHOTOS_QUOTA.resetText, FLICKR_QUOTA.label, FLICKR_QUOTA.resetText]) {
    assert.equal(quotaWords(words, pretend), `«${words}»`);
    assert.equal(quotaWords(words, englishL10n), words);
  }
  assert.equal(quotaWords(DRIVE_QUOTA.label, pretend), '«rate limit ([12,000] requests a minute)»');
  assert.equal(quotaWords(DRIVE_QUOTA.label, englishL10n), DRIVE_QUOTA.label);
  t.after(() => setDisplayLanguage(undefined));
  setDisplayLanguage('de');
  assert.equal(quotaWords(DRIVE_QUOTA.label, englishL10n), 'rate limit (12.000 requests a minute)');
  assert.equal(quotaWords('some other limit', pretend), 'some other limit');
});

test('a paused group’s progress line names the quota through its message', () => {
  const group = { title: 'Uploading', verb: 'Uploading', done: 1, total: 3, bytesDone: 0, bytesTotal: 0, failures: [] } as unknown as Parameters<typeof formatGroupProgress>[0];
  const line = formatGroupProgress(group, { until: Date.UTC(2026, 0, 1, 9, 0), label: 'daily quota' }, 'UTC', pretend);
  assert.match(line, /«daily quota»/);
});
