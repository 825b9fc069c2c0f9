import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type * as vscode from 'vscode';
import { nullLogger } from '../../src/util/logger';
import { activateTasks } from '../../src/activation/tasks';
import { createVsCode, Uri } from '../helpers/vscodeFake';
import { sqlite3, tempStorage, wasmDir } from './index-helpers';
import { untilAborted } from './tasks-helpers';

/** An installed extension's folder: dist/sql-wasm.wasm like the bundle ships it. */
function extensionFolder(): string {
  const root = tempStorage('photosync-ext-');
  fs.mkdirSync(path.join(root, 'dist'));
  fs.copyFileSync(path.join(wasmDir, 'sql-wasm.wasm'), path.join(root, 'dist', 'sql-wasm.wasm'));
  return root;
}

function workspace() {
  return {
    getConfiguration: () => ({ get: <T>(_key: string, fallback: T) => fallback }),
    onDidChangeConfiguration: () => ({ dispose: () => undefined }),
  };
}

test('the extension wiring: index opened after activation from the bundled wasm, damaged file reported, shutdown keeps unfinished work resumable', async () => {
  const storage = path.join(tempStorage(), 'globalStorage', 'photo-sync.photo-sync');
  fs.mkdirSync(storage, { recursive: true });
  fs.writeFileSync(path.join(storage, 'index.sqlite'), 'not a database, written by something else entirely'.repeat(5));
  const { vs, ui } = createVsCode();
  const subscriptions: { dispose(): unknown }[] = [];
  const context = { globalStorageUri: Uri.file(storage), extensionUri: Uri.file(extensionFolder()), subscriptions };
  let logShown = 0;
  const services = activateTasks({ ...vs, workspace: workspace() } as unknown as typeof vscode, context as unknown as vscode.ExtensionContext, nullLogger, {
    show: () => void logShown++,
  });
  assert.equal(services.currentIndex(), undefined, 'activation does not wait for the index');
  const index = await services.index();
  assert.equal(services.currentIndex(), index);
  assert.equal(index.needsRebuild, true);
  assert.match(ui.messages[0]?.text ?? '', /index was damaged, so it was set aside \(.*index\.sqlite\.corrupt-.*\) and a new one started/);

  const group = services.queue.group('Back up', 'Uploading');
  const running = group.add({ id: 'upload-1', kind: 'upload', title: 'a.jpg', payload: { path: '/a.jpg' }, run: (ctx) => untilAborted(ctx.signal) });
  void services.showProgress(group);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(ui.progress.length, 1);

  await services.shutdown();
  assert.equal((await running.outcome).state, 'cancelled', 'the request in flight was aborted');
  const file = path.join(storage, 'index.sqlite');
  assert.equal(sqlite3(file, "SELECT state FROM task_journal WHERE id = 'upload-1'"), 'running', 'still unfinished: resumed on the next start');
  assert.equal(sqlite3(file, "SELECT payload FROM task_journal WHERE id = 'upload-1'"), '{"path":"/a.jpg"}');

  await vs.commands.executeCommand('photoSync.showLog');
  assert.equal(logShown, 1);
  for (const d of subscriptions) d.dispose();
});
