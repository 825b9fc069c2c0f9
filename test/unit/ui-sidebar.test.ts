import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type * as vscode from 'vscode';
import { createVsCode, l10n, type TreeItem } from '../helpers/vscodeFake';
import { parseSyncFolders } from '../../src/sync/config';
import { SyncStatusCache } from '../../src/ui/syncStatusCache';
import { badgeFor } from '../../src/ui/fileDecorations';
import { LibraryTree, type TreeNode } from '../../src/ui/tree';
import { syncTreeRoots, type TreeVsCode } from '../../src/ui/treeNodes';
import { Paging } from '../../src/ui/paging';
import { ActivityTree } from '../../src/ui/activityTree';
import { accountRoots } from '../../src/ui/accountNodes';
import { TaskQueue } from '../../src/tasks/api';
import { GOOGLE_PHOTOS_QUOTA } from '../../src/destinations/googlePhotos/rules';
import { openTestIndex } from './sync-fixtures';
import { dailyQuotaError, gate, googleClassify, settle } from './tasks-helpers';

const item = (n: TreeNode) => n.toTreeItem() as unknown as TreeItem;
const label = (n: TreeNode) => {
  const l = item(n).label;
  return typeof l === 'string' ? l : l.label;
};
const row = (n: TreeNode) => [label(n), item(n).description];

const root = path.resolve('/photos/Trips');
const p = (...parts: string[]) => path.join(root, ...parts);

async function seeded() {
  const index = await openTestIndex();
  await index.write((w) => {
    w.localFiles.upsert({ path: p('a.jpg'), size: 1, mtimeMs: 1, status: 'uploaded' });
    w.localFiles.upsert({ path: p('2019', 'b.jpg'), size: 1, mtimeMs: 1, status: 'failed', lastError: 'the service refused it: corrupt image' });
    w.localFiles.upsert({ path: p('2019', 'c.jpg'), size: 1, mtimeMs: 1, status: 'uploaded' });
    w.localFiles.upsert({ path: p('2019', 'deep', 'd.mp4'), size: 0, mtimeMs: 1, status: 'skipped', lastError: 'the file is empty (0 bytes)' });
    w.localFiles.upsert({ path: p('2020', 'e.jpg'), size: 1, mtimeMs: 1, status: 'hashed' });
    w.localFiles.upsert({ path: p('gone.jpg'), size: 1, mtimeMs: 1, status: 'missing' });
    // Archived after upload (outside the folder): counted as uploaded with it.
    w.localFiles.upsert({ path: path.resolve('/archive/Trips/old.jpg'), size: 1, mtimeMs: 1, status: 'uploaded' });
    // A sibling whose name starts the same is not part of it.
    w.localFiles.upsert({ path: path.resolve('/photos/Trips 2019/x.jpg'), size: 1, mtimeMs: 1, status: 'failed', lastError: 'no' });
  });
  const folders = parseSyncFolders([{ path: root, afterUpload: 'archive', archivePath: path.resolve('/archive/Trips') }], path.isAbsolute).folders;
  return { index, folders };
}

test('the status cache reads each sync folder once per index change; counts and lists agree; directories know their sub-tree', async () => {
  const { index, folders } = await seeded();
  const cache = new SyncStatusCache(() => index, () => folders);
  const [folder] = folders;
  assert.deepEqual(cache.counts(folder), { uploaded: 3, pending: 1, failed: 1, excluded: 1 });
  for (const c of ['uploaded', 'pending', 'failed', 'excluded'] as const) assert.equal(cache.filesIn(folder, c).length, cache.counts(folder)[c], `${c}: the count is the list`);
  assert.deepEqual(cache.dir(p('2019'))?.counts, { uploaded: 1, pending: 0, failed: 1, excluded: 1 });
  assert.deepEqual(cache.dir(root)?.dirs, [p('2019'), p('2020')]);
  assert.deepEqual(cache.dir(p('2019'))?.dirs, [p('2019', 'deep')]);
  assert.deepEqual(cache.dir(p('2019'))?.files.map((f) => path.basename(f.path)), ['b.jpg', 'c.jpg']);
  assert.equal(cache.file(path.resolve('/photos/Trips 2019/x.jpg')), undefined, 'a sibling folder is not inside');
  // Many lookups, no more queries: one per root (the folder and its archive).
  for (let i = 0; i < 1000; i++) cache.file(p('2019', 'b.jpg'));
  assert.equal(cache.queries, 2);
  cache.invalidate();
  cache.file(p('a.jpg'));
  assert.equal(cache.queries, 4, 'read again after the index changed');
  await index.dispose();
});

test('Explorer badges: uploaded, waiting, failed and excluded with the reason; a folder with a failure says how many', async () => {
  const { index, folders } = await seeded();
  const cache = new SyncStatusCache(() => index, () => folders);
  const name = () => 'Google Photos';
  assert.equal(badgeFor(cache, p('a.jpg'), name, l10n)?.badge, '✓');
  assert.equal(badgeFor(cache, path.resolve('/archive/Trips/old.jpg'), name, l10n)?.tooltip, 'Backed up to Google Photos');
  assert.equal(badgeFor(cache, p('2020', 'e.jpg'), name, l10n)?.badge, '↑');
  const failed = badgeFor(cache, p('2019', 'b.jpg'), name, l10n);
  assert.deepEqual([failed?.badge, failed?.color], ['!', 'list.errorForeground']);
  assert.match(failed?.tooltip ?? '', /corrupt image/);
  assert.match(badgeFor(cache, p('2019', 'deep', 'd.mp4'), name, l10n)?.tooltip ?? '', /empty \(0 bytes\)/);
  const dir = badgeFor(cache, p('2019'), name, l10n);
  assert.deepEqual([dir?.badge, dir?.tooltip, dir?.propagate], ['!', '1 file failed to upload to Google Photos', true]);
  assert.equal(badgeFor(cache, path.resolve('/elsewhere/z.jpg'), name, l10n), undefined);
  assert.equal(badgeFor(cache, p('gone.jpg'), name, l10n), undefined, 'a file gone from disk has no badge');
  await index.dispose();
});

test('the sidebar redraws only the rows whose numbers changed; Load more… pages long lists', async () => {
  const { index, folders } = await seeded();
  const { vs } = createVsCode();
  const tvs = vs as unknown as TreeVsCode;
  const cache = new SyncStatusCache(() => index, () => folders);
  const paging = new Paging(() => 2);
  await index.write((w) => {
    for (const t of ['A', 'B', 'C']) w.albums.upsert({ id: t, accountId: 'acct', provider: 'google-photos', title: t, appCreated: true });
  });
  const tree = new LibraryTree(vs as unknown as Pick<typeof vscode, 'EventEmitter'>);
  tree.setRoots(syncTreeRoots({ vs: tvs, index: () => index, accountId: () => 'acct', provider: 'google-photos', folders: () => folders, cache, paging }));
  const fired: (TreeNode | undefined)[] = [];
  tree.onDidChangeTreeData((n) => fired.push(n));

  const [albums, syncFolders] = await tree.getChildren();
  const albumRows = await tree.getChildren(albums);
  assert.deepEqual(albumRows.map(row), [['A', '0 items'], ['B', '0 items'], ['Load more…', '1 more']]);
  const [trips] = await tree.getChildren(syncFolders);
  const tripRows = await tree.getChildren(trips);
  assert.deepEqual(tripRows.map(label), ['Uploaded', 'To upload', 'Failed', 'Excluded', '2019', '2020', 'Load more…'], 'count rows, then two entries a page');
  const failedRow = tripRows[2];
  assert.deepEqual((await tree.getChildren(failedRow)).map(row), [[path.join('2019', 'b.jpg'), 'the service refused it: corrupt image']]);

  // Load more under Albums: the next page.
  paging.more('photoSync.albums');
  assert.equal(tree.node('photoSync.albums'), albums);
  assert.deepEqual((await tree.getChildren(albums)).map(label), ['A', 'B', 'C']);

  // Nothing changed: nothing redrawn.
  assert.deepEqual(await tree.redrawChanged(), []);
  // The failed file is uploaded now: the folder's row (and with it its rows) is redrawn, the Albums row is not.
  await index.write((w) => w.localFiles.setStatus(p('2019', 'b.jpg'), 'uploaded'));
  cache.invalidate();
  fired.length = 0;
  assert.deepEqual(await tree.redrawChanged(), [trips.id]);
  assert.deepEqual(fired, [trips]);
  assert.equal(item(trips).description, '4 uploaded · 1 to upload');
  await index.dispose();
});

test('Activity: running, paused until the reset, and failed actions with each failure; dismissing one', async () => {
  const { vs } = createVsCode();
  const queue = new TaskQueue({ classify: googleClassify, concurrency: { upload: 1 } });
  const activity = new ActivityTree(vs as unknown as ConstructorParameters<typeof ActivityTree>[0], queue, { timeZone: 'UTC', throttleMs: 0 });
  assert.deepEqual(await activity.getChildren(), [], 'nothing: the welcome content shows');

  const group = queue.group('Syncing folders to Google Photos', 'Uploading', { countKinds: ['upload'] });
  activity.track(group);
  const g = gate();
  group.add({ kind: 'upload', title: 'a.jpg', run: async () => g.promise });
  group.add({ kind: 'upload', title: 'b.jpg', maxAttempts: 1, run: async () => { throw Object.assign(new Error('refused: corrupt image'), { status: 400 }); } });
  await settle();
  let rows = await activity.getChildren();
  assert.deepEqual(rows.map(row), [['Syncing folders to Google Photos', '0 of 2']]);
  assert.equal(item(rows[0]).contextValue, 'photoSync.activity.running');
  g.open();
  await group.finished;
  await settle();
  rows = await activity.getChildren();
  assert.deepEqual(rows.map(row), [['Syncing folders to Google Photos', '1 failed']]);
  assert.equal(item(rows[0]).contextValue, 'photoSync.activity.failedRetry', 'an upload can be retried');
  const failures = (await activity.getChildren(rows[0])).map(row);
  assert.equal(failures.length, 1);
  assert.equal(failures[0][0], 'b.jpg');
  activity.dismiss(rows[0].groupId ?? '');
  assert.deepEqual(await activity.getChildren(), []);

  // Paused for the quota: a row with the time it resumes.
  const paused = queue.group('Back up', 'Uploading');
  let hit = false;
  paused.add({ kind: 'upload', title: 'q.jpg', run: async () => { if (!hit) { hit = true; throw dailyQuotaError(); } } });
  await settle();
  await new Promise((r) => setTimeout(r, 5));
  rows = await activity.getChildren();
  assert.match(label(rows[0]), /^Paused until \d\d:\d\d$/);
  assert.equal(item(rows[0]).contextValue, 'photoSync.activity.paused');
  assert.equal(item(rows[1]).contextValue, 'photoSync.activity.paused');
  paused.cancel();
  activity.dispose();
  await queue.dispose();
});

test('Accounts: each signed-in account with the requests it spent today against the limit, and its folders', async () => {
  const { index, folders } = await seeded();
  const { vs } = createVsCode();
  const q = GOOGLE_PHOTOS_QUOTA;
  const now = Date.UTC(2026, 10, 29, 12);
  await index.write((w) => w.quota.add('g1', q.bucket, q.periodOf(now), 1204));
  const roots = accountRoots({
    vs: vs as unknown as TreeVsCode,
    index: () => index,
    kinds: [{ id: 'google-photos', displayName: 'Google Photos', authProviderId: 'photoSync.google', quota: q }],
    accounts: (auth) => (auth === 'photoSync.google' ? [{ id: 'g1', label: 'me@example.com' }, { id: 'g2', label: 'other@example.com' }] : []),
    folders: () => folders,
    accountOf: () => 'g1',
    serviceName: () => 'Google',
    now: () => now,
  });
  const [accounts] = roots();
  assert.deepEqual(row(accounts), ['Accounts', '2']);
  const rows = (await accounts.children?.()) ?? [];
  assert.deepEqual(rows.map(row), [['me@example.com', '1,204/10,000 today'], ['other@example.com', '0/10,000 today']]);
  assert.deepEqual(((await rows[0].children?.()) ?? []).map(row), [['Google Photos', '1,204/10,000 today'], ['Trips', 'Google Photos']]);
  assert.deepEqual(((await rows[1].children?.()) ?? []).map(row), [['Google Photos', '0/10,000 today']]);
  await index.dispose();
});
