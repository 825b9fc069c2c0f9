// The child of activation.bench.ts, bundled to plain JavaScript and run by plain Node: makes
// `require('vscode')` return a faithful fake (test/helpers/vscodeFake.ts plus what activation
// touches), loads the bundle, activates it and prints its figures as one JSON line.
//   node child.js <bundle> <globalStorageDir>
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import { createVsCode } from '../helpers/vscodeFake';

function rchar(): number {
  return Number(/rchar: (\d+)/.exec(readFileSync('/proc/self/io', 'utf8'))![1]);
}

async function child(bundle: string, storage: string): Promise<void> {
  const fake = createVsCode();
  const channel = { name: 'Photo Sync', logLevel: 2, onDidChangeLogLevel: () => ({ dispose() {} }), trace() {}, debug() {}, info() {}, warn() {}, error() {}, append() {}, appendLine() {}, replace() {}, clear() {}, show() {}, hide() {}, dispose() {} };
  const vs = {
    ...fake.vs,
    window: {
      ...fake.vs.window,
      createOutputChannel: () => channel,
      createTreeView: () => ({ onDidChangeVisibility: () => ({ dispose() {} }), onDidExpandElement: () => ({ dispose() {} }), reveal: async () => undefined, dispose() {}, message: undefined, description: undefined, visible: true }),
      registerTreeDataProvider: () => ({ dispose() {} }),
      registerWebviewViewProvider: () => ({ dispose() {} }),
      registerUriHandler: () => ({ dispose() {} }),
      registerFileDecorationProvider: () => ({ dispose() {} }),
      onDidChangeWindowState: () => ({ dispose() {} }),
      state: { focused: true },
    },
    workspace: {
      getConfiguration: () => ({ get: <T>(_key: string, fallback?: T) => fallback, has: () => false, inspect: () => undefined, update: async () => undefined }),
      onDidChangeConfiguration: () => ({ dispose() {} }),
      workspaceFolders: undefined,
      onDidChangeWorkspaceFolders: () => ({ dispose() {} }),
      createFileSystemWatcher: () => ({ onDidCreate: () => ({ dispose() {} }), onDidChange: () => ({ dispose() {} }), onDidDelete: () => ({ dispose() {} }), dispose() {} }),
    },
    l10n: { t: (s: string) => s },
  };
  const load = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const original = load._load;
  load._load = function (request: string, ...rest: unknown[]) {
    if (request === 'vscode') return vs;
    return original.call(this, request, ...rest);
  };
  const context = {
    subscriptions: [] as { dispose(): unknown }[],
    secrets: fake.secrets,
    globalState: { get: () => undefined, update: async () => undefined, keys: () => [], setKeysForSync() {} },
    workspaceState: { get: () => undefined, update: async () => undefined, keys: () => [] },
    globalStorageUri: fake.vs.Uri.file(storage),
    storageUri: undefined,
    logUri: fake.vs.Uri.file(storage),
    extensionUri: fake.vs.Uri.file(process.cwd()),
    extensionPath: process.cwd(),
    extension: { id: 'photo-sync.photo-sync', packageJSON: JSON.parse(readFileSync('package.json', 'utf8')) as unknown },
    extensionMode: 1,
    asAbsolutePath: (p: string) => path.join(process.cwd(), p),
  };
  const read0 = rchar();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const ext = Module.createRequire(__filename)(bundle) as { activate(c: unknown): Promise<void> | void; deactivate?(): unknown };
  const loaded = performance.now();
  await ext.activate(context);
  const t1 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const bytes = rchar() - read0;
  const heavy = Object.keys(require.cache).filter((k) => /node_modules|\.wasm$|[/\\](vendor-[^/\\]*|commands)\.js$/.test(k));
  process.stdout.write(`${JSON.stringify({ loadMs: loaded - t0, totalMs: t1 - t0, cpuMs: (cpu.user + cpu.system) / 1000, bytes, heavy })}\n`);
  for (const d of context.subscriptions) d.dispose();
  await ext.deactivate?.();
  process.exit(0);
}


child(process.argv[2], process.argv[3]).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
