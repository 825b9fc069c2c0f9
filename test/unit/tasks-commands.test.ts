import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as vscode from 'vscode';
import { TaskQueue } from '../../src/tasks/api';
import { bindConcurrencySettings, registerTaskCommands, confirmResume } from '../../src/ui/taskCommands';
import { readManifest } from '../helpers/manifest';
import { createVsCode } from '../helpers/vscodeFake';
import { settle, untilAborted, googleClassify } from './tasks-helpers';

type Vs = typeof vscode;

interface Manifest {
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    configuration: { properties: Record<string, { type: string; default: unknown; minimum?: number; maximum?: number; markdownDescription?: string }> };
  };
}
const manifest = readManifest<Manifest>();

test('the manifest contributes Cancel Running Tasks and Show Log under Photo Sync, and the concurrency settings', () => {
  const commands = new Map(manifest.contributes.commands.map((c) => [c.command, c]));
  assert.deepEqual(
    ['photoSync.cancelTasks', 'photoSync.showLog'].map((id) => [commands.get(id)?.title, commands.get(id)?.category]),
    [
      ['Cancel Running Tasks', 'Photo Sync'],
      ['Show Log', 'Photo Sync'],
    ],
  );
  const props = manifest.contributes.configuration.properties;
  const uploads = props['photoSync.concurrency.uploads'];
  const downloads = props['photoSync.concurrency.downloads'];
  assert.deepEqual([uploads?.type, uploads?.default, uploads?.minimum, uploads?.maximum], ['integer', 4, 1, 16]);
  assert.deepEqual([downloads?.type, downloads?.default, downloads?.minimum, downloads?.maximum], ['integer', 6, 1, 32]);
  assert.ok(uploads?.markdownDescription && downloads?.markdownDescription);
});

test('Cancel Running Tasks cancels everything running or queued; Show Log opens the channel', async () => {
  const { vs, ui } = createVsCode();
  const queue = new TaskQueue({ classify: googleClassify, concurrency: { upload: 1 } });
  let shown = 0;
  const disposables = registerTaskCommands(vs as unknown as Vs, { queue, log: { show: () => void shown++ } });
  const group = queue.group('Back up', 'Uploading');
  const handles = [1, 2, 3].map((i) => group.add({ kind: 'upload', title: `f${i}`, run: (ctx) => untilAborted(ctx.signal) }));
  await settle();

  await vs.commands.executeCommand('photoSync.cancelTasks');
  assert.deepEqual(
    (await Promise.all(handles.map((h) => h.outcome))).map((o) => o.state),
    ['cancelled', 'cancelled', 'cancelled'],
  );
  assert.equal(ui.messages.at(-1)?.text, 'Cancelled 3 running or waiting Photo Sync tasks.');
  await vs.commands.executeCommand('photoSync.cancelTasks');
  assert.equal(ui.messages.at(-1)?.text, 'Photo Sync has no running tasks.');

  await vs.commands.executeCommand('photoSync.showLog');
  assert.equal(shown, 1);
  disposables.forEach((d) => d.dispose());
});

test('the task details picker cancels one user action and leaves the others', async () => {
  const { vs, answers } = createVsCode();
  const queue = new TaskQueue({ classify: googleClassify });
  registerTaskCommands(vs as unknown as Vs, { queue, log: { show: () => undefined } });
  const a = queue.group('Back up Holidays', 'Uploading');
  const b = queue.group('Download 2024', 'Downloading');
  const ha = a.add({ kind: 'upload', title: 'a', run: (ctx) => untilAborted(ctx.signal) });
  const hb = b.add({ kind: 'download', title: 'b', run: (ctx) => untilAborted(ctx.signal) });
  await settle();
  answers.push('$(close) Cancel “Back up Holidays”');
  await vs.commands.executeCommand('photoSync.showTaskDetails');
  assert.equal((await ha.outcome).state, 'cancelled');
  assert.equal(hb.state, 'running');
  queue.cancelAll();
  await queue.idle();
});

test('concurrency settings apply at start and when changed', async () => {
  const settings = new Map<string, unknown>([['concurrency.uploads', 2]]);
  const listeners: ((e: { affectsConfiguration(s: string): boolean }) => void)[] = [];
  const workspace = {
    getConfiguration: () => ({ get: <T>(key: string, fallback: T) => (settings.has(key) ? (settings.get(key) as T) : fallback) }),
    onDidChangeConfiguration: (l: (e: { affectsConfiguration(s: string): boolean }) => void) => {
      listeners.push(l);
      return { dispose: () => undefined };
    },
  };
  const applied: unknown[] = [];
  bindConcurrencySettings({ workspace } as unknown as Vs, { setConcurrency: (c) => applied.push(c) });
  settings.set('concurrency.downloads', 99);
  listeners.forEach((l) => l({ affectsConfiguration: (s) => 'photoSync.concurrency.downloads'.startsWith(s) }));
  assert.deepEqual(applied, [
    { upload: 2, download: 6 },
    { upload: 2, download: 32 },
  ]);
});

test('a large amount of unfinished work is resumed only when the user agrees', async () => {
  const { vs, ui, answers } = createVsCode();
  assert.equal(await confirmResume(vs as unknown as Vs, 20, 'uploads', 20), true, 'small amounts resume without a question');
  assert.equal(ui.messages.length, 0);

  answers.push(undefined); // the user closes the question
  assert.equal(await confirmResume(vs as unknown as Vs, 30, 'uploads', 20), false);
  assert.equal(ui.messages.at(-1)?.text, 'Photo Sync stopped with 30 uploads unfinished. Resume them now?');
  assert.deepEqual(ui.messages.at(-1)?.items, ['Resume', 'Later']);
  answers.push('Later');
  assert.equal(await confirmResume(vs as unknown as Vs, 1500, 'uploads', 20), false);
  assert.equal(ui.messages.at(-1)?.text, 'Photo Sync stopped with 1,500 uploads unfinished. Resume them now?');
  answers.push('Resume');
  assert.equal(await confirmResume(vs as unknown as Vs, 30, 'uploads', 20), true);
});
