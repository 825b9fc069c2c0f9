// The download commands with a faithful fake of VS Code's window against the emulator: what the user
// is asked and told, what the sidebar rows show, and what arrives on disk and at Google.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createVsCode, TreeItemCollapsibleState, type FakeStatusBarItem } from '../helpers/vscodeFake';
import { parseDownloadSettings, parseMaxPickerItems } from '../../src/sync/download/settings';
import { deleteFromGooglePhotos, removeFromAlbum } from '../../src/ui/commands/albumItem';
import { downloadAlbum } from '../../src/ui/commands/downloadAlbum';
import type { DownloadCommandDeps, DownloadVs } from '../../src/ui/commands/downloadSteps';
import { downloadYear } from '../../src/ui/commands/downloadYear';
import { pickFromGooglePhotos, PICK_WAITING_MESSAGE } from '../../src/ui/commands/pickFromGooglePhotos';
import { importedRoots } from '../../src/ui/importedNodes';
import type { TreeNode } from '../../src/ui/tree';
import { syncTreeRoots, type TreeVsCode } from '../../src/ui/treeNodes';
import { nullLogger } from '../../src/util/logger';
import { makeJpeg } from '../unit/sync-fixtures';
import { ACCOUNT, downloadFolder, listTree, sha, startDownloadRig, uploadAlbum, type DownloadRig } from './download-harness';

function fake(rig: DownloadRig, settings: Record<string, unknown>, options: { workspace?: string; onOpenExternal?: (url: string) => unknown } = {}) {
  const made = createVsCode({ onOpenExternal: options.onOpenExternal });
  const clipboard: string[] = [];
  const vs = {
    ...made.vs,
    env: { ...made.vs.env, clipboard: { writeText: async (t: string) => void clipboard.push(t) } },
    workspace: {
      workspaceFolders: options.workspace ? [{ uri: { fsPath: options.workspace } }] : undefined,
      getConfiguration: () => ({ get: (key: string) => settings[key] }),
    },
  } as unknown as DownloadVs & TreeVsCode;
  const deps: DownloadCommandDeps = {
    vs,
    log: nullLogger,
    session: async () => ({ pipeline: rig.downloads, picker: rig.flow(), index: rig.index, accountId: ACCOUNT }),
    settings: () => ({ ...parseDownloadSettings((k) => settings[k]), folder: settings['download.folder'] as string | undefined, maxPickerItems: parseMaxPickerItems(settings['picker.maxItemCount']) }),
    refresh: () => undefined,
    showProgress: (group) => group.finished,
  };
  return { ...made, vs, deps, clipboard };
}

const label = (n: TreeNode) => String(n.toTreeItem().label);
const description = (n: TreeNode) => String(n.toTreeItem().description ?? '');

test('Import from Google Photos…: the default folder from the setting, the browser opens the picker, a notification waits, the picked photos arrive and the sidebar shows the import', async () => {
  const rig = await startDownloadRig();
  try {
    const workspace = await downloadFolder();
    const state = await rig.control.state();
    const ids = state.mediaItems.filter((m) => ['DSC_0412.jpg', 'IMG_0031.JPG'].includes(m.filename)).map((m) => m.id);
    let linkItem: FakeStatusBarItem | undefined;
    let linkCommand: string | undefined;
    const f = fake(rig, { 'download.folder': 'Imports', 'picker.maxItemCount': 25 }, {
      workspace,
      // The user, in the browser tab: before Done, the status bar offers the link (copied here); then
      // ticks two photos and presses Done.
      onOpenExternal: async (url) => {
        if (!linkItem) {
          linkItem = f.ui.statusBarItems?.find((i) => i.text.includes('Google Photos Picker'));
          assert.ok(linkItem?.visible, 'the link is offered in the status bar while waiting');
          linkCommand = (linkItem.command as { command: string }).command;
          f.answers.push('Copy Link');
          await f.vs.commands.executeCommand(linkCommand);
          assert.deepEqual(f.clipboard, [url], 'Copy Link copies the picker link');
        }
        await rig.control.pick(decodeURIComponent(/\/photos\/picker\/([^/]+)\/autoclose$/.exec(url)?.[1] ?? ''), ids);
      },
    });
    // photoSync.download.folder "Imports" does not exist yet: inside the workspace it is made.
    f.answers.push(`$(folder) Imports`);
    const result = await pickFromGooglePhotos(f.deps);
    assert.equal(result?.kind, 'imported', JSON.stringify(result));
    assert.equal(f.ui.opened.length, 1);
    assert.match(f.ui.opened[0], /\/autoclose$/);
    const waiting = f.ui.progress.find((p) => p.title === 'Import from Google Photos');
    assert.ok(waiting?.reports.some((r) => r.message === PICK_WAITING_MESSAGE), JSON.stringify(waiting));
    assert.equal((await rig.control.state()).pickerSessions[0].maxItemCount, 25, 'photoSync.picker.maxItemCount');
    await new Promise((r) => setTimeout(r, 50));
    const done = f.ui.messages.find((m) => /^Imported 2 items/.test(m.text));
    assert.ok(done, JSON.stringify(f.ui.messages));
    assert.match(done.text, /into photos\/2020\/02 and photos\/2021\/05\./);
    assert.ok(done.items.includes('Reveal in Explorer'));
    // Nothing about the picker stays once the waiting ended: no message offering its link, no status bar item, no command.
    assert.ok(!f.ui.messages.some((m) => m.items.includes('Copy Link') || /pick photos/.test(m.text)), JSON.stringify(f.ui.messages));
    assert.equal(linkItem?.disposed, true, 'the status bar item is gone');
    f.answers.push('Copy Link');
    await f.vs.commands.executeCommand(linkCommand ?? '');
    assert.equal(f.answers.length, 1, 'its command is gone too');
    f.answers.length = 0;
    const tree = await listTree(path.join(workspace, 'Imports'));
    assert.deepEqual(tree, [path.join('photos', '2020', '02', 'DSC_0412.jpg'), path.join('photos', '2021', '05', 'IMG_0031.JPG')]);

    const [imported] = await importedRoots({ vs: f.vs, index: () => rig.index, accountId: () => ACCOUNT })();
    assert.equal(label(imported), 'Imported');
    const [session] = (await imported.children?.()) ?? [];
    assert.equal(description(session), '2 downloaded · Imports');
    const rows = (await session.children?.()) ?? [];
    assert.deepEqual(rows.map((r) => [label(r), description(r)]), [['DSC_0412.jpg', path.join('photos', '2020', '02')], ['IMG_0031.JPG', path.join('photos', '2021', '05')]]);
    assert.equal(rows[0].toTreeItem().command?.command, 'vscode.open');
  } finally {
    await rig.close();
  }
});

test('Import from Google Photos…: Cancel while waiting ends the picking session at Google, and the waiting notification and the status bar link go away', async () => {
  const rig = await startDownloadRig();
  try {
    const workspace = await downloadFolder();
    // The user opens the picker, opens it again from the status bar (the tab was closed), then changes
    // their mind: Cancel on the waiting notification.
    const f = fake(rig, {}, {
      workspace,
      onOpenExternal: async () => {
        if (f.ui.opened.length > 1) return void setTimeout(() => f.ui.progress.find((p) => p.title === 'Import from Google Photos')?.cancel?.(), 30);
        const link = f.ui.statusBarItems?.find((i) => i.text.includes('Google Photos Picker'));
        f.answers.push('Open Google Photos Again');
        await f.vs.commands.executeCommand((link?.command as { command: string }).command);
      },
    });
    f.answers.push(`$(folder) ${path.basename(workspace)}`);
    const result = await pickFromGooglePhotos(f.deps);
    assert.equal(result?.kind, 'cancelled', JSON.stringify(result));
    const sessions = (await rig.control.state()).pickerSessions;
    assert.equal(sessions.length, 1);
    assert.equal(sessions[0].deleted, true, 'sessions.delete was called');
    const link = f.ui.statusBarItems?.find((i) => i.text.includes('Google Photos Picker'));
    assert.ok(link, 'the link was offered while waiting');
    assert.equal(link.disposed, true, 'and is gone');
    assert.equal(f.ui.opened.length, 2, 'opened again from the status bar');
    assert.equal(f.ui.opened[1], f.ui.opened[0]);
    assert.deepEqual(f.ui.messages, [], 'nothing left on screen');
    assert.deepEqual(await listTree(workspace), []);
  } finally {
    await rig.close();
  }
});

test('Download Album… from an album row: folder, a confirmation with counts, the files; the album row lists its items with Remove from Album and Delete (which says it cannot)', async () => {
  const rig = await startDownloadRig();
  try {
    const files = { 'a.jpg': makeJpeg(1201, { original: '2023:08:01 10:00:00' }, 24), 'b.jpg': makeJpeg(1202, { original: '2023:08:02 10:00:00' }, 24) };
    const albumId = await uploadAlbum(rig, 'Summer', files);
    const workspace = await downloadFolder();
    const f = fake(rig, {}, { workspace });
    const [albums] = await syncTreeRoots({ vs: f.vs, index: () => rig.index, accountId: () => ACCOUNT, provider: 'google-photos', folders: () => [] })();
    const [albumRow] = (await albums.children?.()) ?? [];
    assert.equal(albumRow.toTreeItem().collapsibleState, TreeItemCollapsibleState.Collapsed, 'an album row opens to its items');
    f.answers.push(`$(folder) ${path.basename(workspace)}`, 'Download');
    const report = await downloadAlbum(f.deps, albumRow);
    assert.equal(report?.downloaded, 2);
    const ask = f.ui.messages.find((m) => m.text.startsWith('Download 2 items from “Summer”'));
    assert.ok(ask, JSON.stringify(f.ui.messages));
    for (const file of report?.files ?? []) assert.equal(sha(await fs.readFile(file)), sha(files[path.basename(file) as keyof typeof files]));
    assert.ok((await listTree(workspace)).includes(path.join('albums', '2023', '08 Summer', 'a.jpg')));

    const items = (await albumRow.children?.()) ?? [];
    assert.deepEqual(items.map(label), ['a.jpg', 'b.jpg']);
    assert.equal(items[0].toTreeItem().contextValue, 'photoSync.albumItem');
    f.answers.push(undefined);
    await deleteFromGooglePhotos(f.deps, items[0]);
    const said = f.ui.messages.at(-1);
    assert.equal(said?.text, 'Photo Sync cannot delete “a.jpg”.');
    assert.deepEqual(said?.items, ['Open in Google Photos', 'Remove from Album']);

    f.answers.push('Remove from Album');
    assert.equal(await removeFromAlbum(f.deps, items[0]), true);
    const album = (await rig.control.state()).albums.find((a) => a.id === albumId);
    assert.equal(album?.mediaItemIds.length, 1, 'removed at Google');
    assert.equal((await rig.control.state()).mediaItems.filter((m) => !m.seeded).length, 2, 'still in the library');
    assert.deepEqual(((await albumRow.children?.()) ?? []).map(label), ['b.jpg']);
  } finally {
    await rig.close();
  }
});

test('Download by Year…: this year first in the list, another year typed in; nothing from that year says so plainly', async () => {
  const rig = await startDownloadRig();
  try {
    await uploadAlbum(rig, 'Old', { 'x.jpg': makeJpeg(1301, { original: '2012:04:01 10:00:00' }, 16) });
    const workspace = await downloadFolder();
    const f = fake(rig, {}, { workspace });
    f.answers.push('Another Year…', '2012', `$(folder) ${path.basename(workspace)}`, 'Download');
    const report = await downloadYear(f.deps, undefined, new Date('2026-11-29T12:00:00Z'));
    assert.equal(report?.downloaded, 1);
    assert.ok((await listTree(workspace)).includes(path.join('photos', '2012', '04', 'x.jpg')));

    f.answers.push('2026', `$(folder) ${path.basename(workspace)}`);
    assert.equal(await downloadYear(f.deps, undefined, new Date('2026-11-29T12:00:00Z')), undefined);
    assert.match(f.ui.messages.at(-1)?.text ?? '', /created no photos taken in 2026/);
  } finally {
    await rig.close();
  }
});
