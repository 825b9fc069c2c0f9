// Verify Backup's finding details stay English in the report (saved, written as Markdown, printed by
// the command line, matched by actions.ts) and are translated where the Verify view shows them: a
// stored detail is recognised by its template and handed to l10n.t with its values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { scanFolder } from '../../src/sync/scan';
import { parseSyncFolders } from '../../src/sync/config';
import {
  DETAIL_ALBUM_DELETED, DETAIL_DELETED_REMOTELY, DETAIL_FOLDER_UNREADABLE, DETAIL_SAME_BYTES, DETAIL_UNAVAILABLE,
  englishDetail, translateDetail,
} from '../../src/sync/verify/detailText';
import { REASON_HIDDEN } from '../../src/sync/reasonText';
import type { SyncL10n } from '../../src/sync/l10n';
import { englishL10n } from '../../src/util/englishL10n';
import { photosRules, tempDir } from './sync-fixtures';

const pretend = {
  t(message: string, ...args: unknown[]): string {
    return `«${message.replace(/\{(\d+)\}/g, (_, i: string) => `[${String(args[Number(i)])}]`)}»`;
  },
} as unknown as SyncL10n;

test('details are stored in English, exactly as before', () => {
  assert.equal(englishDetail(DETAIL_SAME_BYTES, 'a/b.jpg'), 'same bytes as a/b.jpg');
  assert.equal(englishDetail(DETAIL_DELETED_REMOTELY, 'Google Photos'), 'deleted in Google Photos');
  assert.equal(englishDetail(DETAIL_ALBUM_DELETED, 'Trip', 'Flickr'), 'its album “Trip” was deleted in Flickr (the item is still in the library)');
  assert.equal(englishDetail(DETAIL_UNAVAILABLE, DETAIL_FOLDER_UNREADABLE), 'the folder cannot be read Nothing in it was counted as deleted.');
});

test('a stored detail is shown through its template with its values', () => {
  assert.equal(translateDetail('same bytes as 2024/x (1).jpg', pretend), '«same bytes as [2024/x (1).jpg]»');
  assert.equal(translateDetail('not backed up yet', pretend), '«not backed up yet»');
  assert.equal(
    translateDetail('its album “My “best” trip” was deleted in Google Photos (the item is still in the library)', pretend),
    '«its album “[My “best” trip]” was deleted in [Google Photos] (the item is still in the library)»',
  );
  assert.equal(translateDetail('removed from album “Trip” (still in the library)', pretend), '«removed from album “[Trip]” (still in the library)»');
  // A scanner reason is translated as one; unknown text is shown as it is.
  assert.equal(translateDetail(REASON_HIDDEN, pretend), `«${REASON_HIDDEN}»`);
  assert.equal(translateDetail('something the server said', pretend), 'something the server said');
  // English in, English out.
  const stored = englishDetail(DETAIL_ALBUM_DELETED, 'Trip', 'Flickr');
  assert.equal(translateDetail(stored, englishL10n), stored);
});

test('an unreadable folder’s detail translates the scanner’s problem inside it', async () => {
  const gone = path.join(await tempDir('detail-'), 'unplugged');
  const [folder] = parseSyncFolders([{ path: gone }], path.isAbsolute).folders;
  const scan = await scanFolder(folder, { rules: await photosRules() });
  assert.equal(scan.problems[0], `Folder ${gone} does not exist or cannot be read. Reconnect the drive or remove it from photoSync.folders.`);
  const stored = englishDetail(DETAIL_UNAVAILABLE, scan.problems[0]);
  assert.equal(
    translateDetail(stored, pretend),
    `«[«Folder [${gone}] does not exist or cannot be read. Reconnect the drive or remove it from photoSync.folders.»] Nothing in it was counted as deleted.»`,
  );
  assert.equal(translateDetail(englishDetail(DETAIL_UNAVAILABLE, DETAIL_FOLDER_UNREADABLE), pretend), '«[«the folder cannot be read»] Nothing in it was counted as deleted.»');
});
