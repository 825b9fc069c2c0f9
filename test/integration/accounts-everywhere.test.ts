// Two Google accounts signed in, each folder with its own (the emulator keeps one library per user, and
// a user's token sees only that user's app-created albums): the Albums rows group each account's
// albums with their own counts; Verify Backup checks each folder against its own account's library;
// two-way sync's remote half runs per folder with that folder's account.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { openWindow, withEmulator } from '../unit/auth-support';
import type { VerifyResult } from '../../src/ui/commands/verify';
import type { TreeNode } from '../../src/ui/tree';
import { makeJpeg, tempDir, writeTree } from '../unit/sync-fixtures';
import { Uri } from '../helpers/vscodeFake';
import { waitFor } from './sync-harness';
import { ANN, BEN, libraries, syncWindow, signInBoth } from './accounts-harness';

async function jpegsUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { recursive: true, withFileTypes: true })) if (e.isFile() && e.name.endsWith('.jpg')) out.push(e.name);
  return out;
}

test('two accounts: Albums has a row per account with its own albums; Download Album uses the album’s account (asks which from the palette); Verify Backup and two-way sync use each folder’s own account', () =>
  withEmulator(async (emu, control) => {
    const w = await openWindow(emu);
    const win = await syncWindow(emu, w);
    try {
      await signInBoth(w);
      const root = await tempDir();
      const a = path.join(root, 'A');
      const b = path.join(root, 'B');
      await writeTree(a, { 'a1.jpg': makeJpeg(601) });
      await writeTree(b, { 'b1.jpg': makeJpeg(701), 'b2.jpg': makeJpeg(702), 'b3.jpg': makeJpeg(703), 'b4.jpg': makeJpeg(704) });
      win.settings.set('photoSync.folders', [
        { path: a, album: { mode: 'fixed', name: 'Ann' }, account: ANN },
        { path: b, album: { mode: 'fixed', name: 'Ben' }, account: BEN, mirrorDeletes: true },
      ]);
      await win.run('photoSync.syncNow');
      await waitFor('both folders uploaded', async () => [...(await libraries(control)).values()].flat().length === 5);
      const annId = w.provider.accounts.find((x) => x.label === ANN)?.id;
      const benId = w.provider.accounts.find((x) => x.label === BEN)?.id;

      // Albums: one row per account, each with its own account's album and count.
      const label = (n: TreeNode) => String(win.tree.getTreeItem(n).label);
      const description = (n: TreeNode) => String(win.tree.getTreeItem(n).description);
      const albums = (await win.tree.getChildren()).find((n) => n.id === 'photoSync.albums');
      assert.ok(albums, 'an Albums row');
      assert.equal(description(albums), '2');
      const accountRows = await win.tree.getChildren(albums);
      assert.deepEqual(accountRows.map((n) => [label(n), description(n)]), [['photo.sync.tester', '1 album'], ['photo.sync.tester2', '1 album']]);
      const under = async (n: TreeNode) => (await win.tree.getChildren(n)).map((x) => [label(x), description(x)]);
      assert.deepEqual(await under(accountRows[0]), [['Ann', '1 item']]);
      assert.deepEqual(await under(accountRows[1]), [['Ben', '4 items']]);
      const benAlbumRow = (await win.tree.getChildren(accountRows[1]))[0];
      assert.deepEqual((await win.tree.getChildren(benAlbumRow)).map(label).sort(), ['b1.jpg', 'b2.jpg', 'b3.jpg', 'b4.jpg']);

      // Download Album on Ben's album row: with Ben's token (Ann's cannot read Ben's album), no question asked.
      const here = await tempDir();
      w.fake.answers.push(here, 'Download');
      await win.run('photoSync.downloadAlbum', { id: benAlbumRow.id });
      assert.deepEqual((await jpegsUnder(here)).sort(), ['b1.jpg', 'b2.jpg', 'b3.jpg', 'b4.jpg']);
      // From the palette with two accounts: which account, then that account's albums (listed with its token).
      const there = await tempDir();
      const before = w.fake.ui.inputs?.length ?? 0;
      w.fake.answers.push(`$(account) ${ANN}`, 'Ann', there, 'Download');
      await win.run('photoSync.downloadAlbum');
      assert.deepEqual(await jpegsUnder(there), ['a1.jpg']);
      assert.deepEqual(w.fake.ui.inputs?.slice(before, before + 2), ['Download Album', 'Download Album']);

      // Verify Backup on B: against Ben's library — an item taken out of Ben's album there is missing remotely.
      const state = await control.state();
      const benAlbum = state.albums.find((x) => x.title === 'Ben');
      const b1 = state.mediaItems.find((m) => m.filename === 'b1.jpg');
      assert.ok(benAlbum && b1);
      await control.removeFromAlbum(benAlbum.id, [b1.id]);
      const one = (await win.run('photoSync.verify', { id: `photoSync.syncFolder:${b}` })) as VerifyResult[];
      assert.equal(one.length, 1);
      assert.equal(one[0].account, benId);
      assert.equal(one[0].report.accountId, benId);
      assert.deepEqual(one[0].report.findings.map((f) => [f.kind, path.basename(f.path ?? '')]), [['missing-remotely', 'b1.jpg']]);

      // Verify Backup of every folder: one report per account, each folder in its own library.
      const all = (await win.run('photoSync.verify')) as VerifyResult[];
      assert.deepEqual(all.map((r) => [r.report.accountId, r.report.folders.map((f) => f.path), r.report.findings.length]), [
        [annId, [a], 0],
        [benId, [b], 1],
      ]);

      // Export Report: one report per account, each naming the account its folders were checked against
      // (as `photo-sync verify --report` does) — the file on disk, as the save dialog chose it.
      const reportFile = path.join(await tempDir(), 'verify.md');
      Object.assign(win.vs.window, { showSaveDialog: async () => Uri.file(reportFile), showTextDocument: async () => undefined });
      Object.assign(win.vs.workspace, { workspaceFolders: undefined, fs: { writeFile: (uri: Uri, bytes: Uint8Array) => fs.writeFile(uri.fsPath, bytes) } });
      await win.run('photoSync.exportVerifyReport');
      const sections = (await fs.readFile(reportFile, 'utf8')).split(/^# Photo Sync — Verify Backup$/m).slice(1);
      assert.deepEqual(
        sections.map((text) => [/^- Account: (.*)$/m.exec(text)?.[1], [...text.matchAll(/^\| (\/[^|]*?) \|/gm)].map((m) => m[1])]),
        [
          [ANN, [a]],
          [BEN, [b]],
        ],
      );

      // Two-way sync with several accounts: B's local deletion leaves Ben's album (confirmed), with Ben's token.
      await fs.rm(path.join(b, 'b2.jpg'));
      const asked: string[] = [];
      const show = w.fake.vs.window.showWarningMessage;
      (w.fake.vs.window as { showWarningMessage: unknown }).showWarningMessage = async (text: string, ...rest: unknown[]) => {
        asked.push(text);
        if (text.startsWith('Remove ')) return 'Remove';
        if (text.startsWith('This removes more than')) return 'Remove Anyway';
        return (show as (t: string, ...r: unknown[]) => Promise<unknown>)(text, ...rest);
      };
      await win.run('photoSync.syncNow');
      const b2 = state.mediaItems.find((m) => m.filename === 'b2.jpg');
      await waitFor('b2 out of Ben’s album', async () => !(await control.state()).mediaItems.find((m) => m.id === b2?.id)?.albumIds.includes(benAlbum.id));
      await waitFor('the two-way report', async () => w.fake.ui.messages.some((m) => m.text.startsWith('Two-way sync: removed 1 item')));
      assert.ok(asked.some((t) => t.startsWith('Remove 1 item you deleted locally from Google Photos')), `asked: ${JSON.stringify(asked)}`);
      assert.ok(!w.fake.ui.messages.some((m) => /did not run for|does not yet choose/.test(m.text)), 'no "two-way skipped" warning');
      const after = await control.state();
      assert.ok(after.mediaItems.find((m) => m.filename === 'a1.jpg')?.albumIds.length, 'Ann’s album untouched');
    } finally {
      await new Promise((r) => setTimeout(r, 500)); // the last request counts reach the index
      await win.close();
    }
  }));
