import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createVsCode, type TreeItem } from '../helpers/vscodeFake';
import { syncTreeRoots, type TreeVsCode } from '../../src/ui/treeNodes';
import { driveRoots } from '../../src/ui/driveTreeNode';
import { parseSyncFolders, type SyncFolder } from '../../src/sync/config';
import type { TreeNode } from '../../src/ui/tree';
import { openTestIndex } from './sync-fixtures';

const label = (n: TreeNode) => {
  const l = (n.toTreeItem() as unknown as TreeItem).label;
  return typeof l === 'string' ? l : l.label;
};
const description = (n: TreeNode) => (n.toTreeItem() as unknown as TreeItem).description;

test('a "Google Drive" row beside Albums lists the Drive folders with counts, only once a folder syncs to Drive', async () => {
  const index = await openTestIndex();
  const { vs } = createVsCode();
  let folders: SyncFolder[] = parseSyncFolders([{ path: '/photos/Trips' }], path.isAbsolute).folders;
  const deps = { vs: vs as unknown as TreeVsCode, accountId: () => 'acct', folders: () => folders };
  const roots = syncTreeRoots({ ...deps, index: () => index, provider: 'google-photos', destinationRoots: driveRoots({ ...deps, baseName: () => 'Photo Sync' }) });
  assert.deepEqual((await roots()).map(label), ['Albums', 'Sync Folders'], 'no Drive row while nothing goes to Drive');

  folders = parseSyncFolders([{ path: '/photos/Trips' }, { path: '/photos/Scans', destination: 'google-drive' }], path.isAbsolute).folders;
  let [, drive] = await roots();
  assert.equal(label(drive), 'Google Drive');
  assert.deepEqual((await drive.children?.())?.map(label), ['No Drive folders yet — Sync Now makes them']);

  await index.write((w) => {
    w.albums.upsert({ id: 'f1', accountId: 'acct', provider: 'google-drive', title: 'Scans', appCreated: true });
    w.albums.upsert({ id: 'p1', accountId: 'acct', provider: 'google-photos', title: 'Trips', appCreated: true });
    for (let i = 0; i < 3; i++) w.mediaItems.upsert({ id: `d${i}`, accountId: 'acct', provider: 'google-drive', filename: `${i}.jpg`, mimeType: 'image/jpeg' });
    w.mediaItems.addToAlbum('f1', ['d0', 'd1', 'd2']);
  });
  const [albums, driveRow, syncFolders] = await roots();
  drive = driveRow;
  assert.deepEqual([label(albums), label(drive), label(syncFolders)], ['Albums', 'Google Drive', 'Sync Folders']);
  assert.equal(description(drive), '1');
  assert.deepEqual((await drive.children?.())?.map((r) => [label(r), description(r)]), [['Scans', '3 items']]);
  assert.deepEqual((await albums.children?.())?.map(label), ['Trips'], 'Drive folders are not Google Photos albums');
  await index.dispose();
});
