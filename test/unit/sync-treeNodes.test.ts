import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createVsCode, type TreeItem } from '../helpers/vscodeFake';
import { syncTreeRoots, folderState, type TreeVsCode } from '../../src/ui/treeNodes';
import { parseSyncFolders } from '../../src/sync/config';
import type { TreeNode } from '../../src/ui/tree';
import { openTestIndex } from './sync-fixtures';

const label = (n: TreeNode) => {
  const l = (n.toTreeItem() as unknown as TreeItem).label;
  return typeof l === 'string' ? l : l.label;
};
const description = (n: TreeNode) => (n.toTreeItem() as unknown as TreeItem).description;

test('signed in: Albums lists the app’s albums with item counts; Sync Folders shows each folder’s state and failed files', async () => {
  const index = await openTestIndex();
  await index.write((w) => {
    w.albums.upsert({ id: 'a1', accountId: 'acct', provider: 'google-photos', title: 'Rome', appCreated: true });
    w.albums.upsert({ id: 'a2', accountId: 'acct', provider: 'google-photos', title: 'Paris', appCreated: true });
    w.albums.upsert({ id: 'other', accountId: 'someone-else', provider: 'google-photos', title: 'Not mine', appCreated: true });
    for (let i = 0; i < 12; i++) w.mediaItems.upsert({ id: `m${i}`, accountId: 'acct', provider: 'google-photos', filename: `${i}.jpg`, mimeType: 'image/jpeg' });
    w.mediaItems.addToAlbum('a1', Array.from({ length: 12 }, (_, i) => `m${i}`));
    w.mediaItems.addToAlbum('a2', ['m0']);
    w.localFiles.upsert({ path: '/photos/Trips/a.jpg', size: 1, mtimeMs: 1, status: 'uploaded' });
    w.localFiles.upsert({ path: '/photos/Trips/b.jpg', size: 1, mtimeMs: 1, status: 'failed', lastError: 'cannot be read: permission denied' });
    w.localFiles.upsert({ path: '/photos/Trips/c.jpg', size: 1, mtimeMs: 1, status: 'pending' });
    // Failures of a sibling folder whose name starts the same must not show under Trips.
    w.localFiles.upsert({ path: '/photos/Trips 2019/d.jpg', size: 1, mtimeMs: 1, status: 'failed', lastError: 'empty' });
  });
  const { vs } = createVsCode();
  const folders = parseSyncFolders([{ path: '/photos/Trips' }], path.isAbsolute).folders;
  let account: string | undefined = 'acct';
  const roots = syncTreeRoots({ vs: vs as unknown as TreeVsCode, index: () => index, accountId: () => account, provider: 'google-photos', folders: () => folders });

  const [albums, syncFolders] = await roots();
  assert.equal(label(syncFolders), 'Sync Folders');
  assert.equal(label(albums), 'Albums');
  const albumRows = (await albums.children?.()) ?? [];
  assert.deepEqual(albumRows.map((r) => [label(r), description(r)]), [['Paris', '1 item'], ['Rome', '12 items']]);

  assert.equal(label(syncFolders), 'Sync Folders');
  const [trips] = (await syncFolders.children?.()) ?? [];
  assert.equal(label(trips), 'Trips');
  // Short on the row (at most two counts), every count in the tooltip.
  assert.equal(description(trips), '1 uploaded · 1 failed');
  const tip = (trips.toTreeItem() as unknown as TreeItem).tooltip as { value: string };
  assert.match(tip.value, /1 uploaded · 1 to upload · 1 failed/);
  const rows = (await trips.children?.()) ?? [];
  // A row per count, then the folder's files with their state.
  assert.deepEqual(rows.map((r) => [label(r), description(r)]), [
    ['Uploaded', '1'],
    ['To upload', '1'],
    ['Failed', '1'],
    ['a.jpg', ''],
    ['b.jpg', 'cannot be read: permission denied'],
    ['c.jpg', 'to upload'],
  ]);
  const failed = (await rows[2].children?.()) ?? [];
  assert.deepEqual(failed.map((r) => [label(r), description(r)]), [['b.jpg', 'cannot be read: permission denied']]);

  account = undefined;
  assert.deepEqual(await roots(), [], 'no rows while signed out (the welcome view shows)');
  await index.dispose();
});

test('folder state wording', () => {
  assert.equal(folderState({}), 'not synced yet');
  assert.equal(folderState({ uploaded: 1204, skipped: 3 }), '1,204 uploaded · 3 skipped');
});
