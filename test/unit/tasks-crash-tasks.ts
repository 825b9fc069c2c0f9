// Upload and commit tasks written the way the upload pipeline writes them (state in the index, so a
// restart can tell what the server already has), used by tasks-resume.test.ts and its crash child.
import fs from 'node:fs';
import type { PhotoIndex } from '../../src/index/api';
import type { TaskSpec } from '../../src/tasks/api';

export interface Calls {
  uploaded: string[];
  reusedToken: string[];
}

/** When to hang forever (the child is killed there). */
export type Hang = 'no' | 'beforeBytes' | 'afterToken' | 'afterCommit';

const forever = () => new Promise<never>(() => undefined);
const DAY = 24 * 60 * 60 * 1000;

export function uploadTask(index: PhotoIndex, id: string, calls: Calls, hang: Hang = 'no'): TaskSpec {
  return {
    id,
    kind: 'upload',
    title: `${id}.jpg`,
    accountId: 'acc',
    payload: { localPath: `/photos/${id}.jpg` },
    run: async (ctx) => {
      if (hang === 'beforeBytes') await forever();
      const reusable = index.uploads.reusableReceipt(id, ctx.clock.now());
      if (reusable) {
        calls.reusedToken.push(id);
        return reusable.token;
      }
      calls.uploaded.push(id);
      const token = `token-${id}-${ctx.clock.now()}`;
      await index.write((w) => w.uploads.upsert({ id, provider: 'test', accountId: 'acc', localPath: `/photos/${id}.jpg`, state: 'uploaded', receipt: token, receiptExpiresAt: ctx.clock.now() + DAY }));
      if (hang === 'afterToken') {
        await index.flush();
        await forever();
      }
      return token;
    },
  };
}

/** Commits the uploads that are not committed yet; each call to the "server" is appended to remoteLog. */
export function commitTask(index: PhotoIndex, id: string, uploadIds: string[], remoteLog: string, hang: Hang = 'no'): TaskSpec {
  return {
    id,
    kind: 'commit',
    title: `Add ${uploadIds.length} items`,
    accountId: 'acc',
    dependsOn: uploadIds,
    waitFor: 'settled',
    payload: { uploadIds },
    run: async (ctx) => {
      const pending = uploadIds.filter((u) => index.uploads.get(u)?.state === 'uploaded' && index.uploads.reusableReceipt(u, ctx.clock.now()));
      if (pending.length > 0) {
        fs.appendFileSync(remoteLog, `${id}:${pending.join(',')}\n`);
        await index.write((w) => pending.forEach((u) => w.uploads.update(u, { state: 'committed', mediaItemId: `media-${u}` })));
      }
      if (hang === 'afterCommit') {
        await index.flush();
        await forever();
      }
      return pending.length;
    },
  };
}
