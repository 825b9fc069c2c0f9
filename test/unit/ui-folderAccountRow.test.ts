// A sync folder's row with accounts: the account on the row only when there is a choice, a signed-out
// account first with a warning icon, and the row redrawn when the folder's account changes in the
// settings (the rows are rebuilt from the new folder, not the one they were made from).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type * as vscode from 'vscode';
import { createVsCode, type TreeItem } from '../helpers/vscodeFake';
import { parseSyncFolders, type SyncFolder } from '../../src/sync/config';
import { resolveFolderAccount, shortAccountName } from '../../src/sync/folderAccount';
import { SyncStatusCache } from '../../src/ui/syncStatusCache';
import { LibraryTree, type TreeNode } from '../../src/ui/tree';
import { syncTreeRoots, type TreeVsCode } from '../../src/ui/treeNodes';
import { Paging } from '../../src/ui/paging';
import { openTestIndex } from './sync-fixtures';

const item = (n: TreeNode) => n.toTreeItem() as unknown as TreeItem & { iconPath?: { id: string } };

test('folder rows: the account when several are signed in, a signed-out one first with a warning; redrawn when the account changes', async () => {
  const index = await openTestIndex();
  const { vs } = createVsCode();
  let raw: unknown[] = [{ path: path.resolve('/photos/Ann') }, { path: path.resolve('/photos/Ben') }];
  const folders = () => parseSyncFolders(raw, path.isAbsolute).folders;
  let signedIn = [{ id: '1', label: 'ann@example.com' }];
  const accountOnRow = (f: SyncFolder) => {
    const r = resolveFolderAccount(f, signedIn);
    if (r.state === 'signedOut') return { text: `${shortAccountName(r.wanted, signedIn)} signed out`, problem: true };
    return r.state === 'ok' && signedIn.length > 1 ? { text: shortAccountName(r.account, signedIn) } : undefined;
  };
  const cache = new SyncStatusCache(() => index, folders);
  const tree = new LibraryTree(vs as unknown as Pick<typeof vscode, 'EventEmitter'>);
  tree.setRoots(syncTreeRoots({ vs: vs as unknown as TreeVsCode, index: () => index, accountId: () => '1', provider: 'google-photos', folders, cache, paging: new Paging(() => 50), accountOnRow }));
  const rows = async () => {
    const top = await tree.getChildren();
    const syncFolders = top.find((n) => n.id === 'photoSync.syncFolders') as TreeNode;
    return (await tree.getChildren(syncFolders)).map((n) => [item(n).label, item(n).description, item(n).iconPath?.id]);
  };
  assert.deepEqual(await rows(), [['Ann', 'not synced yet', 'folder'], ['Ben', 'not synced yet', 'folder']], 'one account: no account on the rows');

  signedIn = [...signedIn, { id: '2', label: 'ben@example.com' }];
  raw = [{ path: path.resolve('/photos/Ann') }, { path: path.resolve('/photos/Ben'), account: 'ben@example.com' }];
  const redrawn = await tree.redrawChanged();
  assert.ok(redrawn.includes('photoSync.syncFolders'), `the folders row is redrawn: ${JSON.stringify(redrawn)}`);
  assert.deepEqual(await rows(), [['Ann', 'not synced yet · ann', 'folder'], ['Ben', 'not synced yet · ben', 'folder']]);

  signedIn = [signedIn[0]];
  assert.deepEqual((await rows())[1], ['Ben', 'ben signed out · not synced yet', 'warning']);
  await index.dispose();
});
