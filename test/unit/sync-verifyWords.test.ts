// Verify Backup's own words in the user's language: why a run stopped (kept in English in the report,
// which is saved, exported and printed by the command line, and translated where VS Code shows it),
// its progress messages (made with the l10n the command passes in), and the Verify view's rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { checkRemote, emptyCheckpoint, VerifyStopped } from '../../src/sync/verify/remote';
import { VerifyRun } from '../../src/sync/verify/run';
import { summaryLine, type VerifyReport } from '../../src/sync/verify/types';
import { translateStopReason } from '../../src/sync/verify/detailText';
import { parseSyncFolders } from '../../src/sync/config';
import type { PhotoProvider } from '../../src/sync/provider';
import type { SyncL10n } from '../../src/sync/l10n';
import { englishL10n } from '../../src/util/englishL10n';
import { verifyRoots } from '../../src/ui/verifyTree';
import * as fake from '../helpers/vscodeFake';
import { makeJpeg, openTestIndex, photosRules, tempDir, writeTree } from './sync-fixtures';

const pretend = {
  t(message: string, ...args: unknown[]): string {
    return `«${message.replace(/\{(\d+)\}/g, (_, i: string) => `[${String(args[Number(i)])}]`)}»`;
  },
} as unknown as SyncL10n;

/** Google Photos' real rules; the remote calls are never reached in these tests (they stop before them). */
async function unreachableProvider(): Promise<PhotoProvider> {
  const never = () => {
    throw new Error('no request may be sent');
  };
  return { id: 'google-photos', displayName: 'Google Photos', rules: await photosRules(), getItems: never, listItems: never } as unknown as PhotoProvider;
}

async function stopOf(run: () => Promise<void>): Promise<VerifyStopped> {
  try {
    await run();
  } catch (err) {
    if (err instanceof VerifyStopped) return err;
    throw err;
  }
  throw new Error('the run did not stop');
}

test('why a verify stopped is stored in English and shown through its template', async () => {
  const provider = await unreachableProvider();
  const budget = await stopOf(() => checkRemote(['a'], [], emptyCheckpoint(), { provider, budget: 0 }));
  assert.equal(budget.by, 'quota');
  assert.equal(budget.message, 'the Google Photos request quota left for this period is spent');
  assert.equal(translateStopReason(budget.message, pretend), '«the [Google Photos] request quota left for this period is spent»');
  const abort = new AbortController();
  abort.abort();
  const cancelled = await stopOf(() => checkRemote(['a'], [], emptyCheckpoint(), { provider, budget: 10, signal: abort.signal }));
  assert.equal(cancelled.message, 'cancelled');
  assert.equal(translateStopReason(cancelled.message, pretend), '«cancelled»');
  // The service's own words inside are kept as they are.
  assert.equal(translateStopReason('Google Photos answered: Too many requests: answered: 429', pretend), '«[Google Photos] answered: [Too many requests: answered: 429]»');
  assert.equal(translateStopReason('Flickr says the request quota is spent (Rate limit)', pretend), '«[Flickr] says the request quota is spent ([Rate limit])»');
  assert.equal(translateStopReason('something else', pretend), 'something else');

  // The one-line result (the Verify view's tooltip, the notification) translates the reason inside it.
  const report: VerifyReport = {
    destination: 'Google Photos', accountId: 'a', startedAt: 0, finishedAt: 0, deep: false,
    folders: [{ path: '/p', available: true, files: 3, inSync: 1, unchecked: 2 }], findings: [],
    requests: 0, estimated: 1, complete: false, stopped: budget.message, stoppedBy: 'quota',
  };
  assert.match(summaryLine(report, pretend), /\[«the \[Google Photos\] request quota left for this period is spent»\]/);
  assert.equal(summaryLine(report, englishL10n), 'Nothing wrong so far: 1 item checked on disk, in the index and in Google Photos. Stopped early (the Google Photos request quota left for this period is spent); 2 not checked yet — Continue Verify to finish.');
});

test('Verify’s progress messages are made with the l10n passed in (English without one)', async () => {
  const root = path.join(await tempDir('verify-words-'), 'Trip');
  await writeTree(root, { 'a.jpg': makeJpeg(1), 'b.jpg': makeJpeg(2) });
  const [folder] = parseSyncFolders([{ path: root }], path.isAbsolute).folders;
  const index = await openTestIndex();
  try {
    const provider = await unreachableProvider();
    const said: string[] = [];
    await new VerifyRun({ provider, index, accountId: 'a', folders: [folder], l10n: pretend }).prepare(undefined, (p) => said.push(p.message));
    assert.equal(said[0], `«Reading [${root}]…»`);
    assert.ok(said.length > 1, 'the walk reports its counts');
    for (const line of said.slice(1)) assert.match(line, /^«\[Trip\]: \[\d+\] files read, \[\d+\] hashed»$/);
    const english: string[] = [];
    await new VerifyRun({ provider, index, accountId: 'a', folders: [folder] }).prepare(undefined, (p) => english.push(p.message));
    assert.equal(english[0], `Reading ${root}…`);
  } finally {
    await index.dispose();
  }
});

test('the Verify view: menus’ context values are never translated; a folder with one finding says so in the singular', async () => {
  const { vs } = fakeTreeVs(pretend);
  const report: VerifyReport = {
    destination: 'Google Photos', accountId: 'a', startedAt: 0, finishedAt: 0, deep: false,
    folders: [{ path: '/photos/Trip', available: true, files: 3, inSync: 1, unchecked: 0 }],
    findings: [{ kind: 'missing-remotely', folder: '/photos/Trip', path: '/photos/Trip/a.jpg', rel: 'a.jpg', detail: 'deleted in Google Photos', mediaItemId: 'm1' }],
    requests: 1, estimated: 1, complete: true,
  };
  const roots = await verifyRoots(vs, () => [report])();
  const summary = roots[0].toTreeItem() as FakeItem;
  assert.equal(summary.label, '«1 finding»');
  const folderRow = roots[1].toTreeItem() as FakeItem;
  assert.equal(folderRow.description, '«1 finding · [1] in sync»');
  const [group] = (await roots[1].children?.()) ?? [];
  assert.equal((group.toTreeItem() as FakeItem).contextValue, 'photoSync.verifyGroup reupload forget');
  const [row] = (await group.children?.()) ?? [];
  const item = row.toTreeItem() as FakeItem;
  assert.equal(item.contextValue, 'photoSync.verifyFinding reupload reveal forget');
  assert.equal(item.description, '«deleted in [Google Photos]»');
  assert.match(String((summary.tooltip as { value: string }).value), /«1 request sent\.»/);
});

interface FakeItem {
  label: string;
  description?: string;
  contextValue?: string;
  tooltip?: unknown;
}

function fakeTreeVs(l10n: SyncL10n): { vs: Parameters<typeof verifyRoots>[0] } {
  const vs = { TreeItem: fake.TreeItem, MarkdownString: fake.MarkdownString, ThemeIcon: fake.ThemeIcon, TreeItemCollapsibleState: fake.TreeItemCollapsibleState, Uri: fake.Uri, l10n };
  return { vs: vs as unknown as Parameters<typeof verifyRoots>[0] };
}
