// photo-sync pick and download (album, year) as a user runs them: the built dist/cli.js against the
// emulator. What lands on disk (layout, album links, no partial files), what the emulator saw (media
// requests, the Picker session deleted), a second run downloading nothing, --dry-run downloading
// nothing, --json events, and the usage errors with their exit codes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { startEmulator, type RunningEmulator } from '../emulator/index';
import { EmulatorControl } from '../emulator/control';
import { completeConsent } from '../emulator/consent';
import { makeJpeg, tempDir, writeTree } from '../unit/sync-fixtures';
import { AUTH_URL, cliHome, cliSignIn, ensureCliBuilt, eventOf, events, runCli, startCli, type CliHome } from '../helpers/cli';
import { listTree, partsIn } from './download-harness';

let emu: RunningEmulator;
let control: EmulatorControl;
let signedIn: CliHome;

before(async () => {
  await ensureCliBuilt();
  emu = await startEmulator({ port: 0 });
  control = new EmulatorControl(emu.control);
  signedIn = cliHome(emu.endpoints);
  signedIn.writeConfig({ folders: [] });
  await cliSignIn(signedIn);
});
after(() => emu.close());

/** A home sharing the signed-in secrets, with its own config and index. */
function homeWith(extra: Record<string, unknown> = {}): CliHome {
  const h = cliHome(emu.endpoints);
  h.writeConfig({ folders: [], index: path.join(h.dir, 'index'), ...extra });
  copyFileSync(signedIn.secretsFile, h.secretsFile);
  return h;
}

async function folder(prefix: string): Promise<string> {
  return fs.realpath(await tempDir(prefix));
}

const media = async () => (await control.state()).requestCounts['media.library'] ?? 0;

test('download album: the album lands in photos/YYYY/MM with album links; the second run downloads nothing; --dry-run downloads nothing', async () => {
  const h = homeWith();
  const src = await folder('photo-sync-cli-dl-src-');
  const files = { 'a.jpg': makeJpeg(31, { original: '2021:05:04 10:00:00' }, 40), 'b.jpg': makeJpeg(32, { original: '2021:07:01 12:00:00' }, 40), 'c.jpg': makeJpeg(33, { original: '2022:01:02 08:00:00' }, 40) };
  await writeTree(src, files);
  const up = await runCli(h, ['upload', src, '--album', 'Restore Me']);
  assert.equal(up.code, 0, up.stderr);

  const to = await folder('photo-sync-cli-dl-to-');
  const before = await media();
  const dry = await runCli(h, ['download', 'album', 'restore me', '--to', to, '--dry-run', '--json']);
  assert.equal(dry.code, 0, dry.stderr);
  const dryPlan = eventOf<{ dryRun: boolean; downloads: number; files: { filename: string; target: string }[] }>(dry, 'plan');
  assert.equal(dryPlan.dryRun, true);
  assert.deepEqual(dryPlan.files.map((f) => f.filename).sort(), ['a.jpg', 'b.jpg', 'c.jpg']);
  assert.equal(await media(), before, 'a dry run fetches no bytes');
  assert.deepEqual(await listTree(to), [], 'and writes nothing');

  const run = await runCli(h, ['download', 'album', 'Restore Me', '--to', to, '--concurrency', '2']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /Download 3 items from “Restore Me” into /);
  assert.match(run.stdout, /Downloaded 3 items of “Restore Me” \(.*\) into photos\/2021\/05, photos\/2021\/07 and photos\/2022\/01\./);
  const tree = await listTree(to);
  assert.deepEqual(tree.filter((f) => f.startsWith('photos/')), ['photos/2021/05/a.jpg', 'photos/2021/07/b.jpg', 'photos/2022/01/c.jpg']);
  assert.equal(tree.filter((f) => f.startsWith('albums/')).length, 3, `album links: ${tree.join(', ')}`);
  assert.deepEqual(partsIn(tree), []);
  assert.equal(await media(), before + 3);
  // Google strips location data only; the pixels are the uploaded ones (the emulator serves them as uploaded, minus GPS).
  assert.ok(readFileSync(path.join(to, 'photos/2021/05/a.jpg')).length > 0);

  const again = await runCli(h, ['download', 'album', 'Restore Me', '--to', to, '--json']);
  assert.equal(again.code, 0, again.stderr);
  const summary = eventOf<{ downloaded: number; already: number }>(again, 'summary');
  assert.deepEqual([summary.downloaded, summary.already], [0, 3]);
  assert.equal(await media(), before + 3, 'nothing fetched again');
  for (const e of events(again)) assert.equal(typeof e.time, 'string');

  const year = await folder('photo-sync-cli-dl-year-');
  const byYear = await runCli(h, ['download', 'year', '2021', '--to', year, '--json']);
  assert.equal(byYear.code, 0, byYear.stderr);
  assert.equal(eventOf<{ downloaded: number }>(byYear, 'summary').downloaded, 2);
  assert.deepEqual(await listTree(year), ['photos/2021/05/a.jpg', 'photos/2021/07/b.jpg']);
});

test('download: an unknown album, a missing --to folder, a bad year and no --to are usage errors (exit 2) that say what to do', async () => {
  const h = homeWith();
  const to = await folder('photo-sync-cli-dl-bad-');
  const unknown = await runCli(h, ['download', 'album', 'No Such Album', '--to', to]);
  assert.equal(unknown.code, 2, unknown.stderr);
  assert.match(unknown.stderr, /No album called “No Such Album” that Photo Sync created in Google Photos\. .*photo-sync pick --to <dir>/);
  const missing = await runCli(h, ['download', 'year', '2021', '--to', path.join(to, 'not-there')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /not-there does not exist \(is its drive mounted\?\)\. Create it first/);
  const badYear = await runCli(h, ['download', 'year', '21', '--to', to]);
  assert.equal(badYear.code, 2);
  assert.match(badYear.stderr, /"21" is not a year: give four digits/);
  const noTo = await runCli(h, ['download', 'year', '2021']);
  assert.equal(noTo.code, 2);
  assert.match(noTo.stderr, /required option '-t, --to <dir>' not specified/);
  const notSignedIn = cliHome(emu.endpoints);
  notSignedIn.writeConfig({ folders: [] });
  const setup = await runCli(notSignedIn, ['setup-client', path.join(__dirname, '..', 'fixtures', 'client_secret.json')]);
  assert.equal(setup.code, 0, setup.stderr);
  const signIn = await runCli(notSignedIn, ['pick', '--to', to]);
  assert.equal(signIn.code, 4, signIn.stderr);
  assert.match(signIn.stderr, /Not signed in to Google Photos\. Run: photo-sync login/);
  assert.deepEqual(await listTree(to), []);
});

test('pick: asks once for the Picker permission, prints the address, waits for Done, downloads what was picked and deletes the session', async () => {
  const h = homeWith();
  const to = await folder('photo-sync-cli-pick-');
  const state = await control.state();
  const names = ['DSCF2044.JPG', 'PXL_20240101_000512.jpg'];
  const ids = names.map((n) => state.mediaItems.find((m) => m.seeded && m.filename === n)?.id as string);
  assert.ok(ids.every(Boolean), 'seeded library items');

  const running = startCli(h, ['pick', '--to', to, '--json', '--max', '10']);
  // The sign-in of `login` lacks the Picker scope: incremental consent, printed like login's.
  const [consentLine] = await running.waitFor(/\{"type":"login-url"[^\n]*\}/);
  await completeConsent((JSON.parse(consentLine) as { url: string }).url, {});
  const [line] = await running.waitFor(/\{"type":"picker-url"[^\n]*\}/);
  const shown = JSON.parse(line) as { url: string; sessionId: string };
  assert.match(shown.url, /\/autoclose$/);
  await control.pick(shown.sessionId, ids);
  const done = await running.done;
  assert.equal(done.code, 0, done.stderr);
  const summary = eventOf<{ downloaded: number; failed: unknown[] }>(done, 'summary');
  assert.equal(summary.downloaded, 2, JSON.stringify(summary));
  const tree = await listTree(to);
  assert.deepEqual(tree.map((f) => path.basename(f)).sort(), [...names].sort());
  assert.ok(tree.every((f) => f.startsWith('photos/')), tree.join(', '));
  const session = (await control.state()).pickerSessions.find((s) => s.id === shown.sessionId);
  assert.equal(session?.deleted, true, 'sessions.delete was called');
  assert.equal(session?.maxItemCount, 10);

  // The second pick needs no more consent; nothing picked imports nothing and still ends the session.
  const second = startCli(h, ['pick', '--to', to, '--json']);
  const [line2] = await second.waitFor(/\{"type":"picker-url"[^\n]*\}/);
  await control.pick((JSON.parse(line2) as { sessionId: string }).sessionId, []);
  const nothing = await second.done;
  assert.equal(nothing.code, 0, nothing.stderr);
  assert.doesNotMatch(nothing.stdout + nothing.stderr, /oauth2\/v2\/auth/, 'no second consent');
  assert.equal(eventOf<{ downloaded: number }>(nothing, 'summary').downloaded, 0);
});

test('pick: Ctrl-C while waiting ends the session and exits 130; nothing is written', async () => {
  const h = homeWith();
  const to = await folder('photo-sync-cli-pick-int-');
  const running = startCli(h, ['pick', '--to', to]);
  const consent = await Promise.race([running.waitFor(AUTH_URL).then((m) => m[1]), running.waitFor(/Waiting for you to pick/).then(() => undefined)]);
  if (consent) await completeConsent(consent, {});
  await running.waitFor(/Waiting for you to pick/);
  running.child.kill('SIGINT');
  const done = await running.done;
  assert.equal(done.code, 130, done.stderr);
  assert.match(done.stderr, /the picking session was ended/);
  const sessions = (await control.state()).pickerSessions;
  assert.ok(sessions.length > 0 && sessions.every((s) => s.deleted), 'every session deleted');
  assert.deepEqual(await listTree(to), []);
});
