// The tasks of one run: album creates (where albums may exist empty), uploads in parallel, one
// commit per batch of an album's uploads (after them, one at a time per account), and adds of
// existing content after every commit they may depend on. Upload results (receipts) reach their
// commit through the queue's dependency results.
import type { TaskGroup, TaskHandle } from '../../tasks/api';
import type { PlannedAdd, PlannedUpload, SyncPlan } from '../plan';
import type { AlbumAdder } from './addTask';
import type { AlbumResolver } from './albumResolver';
import type { Committer } from './commitTask';
import type { UploadContext } from './context';
import { quotaKey, serialKey, taskIds } from './context';
import { l10nOr } from '../l10n';
import { noting, type SyncReport } from './report';
import type { Uploader } from './uploadTask';

export interface GraphParts {
  albums: AlbumResolver;
  uploader: Uploader;
  committer: Committer;
  adder: AlbumAdder;
}

/** Adds every task of the plan to the group; returns which commit task carries each upload. */
export function addTasks(ctx: UploadContext, plan: SyncPlan, group: TaskGroup, parts: GraphParts, report: SyncReport): Map<string, string> {
  const l10n = l10nOr(ctx.l10n);
  const common = { accountId: ctx.accountId, classify: ctx.provider.rules.classify, quotaKey: quotaKey(ctx) };
  const albumTasks = new Map<string, TaskHandle>();
  /** The album task a title's commits wait for; none where albums are made around their first item. */
  const albumTask = (title: string): string[] => {
    // A title with its task already added was unknown then: not looked up in the index again per file.
    const added = albumTasks.get(title);
    if (added) return [added.id];
    if (parts.albums.idFor(title) || !ctx.provider.rules.emptyContainers) return [];
    const task = group.add({
      ...common,
      id: taskIds.album(ctx, title),
      kind: 'album',
      title: l10n.t('Create album “{0}”', title),
      serialKey: serialKey(ctx, 'album'),
      priority: 10,
      run: noting(report, async ({ signal }) => {
        const { created } = await parts.albums.ensure(title, { signal });
        if (created) report.albumsCreated.push(title);
      }),
    });
    albumTasks.set(title, task);
    return [task.id];
  };

  // Where an upload names its container (Drive's parent folder), the container exists first.
  const intoContainer = ctx.provider.rules.uploadsIntoContainer === true && ctx.provider.rules.emptyContainers;
  const commitOf = new Map<string, string>();
  const commitIds: string[] = [];
  for (const [title, uploads] of byAlbum(plan.uploads)) {
    for (let i = 0; i < uploads.length; i += ctx.batchSize) {
      const chunk = uploads.slice(i, i + ctx.batchSize);
      const uploadIds = chunk.map(
        (u) =>
          group.add({
            ...common,
            id: taskIds.upload(u.id),
            kind: 'upload',
            title: u.file.name,
            bytes: u.reusableReceipt ? 0 : u.file.size,
            dependsOn: intoContainer && !u.reusableReceipt ? albumTask(title) : undefined,
            run: noting(report, (task) => parts.uploader.upload(u, task, intoContainer ? parts.albums.idFor(title) : undefined)),
          }).id,
      );
      const commit = group.add({
        ...common,
        id: taskIds.commit(ctx, chunk[0].id),
        kind: 'commit',
        title: chunk.length === 1 ? l10n.t('Add 1 item to “{0}”', title) : l10n.t('Add {0} items to “{1}”', chunk.length, title),
        serialKey: serialKey(ctx, 'commit'),
        dependsOn: [...albumTask(title), ...uploadIds],
        waitFor: 'settled',
        priority: 5,
        run: noting(report, (task) => parts.committer.commit(title, chunk, task, report)),
      });
      commitIds.push(commit.id);
      for (const u of chunk) commitOf.set(u.id, commit.id);
    }
  }

  for (const [title, adds] of byAlbum(plan.adds)) {
    for (let i = 0; i < adds.length; i += ctx.batchSize) {
      const chunk = adds.slice(i, i + ctx.batchSize);
      group.add({
        ...common,
        id: taskIds.add(ctx, title, chunk[0].sha256),
        kind: 'album',
        title: chunk.length === 1 ? l10n.t('Add 1 existing item to “{0}”', title) : l10n.t('Add {0} existing items to “{1}”', chunk.length, title),
        serialKey: serialKey(ctx, 'album'),
        // After the commits: an add may need the item one of them creates.
        dependsOn: [...albumTask(title), ...commitIds],
        waitFor: 'settled',
        run: noting(report, (task) => parts.adder.add(title, chunk, task, report)),
      });
    }
  }
  return commitOf;
}

function byAlbum<T extends PlannedUpload | PlannedAdd>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(item.albumTitle) ?? [];
    list.push(item);
    out.set(item.albumTitle, list);
  }
  return out;
}
