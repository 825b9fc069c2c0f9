// The destinations' own notices and errors where VS Code shows them: Google Drive's word that its
// folder was trashed or deleted (a plan warning) and Flickr's "budget spent" error (Verify's stop,
// Activity, a listing error). English where made (log, command line), translated by template where shown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFlickrProvider } from '../../src/destinations/flickr/destination';
import { loadMediaTypes } from '../../src/metadata/mediaTypes';
import { classifyDriveError, DRIVE_QUOTA } from '../../src/destinations/googleDrive/rules';
import { GoogleApiError } from '../../src/google/errors';
import { ticketFailed } from '../../src/destinations/flickr/tickets';
import { translateDownloadStop } from '../../src/sync/download/stopText';
import { FLICKR_ORIGINAL_UNAVAILABLE, DRIVE_FOLDER_DELETED, DRIVE_FOLDER_LOST_MADE_NEW, DRIVE_FOLDER_LOST_USES_OTHER, DRIVE_FOLDER_TRASHED } from '../../src/sync/destinationText';
import { translatePlanWarning } from '../../src/sync/warningText';
import { translateFailure } from '../../src/sync/failureText';
import { errorMessageFor } from '../../src/sync/layoutText';
import { englishDetail, STOP_QUOTA_SPENT, translateStopReason } from '../../src/sync/verify/detailText';
import type { OAuth1CredentialSource } from '../../src/flickr/oauth1';
import type { SyncL10n } from '../../src/sync/l10n';
import { englishL10n } from '../../src/util/englishL10n';
import { nullLogger } from '../../src/util/logger';

const pretend = { t: (m: string, ...a: unknown[]) => `«${m.replace(/\{(\d+)\}/g, (_, i: string) => `[${String(a[Number(i)])}]`)}»` } as unknown as SyncL10n;

test('Google Drive: the notice that its folder is gone, translated as a plan warning', () => {
  const made = englishL10n.t(DRIVE_FOLDER_LOST_MADE_NEW, 'Photo Sync', DRIVE_FOLDER_TRASHED, 'Photo Sync');
  assert.equal(made, 'The Google Drive folder “Photo Sync” was moved to the trash in Google Drive; Photo Sync made a new “Photo Sync” folder and puts the albums there again (nothing is uploaded into the trash).');
  assert.equal(translatePlanWarning(made, pretend), '«The Google Drive folder “[Photo Sync]” [«was moved to the trash in Google Drive»]; Photo Sync made a new “[Photo Sync]” folder and puts the albums there again (nothing is uploaded into the trash).»');
  const other = englishL10n.t(DRIVE_FOLDER_LOST_USES_OTHER, 'Photo Sync', DRIVE_FOLDER_DELETED, 'Photo Sync (laptop)');
  assert.equal(translatePlanWarning(other, pretend), '«The Google Drive folder “[Photo Sync]” [«was deleted in Google Drive»]; Photo Sync uses the other “[Photo Sync (laptop)]” folder it made.»');
  assert.equal(translatePlanWarning(other, englishL10n), other);
});

test('Flickr: the spent hourly budget, English as thrown, translated where VS Code shows it', async () => {
  // Signed credentials, but no request may leave: the budget stops it before it is sent (no endpoint answers).
  const credentials: OAuth1CredentialSource = { credentials: async () => ({ consumer: { key: 'k', secret: 's' }, token: { key: 't', secret: 'u' } }) };
  const provider = createFlickrProvider({ accountId: '1@N01', credentials, endpointSettings: { flickrRest: 'http://127.0.0.1:9/rest', flickrUpload: 'http://127.0.0.1:9/upload', flickrOAuth: 'http://127.0.0.1:9/oauth' }, mediaTypes: await loadMediaTypes(), log: nullLogger, quotaUsed: () => 3600 });
  let err: Error | undefined;
  try {
    for await (const c of provider.listContainers()) assert.fail(`no album may be listed: ${c.title}`);
  } catch (e) {
    err = e as Error;
  }
  assert.equal(err?.message, 'Photo Sync used the 3,600 Flickr calls this API key may make in an hour; it continues at the top of the hour.');
  const message = err?.message ?? '';
  const translated = '«Photo Sync used the [3,600] Flickr calls this API key may make in an hour; it continues at [«the top of the hour»].»';
  assert.equal(errorMessageFor(err, pretend), translated);
  assert.equal(translateFailure(message, pretend), translated);
  assert.equal(translateStopReason(englishDetail(STOP_QUOTA_SPENT, 'Flickr', message), pretend), `«[Flickr] says the request quota is spent ([${translated}])»`);
  assert.equal(errorMessageFor(err, englishL10n), message);
});

test('the services’ own failures: Drive without its scope, a failed Flickr ticket, an original Flickr does not offer', () => {
  const scope = classifyDriveError(new GoogleApiError(403, 'PERMISSION_DENIED', 'Request had insufficient authentication scopes.', 'ACCESS_TOKEN_SCOPE_INSUFFICIENT'), 0, DRIVE_QUOTA);
  assert.equal(scope.kind, 'needs-user');
  const reason = (scope as { message: string }).message;
  assert.equal(reason, 'Photo Sync may not use Google Drive with this sign-in: sync the folder again and allow Google Drive access when Google asks.');
  assert.equal(translateFailure(reason, pretend), `«${reason}»`);

  const ticket = ticketFailed('a.jpg', '77-1').message;
  assert.equal(ticket, 'Flickr accepted a.jpg but could not process it (upload ticket 77-1 failed); nothing was added. It is tried again on the next sync.');
  assert.equal(translateFailure(ticket, pretend), '«Flickr accepted [a.jpg] but could not process it (upload ticket [77-1] failed); nothing was added. It is tried again on the next sync.»');

  const original = englishL10n.t(FLICKR_ORIGINAL_UNAVAILABLE, 'b.jpg');
  assert.match(translateDownloadStop(original, pretend), /^«Flickr does not offer the original of \[b\.jpg\] to this account/);
});
