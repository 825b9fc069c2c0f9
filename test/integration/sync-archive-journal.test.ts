// Archiving after upload is journaled (intent, move, record): files moved to the archive count as
// backed up, and a run killed between a move and its index update is reconciled — the file is found
// at its archive path with the same bytes and recorded there, never reported missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { englishL10n } from '../../src/util/englishL10n';
import { opId } from '../../src/sync/upload/context';
import { syncTreeRoots, type SyncTreeDeps } from '../../src/ui/treeNodes';
import { makeJpeg, tempDir, writeTree } from '../unit/sync-fixtures';
import { createVsCode } from '../helpers/vscodeFake';
import { captureLogger } from '../unit/auth-support';
import { waitFor } from '../helpers/waitFor';
import { showReport, summarizeReport } from '../../src/ui/syncReport';
import { offerEmptyFolderRemoval, KEEP_EMPTY, REMOVE_EMPTY } from '../../src/ui/emptyFolderOffer';
import { ACCOUNT, folder, remoteItems, startRig, type Rig } from './sync-harness';

async function archivingFolder(files: Record<string, Buffer>) {
  const base = await tempDir();
  const root = path.join(base, 'Inbox');
  const archive = path.join(base, 'Archive');
  await writeTree(root, files);
  return { root, archive, f: folder({ path: root, album: { mode: 'fixed', name: 'Inbox' }, afterUpload: 'archive', archivePath: archive }) };
}

/** The index as it was on disk when the process died right after moving `file` (the move not recorded). */
async function killedAfterMove(rig: Rig, root: string, archive: string, name: string, withIntent: boolean): Promise<void> {
  const moved = rig.index.localFiles.byPath(path.join(archive, name));
  assert.ok(moved, 'precondition: the move was recorded');
  await rig.index.write((w) => {
    w.localFiles.remove(moved.path);
    w.localFiles.upsert({ ...moved, path: path.join(root, name) });
    const id = opId(rig.pipeline.ctx, 'archive', path.join(root, name));
    if (withIntent) w.syncOps.upsert({ id, kind: 'archive', provider: 'google-photos', accountId: ACCOUNT, localPath: path.join(root, name), sha256: moved.sha256, state: 'pending' });
    else w.syncOps.update(id, { state: 'done' });
  });
  await rig.index.flush();
  await rig.restart();
}

test('archived files count as backed up: the folder row, the plan and Sync Now say so', async () => {
  const rig = await startRig();
  try {
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 5; i++) files[`IMG_${i}.jpg`] = makeJpeg(900 + i);
    const { archive, f } = await archivingFolder(files);
    const first = await rig.pipeline.sync([f]);
    assert.equal(first.report.archived, 5);
    const again = await rig.pipeline.sync([f]);
    assert.equal(again.plan.uploads.length, 0);
    assert.equal(again.plan.archived, 5, 'the plan knows the five are in the archive');
    assert.equal(rig.index.localFiles.countByStatus(archive).uploaded, 5);

    // The sidebar row of the folder counts them as uploaded.
    const { vs } = createVsCode();
    const deps: SyncTreeDeps = { vs: vs as unknown as SyncTreeDeps['vs'], index: () => rig.index, accountId: () => ACCOUNT, provider: 'google-photos', folders: () => [f] };
    const [, folders] = await syncTreeRoots(deps)();
    const [row] = (await folders.children?.()) ?? [];
    assert.match(String(row.toTreeItem().description), /^5 uploaded$/);
  } finally {
    await rig.close();
  }
});

test('killed after an archive move with its intent journaled: the next start records the file at its archive path', async () => {
  const rig = await startRig();
  try {
    const { root, archive, f } = await archivingFolder({ 'a.jpg': makeJpeg(911), 'b.jpg': makeJpeg(912) });
    await rig.pipeline.sync([f]);
    await killedAfterMove(rig, root, archive, 'a.jpg', true);
    assert.equal(rig.index.localFiles.byPath(path.join(root, 'a.jpg'))?.status, 'uploaded', 'precondition: the index still has it in the inbox');

    const plan = await rig.pipeline.planUnfinished([f]);
    assert.equal(plan, undefined, 'nothing to upload: only the move to record');
    assert.equal(rig.index.localFiles.byPath(path.join(root, 'a.jpg')), undefined);
    assert.equal(rig.index.localFiles.byPath(path.join(archive, 'a.jpg'))?.status, 'uploaded');
    const { plan: next } = await rig.pipeline.sync([f]);
    assert.equal(next.archived, 2);
    assert.equal(rig.index.localFiles.countByStatus(root).missing, undefined, 'nothing reported missing');
    assert.equal((await remoteItems(rig.control)).length, 2, 'nothing uploaded twice');
  } finally {
    await rig.close();
  }
});

test('killed after an archive move before even its intent was saved: the next scan finds the file in the archive, not missing', async () => {
  const rig = await startRig();
  try {
    const { root, archive, f } = await archivingFolder({ 'a.jpg': makeJpeg(921) });
    await rig.pipeline.sync([f]);
    await killedAfterMove(rig, root, archive, 'a.jpg', false);
    const { plan } = await rig.pipeline.sync([f]);
    assert.equal(plan.uploads.length, 0);
    assert.equal(rig.index.localFiles.byPath(path.join(root, 'a.jpg')), undefined, 'not kept as missing');
    assert.equal(rig.index.localFiles.byPath(path.join(archive, 'a.jpg'))?.status, 'uploaded');
    assert.equal(plan.archived, 1);
  } finally {
    await rig.close();
  }
});

test('killed before an archive move whose intent was journaled: the next start moves the file', async () => {
  const rig = await startRig();
  try {
    const { root, archive, f } = await archivingFolder({ 'a.jpg': makeJpeg(931) });
    await rig.pipeline.sync([f]);
    // Put the file back where it was and the index as it was before the move: intent only.
    await fs.rename(path.join(archive, 'a.jpg'), path.join(root, 'a.jpg'));
    await killedAfterMove(rig, root, archive, 'a.jpg', true);
    await rig.pipeline.planUnfinished([f]);
    assert.deepEqual(await fs.readdir(root), []);
    assert.deepEqual(await fs.readFile(path.join(archive, 'a.jpg')), makeJpeg(931));
    assert.equal(rig.index.localFiles.byPath(path.join(archive, 'a.jpg'))?.status, 'uploaded');
  } finally {
    await rig.close();
  }
});

test('a name taken in the archive: the file goes to "name (2)" and the report says so', async () => {
  const rig = await startRig();
  try {
    const { root, archive, f } = await archivingFolder({ 'IMG_0105.jpg': makeJpeg(941) });
    await writeTree(archive, { 'IMG_0105.jpg': makeJpeg(942) });
    const { report } = await rig.pipeline.sync([f]);
    assert.equal(report.archived, 1);
    assert.deepEqual(report.archiveRenames, [{ path: path.join(root, 'IMG_0105.jpg'), movedTo: path.join(archive, 'IMG_0105 (2).jpg') }]);
    assert.deepEqual(await fs.readFile(path.join(archive, 'IMG_0105.jpg')), makeJpeg(942), 'the file that was there is untouched');
    // The result names the clash, and the log says it too.
    assert.match(summarizeReport(report, 'Google Photos', englishL10n), /moved 1 to the archive \(IMG_0105\.jpg as “IMG_0105 \(2\)\.jpg”: the name was already taken there\)/);
    const { log, lines } = captureLogger();
    const fake = createVsCode({ answers: ['Show Log'] });
    await showReport({ vs: fake.vs as unknown as Parameters<typeof showReport>[0]['vs'], log }, report, 'Google Photos');
    assert.deepEqual(fake.ui.messages.map((m) => m.items), [['Show Log']]);
    assert.ok(lines.some((l) => l.includes(`${path.join(root, 'IMG_0105.jpg')} → ${path.join(archive, 'IMG_0105 (2).jpg')}`)), 'the log names the new name');
  } finally {
    await rig.close();
  }
});

test('sub-folders the archive moves emptied are offered for removal once; Remove takes only folders still empty (rmdir), Keep leaves them', async () => {
  const rig = await startRig();
  try {
    const { root, archive, f } = await archivingFolder({
      'Rome/a.jpg': makeJpeg(951),
      'Rome/Day 1/b.jpg': makeJpeg(952),
      'Paris/c.jpg': makeJpeg(953),
      'Oslo/d.jpg': makeJpeg(954),
      'Oslo/notes.txt': Buffer.from('not a photo: stays'),
      'top.jpg': makeJpeg(955),
    });
    await fs.mkdir(path.join(root, 'Rome/Day 1/untouched-empty'), { recursive: true });
    const { report } = await rig.pipeline.sync([f]);
    assert.equal(report.archived, 5);
    assert.deepEqual(report.archivedFrom.map((e) => e.root), [root]);

    // The user answers after a new photo arrived in Paris: Paris is kept, the Rome tree goes.
    const { log, lines } = captureLogger();
    const asked: { text: string; items: string[] }[] = [];
    const vs = {
      window: {
        showInformationMessage: async (text: string, ...items: unknown[]) => {
          asked.push({ text, items: items.filter((i): i is string => typeof i === 'string') });
          await fs.writeFile(path.join(root, 'Paris/new.jpg'), makeJpeg(956));
          return REMOVE_EMPTY;
        },
      },
      l10n: englishL10n,
    };
    const results = await offerEmptyFolderRemoval({ vs: vs as never, log }, report.archivedFrom);
    assert.deepEqual(asked, [{ text: 'Remove 4 empty folders from Inbox?', items: [REMOVE_EMPTY, KEEP_EMPTY] }]);
    assert.deepEqual((await fs.readdir(root)).sort(), ['Oslo', 'Paris']);
    assert.deepEqual((await fs.readdir(path.join(root, 'Paris'))).sort(), ['new.jpg']);
    assert.deepEqual((await fs.readdir(path.join(root, 'Oslo'))).sort(), ['notes.txt'], 'a folder holding anything was never offered');
    assert.deepEqual(results[0].removed.map((d) => path.relative(root, d)).sort(), ['Rome', 'Rome/Day 1', 'Rome/Day 1/untouched-empty']);
    assert.deepEqual(results[0].kept.map((k) => path.relative(root, k.path)), ['Paris']);
    assert.ok(lines.some((l) => l.startsWith('warn') && l.includes('Paris') && l.includes('no longer empty')));
    assert.deepEqual(await fs.readFile(path.join(archive, 'Rome/Day 1/b.jpg')), makeJpeg(952), 'the archive is untouched');

    // Through the result message: Keep leaves the folders, and the question comes once.
    const again = await archivingFolder({ 'May/e.jpg': makeJpeg(957) });
    const second = await rig.pipeline.sync([again.f]);
    const fake = createVsCode({ answers: [undefined, KEEP_EMPTY] });
    await showReport({ vs: fake.vs as unknown as Parameters<typeof showReport>[0]['vs'], log }, second.report, 'Google Photos');
    await waitFor('the question', async () => fake.ui.messages.length === 2);
    assert.deepEqual(fake.ui.messages.map((m) => m.text.startsWith('Remove') ? m.text : 'summary'), ['summary', 'Remove 1 empty folder from Inbox?']);
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(await fs.readdir(again.root), ['May'], 'Keep keeps');
    assert.equal(fake.ui.messages.length, 2, 'asked once');
  } finally {
    await rig.close();
  }
});

test('killed between the archive hard link and removing the original (one file, two names): the next start removes the original name', async () => {
  const rig = await startRig();
  try {
    const { root, archive, f } = await archivingFolder({ 'a.jpg': makeJpeg(921), 'b.jpg': makeJpeg(922) });
    await rig.pipeline.sync([f]);
    await killedAfterMove(rig, root, archive, 'a.jpg', true);
    // The move's first half: the archive name was linked; the original name was not yet unlinked.
    await fs.link(path.join(archive, 'a.jpg'), path.join(root, 'a.jpg'));

    await rig.pipeline.planUnfinished([f]);
    await assert.rejects(fs.stat(path.join(root, 'a.jpg')), 'the original name is gone');
    assert.ok((await fs.stat(path.join(archive, 'a.jpg'))).isFile(), 'the archived file stays');
    assert.equal(rig.index.localFiles.byPath(path.join(archive, 'a.jpg'))?.status, 'uploaded');
    assert.equal((await rig.pipeline.sync([f])).plan.archived, 2);
  } finally {
    await rig.close();
  }
});

test('a copy in the archive that is another file (copied across drives, not linked): both are kept', async () => {
  const rig = await startRig();
  try {
    const { root, archive, f } = await archivingFolder({ 'a.jpg': makeJpeg(931) });
    await rig.pipeline.sync([f]);
    await killedAfterMove(rig, root, archive, 'a.jpg', true);
    await fs.copyFile(path.join(archive, 'a.jpg'), path.join(root, 'a.jpg'));
    await rig.pipeline.planUnfinished([f]);
    assert.ok((await fs.stat(path.join(root, 'a.jpg'))).isFile(), 'a separate copy is never deleted by the resume');
    assert.ok((await fs.stat(path.join(archive, 'a.jpg'))).isFile());
  } finally {
    await rig.close();
  }
});
