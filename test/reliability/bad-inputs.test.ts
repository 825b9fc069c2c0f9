// Bad inputs, each with the clear message (or the safe outcome) a user must get: broken and odd photo
// files, names, links and permissions in a synced folder; hostile names coming back from the service;
// a bad OAuth client file, config and settings files; a damaged index and a damaged journal row. Runs
// the built command line against the emulator and prints the table of cases and outcomes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, promises as fs, readFileSync, readdirSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import initSqlJs from 'sql.js';
import { SIGN_IN_SCOPES } from '../../src/google/scopes';
import { openIndex } from '../../src/index/openIndex';
import { callJson, rawUpload } from '../emulator/test-client';
import { CLI_PATH, REPO_ROOT, cliHome, eventOf, runCli, type CliHome, type CliResult } from '../helpers/cli';
import { emulatorTokenSource } from '../helpers/emulatorAuth';
import { makeJpeg, tempDir, writeTree } from '../unit/sync-fixtures';
import { hashTree, printTable, startSuite, WASM_DIR, type Suite } from './rig';

let suite: Suite;
const table: [string, string, string][] = [];

before(async () => {
  suite = await startSuite();
});
after(async () => {
  printTable(`Bad inputs (${table.length} cases)`, [['case', 'expected', 'outcome'], ...table]);
  const leaks = await suite.secretsFound();
  await suite?.close();
  assert.deepEqual(leaks, [], 'no token or client secret outside the 0600 secrets file');
});

/** Records a case: `ok` must hold; the row says what was expected and what happened. */
function record(name: string, expected: string, outcome: string, ok: boolean): void {
  table.push([name, expected, ok ? outcome : `FAILED: ${outcome}`]);
  assert.ok(ok, `${name}: expected ${expected}, got ${outcome}`);
}

const oneLine = (r: CliResult) => `exit ${r.code}: ${(r.stderr.trim().split('\n').find((l) => l.startsWith('error:') || l.startsWith('warning:')) ?? r.stdout.trim().split('\n').pop() ?? '').slice(0, 150)}`;

test('files in a synced folder: broken, odd, too big, unsupported, hostile names, link loops — each skipped with its reason, refused with a message, or uploaded under a safe name', async () => {
  const root = await fs.realpath(await tempDir('photo-sync-bad-'));
  const good = makeJpeg(5, undefined, 16);
  const files: Record<string, Buffer | string> = {
    'truncated.jpg': good.subarray(0, Math.floor(good.length / 2)),
    'corrupt.jpg': 'this is text pretending to be a JPEG',
    'absurd-date.jpg': makeJpeg(6, { original: '9999:99:99 99:99:99' }, 16),
    'year-zero.jpg': makeJpeg(7, { original: '0000:00:00 00:00:00' }, 16),
    'zero.jpg': Buffer.alloc(0),
    'notes.txt': 'hello',
    'program.exe': 'MZ',
    'image.psd': '8BPS',
    [`${'ü'.repeat(120)}.jpg`]: makeJpeg(8, undefined, 16),
    '\u202Egpj.exe.jpg': makeJpeg(9, undefined, 16),
    'line\nbreak.jpg': makeJpeg(10, undefined, 16),
    'cafe\u0301.jpg': makeJpeg(11, undefined, 16),
    'caf\u00e9.jpg': makeJpeg(12, undefined, 16),
    'zero\u200Bwidth.jpg': makeJpeg(13, undefined, 16),
    '😀🎉.jpg': makeJpeg(14, undefined, 16),
    'sub/ok.jpg': makeJpeg(16, undefined, 16),
  };
  await writeTree(root, files);
  writeFileSync(path.join(root, 'huge.jpg'), '');
  truncateSync(path.join(root, 'huge.jpg'), 201 * 1024 * 1024); // sparse: 201 MB without writing them
  symlinkSync('loopB', path.join(root, 'loopA'));
  symlinkSync('loopA', path.join(root, 'loopB'));
  symlinkSync('..', path.join(root, 'sub', 'up'));
  const h = suite.home();
  const run = await runCli(h, ['upload', root, '--album', 'Bad Inputs', '--json']);
  // Damaged files are caught before any request (a warning, not a failure): nothing here fails.
  assert.equal(run.code, 0, run.stderr);
  const summary = eventOf<{ uploaded: number; failed: { path: string; message: string }[] }>(run, 'summary');
  const plan = eventOf<{ unsupported: number }>(run, 'plan');
  const warnings = run.stdout.split('\n').filter((l) => l.includes('"type":"warning"')).join('\n');
  const index = await openIndex({ storageDir: path.join(h.dir, 'index'), wasmDir: WASM_DIR, watch: false, integrityCheck: 'off' });
  const status = (rel: string) => {
    const r = index.localFiles.byPath(path.join(root, rel));
    return r ? `${r.status}${r.lastError ? `: ${r.lastError}` : ''}` : 'not a candidate';
  };
  const state = await suite.control.state();
  const album = state.albums.find((a) => a.title === 'Bad Inputs');
  const remote = state.mediaItems.filter((m) => album?.mediaItemIds.includes(m.id)).map((m) => m.filename);
  try {
    const refused = (rel: string) => summary.failed.find((f) => f.path === path.join(root, rel))?.message ?? status(rel);
    // Recorded in the index with the reason, and named in the run's warning; no request spent on it.
    const damaged = (rel: string, why: RegExp) => status(rel).startsWith('skipped: damaged: ') && why.test(status(rel)) && warnings.includes(rel) && !remote.includes(rel);
    record('truncated JPEG', 'skipped as damaged before any request, named with the reason', refused('truncated.jpg'), damaged('truncated.jpg', /the JPEG ends before its end-of-image marker/));
    record('corrupt JPEG (text bytes)', 'skipped as damaged before any request, named', refused('corrupt.jpg'), damaged('corrupt.jpg', /its bytes are not a JPEG/));
    record('EXIF date 9999:99:99', 'uploaded; the date is ignored', status('absurd-date.jpg'), status('absurd-date.jpg') === 'uploaded' && remote.includes('absurd-date.jpg'));
    record('EXIF date 0000:00:00', 'uploaded; the date is ignored', status('year-zero.jpg'), status('year-zero.jpg') === 'uploaded' && remote.includes('year-zero.jpg'));
    record('zero-byte .jpg', 'skipped: empty', status('zero.jpg'), status('zero.jpg') === 'skipped: the file is empty (0 bytes)');
    record('201 MB photo', "skipped: over Google's 200 MB", status('huge.jpg'), /skipped: larger than Google Photos' 200 MB limit for photos/.test(status('huge.jpg')));
    record('.txt, .exe, .psd', 'not candidates (counted as unsupported)', `unsupported ${plan.unsupported}; remote ${remote.filter((n) => /txt|exe$|psd/.test(n)).length}`, plan.unsupported === 5 && !remote.some((n) => /\.(txt|exe|psd)$/.test(n)));
    const long = `${'ü'.repeat(120)}.jpg`;
    record('240-byte Unicode name', 'uploaded under that name', status(long), status(long) === 'uploaded' && remote.includes(long));
    record('right-to-left override in name', 'uploaded; name kept', status('\u202Egpj.exe.jpg'), remote.includes('\u202Egpj.exe.jpg'));
    record('newline in name', 'uploaded; no control character sent', remote.find((n) => n.startsWith('line')) ?? 'missing', remote.includes('line_break.jpg'));
    record('NFD and NFC “café” side by side', 'both uploaded, two items', remote.filter((n) => n.normalize('NFC') === 'café.jpg').length + ' items', remote.filter((n) => n.normalize('NFC') === 'café.jpg').length === 2);
    record('zero-width space in name', 'uploaded', status('zero\u200Bwidth.jpg'), status('zero\u200Bwidth.jpg') === 'uploaded');
    record('emoji name', 'uploaded', status('😀🎉.jpg'), remote.includes('😀🎉.jpg'));
    record('symlink loop (a → b → a)', 'skipped with a warning naming it', warnings.match(/Broken link skipped: [^"]*loopA/)?.[0] ?? 'no warning', /Broken link skipped: [^"]*loopA/.test(warnings) && /Broken link skipped: [^"]*loopB/.test(warnings));
    record('link to a parent folder', 'skipped with a warning: links back', warnings.match(/Skipped [^"]*up: it links back[^"]*/)?.[0] ?? 'no warning', /Skipped [^"]*sub\/up: it links back to a folder already scanned/.test(warnings));
    record('the good file beside them', 'uploaded', status('sub/ok.jpg'), status('sub/ok.jpg') === 'uploaded' && summary.uploaded === 10);
  } finally {
    await index.dispose();
  }
});

test('an unreadable file and folder, run as a non-root user: named as unreadable, the rest uploaded', async (t) => {
  const nobody = { uid: 65534, gid: 65534 };
  const probe = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'true']);
  if (probe.status !== 0) {
    record('unreadable file (non-root)', 'setpriv available', `setpriv failed: ${probe.stderr}`, false);
    return;
  }
  const h = suite.home();
  const root = path.join(h.dir, 'photos');
  await writeTree(root, { 'readable.jpg': makeJpeg(41, undefined, 16), 'secret.jpg': makeJpeg(42, undefined, 16), 'locked/inside.jpg': makeJpeg(43, undefined, 16) });
  // The whole home belongs to the user the command runs as; two things in it are not readable by them.
  const chownAll = (p: string) => {
    chownSync(p, nobody.uid, nobody.gid);
    if (statSync(p).isDirectory()) for (const e of readdirSync(p)) chownAll(path.join(p, e));
  };
  chownAll(h.dir);
  chownSync(path.join(root, 'secret.jpg'), 0, 0);
  chmodSync(path.join(root, 'secret.jpg'), 0o600);
  chownSync(path.join(root, 'locked'), 0, 0);
  chmodSync(path.join(root, 'locked'), 0o700);
  const env = { ...h.env };
  // Not spawnSync: the emulator answers from this process's event loop.
  const child = spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI_PATH, 'upload', root, '--album', 'Unreadable', '--json'], { env, cwd: h.dir });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const r = { stdout, stderr, status };
  t.diagnostic(r.stderr);
  const warnings = r.stdout.split('\n').filter((l) => /"type":"(warning|failed)"/.test(l)).join('\n');
  const summary = eventOf<{ uploaded: number; failed: { path: string; message: string }[] }>({ stdout: r.stdout }, 'summary');
  const secret = summary.failed.find((f) => f.path.endsWith('secret.jpg'))?.message ?? warnings.match(/secret\.jpg[^"]*/)?.[0] ?? 'not named';
  record('unreadable file (run as nobody)', 'named with “permission denied”, not uploaded', secret, /permission|EACCES|not readable|cannot be read/i.test(secret));
  const locked = warnings.match(/Cannot read folder [^"]*locked[^"]*/)?.[0] ?? 'no warning';
  record('unreadable folder (run as nobody)', 'warning: cannot read folder', locked, /Cannot read folder .*locked: EACCES/.test(locked));
  record('the readable file beside them', 'uploaded; exit 1 (something failed)', `exit ${r.status}, uploaded ${summary.uploaded}`, summary.uploaded === 1 && r.status !== 0 && r.status !== 2);
});

test('hostile file names coming back from the service: every download lands below --to under a safe name', async () => {
  const tokens = await emulatorTokenSource(suite.emu, SIGN_IN_SCOPES);
  const token = await tokens.getAccessToken([]);
  const library = suite.emu.endpoints.library;
  const albumRes = await callJson<{ id: string }>(`${library}/v1/albums`, token, 'POST', { album: { title: 'Hostile Names' } });
  assert.equal(albumRes.status, 200, JSON.stringify(albumRes.body));
  const names = ['../../escape.jpg', '..\\..\\win.jpg', 'CON.jpg', 'a/b/c.jpg', '.hidden.jpg', `${'x'.repeat(300)}.jpg`, 'nul\u0000byte.jpg', '', 'trailing dot. .jpg'];
  const newMediaItems = [];
  for (const [i, name] of names.entries()) newMediaItems.push({ simpleMediaItem: { uploadToken: await rawUpload(library, token, makeJpeg(60 + i, undefined, 12)), fileName: name } });
  const created = await callJson<{ newMediaItemResults: { status?: { message?: string }; mediaItem?: { filename: string } }[] }>(`${library}/v1/mediaItems:batchCreate`, token, 'POST', { albumId: albumRes.body.id, newMediaItems });
  const accepted = created.body.newMediaItemResults.filter((r) => r.mediaItem).length;
  const h = suite.home();
  // --to inside a folder of its own: whatever lands beside --to escaped (the system temp folder has other writers).
  const outside = await fs.realpath(await tempDir('photo-sync-hostile-'));
  const to = path.join(outside, 'to');
  await fs.mkdir(to);
  const before = new Set(await fs.readdir(outside));
  const run = await runCli(h, ['download', 'album', 'Hostile Names', '--to', to, '--json']);
  const tree = [...(await hashTree(to)).keys()];
  const escaped = (await fs.readdir(outside)).filter((n) => !before.has(n) && n !== path.basename(to));
  const photos = tree.filter((f) => f.startsWith('photos/'));
  record(
    `hostile remote names (${accepted} accepted by the service)`,
    'each downloaded below --to, no “..”, no hidden or reserved name, ≤ 255 bytes',
    `exit ${run.code}; ${photos.length} files; escaped ${escaped.length}`,
    run.code === 0 && photos.length === accepted && escaped.length === 0 && photos.every((f) => !f.split('/').some((p) => p === '..' || p.startsWith('.') || /^CON(\.|$)/i.test(p) || Buffer.byteLength(p) > 255)),
  );
});

test('bad client files, config and settings files, a damaged index and journal row: each a one-line message and its exit code', async () => {
  const h = suite.home();
  const dir = await tempDir('photo-sync-badcfg-');
  const write = (name: string, text: string) => {
    const f = path.join(dir, name);
    writeFileSync(f, text);
    return f;
  };
  const fresh = cliHome(suite.emu.endpoints);
  fresh.writeConfig({ folders: [] });
  const setup = async (file: string) => runCli(fresh, ['setup-client', file]);
  let r = await setup(write('not-json.json', '{"installed": {'));
  record('client_secret.json: not JSON', 'exit 2, says the file is not a client file', oneLine(r), r.code === 2 && /client|JSON/i.test(r.stderr));
  r = await setup(path.join(REPO_ROOT, 'test', 'fixtures', 'client_secret_web.json'));
  record('client_secret.json: a Web client', 'exit 2, asks for a Desktop app client', oneLine(r), r.code === 2 && /Desktop/i.test(r.stderr));
  r = await setup(write('no-secret.json', JSON.stringify({ installed: { client_id: 'x.apps.googleusercontent.com' } })));
  record('client_secret.json: no client_secret', 'exit 2', oneLine(r), r.code === 2);
  r = await setup(path.join(dir, 'missing.json'));
  record('client_secret.json: missing file', 'exit 2', oneLine(r), r.code === 2);

  const withConfig = async (text: string, args: string[] = ['sync']) => runCli(h, ['--config', write(`config-${table.length}.json`, text), ...args]);
  r = await withConfig('{ "folders": [ }');
  record('config: invalid JSON', 'exit 2, names line and column', oneLine(r), r.code === 2 && /is not valid JSON: .* at line 1, column \d+/.test(r.stderr));
  r = await withConfig('{ "folders": [], "colour": "blue" }');
  record('config: unknown key', 'exit 2, names the key', oneLine(r), r.code === 2 && /unknown setting "colour"/.test(r.stderr));
  r = await withConfig('{ "folders": [{ "path": "relative/photos" }] }');
  record('config: relative folder path', 'exit 2', oneLine(r), r.code === 2 && /absolute/i.test(r.stderr));
  r = await withConfig(`{ "folders": [{ "path": "${dir}", "album": { "mode": "sideways" } }] }`);
  record('config: unknown album mode', 'exit 2, names the entry', oneLine(r), r.code === 2 && /mode/.test(r.stderr));
  r = await withConfig('{ "folders": [], "concurrency": { "uploads": 0 } }');
  record('config: concurrency 0', 'exit 2', oneLine(r), r.code === 2 && /concurrency\.uploads must be a whole number from 1 to 16/.test(r.stderr));
  r = await withConfig('[1, 2, 3]');
  record('config: an array, not an object', 'exit 2', oneLine(r), r.code === 2 && /must hold a JSON object/.test(r.stderr));
  r = await withConfig(`{ "folders": [], "download": { "layout": "{yyyy}/no-filename" }, "endpoints": ${JSON.stringify(Object.fromEntries(Object.entries(suite.emu.endpoints).filter(([k]) => !k.startsWith('flickr'))))} }`, ['download', 'year', '2020', '--to', dir, '--dry-run']);
  record('config: download.layout without {filename}', 'warning naming it; the default layout is used', oneLine(r), r.code === 0 && /warning: download\.layout: /.test(r.stderr));
  const userData = path.join(dir, 'vscode-user');
  mkdirSync(path.join(userData, 'User'), { recursive: true });
  writeFileSync(path.join(userData, 'User', 'settings.json'), '{ "photoSync.folders": [ { "path": 42 } ] }');
  r = await runCli(h, ['--vscode-user-data', userData, 'sync']);
  record('VS Code settings: folder path not a string', 'exit 2, names photoSync.folders', oneLine(r), r.code === 2 && /folders/.test(r.stderr));
  writeFileSync(path.join(userData, 'User', 'settings.json'), '{ "photoSync.folders": [ ');
  r = await runCli(h, ['--vscode-user-data', userData, 'sync']);
  record('VS Code settings: broken JSON', 'exit 2, names line and column', oneLine(r), r.code === 2 && /not valid JSON/.test(r.stderr));

  // A damaged index: set aside with a warning, a new one started; the sync still backs the folder up.
  const photos = await fs.realpath(await tempDir('photo-sync-badidx-'));
  await writeTree(photos, { 'one.jpg': makeJpeg(71, undefined, 16) });
  const damaged = suite.home({ folders: [{ path: photos, album: { mode: 'fixed', name: 'Damaged Index' } }] });
  mkdirSync(path.join(damaged.dir, 'index'), { recursive: true });
  writeFileSync(path.join(damaged.dir, 'index', 'index.sqlite'), Buffer.from('SQLite format 3\u0000 but then garbage '.repeat(200)));
  r = await runCli(damaged, ['sync']);
  record('corrupt index.sqlite', 'warning: set aside, rebuilt; the sync succeeds', oneLine(r), r.code === 0 && /The index was damaged, so it was set aside/.test(r.stderr) && readdirSync(path.join(damaged.dir, 'index')).some((f) => f !== 'index.sqlite' && f.includes('index.sqlite')));

  // A damaged journal row: a task whose dependencies are not JSON, as a torn write might leave.
  await writeTree(photos, { 'two.jpg': makeJpeg(72, undefined, 16) });
  const SQL = await initSqlJs({ locateFile: (f: string) => path.join(WASM_DIR, f) });
  const file = path.join(damaged.dir, 'index', 'index.sqlite');
  const db = new SQL.Database(readFileSync(file));
  db.run(`INSERT INTO task_journal (id, kind, group_id, group_title, account_id, title, state, payload, depends_on, priority, bytes, attempts, last_error, created_at, updated_at)
          VALUES ('upload:torn', 'upload', 'g', 'torn', NULL, 'torn.jpg', 'queued', '{"path":', 'not json', 0, NULL, 0, NULL, 1, 1)`);
  writeFileSync(file, Buffer.from(db.export()));
  db.close();
  r = await runCli(damaged, ['sync']);
  const items = (await suite.control.state()).albums.find((a) => a.title === 'Damaged Index')?.mediaItemIds.length ?? 0;
  record('corrupt journal row', 'skipped (or named); the sync still succeeds', `${oneLine(r)}; album holds ${items}`, r.code === 0 && items === 2);

  r = await runCli(h, ['upload', path.join(photos, 'one.jpg')]);
  record('upload of a file, not a folder', 'exit 2: not a folder', oneLine(r), r.code === 2 && /is not a folder/.test(r.stderr));
  r = await runCli(h, ['download', 'year', '2020', '--to', path.join(photos, 'one.jpg')]);
  record('download --to a file', 'exit 2: not a folder', oneLine(r), r.code === 2 && /is not a folder/.test(r.stderr));
});

export type { CliHome };
