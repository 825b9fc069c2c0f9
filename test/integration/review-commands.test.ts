// Upload Folder with more than a handful of files opens the review instead of the notification;
// "Exclude" re-plans from the same scan (nothing read twice) and stays with the folder; "Upload These"
// uploads exactly the reviewed files (the emulator's state), and "Keep in Sync" keeps the rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { createVsCode, Uri, Disposable } from '../helpers/vscodeFake';
import type { SyncCommandDeps, SyncVsCode } from '../../src/ui/commands/deps';
import { uploadFolder } from '../../src/ui/commands/uploadFolder';
import type { ReviewSource } from '../../src/preview/reviewSession';
import { nullLogger } from '../../src/util/logger';
import { startRig, remoteItems, waitFor, ACCOUNT } from './sync-harness';
import { makeJpeg, tempDir, writeTree } from '../unit/sync-fixtures';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('Upload Folder → the review (more than five files): Exclude one, Upload These sends exactly the rest; Keep in Sync keeps the rule', async () => {
  const rig = await startRig();
  try {
    const root = path.join(await tempDir(), 'Party');
    const photos = Array.from({ length: 7 }, (_, i) => makeJpeg(700 + i, undefined, 24));
    const files: Record<string, Buffer> = {};
    photos.forEach((b, i) => (files[`p${i + 1}.jpg`] = b));
    await writeTree(root, files);

    const { vs: base } = createVsCode();
    const settings = new Map<string, unknown>();
    const messages: string[] = [];
    const vs = {
      ...base,
      ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
      window: {
        ...base.window,
        showInformationMessage: async (text: string, ...rest: unknown[]) => {
          messages.push(text);
          return rest.includes('Keep in Sync') ? 'Keep in Sync' : undefined;
        },
        showWarningMessage: async (text: string) => void messages.push(text),
        showErrorMessage: async (text: string) => void messages.push(text),
        showQuickPick: async (items: { label: string }[]) => items[0],
        showInputBox: async (opts: { value?: string }) => opts.value,
      },
      workspace: {
        getConfiguration: (section: string) => ({
          get: <T>(key: string) => settings.get(`${section}.${key}`) as T | undefined,
          update: async (key: string, value: unknown) => void settings.set(`${section}.${key}`, value),
          inspect: () => undefined,
        }),
      },
      commands: { ...base.commands, registerCommand: () => new Disposable() },
    } as unknown as SyncVsCode;
    let opened: ReviewSource | undefined;
    const deps: SyncCommandDeps = {
      vs,
      log: nullLogger,
      destinations: [{ id: 'google-photos', displayName: 'Google Photos' }],
      refresh: () => undefined,
      session: async () => ({ pipeline: rig.pipeline, index: rig.index, accountId: ACCOUNT, quotaUsed: () => 0 }),
      showProgress: (group) => group.finished,
      review: (source) => (opened = source),
    };
    assert.equal(await uploadFolder(deps, Uri.file(root) as never), undefined);
    assert.ok(opened, 'the review opened instead of the notification preview');
    assert.equal((await remoteItems(rig.control)).length, 0, 'nothing sent before Upload These');

    const signal = new AbortController().signal;
    const plan = await opened.plan(signal);
    assert.equal(plan.rows.filter((r) => r.action === 'new').length, 7);
    assert.equal(plan.rows.find((r) => r.relPath === 'p1.jpg')?.album, 'Party');

    const after = await opened.exclude([{ folder: plan.folders[0], glob: './p7.jpg' }], signal);
    assert.equal(after.rows.find((r) => r.relPath === 'p7.jpg')?.action, 'excluded');
    assert.equal(after.summary.counts.new, 6);

    // The webview sends the new files it shows; p7 is no longer among them.
    const shown = after.rows.filter((r) => r.action === 'new');
    await opened.upload(shown.map((r) => ({ folder: plan.folders[0], relPath: r.relPath, path: path.join(plan.folders[0], r.relPath) })));
    await waitFor('the upload result', () => messages.some((m) => /Uploaded 6 files/.test(m)), 60_000);
    assert.deepEqual((await remoteItems(rig.control)).map((m) => m.sha256).sort(), photos.slice(0, 6).map(sha).sort(), 'exactly the reviewed six');
    await waitFor('Keep in Sync', () => Array.isArray(settings.get('photoSync.folders')), 10_000);
    const kept = (settings.get('photoSync.folders') as { path: string; exclude: string[] }[])[0];
    assert.equal(kept.path, root);
    assert.deepEqual(kept.exclude, ['./p7.jpg'], 'Keep in Sync keeps the rule made in the review');
  } finally {
    await rig.close();
  }
});
