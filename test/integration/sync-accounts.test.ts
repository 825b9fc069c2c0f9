// Two Google accounts signed in (the real auth provider over the vscode fake, signing in on the
// emulator), the real sync activation: each folder syncs with its own account's session, into that
// account's library (the emulator keeps one library per user, as Google does: a user's token sees
// only that user's app-created items); Choose Account… saves the choice; a folder whose account is
// signed out is reported and nothing of it is uploaded anywhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Uri } from '../helpers/vscodeFake';
import { openWindow, withEmulator } from '../unit/auth-support';
import { GOOGLE_PHOTOS_QUOTA } from '../../src/destinations/googlePhotos/rules';
import { makeJpeg, tempDir, writeTree } from '../unit/sync-fixtures';
import { waitFor } from './sync-harness';
import { ANN, BEN, libraries, sha, syncWindow, signInBoth } from './accounts-harness';

test('two accounts: folder A lands in account 1’s library and folder B in account 2’s; Choose Account… saves the choice and keeps A where it was', () =>
  withEmulator(async (emu, control) => {
    const w = await openWindow(emu);
    const win = await syncWindow(emu, w);
    try {
      await signInBoth(w);
      assert.deepEqual(w.provider.accounts.map((a) => a.label), [ANN, BEN]);

      const root = await tempDir();
      const a = path.join(root, 'A');
      const b = path.join(root, 'B');
      const aFiles = { 'a1.jpg': makeJpeg(101), 'a2.jpg': makeJpeg(102) };
      const bFiles = { 'b1.jpg': makeJpeg(201), 'b2.jpg': makeJpeg(202), 'b3.jpg': makeJpeg(203) };
      await writeTree(a, aFiles);
      await writeTree(b, bFiles);
      win.settings.set('photoSync.folders', [
        { path: a, album: { mode: 'fixed', name: 'Ann' } },
        { path: b, album: { mode: 'fixed', name: 'Ben' } },
      ]);

      // Choose Account… on B's row: the quick pick lists both accounts and a new sign-in.
      w.fake.answers.push(`$(account) ${BEN}`);
      assert.equal(await win.run('photoSync.chooseAccount', { id: `photoSync.syncFolder:${b}` }), BEN);
      const saved = win.settings.get('photoSync.folders') as { path: string; account?: string }[];
      assert.equal(saved.find((f) => f.path === b)?.account, BEN);
      // A had no account of its own: it keeps the one it used (the first signed in), written down.
      assert.equal(saved.find((f) => f.path === a)?.account, ANN);

      await win.run('photoSync.syncNow');
      await waitFor('both folders uploaded', async () => [...(await libraries(control)).values()].flat().length === 5);
      const libs = await libraries(control);
      assert.deepEqual(libs.get(ANN), Object.values(aFiles).map(sha).sort());
      assert.deepEqual(libs.get(BEN), Object.values(bFiles).map(sha).sort());
      const state = await control.state();
      const subOf = (email: string) => state.users.find((u) => u.email === email)?.sub;
      assert.deepEqual(state.albums.map((x) => [x.title, x.userSub]).sort(), [['Ann', subOf(ANN)], ['Ben', subOf(BEN)]]);

      // Each account counted its own requests (the Accounts view's figures).
      await win.run('photoSync.syncNow'); // nothing new: only flushes the counters
      const period = GOOGLE_PHOTOS_QUOTA.periodOf(Date.now());
      const used = (label: string) => win.index.quota.used(w.provider.accounts.find((x) => x.label === label)?.id ?? '', GOOGLE_PHOTOS_QUOTA.bucket, period);
      await waitFor('request counts per account', async () => used(ANN) > 0 && used(BEN) > 0);

      // From the Accounts view: the folder row under an account opens the same choice (back to Ann).
      w.fake.answers.push(`$(account) ${ANN}`);
      const annId = w.provider.accounts.find((x) => x.label === ANN)?.id;
      assert.equal(await win.run('photoSync.chooseAccount', { id: `photoSync.account:photoSync.google:${annId}:folder:${b}` }), ANN);
      assert.equal((win.settings.get('photoSync.folders') as { path: string; account?: string }[]).find((f) => f.path === b)?.account, ANN);

      // Add Folder with two accounts signed in asks which one, and saves it.
      const c = path.join(root, 'C');
      await writeTree(c, { 'c1.jpg': makeJpeg(501) });
      w.fake.answers.push('Google Photos', `$(account) ${BEN}`, 'One album per sub-folder', 'Keep files where they are');
      await win.run('photoSync.addFolder', Uri.file(c));
      assert.equal((win.settings.get('photoSync.folders') as { path: string; account?: string }[]).find((f) => f.path === c)?.account, BEN);
    } finally {
      await win.close();
    }
  }));

test('a folder whose account is signed out is reported with Sign In / Choose Account… and not uploaded anywhere; the other folder still syncs', () =>
  withEmulator(async (emu, control) => {
    const w = await openWindow(emu);
    const win = await syncWindow(emu, w);
    try {
      await signInBoth(w);
      const root = await tempDir();
      const a = path.join(root, 'A');
      const b = path.join(root, 'B');
      await writeTree(a, { 'a1.jpg': makeJpeg(301) });
      await writeTree(b, { 'b1.jpg': makeJpeg(401), 'b2.jpg': makeJpeg(402) });
      win.settings.set('photoSync.folders', [
        { path: a, album: { mode: 'fixed', name: 'Ann' }, account: ANN },
        { path: b, album: { mode: 'fixed', name: 'Ben' }, account: BEN },
      ]);
      const ben = w.provider.accounts.find((x) => x.label === BEN);
      await w.provider.removeSession(ben?.sessionId ?? '');
      assert.deepEqual(w.provider.accounts.map((x) => x.label), [ANN]);

      await win.run('photoSync.syncNow');
      await waitFor('A uploaded', async () => (await libraries(control)).get(ANN)?.length === 1);
      const warning = w.fake.ui.messages.find((m) => m.level === 'warning' && m.text.includes(BEN));
      assert.ok(warning, `no warning about ${BEN}: ${JSON.stringify(w.fake.ui.messages)}`);
      assert.match(warning.text, /^B syncs with photo\.sync\.tester2@gmail\.com, which is not signed in: it was not synced/);
      assert.deepEqual(warning.items, ['Sign In', 'Choose Account…']);
      const libs = await libraries(control);
      assert.deepEqual([...libs.keys()], [ANN], 'nothing of B went to another account');
      assert.equal(libs.get(ANN)?.length, 1);
      // The folder's setting still names its own account: nothing was rewritten to the one left.
      assert.equal((win.settings.get('photoSync.folders') as { account?: string }[])[1].account, BEN);

      // Review Before Sync on B says the same instead of scanning with another account.
      const before = w.fake.ui.messages.length;
      await win.run('photoSync.reviewBeforeSync', b);
      assert.ok(w.fake.ui.messages.slice(before).some((m) => m.level === 'warning' && m.text.startsWith('B syncs with')));
    } finally {
      await win.close();
    }
  }));
