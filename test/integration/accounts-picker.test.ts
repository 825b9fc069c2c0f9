// Import from Google Photos (the Picker) with two Google accounts signed in, through the command as VS
// Code runs it (activation/download.ts in a fake window over the emulator): the import started for the
// second account asks that account for the Picker scope, creates its session with that account's token,
// downloads with it, and records the import under that account in the index (the Imported rows),
// while the first account's import, session and records stay as they were. An import of the second
// account that stops (its folder blocked) is finished by the report's Retry with that account's
// session — the file that met the stop included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PICKER_SCOPES } from '../../src/google/scopes';
import { allPicked } from '../../src/sync/picker/record';
import type { TreeNode } from '../../src/ui/tree';
import { openWindow, withEmulator } from '../unit/auth-support';
import { makeJpeg, tempDir, writeTree } from '../unit/sync-fixtures';
import { waitFor } from './sync-harness';
import { ANN, BEN, libraries, sha, syncWindow, signInBoth } from './accounts-harness';

test('two accounts: Import from Google Photos for the second account — its Picker consent, its session and token, its downloads, its rows in Imported; the first account’s import untouched', () =>
  withEmulator(async (emu, control) => {
    const w = await openWindow(emu);
    const win = await syncWindow(emu, w);
    try {
      await signInBoth(w);
      const annId = w.provider.accounts.find((x) => x.label === ANN)?.id as string;
      const benId = w.provider.accounts.find((x) => x.label === BEN)?.id as string;
      // Ben's library: three photos he backed up from B (the Picker shows a user's whole library).
      const root = await tempDir();
      const b = path.join(root, 'B');
      const photos = { 'b1.jpg': makeJpeg(901, undefined, 48), 'b2.jpg': makeJpeg(902, undefined, 48), 'b3.jpg': makeJpeg(903, undefined, 48) };
      await writeTree(b, photos);
      win.settings.set('photoSync.folders', [{ path: b, album: { mode: 'fixed', name: 'Ben' }, account: BEN }]);
      await win.run('photoSync.syncNow');
      await waitFor('B uploaded', async () => ((await libraries(control)).get(BEN) ?? []).length === 3);
      const seeded = await control.state();
      const subOf = (email: string) => seeded.users.find((u) => u.email === email)?.sub as string;

      // The user, in the browser: the picker page opened by the command; they tick `toPick` and press Done.
      let toPick: string[] = [];
      const opened: string[] = [];
      const env = win.vs.env as unknown as { openExternal(uri: { toString(): string }): Promise<boolean> };
      const open = env.openExternal.bind(env);
      env.openExternal = async (uri) => {
        const session = /\/photos\/picker\/([^/]+)\/autoclose$/.exec(uri.toString())?.[1];
        if (!session) return open(uri);
        opened.push(decodeURIComponent(session));
        await control.pick(decodeURIComponent(session), toPick);
        return true;
      };
      const importInto = async (email: string, folder: string, names: string[]) => {
        const state = await control.state();
        toPick = names.map((n) => state.mediaItems.find((m) => m.userSub === subOf(email) && m.filename === n)?.id as string);
        // Which account (two are signed in), then the browser's consent to the Picker scope for that account.
        w.fake.answers.push(`$(account) ${email}`);
        w.browser.push({ account: email });
        await win.run('photoSync.pickFromGooglePhotos', win.vs.Uri.file(folder));
      };

      // Ann imports two seeded photos of hers first.
      const annFolder = await tempDir();
      await importInto(ANN, annFolder, ['DSC_0412.jpg', 'IMG_0031.JPG']);
      const afterAnn = await control.state();
      const annSessions = afterAnn.pickerSessions;
      assert.deepEqual(annSessions.map((s) => [s.userSub, s.deleted, s.pickedIds.length]), [[subOf(ANN), true, 2]]);
      const annRecords = win.index.picker.recent(annId, 10);
      assert.equal(annRecords.length, 1);
      const annItems = JSON.stringify(win.index.picker.items(annRecords[0].id, { limit: 100 }));

      // Then Ben: his import runs with his token from the Picker scope's consent to the last byte.
      const benFolder = await tempDir();
      const fetchesBefore = afterAnn.mediaFetches.length;
      await importInto(BEN, benFolder, ['b1.jpg', 'b2.jpg']);
      const after = await control.state();
      const benSessions = after.pickerSessions.filter((s) => !annSessions.some((x) => x.id === s.id));
      assert.deepEqual(benSessions.map((s) => [s.userSub, s.deleted, s.pickedIds.length]), [[subOf(BEN), true, 2]], 'one session, made with Ben’s token, deleted when done');
      assert.deepEqual(opened.at(-1), benSessions[0].id);
      const benGrant = after.tokens.access.filter((t) => t.userSub === subOf(BEN) && t.scopes.includes(PICKER_SCOPES[0]));
      assert.ok(benGrant.length > 0, 'Ben allowed the Picker scope');
      const fetches = after.mediaFetches.slice(fetchesBefore);
      assert.deepEqual(
        fetches.map((f) => [f.kind, f.owner, f.obtainedBy, f.bearer, f.status]),
        [
          ['picker', subOf(BEN), subOf(BEN), subOf(BEN), 200],
          ['picker', subOf(BEN), subOf(BEN), subOf(BEN), 200],
        ],
        'both downloads with Ben’s token, at addresses Ben’s requests got',
      );
      assert.deepEqual(annSessions, after.pickerSessions.filter((s) => annSessions.some((x) => x.id === s.id)), 'Ann’s session as it was');

      // On disk: Ben's two photos below his folder, nothing new in Ann's.
      const filesUnder = async (dir: string) => (await fs.readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
      const benFiles = await filesUnder(benFolder);
      assert.deepEqual(benFiles.map((f) => path.basename(f)).sort(), ['b1.jpg', 'b2.jpg']);
      for (const f of benFiles) assert.equal(sha(await fs.readFile(f)), sha(photos[path.basename(f) as 'b1.jpg']), `${path.basename(f)}: Ben's bytes`);
      assert.deepEqual((await filesUnder(annFolder)).map((f) => path.basename(f)).sort(), ['DSC_0412.jpg', 'IMG_0031.JPG']);

      // The index: Ben's import under Ben's account, Ann's as it was.
      const benRecords = win.index.picker.recent(benId, 10);
      assert.deepEqual(benRecords.map((r) => [r.accountId, r.targetFolder, r.id]), [[benId, benFolder, benSessions[0].id]]);
      assert.deepEqual(win.index.picker.recent(annId, 10).map((r) => r.id), [annRecords[0].id]);
      assert.equal(JSON.stringify(win.index.picker.items(annRecords[0].id, { limit: 100 })), annItems, 'Ann’s imported items untouched');

      // The Imported rows: both imports, Ben's with his two photos downloaded, Ann's with hers.
      const label = (n: TreeNode) => String(win.tree.getTreeItem(n).label);
      const item = (n: TreeNode) => win.tree.getTreeItem(n);
      const imported = (await win.tree.getChildren()).find((n) => n.id === 'photoSync.imported');
      assert.ok(imported, 'an Imported row');
      const rows = await win.tree.getChildren(imported);
      const benRow = rows.find((r) => r.id === `photoSync.import:${benSessions[0].id}`);
      const annRow = rows.find((r) => r.id === `photoSync.import:${annRecords[0].id}`);
      assert.ok(benRow && annRow);
      // Each row says whose library it came from: short on the row, the full address in the tooltip.
      assert.equal(item(benRow).description, `2 downloaded · ${path.basename(benFolder)} · photo.sync.tester2`);
      assert.equal(item(annRow).description, `2 downloaded · ${path.basename(annFolder)} · photo.sync.tester`);
      assert.match((item(benRow).tooltip as { value: string }).value, new RegExp(`^Imported from the Google Photos of ${BEN.replace(/\./g, '\\.')} into ${benFolder}`));
      assert.deepEqual((await win.tree.getChildren(benRow)).map(label).sort(), ['b1.jpg', 'b2.jpg']);
      assert.deepEqual((await win.tree.getChildren(annRow)).map(label).sort(), ['DSC_0412.jpg', 'IMG_0031.JPG']);

      // Ben's next import stops (a file named "photos" stands where its photos/ folder goes); the
      // report's Retry, once that is put right, finishes it — with Ben's session, not the default account's.
      const stopped = await tempDir();
      const inTheWay = path.join(stopped, 'photos');
      await fs.writeFile(inTheWay, 'not a folder');
      const offered: string[] = [];
      const { window } = win.vs as unknown as { window: Record<string, (text: string, ...items: unknown[]) => Promise<unknown>> };
      for (const level of ['showWarningMessage', 'showErrorMessage'] as const) {
        const shown = window[level];
        window[level] = async (text: string, ...items: unknown[]) => {
          if (!items.includes('Retry')) return shown(text, ...items);
          offered.push(text);
          await fs.unlink(inTheWay);
          return 'Retry';
        };
      }
      const fetchesBeforeRetry = (await control.state()).mediaFetches.length;
      await importInto(BEN, stopped, ['b3.jpg']);
      const finished = async () => win.index.picker.recent(benId, 1).some((r) => r.targetFolder === stopped && allPicked(win.index.picker, r.id).every((p) => p.downloadState === 'downloaded'));
      await waitFor('b3 imported by Retry', async () => offered.length > 0 && (await finished())).catch((e: Error) => {
        throw new Error(`${e.message} Offered: ${JSON.stringify(offered)}; messages: ${JSON.stringify(w.fake.ui.messages.slice(-3))}`);
      });
      assert.equal(offered.length, 1, 'the stop was reported with Retry');
      assert.deepEqual((await filesUnder(stopped)).map((f) => path.basename(f)), ['b3.jpg']);
      assert.equal(sha(await fs.readFile((await filesUnder(stopped))[0])), sha(photos['b3.jpg']));
      const retried = (await control.state()).mediaFetches.slice(fetchesBeforeRetry);
      assert.ok(retried.length > 0 && retried.every((f) => f.kind === 'picker' && f.owner === subOf(BEN) && f.bearer === subOf(BEN)), JSON.stringify(retried));
      const benNow = win.index.picker.recent(benId, 10);
      assert.equal(benNow.length, 2);
      assert.equal(benNow[0].targetFolder, stopped);
      assert.deepEqual(allPicked(win.index.picker, benNow[0].id).map((p) => [p.filename, p.downloadState]), [['b3.jpg', 'downloaded']]);
      await waitFor('Ben’s finished session deleted at Google', async () => (await control.state()).pickerSessions.find((x) => x.id === benNow[0].id)?.deleted === true);
      assert.equal((await control.state()).pickerSessions.find((x) => x.id === benNow[0].id)?.userSub, subOf(BEN));
      assert.deepEqual(win.index.picker.recent(annId, 10).map((r) => r.id), [annRecords[0].id], 'Ann’s imports as they were');
      assert.deepEqual((await control.state()).pickerSessions.filter((x) => x.userSub === subOf(ANN)), annSessions, 'no new session for Ann');
      assert.deepEqual((await filesUnder(annFolder)).map((f) => path.basename(f)).sort(), ['DSC_0412.jpg', 'IMG_0031.JPG']);
    } finally {
      await new Promise((r) => setTimeout(r, 500)); // the last request counts reach the index
      await win.close();
    }
  }));
