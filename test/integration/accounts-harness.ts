// Two Google accounts in one fake VS Code window over the emulator (two users): the real auth
// provider, the sync activation (Albums / Sync Folders tree, Sync Now, Choose Account…) and the
// verify activation (Verify Backup, two-way sync's remote half), wired as src/extension.ts wires them.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type * as vscode from 'vscode';
import { Disposable } from '../helpers/vscodeFake';
import type { Window } from '../unit/auth-support';
import { SessionTokenSource } from '../../src/auth/sessionTokenSource';
import { AUTH_PROVIDER_ID, AUTH_PROVIDER_LABEL } from '../../src/auth/provider';
import { SIGN_IN_SCOPES } from '../../src/google/scopes';
import { activateSync, type SyncModuleVsCode } from '../../src/activation/sync';
import { activateVerify, type VerifyModuleVs } from '../../src/activation/verify';
import { LibraryTree } from '../../src/ui/tree';
import { activateDownload, type DownloadModuleVs } from '../../src/activation/download';
import { openIndex } from '../../src/index/openIndex';
import { TaskQueue } from '../../src/tasks/queue';
import { nullLogger } from '../../src/util/logger';
import type { RunningEmulator } from '../emulator/index';
import type { EmulatorControl } from '../emulator/control';
import { tempDir } from '../unit/sync-fixtures';
import { WASM_DIR } from './sync-harness';

export const ANN = 'photo.sync.tester@gmail.com';
export const BEN = 'photo.sync.tester2@gmail.com';
export const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A window with the sync activation over the fake: settings in a map, commands through the fake's registry. */
export async function syncWindow(emu: RunningEmulator, w: Window) {
  const settings = new Map<string, unknown>([['photoSync.endpoints', { ...emu.endpoints, flickr: undefined }]]);
  const configListeners = new Set<(e: { affectsConfiguration(s: string): boolean }) => void>();
  const vs = {
    ...w.fake.vs,
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    workspace: {
      getConfiguration: (section: string) => ({
        get: <T>(key: string) => settings.get(`${section}.${key}`) as T | undefined,
        inspect: (key: string) => ({ globalValue: settings.get(`${section}.${key}`) }),
        update: async (key: string, value: unknown) => {
          settings.set(`${section}.${key}`, value);
          for (const l of configListeners) l({ affectsConfiguration: (s) => `${section}.${key}`.startsWith(s) || s.startsWith(`${section}.${key}`) });
        },
      }),
      onDidChangeConfiguration: (l: (e: { affectsConfiguration(s: string): boolean }) => void) => {
        configListeners.add(l);
        return new Disposable(() => configListeners.delete(l));
      },
    },
  } as unknown as SyncModuleVsCode & typeof vscode;
  w.fake.vs.authentication.registerAuthenticationProvider(AUTH_PROVIDER_ID, AUTH_PROVIDER_LABEL, w.provider as never);
  const index = await openIndex({ storageDir: await tempDir('photosync-accounts-'), wasmDir: WASM_DIR, watch: false, saveDebounceMs: 50, maxSaveDelayMs: 500 });
  const queue = new TaskQueue({ backoff: { baseMs: 20, maxMs: 200 } });
  const tokenSourceFor = (account: { id: string; label: string }) => new SessionTokenSource({ authentication: vs.authentication, provider: w.provider, account });
  const accounts = (id: string) => (id === AUTH_PROVIDER_ID ? w.provider.accounts : []);
  const tree = new LibraryTree(vs);
  // The fake has no views: the Verify Backup view is created and never shown.
  (vs.window as unknown as Record<string, unknown>).createTreeView ??= () => new Disposable(() => undefined);
  // Verify Backup and two-way sync's remote half (activation/verify.ts); its view goes to the fake's createTreeView.
  const verify = activateVerify({
    vs: vs as unknown as VerifyModuleVs,
    log: nullLogger,
    index: () => index,
    openIndex: async () => index,
    queue,
    tokenSource: new SessionTokenSource({ authentication: vs.authentication, provider: w.provider }),
    tokenSourceFor,
    accounts,
    refreshLibrary: () => tree.refresh(),
    showProgress: (group) => group.finished,
  });
  // Download Album / by Year, Import from Google Photos and the album item menu (activation/download.ts).
  const download = activateDownload({
    vs: vs as unknown as DownloadModuleVs,
    log: nullLogger,
    index: () => index,
    openIndex: async () => index,
    queue,
    tree,
    tokenSource: new SessionTokenSource({ authentication: vs.authentication, provider: w.provider }),
    tokenSourceFor,
    accounts: () => w.provider.accounts,
    onDidChangeAccounts: (l) => w.provider.onDidChangeSessions(l),
    showProgress: (group) => group.finished,
  });
  const sync = activateSync({
    vs,
    log: nullLogger,
    index: () => index,
    openIndex: async () => index,
    queue,
    tree,
    tokenSource: new SessionTokenSource({ authentication: vs.authentication, provider: w.provider }),
    tokenSourceFor,
    accounts,
    onDidChangeAccounts: (l) => w.provider.onDidChangeSessions(l),
    showProgress: (group) => group.finished,
    remoteSide: verify.remoteSide,
  });
  return {
    tree,
    vs,
    settings,
    index,
    run: (command: string, ...args: unknown[]) => vs.commands.executeCommand(command, ...args),
    /** The sync activation's destination session (what extension.ts hands the preview): `account` an album's own. */
    session: (destination?: string, account?: string) => sync.session(destination, account),
    async close() {
      tree.dispose();
      sync.dispose();
      verify.dispose();
      download.dispose();
      await queue.dispose();
      await index.dispose();
    },
  };
}

export async function signIn(w: Window, email: string, another: boolean) {
  w.browser.push({ account: email });
  const s = await w.fake.vs.authentication.getSession(AUTH_PROVIDER_ID, [...SIGN_IN_SCOPES], another ? { forceNewSession: true } : { createIfNone: true });
  assert.equal(s?.account.label, email);
}

/** Signs in Ann, then Ben as another account — the two accounts every test here starts with. */
export async function signInBoth(w: Window): Promise<void> {
  await signIn(w, ANN, false);
  await signIn(w, BEN, true);
}

/** The app-created items of each user, by email: sha256 of the stored bytes. */
export async function libraries(control: EmulatorControl): Promise<Map<string, string[]>> {
  const state = await control.state();
  const email = new Map(state.users.map((u) => [u.sub, u.email]));
  const out = new Map<string, string[]>();
  for (const m of state.mediaItems.filter((i) => !i.seeded)) out.set(email.get(m.userSub) ?? m.userSub, [...(out.get(email.get(m.userSub) ?? '') ?? []), m.sha256].sort());
  return out;
}

