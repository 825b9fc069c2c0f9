import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createVsCode, Uri, Disposable } from '../helpers/vscodeFake';
import { englishL10n } from '../../src/util/englishL10n';
import { addFolder } from '../../src/ui/commands/addFolder';
import type { SyncCommandDeps, SyncVsCode } from '../../src/ui/commands/deps';
import { syncNow } from '../../src/ui/commands/syncNow';
import { uploadFolder } from '../../src/ui/commands/uploadFolder';
import { describePlan } from '../../src/ui/syncReport';
import { GOOGLE_PHOTOS_QUOTA } from '../../src/destinations/googlePhotos/rules';
import { nullLogger } from '../../src/util/logger';
import { startRig, remoteItems, waitFor, ACCOUNT, type Rig } from './sync-harness';
import { makeJpeg, tempDir, writeTree } from '../unit/sync-fixtures';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface Script {
  quickPicks: ((items: { label: string }[]) => { label: string } | undefined)[];
  inputs: (string | undefined)[];
  modal: (string | undefined)[];
  folders: string[];
  /** Answers to non-modal messages with buttons (e.g. "Keep in Sync"). */
  buttons?: (string | undefined)[];
}

/** The fake VS Code plus the window/workspace calls the sync commands make, answered from a script. */
function fakeVs(script: Script) {
  const { vs, ui } = createVsCode();
  const settings = new Map<string, unknown>();
  const shown: { text: string; detail?: string; modal: boolean }[] = [];
  const answer = (text: string, ...rest: unknown[]) => {
    const opts = typeof rest[0] === 'object' && rest[0] !== null ? (rest[0] as { modal?: boolean; detail?: string }) : undefined;
    shown.push({ text, detail: opts?.detail, modal: !!opts?.modal });
    const buttons = rest.filter((r): r is string => typeof r === 'string');
    return Promise.resolve(opts?.modal ? script.modal.shift() : buttons.length ? script.buttons?.shift() : undefined);
  };
  const full = {
    ...vs,
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    window: {
      ...vs.window,
      showInformationMessage: answer,
      showWarningMessage: answer,
      showErrorMessage: answer,
      showQuickPick: async (items: { label: string }[]) => script.quickPicks.shift()?.(items),
      showInputBox: async (opts: { value?: string }) => (script.inputs.length ? script.inputs.shift() : opts.value),
      showOpenDialog: async () => {
        const f = script.folders.shift();
        return f ? [Uri.file(f)] : undefined;
      },
    },
    workspace: {
      getConfiguration: (section: string) => ({
        get: <T>(key: string) => settings.get(`${section}.${key}`) as T | undefined,
        update: async (key: string, value: unknown) => void settings.set(`${section}.${key}`, value),
      }),
    },
    commands: { ...vs.commands, registerCommand: () => new Disposable() },
  };
  return { vs: full as unknown as SyncVsCode, ui, settings, shown };
}

function depsFor(rig: Rig, vs: SyncVsCode): SyncCommandDeps {
  return {
    vs,
    log: nullLogger,
    destinations: [{ id: 'google-photos', displayName: 'Google Photos' }],
    refresh: () => undefined,
    session: async () => ({ pipeline: rig.pipeline, index: rig.index, accountId: ACCOUNT, quotaUsed: () => 0 }),
    showProgress: (group) => group.finished,
  };
}

test('Upload Folder: new album named after the folder, a preview with counts and cost, then every file once', async () => {
  const rig = await startRig();
  try {
    const root = path.join(await tempDir(), 'Summer 2024');
    const files = { 'a.jpg': makeJpeg(1), 'b.jpg': makeJpeg(2), 'sub/c.jpg': makeJpeg(3), 'sub/copy-of-a.jpg': makeJpeg(1), 'notes.txt': 'x', 'empty.jpg': '' };
    await writeTree(root, files);
    const script: Script = { quickPicks: [(items) => items[0]], inputs: [], modal: ['Upload'], folders: [] };
    const f = fakeVs(script);
    const report = await uploadFolder(depsFor(rig, f.vs), Uri.file(root) as never);
    assert.ok(report);

    const preview = f.shown.find((s) => s.modal);
    assert.ok(preview, 'a preview was shown before anything was sent');
    assert.match(preview.text, /Upload 3 files .* to “Summer 2024”\?/);
    assert.match(preview.detail ?? '', /New: 3/);
    assert.match(preview.detail ?? '', /Duplicates \(same bytes as another file\): 1/);
    assert.match(preview.detail ?? '', /Unsupported, too large or empty: 2/);
    assert.match(preview.detail ?? '', /Cost: 5 requests of the 10,000\/day quota/);

    const state = await rig.control.state();
    assert.deepEqual(state.albums.map((a) => a.title), ['Summer 2024']);
    assert.deepEqual((await remoteItems(rig.control)).map((m) => m.sha256).sort(), [files['a.jpg'], files['b.jpg'], files['sub/c.jpg']].map(sha).sort());
    assert.match(f.shown[f.shown.length - 1].text, /Uploaded 3 files/);
  } finally {
    await rig.close();
  }
});

test('Upload Folder into an existing album of the app; Cancel at the preview sends nothing', async () => {
  const rig = await startRig();
  try {
    const first = path.join(await tempDir(), 'One');
    await writeTree(first, { 'a.jpg': makeJpeg(10) });
    await uploadFolder(depsFor(rig, fakeVs({ quickPicks: [(i) => i[0]], inputs: ['Family'], modal: ['Upload'], folders: [] }).vs), Uri.file(first) as never);

    const second = path.join(await tempDir(), 'Two');
    await writeTree(second, { 'b.jpg': makeJpeg(11) });
    const cancelled = fakeVs({ quickPicks: [(i) => i.find((x) => x.label === 'Family')], inputs: [], modal: [undefined], folders: [] });
    assert.equal(await uploadFolder(depsFor(rig, cancelled.vs), Uri.file(second) as never), undefined);
    assert.equal((await remoteItems(rig.control)).length, 1, 'cancelled at the preview: nothing uploaded');

    const chosen = fakeVs({ quickPicks: [(i) => i.find((x) => x.label === 'Family')], inputs: [], modal: ['Upload'], folders: [second], buttons: ['Keep in Sync'] });
    await uploadFolder(depsFor(rig, chosen.vs));
    const state = await rig.control.state();
    assert.equal(state.albums.length, 1, 'the existing album is reused');
    assert.equal(state.albums[0].mediaItemIds.length, 2);

    // "Keep in Sync" on the result makes it a sync folder with the same album; Sync Now then adds new photos there.
    await waitFor('“Keep in Sync” to write the setting', () => chosen.settings.get('photoSync.folders'));
    assert.deepEqual(chosen.settings.get('photoSync.folders'), [{ path: second, album: { mode: 'fixed', name: 'Family' }, afterUpload: 'keep' }]);
    await writeTree(second, { 'new.jpg': makeJpeg(12) });
    const synced = await syncNow(depsFor(rig, chosen.vs));
    assert.equal(synced?.[0].uploaded, 1);
    const after = await rig.control.state();
    assert.equal(after.albums.length, 1);
    assert.equal(after.albums[0].mediaItemIds.length, 3);
  } finally {
    await rig.close();
  }
});

test('Add Folder writes the setting; Sync Now uploads, then uploads nothing again, also after a rename', async () => {
  const rig = await startRig();
  try {
    const root = path.join(await tempDir(), 'Library');
    await writeTree(root, { 'Rome/a.jpg': makeJpeg(20), 'Paris/b.jpg': makeJpeg(21) });
    const f = fakeVs({ quickPicks: [(i) => i[0], (i) => i[0]], inputs: [], modal: [], folders: [root] });
    const deps = depsFor(rig, f.vs);
    const added = await addFolder(deps);
    assert.ok(added);
    assert.deepEqual(f.settings.get('photoSync.folders'), [{ path: root, album: { mode: 'subfolders' }, afterUpload: 'keep' }]);

    const first = await syncNow(deps);
    assert.equal(first?.[0].uploaded, 2);
    const uploads = (await rig.control.state()).requestCounts['library.uploads'];
    assert.equal(await syncNow(deps), undefined, 'nothing to do');
    assert.match(f.shown[f.shown.length - 1].text, /up to date/);
    await fs.rename(path.join(root, 'Rome/a.jpg'), path.join(root, 'Rome/renamed.jpg'));
    assert.equal(await syncNow(deps), undefined);
    assert.equal((await rig.control.state()).requestCounts['library.uploads'], uploads, 'no bytes sent after the rename');
    assert.deepEqual((await rig.control.state()).albums.map((a) => [a.title, a.mediaItemIds.length]).sort(), [['Paris', 1], ['Rome', 1]]);
  } finally {
    await rig.close();
  }
});

test('the preview states the days a backlog needs at 10,000 requests a day', () => {
  const plan = {
    uploads: Array.from({ length: 3 }, (_, i) => ({ reason: 'new', albumTitle: 'A', file: { size: 1 }, id: String(i) })),
    adds: [],
    alreadyUploaded: [],
    duplicates: [],
    excluded: [],
    unsupported: [],
    tooLarge: [],
    empty: [],
    unreadable: [],
    rejected: [],
    albumsToCreate: ['A'],
    warnings: [],
    cost: { albumCreates: 1, uploadRequests: 25_000, commits: 500, albumAdds: 0, total: 25_501 },
    bytesToUpload: 3,
  } as unknown as Parameters<typeof describePlan>[0];
  const { detail } = describePlan(plan, 9_000, GOOGLE_PHOTOS_QUOTA, englishL10n);
  assert.match(detail, /25,501 requests of the 10,000\/day quota \(1,000 left today\); needs about 4 days/);
});

test('Upload Folder when the Photos Library API is not enabled: the user is told to enable it, with the console link, and nothing is lost', async () => {
  const rig = await startRig();
  try {
    const root = path.join(await tempDir(), 'Disabled');
    await writeTree(root, { 'a.jpg': makeJpeg(11), 'b.jpg': makeJpeg(12) });
    await rig.control.setApiEnabled('library', false);
    const f = fakeVs({ quickPicks: [(items) => items[0]], inputs: [], modal: ['Upload'], folders: [] });
    const report = await uploadFolder(depsFor(rig, f.vs), Uri.file(root) as never);
    assert.equal(report?.uploaded, 0);
    const told = f.shown.find((s) => /Photos Library API is not enabled in Google Cloud project \d+/.test(s.text));
    assert.ok(told, `shown: ${f.shown.map((s) => s.text).join(' | ')}`);
    assert.deepEqual(await remoteItems(rig.control), []);

    // Once enabled, the same files go up once.
    await rig.control.setApiEnabled('library', true);
    const again = fakeVs({ quickPicks: [(items) => items[0]], inputs: [], modal: ['Upload'], folders: [] });
    await uploadFolder(depsFor(rig, again.vs), Uri.file(root) as never);
    assert.equal((await remoteItems(rig.control)).length, 2);
  } finally {
    await rig.close();
  }
});

test('Sync Now: a folder naming a destination Photo Sync does not know is reported and left alone; the others sync', async () => {
  const rig = await startRig();
  try {
    const base = await tempDir();
    await writeTree(path.join(base, 'Known'), { 'a.jpg': makeJpeg(31) });
    await writeTree(path.join(base, 'Typo'), { 'b.jpg': makeJpeg(32) });
    const f = fakeVs({ quickPicks: [], inputs: [], modal: [], folders: [] });
    f.settings.set('photoSync.folders', [{ path: path.join(base, 'Known') }, { path: path.join(base, 'Typo'), destination: 'google-fotos' }]);
    const reports = await syncNow(depsFor(rig, f.vs));
    assert.equal(reports?.length, 1);
    assert.equal(reports?.[0].uploaded, 1);
    assert.ok(f.shown.some((s) => /Typo names the destination "google-fotos", which Photo Sync does not know; it was not synced/.test(s.text)), f.shown.map((s) => s.text).join(' | '));
    assert.deepEqual((await remoteItems(rig.control)).map((m) => m.filename), ['a.jpg']);
  } finally {
    await rig.close();
  }
});

test('Upload Folder offers the album rules too: one album per sub-folder makes an album for each', async () => {
  const rig = await startRig();
  try {
    const root = path.join(await tempDir(), 'Holidays');
    await writeTree(root, { 'top.jpg': makeJpeg(31), 'Rome/a.jpg': makeJpeg(32), 'Paris/b.jpg': makeJpeg(33) });
    const f = fakeVs({ quickPicks: [(items) => items.find((x) => /One album per sub-folder/.test(x.label))], inputs: [], modal: ['Upload'], folders: [] });
    const report = await uploadFolder(depsFor(rig, f.vs), Uri.file(root) as never);
    assert.ok(report);
    const state = await rig.control.state();
    assert.deepEqual(state.albums.map((a) => [a.title, a.mediaItemIds.length]).sort(), [
      ['Holidays', 1],
      ['Paris', 1],
      ['Rome', 1],
    ]);
  } finally {
    await rig.close();
  }
});
