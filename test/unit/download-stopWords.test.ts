// Why a download stopped or could not list: English where it is stored and printed (report, command
// line, log), translated by its template where VS Code shows it (the end notification, the listing's
// error, the Activity view). The service's own words inside stay as they are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QuotaSpentError } from '../../src/sync/download/plan';
import type { DownloadReport } from '../../src/sync/download/report';
import { describeDownload } from '../../src/sync/download/reportText';
import { DOWNLOAD_ALREADY_RUNNING, DOWNLOAD_SIGNED_OUT, downloadErrorText, translateDownloadStop } from '../../src/sync/download/stopText';
import { fileSystemError } from '../../src/localfs/placeErrors';
import { translateFailure } from '../../src/sync/failureText';
import type { SyncL10n } from '../../src/sync/l10n';
import { englishL10n } from '../../src/util/englishL10n';

const pretend = { t: (m: string, ...a: unknown[]) => `«${m.replace(/\{(\d+)\}/g, (_, i: string) => `[${String(a[Number(i)])}]`)}»` } as unknown as SyncL10n;

function report(change: Partial<DownloadReport>): DownloadReport {
  return {
    source: { kind: 'album', key: 'album:a', title: 'Trip' }, root: '/dl', listed: 0, downloaded: 0, bytes: 0, already: 0, notReady: [], failed: [], files: [], folders: {},
    renamed: [], links: { symlink: 0, hardlink: 0, problems: [] }, exifWritten: 0, sidecars: 0, warnings: [], cancelled: true, interrupted: false, errors: [], ...change,
  };
}

test('a spent quota while listing: English message kept, the quota’s words translated where shown', () => {
  const err = new QuotaSpentError(Date.UTC(2026, 0, 2, 8, 0), 'daily quota', new Error('429'));
  assert.equal(err.message, 'The daily quota of requests is spent until 2026-01-02 08:00 UTC; try the download again after that.');
  assert.equal(downloadErrorText(err, pretend), '«The [«daily quota»] of requests is spent until [2026-01-02 08:00] UTC; try the download again after that.»');
  assert.equal(downloadErrorText(err, englishL10n), err.message);
  assert.equal(downloadErrorText(new Error('socket hang up'), pretend), 'socket hang up');
});

test('“already being downloaded” and the stops of a run are translated in the end notification', async () => {
  const busy = englishL10n.t(DOWNLOAD_ALREADY_RUNNING, 'Trip', '/dl');
  assert.equal(busy, '“Trip” is already being downloaded into /dl (in this or another VS Code window); run it again when that one is done.');
  const text = describeDownload(report({ stopped: busy }), { verb: 'Downloaded', service: 'Google Photos' }, pretend);
  assert.match(text.message, /«Stopped: \[«“\[Trip\]” is already being downloaded into \[\/dl\]/);

  const readOnly = await fileSystemError(Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' }), '/dl/photos/a.jpg', 0, undefined);
  assert.equal(readOnly.message, '/dl/photos is on a read-only file system, so a.jpg cannot be saved there. Choose another download folder; nothing was written.');
  assert.equal(translateDownloadStop(readOnly.message, pretend), '«[/dl/photos] is on a read-only file system, so [a.jpg] cannot be saved there. Choose another download folder; nothing was written.»');
  const denied = await fileSystemError(Object.assign(new Error('EACCES'), { code: 'EACCES' }), '/dl/photos/a.jpg', 0, undefined);
  assert.match(translateDownloadStop(denied.message, pretend), /^«No permission to write \[a\.jpg\] in \[\/dl\/photos\]/);

  // A fetch task's "needs you" reason, as the Activity view shows it: the service's words kept.
  const signedOut = englishL10n.t(DOWNLOAD_SIGNED_OUT, 'invalid_grant');
  assert.equal(translateFailure(signedOut, pretend), '«Not signed in, or access was revoked ([invalid_grant]). Sign in again and run the download again; nothing is lost.»');
  assert.equal(translateDownloadStop('Not enough space in /dl', pretend), 'Not enough space in /dl');
});
