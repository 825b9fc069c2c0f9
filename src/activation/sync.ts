// Wires the sync side for the extension: a destination (provider + upload pipeline) per destination
// kind and signed-in account, the three sync commands, the sidebar rows, a "Sync Now" status bar
// item, request counting per quota, and resuming what a crash or a closed window left unfinished.
import type * as vscode from 'vscode';
import { DESTINATION_KINDS, destinationKind, type Destination, type DestinationKind } from '../destinations/factory';
import { PROVIDER_ID } from '../destinations/googlePhotos/rules';
import { resolveEndpoints } from '../google/endpoints';
import { DEFAULT_DESTINATION, type SyncFolder } from '../sync/config';
import type { TokenSource } from '../google/tokenSource';
import type { OAuth1CredentialSource } from '../flickr/oauth1';
import type { PhotoIndex } from '../index/api';
import { QuotaCounter } from '../sync/quota';
import type { GroupResult, TaskGroup, TaskQueueApi } from '../tasks/api';
import type { Logger } from '../util/logger';
import { registerSyncCommands, SYNC_COMMANDS, type DestinationSession, type SyncCommandDeps } from '../ui/commands';
import { readSyncFolders } from '../ui/syncFolders';
import type { LibraryTree } from '../ui/tree';
import { driveRoots } from '../ui/driveTreeNode';
import { syncTreeRoots } from '../ui/treeNodes';
import { accountRoots } from '../ui/accountNodes';
import { resolveFolderAccount, shortAccountName, type SignedInAccount } from '../sync/folderAccount';
import type { Paging } from '../ui/paging';
import type { SyncStatusCache } from '../ui/syncStatusCache';

/** Above this many unfinished uploads, resuming at start asks first. */
const RESUME_WITHOUT_ASKING = 20;

export type SyncModuleVsCode = Pick<
  typeof vscode,
  'window' | 'workspace' | 'commands' | 'Uri' | 'env' | 'ProgressLocation' | 'ConfigurationTarget' | 'TreeItem' | 'TreeItemCollapsibleState' | 'ThemeIcon' | 'MarkdownString' | 'authentication' | 'l10n'
>;

export interface SyncModuleDeps {
  vs: SyncModuleVsCode;
  log: Logger;
  /** The index if already open (the tree shows nothing until it is). */
  index: () => PhotoIndex | undefined;
  /** Opens the index (or returns the open one). */
  openIndex: () => Promise<PhotoIndex>;
  queue: TaskQueueApi;
  tree: LibraryTree;
  /** Google's token source (may prompt). */
  tokenSource: TokenSource;
  /** Google's tokens of one signed-in account only: each account's destination uses its own. */
  tokenSourceFor?: (account: { id: string; label: string }) => TokenSource;
  /** OAuth 1.0a credentials (Flickr's sign-ins). */
  oauth1?: OAuth1CredentialSource;
  /** The signed-in accounts of an authentication provider (photoSync.google, …). */
  accounts: (authProviderId: string) => readonly { id: string; label?: string }[];
  /** Fires when accounts sign in or out. */
  onDidChangeAccounts: (listener: () => void) => { dispose(): unknown };
  /** Shows a queue group as a notification (the queue's UI adapter). */
  showProgress: (group: TaskGroup) => Thenable<GroupResult>;
  /** Told when the quota count changed (status bar). */
  onQuotaChange?: () => void;
  /** Two-way sync's second half after Sync Now's uploads (activation/verify.ts). */
  remoteSide?: SyncCommandDeps['remoteSide'];
  /** The sidebar's shared status cache and paging (activation/sidebar.ts). */
  sidebar?: { cache: SyncStatusCache; paging: Paging };
}

export interface SyncModule extends vscode.Disposable {
  refresh(): void;
  /** Requests counted against a destination kind's quota. */
  quota(kind: string): QuotaCounter | undefined;
  /** A destination's signed-in session (may ask to sign in): for the preview; `account`: a folder's chosen account. */
  session(destination?: string, account?: string): Promise<DestinationSession | undefined>;
  /** Where Upload Folder and Review Before Sync open their review (the preview webview). */
  setReview(open: SyncCommandDeps['review']): void;
}

export function activateSync(deps: SyncModuleDeps): SyncModule {
  const { vs, log } = deps;
  const disposables: { dispose(): unknown }[] = [];
  const kinds = [...DESTINATION_KINDS.values()];
  const accountOf = (kind: DestinationKind) => deps.accounts(kind.authProviderId)[0]?.id;
  const googleAccount = () => accountOf(destinationKind(PROVIDER_ID) as DestinationKind);
  const quotas = new Map(kinds.map((k) => [k.id, new QuotaCounter(deps.index, () => accountOf(k), k.quota, deps.onQuotaChange)]));
  disposables.push(...quotas.values());
  // Each account counts its own requests (the Accounts view shows them); the limit is the project's.
  const accountQuotas = new Map<string, QuotaCounter>();
  const quotaOf = (kind: DestinationKind, accountId: string) => {
    const key = `${kind.id}:${accountId}`;
    let q = accountQuotas.get(key);
    if (!q) accountQuotas.set(key, (q = new QuotaCounter(deps.index, () => accountId, kind.quota, deps.onQuotaChange)));
    return q;
  };
  disposables.push({ dispose: () => accountQuotas.forEach((q) => q.dispose()) });
  const signedIn = (kind: DestinationKind): SignedInAccount[] => deps.accounts(kind.authProviderId).map((a) => ({ id: a.id, label: a.label }));

  // Throttled: during a sync the index changes many times a second.
  let refreshTimer: NodeJS.Timeout | undefined;
  const refresh = () => {
    refreshTimer ??= setTimeout(() => {
      refreshTimer = undefined;
      // Only the rows whose numbers changed are redrawn (throttled harder while tasks run).
      deps.tree.refreshChanged();
    }, 250);
  };
  const folders = () => readSyncFolders(vs, log);
  // Every destination with a sign-in of its own shows its albums beside Google Photos' (Flickr, …);
  // Google Drive shares the Google sign-in and has a row of its own (driveRoots).
  const googleAuth = destinationKind(PROVIDER_ID)?.authProviderId;
  const otherDestinations = () =>
    kinds.flatMap((k) => {
      const account = k.authProviderId === googleAuth ? undefined : deps.accounts(k.authProviderId)[0];
      return account ? [{ provider: k.id, accountId: account.id, displayName: k.displayName, accountLabel: account.label }] : [];
    });
  const destinationRoots = driveRoots({ vs, accountId: googleAccount, folders, baseName: () => vs.workspace.getConfiguration('photoSync').get<string>('drive.folderName') || 'Photo Sync' });
  const kindOf = (id: string) => kinds.find((k) => k.id === id);
  const resolved = (f: SyncFolder) => {
    const k = kindOf(f.destination);
    return k ? resolveFolderAccount(f, signedIn(k)) : undefined;
  };
  const folderAccount = (f: SyncFolder) => {
    const r = resolved(f);
    return r?.state === 'ok' ? r.account.id : undefined;
  };
  const authName = (auth: string) => (auth === googleAuth ? 'Google' : (kinds.find((k) => k.authProviderId === auth)?.displayName ?? auth));
  deps.tree.setRoots(
    syncTreeRoots({
      vs,
      index: deps.index,
      accountId: googleAccount,
      accounts: () => signedIn(destinationKind(PROVIDER_ID) as DestinationKind),
      provider: PROVIDER_ID,
      folders,
      destinations: otherDestinations,
      destinationRoots,
      cache: deps.sidebar?.cache,
      paging: deps.sidebar?.paging,
      destinationName: (id) => kindOf(id)?.displayName ?? id,
      accountLabel: (f) => {
        const r = resolved(f);
        return r?.state === 'ok' ? r.account.label || r.account.id : r?.state === 'signedOut' ? vs.l10n.t('{0} (signed out)', r.wanted) : undefined;
      },
      // On the row itself only when there is a choice: more than one account of the folder's sign-in.
      accountOnRow: (f) => {
        const k = kindOf(f.destination);
        const r = resolved(f);
        if (!k || !r) return undefined;
        if (r.state === 'signedOut') return { text: vs.l10n.t('{0} signed out', shortAccountName(r.wanted, signedIn(k))), problem: true };
        return r.state === 'ok' && signedIn(k).length > 1 ? { text: shortAccountName(r.account, signedIn(k)) } : undefined;
      },
      accountRoots: accountRoots({ vs, index: deps.index, kinds, accounts: deps.accounts, folders, accountOf: folderAccount, serviceName: authName }),
    }),
  );

  const destinations = new Map<string, Destination>();
  const session = async (destination = DEFAULT_DESTINATION, options: { interactive?: boolean; account?: string } = {}): Promise<DestinationSession | undefined> => {
    const kind = destinationKind(destination);
    if (!kind) return undefined;
    // The folder's account, else the default (the first signed in). A named account that is not
    // signed in gives no session: the caller says so — never another account's session instead.
    const choice = resolveFolderAccount({ account: options.account }, signedIn(kind));
    if (choice.state === 'signedOut') return undefined;
    const wanted = choice.state === 'ok' ? { id: choice.account.id, label: choice.account.label || choice.account.id } : undefined;
    // A session carrying the kind's scopes. Signed in but without them (the first folder synced to
    // Google Drive): the same account is asked for them by incremental consent — one sign-in, not two.
    const withScopes = await vs.authentication.getSession(kind.authProviderId, [...kind.scopes], { silent: true, account: wanted }).then(
      (x) => x,
      () => undefined,
    );
    let account = withScopes?.account;
    if (!account && options.interactive !== false) {
      // Asks the user to sign in or to allow the extra access; nothing happens if they decline.
      const s = await vs.authentication.getSession(kind.authProviderId, [...kind.scopes], { createIfNone: true, account: wanted }).then(
        (x) => x,
        () => undefined,
      );
      account = s?.account;
    }
    if (account && wanted && account.id !== wanted.id) account = undefined;
    const id: string | undefined = account?.id;
    const index = await deps.openIndex().catch(() => undefined);
    if (!id || !index) {
      if (!index) void vs.window.showErrorMessage(vs.l10n.t('Photo Sync could not open its index; see the Photo Sync log.'));
      return undefined;
    }
    const key = `${kind.id}:${id}`;
    let built = destinations.get(key);
    if (!built) {
      const config = vs.workspace.getConfiguration('photoSync');
      const quota = quotas.get(kind.id);
      const bound = account && kind.authProviderId === googleAuth ? deps.tokenSourceFor?.({ id: account.id, label: account.label }) : undefined;
      built = await kind.create({
        l10n: vs.l10n,
        index,
        queue: deps.queue,
        accountId: id,
        tokenSource: bound ?? deps.tokenSource,
        oauth1: deps.oauth1,
        endpoints: resolveEndpoints(config.get<Record<string, unknown>>('endpoints')),
        endpointSettings: config.get<Record<string, unknown>>('endpoints'),
        settings: config.get<Record<string, unknown>>(kind.id),
        quotaUsed: () => quota?.usedNow(),
        log,
        countRequest: quotaOf(kind, id).count,
        description: config.get<string>('upload.description'),
        driveFolderName: config.get<string>('drive.folderName'),
        leaseLabel: 'another VS Code window',
      });
      destinations.set(key, built);
    }
    const quota = quotas.get(kind.id);
    return { pipeline: built.pipeline, index, accountId: id, accountLabel: account?.label, quotaUsed: () => quota?.usedNow() ?? 0 };
  };

  const commandDeps: SyncCommandDeps = {
    vs,
    log,
    destinations: kinds.map((k) => ({ id: k.id, displayName: k.displayName })),
    session: (destination, account) => session(destination, { account }),
    accounts: (destination) => {
      const k = kindOf(destination);
      return k ? signedIn(k) : [];
    },
    refresh: () => {
      for (const q of quotas.values()) void q.flush();
      for (const q of accountQuotas.values()) void q.flush();
      refresh();
    },
    showProgress: deps.showProgress,
    remoteSide: deps.remoteSide,
  };
  disposables.push(...registerSyncCommands(commandDeps));
  // Loaded on first use, like the other commands (ui/commands/chooseAccount.ts).
  disposables.push(vs.commands.registerCommand(SYNC_COMMANDS.chooseAccount, async (arg?: unknown, options?: { signIn?: boolean }) => (await import('../ui/commands/chooseAccount.js')).chooseAccount({ ...commandDeps, vs }, kinds, arg, options)));

  // The status bar item is the queue's (idle / n tasks / paused / signed out; ui/statusBar.ts); Sync Now is in the view's title.
  disposables.push(deps.onDidChangeAccounts(refresh));

  // Work left unfinished by a crash or a closed window continues by itself once signed in:
  // uploads, commits, album adds and archive moves, per destination.
  let resuming = false;
  const resumeUnfinished = async () => {
    if (resuming || !deps.index()) return;
    resuming = true;
    try {
      // The pipelines resume from their own journal (uploads and sync ops); the generic task rows the
      // last session left carry no payload, so they are closed instead of lingering.
      await deps.queue.resumeFromJournal({}, vs.l10n.t('Closing the last session’s tasks'));
      for (const kind of kinds) {
        if (!accountOf(kind)) continue;
        // Per account: each folder's unfinished work continues with its own account; a signed-out one waits.
        const mine = folders().filter((f) => f.destination === kind.id);
        for (const account of signedIn(kind)) {
          const theirs = mine.filter((f) => folderAccount(f) === account.id);
          if (theirs.length) await resumeDestination(kind, theirs, account.id);
        }
      }
    } catch (err) {
      log.warn(`Resuming unfinished uploads failed: ${(err as Error).message}`);
    } finally {
      resuming = false;
    }
  };
  const resumeDestination = async (kind: DestinationKind, mine: SyncFolder[], account: string) => {
    // Never a consent dialog at start: a destination whose access is not granted yet waits for Sync Now.
    const s = await session(kind.id, { interactive: false, account });
    if (!s) return;
    // The destination is built by now, so this code is loaded already (not at activation).
    const [{ exclusively }, { showReport }, { confirmResume }] = await Promise.all([import('../ui/commands/steps.js'), import('../ui/syncReport.js'), import('../ui/taskCommands.js')]);
    await exclusively(commandDeps, s, mine, async (lease) => {
      const plan = await s.pipeline.planUnfinished(mine);
      if (!plan || (plan.uploads.length === 0 && plan.adds.length === 0 && plan.alreadyUploaded.length === 0)) return;
      const count = plan.uploads.length + plan.adds.length;
      if (count > 0 && !(await confirmResume(vs, count, vs.l10n.t('uploads to {0}', kind.displayName), RESUME_WITHOUT_ASKING))) {
        log.info(`${count} unfinished uploads to ${kind.displayName} wait for the next Sync Now.`);
        return;
      }
      log.info(`Resuming ${plan.uploads.length} unfinished upload(s) and ${plan.adds.length} album add(s) to ${kind.displayName} from the last session.`);
      const title = vs.l10n.t('Resuming unfinished uploads to {0}', kind.displayName);
      const report = await s.pipeline.run(plan, {
        title,
        onGroup: (g) => {
          void deps.showProgress(g);
          lease.report({ title, done: 0, total: g.progress().total });
        },
      });
      if (count > 0) void showReport({ vs, log }, report, kind.displayName);
      refresh();
    });
  };

  // Redraw once the index is open, and whenever it changes (this window's sync, another window's save).
  void deps.openIndex().then(
    (index) => {
      disposables.push(index.onDidChange(refresh));
      refresh();
      void resumeUnfinished();
    },
    () => undefined,
  );
  disposables.push(deps.onDidChangeAccounts(() => void resumeUnfinished()));
  disposables.push(
    vs.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('photoSync.endpoints') || e.affectsConfiguration('photoSync.upload') || e.affectsConfiguration('photoSync.drive') || kinds.some((k) => e.affectsConfiguration(`photoSync.${k.id}`))) destinations.clear();
      if (e.affectsConfiguration('photoSync')) refresh();
    }),
  );

  return {
    quota: (kind) => quotas.get(kind),
    refresh,
    session: (destination, account) => session(destination, { account }),
    setReview: (open) => {
      commandDeps.review = open;
    },
    dispose() {
      clearTimeout(refreshTimer);
      for (const d of disposables) d.dispose();
    },
  };
}
