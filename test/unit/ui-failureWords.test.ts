// Why a task failed: stored in English (journal, log, command line) and translated where the Activity
// view shows it, by its template; the service's own words inside stay as they are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createVsCode, type TreeItem } from '../helpers/vscodeFake';
import { ActivityTree } from '../../src/ui/activityTree';
import type { TreeNode } from '../../src/ui/tree';
import { TaskQueue } from '../../src/tasks/api';
import { translateFailure, UPLOAD_FILE_GONE, UPLOAD_NOW_TOO_LARGE, UPLOAD_REFUSED } from '../../src/sync/failureText';
import { englishReason, REASON_FS_OTHER, REASON_GONE, REASON_TOO_LARGE_GOOGLE_PHOTOS_PHOTO } from '../../src/sync/reasonText';
import type { SyncL10n } from '../../src/sync/l10n';
import { englishL10n } from '../../src/util/englishL10n';
import { googleClassify, settle } from './tasks-helpers';

const pretend = { t: (m: string, ...a: unknown[]) => `«${m.replace(/\{(\d+)\}/g, (_, i: string) => `[${String(a[Number(i)])}]`)}»` } as unknown as SyncL10n;
const item = (n: TreeNode) => n.toTreeItem() as unknown as TreeItem;

test('Activity: a failed task’s reason is translated by its template, stored in English', async () => {
  const { vs } = createVsCode();
  const shown = { ...vs, l10n: pretend };
  const queue = new TaskQueue({ classify: googleClassify, concurrency: { upload: 1 } });
  const activity = new ActivityTree(shown as unknown as ConstructorParameters<typeof ActivityTree>[0], queue, { timeZone: 'UTC', throttleMs: 0 });
  const group = queue.group('Syncing', 'Uploading', { countKinds: ['upload'] });
  activity.track(group);
  const first = group.add({ kind: 'upload', title: 'a.jpg', maxAttempts: 1, run: async () => { throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }); } });
  group.add({ kind: 'upload', title: 'b.jpg', dependsOn: [first.id], run: async () => undefined });
  const result = await group.finished;
  await settle();
  assert.deepEqual(result.failed.map((f) => f.reason).sort(), ['A task it depends on did not finish.', 'socket hang up (gave up after 1 attempts)']);
  const [failedAction] = await activity.getChildren();
  const rows = (await failedAction.children?.()) ?? [];
  const byTitle = new Map(rows.map((r) => [item(r).label, item(r).description]));
  assert.equal(byTitle.get('a.jpg'), '«[socket hang up] (gave up after [1] attempts)»');
  assert.equal(byTitle.get('b.jpg'), '«A task it depends on did not finish.»');
});

test('upload failures: the wrapper translated, a nested reason too, the service’s words kept', () => {
  const tooLarge = englishReason(UPLOAD_NOW_TOO_LARGE, 'big one.jpg', englishReason(REASON_TOO_LARGE_GOOGLE_PHOTOS_PHOTO, '200 MB'));
  assert.equal(tooLarge, "big one.jpg is now larger than Google Photos' 200 MB limit for photos; nothing was uploaded.");
  assert.equal(translateFailure(tooLarge, pretend), "«[big one.jpg] is now [«larger than Google Photos' [200 MB] limit for photos»]; nothing was uploaded.»");
  const refused = englishReason(UPLOAD_REFUSED, 'Flickr', 'a.gif', 'Filetype was not recognised.');
  assert.equal(translateFailure(refused, pretend), '«[Flickr] refused [a.gif]: [Filetype was not recognised.] It is tried again once the file changes.»');
  assert.equal(translateFailure(refused, englishL10n), refused);
  assert.equal(translateFailure('socket hang up', pretend), 'socket hang up');
});

test('a file gone before its upload: its name (spaces and all) kept, the scanner’s reason translated', () => {
  const gone = englishReason(UPLOAD_FILE_GONE, 'summer day 2.jpg', REASON_GONE);
  assert.equal(gone, 'summer day 2.jpg disappeared before it could be read; nothing was uploaded.');
  assert.equal(translateFailure(gone, pretend), '«[summer day 2.jpg] [«disappeared before it could be read»]; nothing was uploaded.»');
  const other = englishReason(UPLOAD_FILE_GONE, 'a b.jpg', englishReason(REASON_FS_OTHER, 'ELOOP'));
  assert.equal(translateFailure(other, pretend), '«[a b.jpg] [«cannot be read: [ELOOP]»]; nothing was uploaded.»');
  assert.equal(translateFailure(other, englishL10n), other);
});
