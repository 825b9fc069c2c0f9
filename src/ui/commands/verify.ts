// Verify Backup (palette, a sync folder's row, an album's row) and Continue Verify: walk the folders,
// show what the remote side will cost (asking first when it is large or more than the quota left),
// ask the destination with a cancellable progress, and show the result in the Verify Backup view.
import path from 'node:path';
import type * as vscode from 'vscode';
import type { IndexReader } from '../../index/api';
import type { DownloadPipeline } from '../../sync/download/pipeline';
import type { SyncFolder } from '../../sync/config';
import type { QuotaPolicy } from '../../tasks/quotaPolicy';
import { VerifyRun } from '../../sync/verify/run';
import { summaryLine, type VerifyReport } from '../../sync/verify/types';
import { verifyMarkdown } from '../../sync/verify/markdown';
import type { Logger } from '../../util/logger';
import type { DestinationSession, SyncCommandDeps } from './deps';
import { resolveFolderAccount, type SignedInAccount } from '../../sync/folderAccount';
import { VERIFY_COMMANDS } from './verifyIds';
import { formatCount } from '../../util/format';
import { quotaWords } from '../../tasks/quotaWords';

export { VERIFY_COMMANDS } from './verifyIds';

export type VerifyVs = Pick<typeof vscode, 'window' | 'workspace' | 'commands' | 'Uri' | 'env' | 'ProgressLocation' | 'l10n'>;

export interface VerifySession extends DestinationSession {
  /** The download pipeline of the same provider (Re-download). */
  downloads: DownloadPipeline;
  quota: QuotaPolicy;
}

/** One verify per destination account: its run (kept to continue), its last report and the session it used. */
export interface VerifyResult {
  run: VerifyRun;
  report: VerifyReport;
  destination: string;
  /** The account the folders sync with (id); undefined: the destination's default. */
  account?: string;
  /** The account whose library was checked, as its sign-in shows it (an email), else its id. */
  accountLabel?: string;
}

export interface VerifyCommandDeps {
  vs: VerifyVs;
  log: Logger;
  folders(): readonly SyncFolder[];
  /** A destination's session; `account` (an id or email): that account's only, never another's. */
  session(destination: string, account?: string): Promise<VerifySession | undefined>;
  /** The signed-in accounts of a destination (its sign-in's), the default first. */
  accounts?(destination: string): readonly SignedInAccount[];
  /** For Re-upload: the sync commands' steps (leases, scan and run with progress). */
  sync: SyncCommandDeps;
  results: VerifyResult[];
  /** Redraws the Verify view (and sets its context keys). */
  changed(): void;
}


/** The sync folders a command argument names: a folder row, an album row (the folders backing up into it), a Uri, or all. */
export function foldersFor(arg: unknown, folders: readonly SyncFolder[], index: IndexReader | undefined): SyncFolder[] {
  const id = typeof arg === 'string' ? arg : (arg as { id?: unknown } | undefined)?.id;
  const fsPath = (arg as { fsPath?: unknown } | undefined)?.fsPath;
  const inside = (p: string, f: SyncFolder) => p === f.path || p.startsWith(f.path.endsWith(path.sep) ? f.path : f.path + path.sep);
  if (typeof id === 'string' && id.startsWith('photoSync.syncFolder:')) return folders.filter((f) => f.path === id.slice('photoSync.syncFolder:'.length));
  if (typeof id === 'string' && id.startsWith('photoSync.album:') && index) {
    const albumId = id.slice('photoSync.album:'.length);
    const paths = index.uploads.byState('committed', { albumId }, { limit: 1000 }).items.map((u) => u.localPath);
    const album = index.albums.get(albumId);
    return folders.filter((f) => paths.some((p) => inside(p, f)) || (album && path.basename(f.path) === album.title));
  }
  if (typeof fsPath === 'string') return folders.filter((f) => inside(fsPath, f));
  return [...folders];
}

export async function verifyBackup(deps: VerifyCommandDeps, arg?: unknown): Promise<VerifyResult[]> {
  const { vs } = deps;
  const all = deps.folders();
  if (all.length === 0) {
    void vs.window.showInformationMessage(vs.l10n.t('Verify Backup checks sync folders; add one first.'), vs.l10n.t('Add Folder to Sync…')).then((c) => c && vs.commands.executeCommand('photoSync.addFolder'));
    return [];
  }
  const firstSession = await deps.session(all[0].destination);
  const chosen = foldersFor(arg, all, firstSession?.index);
  if (chosen.length === 0) {
    void vs.window.showInformationMessage(vs.l10n.t('No sync folder backs up into this album; Verify Backup checks sync folders.'));
    return [];
  }
  const deep = vs.workspace.getConfiguration('photoSync').get<boolean>('verify.deep') === true;
  const byDestination = new Map<string, SyncFolder[]>();
  for (const f of chosen) byDestination.set(f.destination, [...(byDestination.get(f.destination) ?? []), f]);
  const results: VerifyResult[] = [];
  // Each folder is checked against the account it syncs with (its own library), never another's.
  for (const [destination, group] of byDestination) {
    for (const { account, folders } of foldersByAccount(deps, destination, group)) {
      const session = await deps.session(destination, account);
      if (!session) continue;
      const run = new VerifyRun({ provider: session.pipeline.provider, index: session.index, accountId: session.accountId, folders, deep, l10n: vs.l10n });
      const result = await runVerify(deps, session, run, destination, account);
      if (result) results.push(result);
    }
  }
  if (results.length) {
    deps.results.splice(0, deps.results.length, ...results);
    deps.changed();
    void vs.commands.executeCommand('photoSync.verify.focus');
    void announce(deps, results);
  }
  return results;
}

export async function continueVerify(deps: VerifyCommandDeps): Promise<void> {
  const open = deps.results.filter((r) => !r.report.complete);
  if (open.length === 0) {
    void deps.vs.window.showInformationMessage(deps.vs.l10n.t('The last Verify Backup is complete; run Verify Backup to check again.'));
    return;
  }
  for (const r of open) {
    const session = await deps.session(r.destination, r.account);
    if (!session) continue;
    const again = await runVerify(deps, session, r.run, r.destination, r.account);
    if (again) r.report = again.report;
  }
  deps.changed();
  void announce(deps, deps.results);
}

/** The folders of one destination by the account each syncs with; a signed-out account's folders are said so and left out. */
function foldersByAccount(deps: VerifyCommandDeps, destination: string, folders: readonly SyncFolder[]): { account?: string; folders: SyncFolder[] }[] {
  if (!deps.accounts) return [{ folders: [...folders] }];
  const signedIn = deps.accounts(destination);
  const out = new Map<string | undefined, SyncFolder[]>();
  for (const f of folders) {
    const r = resolveFolderAccount(f, signedIn);
    if (r.state === 'signedOut') {
      void deps.vs.window.showWarningMessage(deps.vs.l10n.t('Verify Backup did not check {0}: it syncs with {1}, which is not signed in.', f.path, r.wanted));
      continue;
    }
    const key = r.state === 'ok' ? r.account.id : undefined;
    out.set(key, [...(out.get(key) ?? []), f]);
  }
  return [...out].map(([account, list]) => ({ account, folders: list }));
}

async function runVerify(deps: VerifyCommandDeps, session: VerifySession, run: VerifyRun, destination: string, account?: string): Promise<VerifyResult | undefined> {
  const { vs } = deps;
  const provider = session.pipeline.provider;
  const names = run.options.folders.map((f) => path.basename(f.path)).join(', ');
  const estimate = await vs.window.withProgress({ location: vs.ProgressLocation.Notification, title: vs.l10n.t('Verify Backup: reading {0}', names), cancellable: true }, async (progress, token) => {
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    try {
      return await run.prepare(abort.signal, (p) => progress.report({ message: p.message }));
    } catch (err) {
      if ((err as Error).name === 'AbortError') return undefined;
      throw err;
    } finally {
      sub.dispose();
    }
  });
  if (estimate === undefined) return undefined;
  const used = session.quotaUsed();
  const left = Math.max(0, session.quota.limit - used);
  const n = formatCount;
  const perDay = session.quota.period === 'day';
  const cost =
    estimate === 1
      ? perDay
        ? vs.l10n.t('1 request to {0} ({1} of the {2} {3} left today)', provider.displayName, n(left), n(session.quota.limit), quotaWords(session.quota.label, vs.l10n))
        : vs.l10n.t('1 request to {0} ({1} of the {2} {3} left this hour)', provider.displayName, n(left), n(session.quota.limit), quotaWords(session.quota.label, vs.l10n))
      : perDay
        ? vs.l10n.t('{0} requests to {1} ({2} of the {3} {4} left today)', n(estimate), provider.displayName, n(left), n(session.quota.limit), quotaWords(session.quota.label, vs.l10n))
        : vs.l10n.t('{0} requests to {1} ({2} of the {3} {4} left this hour)', n(estimate), provider.displayName, n(left), n(session.quota.limit), quotaWords(session.quota.label, vs.l10n));
  const askAbove = vs.workspace.getConfiguration('photoSync').get<number>('verify.confirmAbove') ?? 100;
  if (estimate > askAbove || estimate > left) {
    const detail =
      estimate > left
        ? vs.l10n.t('Only {0} fit in the quota left: Verify checks what fits, stops, and Continue Verify finishes after {1}.', n(left), quotaWords(session.quota.resetText, vs.l10n))
        : vs.l10n.t('Verify only reads: nothing is uploaded, downloaded or deleted.');
    const go = await vs.window.showInformationMessage(vs.l10n.t('Verify Backup will send {0}.', cost), { modal: true, detail }, vs.l10n.t('Verify'));
    if (go !== vs.l10n.t('Verify')) return undefined;
  }
  deps.log.info(`Verify Backup of ${names}: ${cost}.`);
  const report = await vs.window.withProgress({ location: vs.ProgressLocation.Notification, title: vs.l10n.t('Verify Backup: {0}', cost), cancellable: true }, async (progress, token) => {
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    try {
      return await run.run({ budget: left, signal: abort.signal, onProgress: (p) => progress.report({ message: p.message }) });
    } finally {
      sub.dispose();
      deps.sync.refresh();
    }
  });
  deps.log.info(`Verify Backup: ${summaryLine(report)}`);
  return { run, report, destination, account, accountLabel: session.accountLabel || session.accountId };
}

async function announce(deps: VerifyCommandDeps, results: readonly VerifyResult[]): Promise<void> {
  const line = results.map((r) => summaryLine(r.report, deps.vs.l10n)).join(' ');
  const incomplete = results.some((r) => !r.report.complete);
  const continueLabel = deps.vs.l10n.t('Continue Verify');
  const exportLabel = deps.vs.l10n.t('Export Report…');
  const buttons = incomplete ? [continueLabel, exportLabel] : [exportLabel];
  const choice = results.some((r) => r.report.findings.length) || incomplete ? await deps.vs.window.showWarningMessage(line, ...buttons) : await deps.vs.window.showInformationMessage(line, ...buttons);
  if (choice === continueLabel) await deps.vs.commands.executeCommand(VERIFY_COMMANDS.continueVerify);
  if (choice === exportLabel) await deps.vs.commands.executeCommand(VERIFY_COMMANDS.exportReport);
}

export async function exportReport(deps: VerifyCommandDeps): Promise<vscode.Uri | undefined> {
  const { vs } = deps;
  if (deps.results.length === 0) {
    void vs.window.showInformationMessage(vs.l10n.t('Run Verify Backup first; its report can then be exported.'));
    return undefined;
  }
  const day = new Date(deps.results[0].report.finishedAt ?? Date.now()).toISOString().slice(0, 10);
  const base = vs.workspace.workspaceFolders?.[0]?.uri ?? vs.Uri.file(path.dirname(deps.results[0].report.folders[0]?.path ?? '.'));
  const target = await vs.window.showSaveDialog({ title: vs.l10n.t('Export Verify Report'), defaultUri: vs.Uri.joinPath(base, `photo-sync-verify-${day}.md`), filters: { Markdown: ['md'] }, saveLabel: vs.l10n.t('Export') });
  if (!target) return undefined;
  // Folders checked against different accounts: each report names its account (as `photo-sync verify --report` does).
  const text = deps.results.map((r) => verifyMarkdown(r.report, severalAccounts(deps) ? r.accountLabel : undefined)).join('\n');
  await vs.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
  void vs.window.showInformationMessage(vs.l10n.t('Verify report written to {0}.', target.fsPath));
  await vs.window.showTextDocument(target, { preview: true });
  return target;
}

/** More than one account is involved: the reports are of different accounts, or a destination has several signed in. */
function severalAccounts(deps: VerifyCommandDeps): boolean {
  const checked = new Set(deps.results.map((r) => `${r.destination}\n${r.accountLabel ?? r.account ?? ''}`));
  return checked.size > 1 || deps.results.some((r) => (deps.accounts?.(r.destination).length ?? 0) > 1);
}
