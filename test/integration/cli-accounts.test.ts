// The command line with two Google accounts signed in: a folder that names its account syncs with
// that one (into that user's library on the emulator), the others with the first signed in; a folder
// whose account is not signed in is reported (exit 4) and nothing of it is uploaded anywhere, while
// the other folders still sync.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { startEmulator, type RunningEmulator } from '../emulator/index';
import { EmulatorControl } from '../emulator/control';
import { makeJpeg, tempDir, writeTree } from '../unit/sync-fixtures';
import { cliHome, cliSignIn, ensureCliBuilt, events, runCli } from '../helpers/cli';

const ANN = 'photo.sync.tester@gmail.com';
const BEN = 'photo.sync.tester2@gmail.com';
/** A string matched literally inside a RegExp. */
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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

test('photo-sync verify: each folder against its own account’s library, the account named in the output, the events and the report; an unknown --account lists the signed-in ones (exit 4)', async () => {
  // Folder names of their own: the first test's albums (a, b) are in the same emulator.
  const root = await tempDir();
  const a = path.join(root, 'VerifyA');
  const b = path.join(root, 'VerifyB');
  const files = { a: { 'a1.jpg': makeJpeg(631), 'a2.jpg': makeJpeg(632) }, b: { 'b1.jpg': makeJpeg(641), 'b2.jpg': makeJpeg(642), 'b3.jpg': makeJpeg(643) } };
  await writeTree(a, files.a);
  await writeTree(b, files.b);
  const h = cliHome(emu.endpoints);
  h.writeConfig({ folders: [{ path: a, account: ANN }, { path: b, account: BEN }], index: path.join(h.dir, 'index') });
  await cliSignIn(h, ANN);
  await cliSignIn(h, BEN);
  const synced = await runCli(h, ['sync']);
  assert.equal(synced.code, 0, synced.stderr);
  const before = await control.state();
  const userOf = (sha256: string) => before.users.find((u) => u.sub === before.mediaItems.find((m) => !m.seeded && m.sha256 === sha256)?.userSub)?.email;
  assert.equal(userOf(sha(files.b['b2.jpg'])), BEN, 'b was uploaded into Ben’s library');

  // Both folders in sync, each checked with its own account (Ann's library has none of b's items).
  const clean = await runCli(h, ['verify']);
  assert.equal(clean.code, 0, `${clean.stdout}\n${clean.stderr}`);
  assert.match(clean.stdout, new RegExp(`Verify ${esc(a)} with the account ${esc(ANN)}: \\d+ request\\(s\\) to Google Photos`));
  assert.match(clean.stdout, new RegExp(`Verify ${esc(b)} with the account ${esc(BEN)}: \\d+ request\\(s\\) to Google Photos`));
  assert.match(clean.stdout, new RegExp(`${esc(BEN)}: In sync: 3 items checked`));

  // Ben deletes b2 in Google Photos and a1 goes from disk: each is found under its own account only.
  const gone = before.mediaItems.find((m) => !m.seeded && m.sha256 === sha(files.b['b2.jpg']));
  assert.ok(gone);
  await control.deleteMediaItem(gone.id);
  rmSync(path.join(a, 'a1.jpg'));
  const reportFile = path.join(await tempDir(), 'check.md');
  const found = await runCli(h, ['verify', '--json', '--report', reportFile]);
  assert.equal(found.code, 1, found.stderr);
  const ev = events(found);
  const summaries = ev.filter((e) => e.type === 'summary') as unknown as { account: string; counts: Record<string, number>; folders: { path: string }[] }[];
  assert.deepEqual(
    summaries.map((x) => [x.account, x.folders.map((f) => f.path), x.counts['missing-locally'], x.counts['missing-remotely']]),
    [
      [ANN, [a], 1, 0],
      [BEN, [b], 0, 1],
    ],
  );
  assert.deepEqual(ev.filter((e) => e.type === 'cost').map((e) => e.account), [ANN, BEN]);
  const findings = ev.filter((e) => e.type === 'finding') as unknown as { kind: string; path: string }[];
  assert.deepEqual(findings.map((f) => [f.kind, path.basename(f.path)]).sort(), [['missing-locally', 'a1.jpg'], ['missing-remotely', 'b2.jpg']]);
  const report = readFileSync(reportFile, 'utf8');
  assert.match(report, new RegExp(`- Account: ${esc(ANN)}\\n`));
  assert.match(report, new RegExp(`- Account: ${esc(BEN)}\\n`));
  // Verify reads only: nothing was deleted, removed or uploaded for either account.
  const after = await control.state();
  assert.equal(after.mediaItems.filter((m) => !m.seeded).length, before.mediaItems.filter((m) => !m.seeded).length - 1);
  assert.equal(after.requestCounts['library.mediaItems.batchCreate'], before.requestCounts['library.mediaItems.batchCreate']);

  // An unknown --account: a clear message with the signed-in accounts, before any request.
  const requests = Object.values(after.requestCounts).reduce((n, v) => n + v, 0);
  const unknown = await runCli(h, ['--account', 'carol@example.com', 'verify']);
  assert.equal(unknown.code, 4, unknown.stderr);
  assert.match(unknown.stderr, new RegExp(`carol@example\\.com is not signed in \\(signed in: ${esc(ANN)}, ${esc(BEN)}\\)\\. Run: photo-sync login`));
  assert.equal(Object.values((await control.state()).requestCounts).reduce((n, v) => n + v, 0), requests, 'no request sent');

  // A folder whose own account is not signed in is not checked (never against another library); the others are.
  const c = path.join(root, 'VerifyC');
  await writeTree(c, { 'c1.jpg': makeJpeg(651) });
  h.writeConfig({ folders: [{ path: a, account: ANN }, { path: c, account: 'carol@example.com' }], index: path.join(h.dir, 'index') });
  const partly = await runCli(h, ['verify']);
  assert.equal(partly.code, 4, partly.stderr);
  assert.match(partly.stderr, /VerifyC is backed up with carol@example\.com, which is not signed in: not verified/);
  assert.match(partly.stdout, new RegExp(`Verify ${esc(a)} with the account ${esc(ANN)}`));
  assert.doesNotMatch(partly.stdout, /Verify .*VerifyC with/);
});
