// Wires Verify Backup for the extension: the "Verify Backup" view (photoSync.verify) in the Photo Sync
// container, its commands (verify, continue, export, and the row actions), and per destination account
// the provider, upload and download pipelines it needs, with requests counted against the quota.
import path from 'node:path';
import type * as vscode from 'vscode';
import { DESTINATION_KINDS, destinationKind, type DestinationKind } from '../destinations/factory';
import type { OAuth1CredentialSource } from '../flickr/oauth1';
import { resolveEndpoints } from '../google/endpoints';
import type { TokenSource } from '../google/tokenSource';
import type { PhotoIndex } from '../index/api';
import { QuotaCounter } from '../sync/quota';
import type { GroupResult, TaskGroup, TaskQueueApi } from '../tasks/api';
import type { Logger } from '../util/logger';
import type { VerifyCommandDeps, VerifyResult, VerifySession } from '../ui/commands/verify';
import { VERIFY_COMMANDS } from '../ui/commands/verifyIds';
import { readSyncFolders } from '../ui/syncFolders';
import { PROVIDER_ID } from '../destinations/googlePhotos/rules';
import { resolveFolderAccount } from '../sync/folderAccount';
import type { SyncFolder } from '../sync/config';
import { LibraryTree } from '../ui/tree';
import { verifyRoots } from '../ui/verifyTree';

export type VerifyModuleVs = Pick<
  typeof vscode,
  'window' | 'workspace' | 'commands' | 'Uri' | 'env' | 'ProgressLocation' | 'ConfigurationTarget' | 'TreeItem' | 'TreeItemCollapsibleState' | 'ThemeIcon' | 'MarkdownString' | 'EventEmitter' | 'authentication' | 'l10n'
>;

export interface VerifyModuleDeps {
  vs: VerifyModuleVs;
  log: Logger;
  index: () => PhotoIndex | undefined;
  openIndex: () => Promise<PhotoIndex>;
  queue: TaskQueueApi;
  tokenSource: TokenSource;
  /** Google's tokens of one signed-in account only: a folder's account verifies with its own. */
  tokenSourceFor?: (account: { id: string; label: string }) => TokenSource;
  /** The signed-in accounts of an authentication provider (photoSync.google, …). */
  accounts?: (authProviderId: string) => readonly { id: string; label?: string }[];
  oauth1?: OAuth1CredentialSource;
  /** Redraws the main Photo Sync tree (after a re-upload or re-download). */
  refreshLibrary: () => void;
  showProgress: (group: TaskGroup) => Thenable<GroupResult>;
  onQuotaChange?: () => void;
}

export interface VerifyModule extends vscode.Disposable {
  /** Sync Now's second half for two-way folders (download, mirror deletes); `spent`: operations the uploads took. */
  remoteSide(destination: string, folders: readonly SyncFolder[], spent: number, account?: string): Promise<void>;
}

export function activateVerify(deps: VerifyModuleDeps): VerifyModule {
  const { vs, log } = deps;
  const disposables: { dispose(): unknown }[] = [];
  const results: VerifyResult[] = [];
  const tree = new LibraryTree(vs);
  tree.setRoots(verifyRoots(vs, () => results.map((r) => r.report)));
  disposables.push(tree, vs.window.createTreeView('photoSync.verify', { treeDataProvider: tree, showCollapseAll: true }));

  const quotas = new Map<string, QuotaCounter>();
  const sessions = new Map<string, VerifySession>();
  const googleAuth = destinationKind(PROVIDER_ID)?.authProviderId;
  const signedInOf = (kind: DestinationKind) => (deps.accounts?.(kind.authProviderId) ?? []).map((a) => ({ id: a.id, label: a.label }));
  const session = async (destination: string, account?: string): Promise<VerifySession | undefined> => {
    const kind = destinationKind(destination);
    if (!kind) {
      void vs.window.showErrorMessage(vs.l10n.t('Unknown destination "{0}"; Photo Sync knows {1}.', destination, [...DESTINATION_KINDS.keys()].join(', ')));
      return undefined;
    }
    // The folder's account (else the default, the first signed in); a named account that is not
    // signed in gives no session — never another account's (the caller has said so).
    const choice = resolveFolderAccount({ account }, signedInOf(kind));
    if (choice.state === 'signedOut') return undefined;
    const wanted = choice.state === 'ok' ? { id: choice.account.id, label: choice.account.label || choice.account.id } : undefined;
    const signedIn = await vs.authentication.getSession(kind.authProviderId, [...kind.scopes], { createIfNone: true, account: wanted }).then(
      (s) => s,
      () => undefined,
    );
    const index = await deps.openIndex().catch(() => undefined);
    if (!signedIn || !index || (wanted && signedIn.account.id !== wanted.id)) return undefined;
    const accountId = signedIn.account.id;
    const key = `${kind.id}:${accountId}`;
    const quota = quotaOf(kind, accountId);
    let s = sessions.get(key);
    if (!s) {
      const config = vs.workspace.getConfiguration('photoSync');
      const built = await kind.create({
        l10n: vs.l10n,
        index,
        queue: deps.queue,
        accountId,
        tokenSource: (kind.authProviderId === googleAuth ? deps.tokenSourceFor?.({ id: accountId, label: signedIn.account.label }) : undefined) ?? deps.tokenSource,
        oauth1: deps.oauth1,
        endpoints: resolveEndpoints(config.get<Record<string, unknown>>('endpoints')),
        endpointSettings: config.get<Record<string, unknown>>('endpoints'),
        settings: config.get<Record<string, unknown>>(kind.id),
        quotaUsed: () => quota.usedNow(),
        countRequest: quota.count,
        log,
        description: config.get<string>('upload.description'),
        driveFolderName: config.get<string>('drive.folderName'),
        leaseLabel: 'another VS Code window',
      });
      // Loaded on first use, not at activation.
      const [{ RunLeases }, { DownloadPipeline }] = await Promise.all([import('../sync/runLease.js'), import('../sync/download/pipeline.js')]);
      const leases = new RunLeases(path.dirname(index.filePath), { log, label: 'another VS Code window' });
      const downloads = new DownloadPipeline({ provider: built.provider, index, queue: deps.queue, accountId, log, leases, l10n: vs.l10n });
      s = { pipeline: built.pipeline, index, accountId, accountLabel: signedIn.account.label, quotaUsed: () => quota.usedNow() ?? 0, downloads, quota: kind.quota };
      sessions.set(key, s);
    }
    return s;
  };
  // Each account counts its own requests.
  const quotaOf = (kind: DestinationKind, accountId: string): QuotaCounter => {
    let q = quotas.get(`${kind.id}:${accountId}`);
    if (!q) {
      q = new QuotaCounter(deps.index, () => accountId, kind.quota, deps.onQuotaChange);
      quotas.set(`${kind.id}:${accountId}`, q);
      disposables.push(q);
    }
    return q;
  };

  const refresh = () => {
    for (const q of quotas.values()) void q.flush();
    deps.refreshLibrary();
  };
  const commandDeps: VerifyCommandDeps = {
    vs,
    log,
    folders: () => readSyncFolders(vs, log),
    session,
    accounts: deps.accounts
      ? (destination) => {
          const kind = destinationKind(destination);
          return kind ? signedInOf(kind) : [];
        }
      : undefined,
    results,
    sync: {
      vs,
      log,
      destinations: [...DESTINATION_KINDS.values()].map((k) => ({ id: k.id, displayName: k.displayName })),
      session: (destination, account) => session(destination ?? 'google-photos', account),
      refresh,
      showProgress: deps.showProgress,
    },
    changed: () => {
      tree.refresh();
      void vs.commands.executeCommand('setContext', 'photoSync.verifyHasReport', results.length > 0);
      void vs.commands.executeCommand('setContext', 'photoSync.verifyIncomplete', results.some((r) => !r.report.complete));
    },
  };
  const run = (what: string, work: (arg?: unknown) => Promise<unknown>) => (arg?: unknown) =>
    work(arg).catch((err: unknown) => {
      log.error(err as Error);
      void vs.window.showErrorMessage(vs.l10n.t('{0} failed: {1}', what, (err as Error).message));
    });
  disposables.push(
    vs.commands.registerCommand(VERIFY_COMMANDS.verify, run(vs.l10n.t('Verify Backup'), async (arg) => (await import('../ui/commands/verify.js')).verifyBackup(commandDeps, arg))),
    vs.commands.registerCommand(VERIFY_COMMANDS.continueVerify, run(vs.l10n.t('Continue Verify'), async () => (await import('../ui/commands/verify.js')).continueVerify(commandDeps))),
    vs.commands.registerCommand(VERIFY_COMMANDS.exportReport, run(vs.l10n.t('Export Report'), async () => (await import('../ui/commands/verify.js')).exportReport(commandDeps))),
    vs.commands.registerCommand(VERIFY_COMMANDS.redownload, run(vs.l10n.t('Re-download'), async (arg) => (await import('../ui/commands/verifyActions.js')).redownloadFindings(commandDeps, arg))),
    vs.commands.registerCommand(VERIFY_COMMANDS.reupload, run(vs.l10n.t('Re-upload'), async (arg) => (await import('../ui/commands/verifyActions.js')).reuploadFindings(commandDeps, arg))),
    vs.commands.registerCommand(VERIFY_COMMANDS.reveal, run(vs.l10n.t('Reveal in Explorer'), async (arg) => (await import('../ui/commands/verifyActions.js')).revealFinding(commandDeps, arg))),
    vs.commands.registerCommand(VERIFY_COMMANDS.open, run(vs.l10n.t('Open in Google Photos'), async (arg) => (await import('../ui/commands/verifyActions.js')).openFinding(commandDeps, arg))),
    vs.commands.registerCommand(VERIFY_COMMANDS.forget, run(vs.l10n.t('Forget'), async (arg) => (await import('../ui/commands/verifyActions.js')).forgetFinding(commandDeps, arg))),
  );
  return {
    remoteSide: (destination, folders, spent, account) =>
      import('../ui/commands/twoWay.js').then(({ syncRemoteChanges }) => syncRemoteChanges(commandDeps, destination, folders, spent, account)).catch((err: unknown) => {
        log.error(err as Error);
        void vs.window.showErrorMessage(vs.l10n.t('Two-way sync failed: {0}', (err as Error).message));
      }),
    dispose: () => disposables.forEach((d) => d.dispose()),
  };
}
