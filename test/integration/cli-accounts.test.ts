// The command line with two Google accounts signed in: a folder that names its account syncs with
// that one (into that user's library on the emulator), the others with the first signed in; a folder
// whose account is not signed in is reported (exit 4) and nothing of it is uploaded anywhere, while
// the other folders still sync.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { startEmulator, type RunningEmulator } from '../emulator/index';
import { EmulatorControl } from '../emulator/control';
import { makeJpeg, tempDir, writeTree } from '../unit/sync-fixtures';
import { cliHome, cliSignIn, ensureCliBuilt, runCli } from '../helpers/cli';

const ANN = 'photo.sync.tester@gmail.com';
const BEN = 'photo.sync.tester2@gmail.com';
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

let emu: RunningEmulator;
let control: EmulatorControl;
before(async () => {
  await ensureCliBuilt();
  emu = await startEmulator({ port: 0, users: 2 });
  control = new EmulatorControl(emu.control);
});
after(() => emu.close());

test('photo-sync sync: each folder with its own account; a folder whose account is signed out is reported, not uploaded elsewhere', async () => {
  const root = await tempDir();
  const files = { a: { 'a1.jpg': makeJpeg(601) }, b: { 'b1.jpg': makeJpeg(611), 'b2.jpg': makeJpeg(612) }, c: { 'c1.jpg': makeJpeg(621) } };
  for (const [name, tree] of Object.entries(files)) await writeTree(path.join(root, name), tree);
  const h = cliHome(emu.endpoints);
  h.writeConfig({
    folders: [
      { path: path.join(root, 'a') },
      { path: path.join(root, 'b'), account: BEN },
      { path: path.join(root, 'c'), account: 'carol@example.com' },
    ],
    index: path.join(h.dir, 'index'),
  });
  await cliSignIn(h, ANN);
  await cliSignIn(h, BEN);
  const r = await runCli(h, ['sync']);
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /c syncs with carol@example\.com, which is not signed in: not synced/);
  const state = await control.state();
  const email = (sub: string) => state.users.find((u) => u.sub === sub)?.email;
  const of = (who: string) => state.mediaItems.filter((m) => !m.seeded && email(m.userSub) === who).map((m) => m.sha256).sort();
  assert.deepEqual(of(ANN), Object.values(files.a).map(sha).sort());
  assert.deepEqual(of(BEN), Object.values(files.b).map(sha).sort());
  assert.equal(state.mediaItems.filter((m) => !m.seeded).length, 3, 'nothing of c anywhere');
});
