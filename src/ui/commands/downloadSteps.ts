// What the download commands share: their services, choosing the download folder (the setting's
// default, else the workspace folder, else a folder dialog), planning with a cancellable notification,
// and showing how a run ended.
import fs from 'node:fs';
import path from 'node:path';
import type * as vscode from 'vscode';
import type { PhotoIndex } from '../../index/api';
import type { DownloadPipeline, DownloadPlan, DownloadReport } from '../../sync/download/pipeline';
import type { DownloadSettings } from '../../sync/download/settings';
import type { DownloadSource } from '../../sync/download/source';
import type { PickerFlow } from '../../sync/picker/flow';
import type { GroupResult, TaskGroup } from '../../tasks/api';
import type { Logger } from '../../util/logger';
import { describeDownload } from '../../sync/download/reportText';
import type { SignedInAccount } from '../../sync/folderAccount';
import { pickAccount } from './pickers';
import { translateSettingProblem } from '../../sync/settingsText';
import { downloadErrorText } from '../../sync/download/stopText';
import { formatCount } from '../../util/format';

export { DOWNLOAD_COMMANDS } from './downloadIds';

export type DownloadVs = Pick<typeof vscode, 'window' | 'workspace' | 'commands' | 'Uri' | 'env' | 'ProgressLocation' | 'StatusBarAlignment' | 'l10n'>;

/** The signed-in account's download services. */
export interface DownloadSession {
  pipeline: DownloadPipeline;
  picker: PickerFlow;
  index: PhotoIndex;
  accountId: string;
}

export interface DownloadCommandDeps {
  vs: DownloadVs;
  log: Logger;
  /**
   * The services of a signed-in Google Photos account — `account` (an id or email: an album's own),
   * else the default (the first signed in); may ask to sign in; undefined if not (said so).
   */
  session(account?: string): Promise<DownloadSession | undefined>;
  /** The signed-in Google accounts (several: the palette commands ask which). */
  accounts?(): readonly SignedInAccount[];
  /** Current settings; `problems` names settings that were not usable. */
  settings(): { settings: DownloadSettings; problems: string[]; folder?: string; maxPickerItems: number };
  refresh(): void;
  showProgress(group: TaskGroup): Thenable<GroupResult>;
}

/** The download folder: the setting (absolute, or relative to the workspace folder), else the workspace folder. */
export function defaultFolder(deps: DownloadCommandDeps): string | undefined {
  const workspace = deps.vs.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const setting = deps.settings().folder?.trim();
  if (setting) return path.isAbsolute(setting) ? setting : workspace ? path.join(workspace, setting) : undefined;
  return workspace;
}

/** Asks where to download: the default folder first, or another one through the folder dialog. */
export async function chooseFolder(deps: DownloadCommandDeps, title: string): Promise<string | undefined> {
  const { vs } = deps;
  const fallback = defaultFolder(deps);
  const other = `$(folder-opened) ${vs.l10n.t('Choose Another Folder…')}`;
  if (fallback) {
    const picked = await vs.window.showQuickPick(
      [
        { label: `$(folder) ${path.basename(fallback) || fallback}`, description: fallback, folder: fallback },
        { label: other, description: '', folder: undefined as string | undefined },
      ],
      { title, placeHolder: vs.l10n.t('Download into this folder'), ignoreFocusOut: true },
    );
    if (!picked) return undefined;
    if (picked.folder) return (await madeInWorkspace(deps, picked.folder)) ? picked.folder : undefined;
  }
  const chosen = await vs.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, title, openLabel: vs.l10n.t('Download Here'), defaultUri: fallback ? vs.Uri.file(fallback) : undefined });
  return chosen?.[0]?.fsPath;
}

/**
 * The default folder may not exist yet: one inside the workspace folder is made; one elsewhere (an
 * unplugged drive?) is not, and the user is told.
 */
async function madeInWorkspace(deps: DownloadCommandDeps, folder: string): Promise<boolean> {
  if (await fs.promises.stat(folder).then((s) => s.isDirectory(), () => false)) return true;
  const workspace = deps.vs.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const inside = workspace !== undefined && !path.relative(workspace, folder).startsWith('..') && !path.isAbsolute(path.relative(workspace, folder));
  if (inside) {
    await fs.promises.mkdir(folder, { recursive: true });
    return true;
  }
  void deps.vs.window.showErrorMessage(deps.vs.l10n.t('The download folder {0} (photoSync.download.folder) does not exist. Is its drive connected? Choose another folder or change the setting.', folder));
  return false;
}

/** Warns once per call about settings that could not be used. */
export function readSettings(deps: DownloadCommandDeps): ReturnType<DownloadCommandDeps['settings']> {
  const read = deps.settings();
  for (const problem of read.problems) void deps.vs.window.showWarningMessage(translateSettingProblem(problem, deps.vs.l10n));
  return read;
}

/** Lists the source with a cancellable notification; undefined when cancelled or failed (after saying why). */
export async function planWithProgress(deps: DownloadCommandDeps, pipeline: DownloadPipeline, source: DownloadSource, folder: string, settings: DownloadSettings, full = false): Promise<DownloadPlan | undefined> {
  const { vs } = deps;
  try {
    return await vs.window.withProgress({ location: vs.ProgressLocation.Notification, title: vs.l10n.t('Listing “{0}” in {1}', source.title, pipeline.provider.displayName), cancellable: true }, async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        return await pipeline.plan(source, folder, settings, { signal: abort.signal, full, onProgress: (n) => progress.report({ message: n === 1 ? vs.l10n.t('1 item') : vs.l10n.t('{0} items', formatCount(n)) }) });
      } finally {
        sub.dispose();
      }
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') return undefined;
    deps.log.error(err as Error);
    void vs.window.showErrorMessage(vs.l10n.t('Photo Sync could not list “{0}”: {1}', source.title, downloadErrorText(err, vs.l10n)));
    return undefined;
  }
}

/** Shows how a run ended; `actions` are offered as buttons (label → what it does). */
export async function showDownloadReport(deps: DownloadCommandDeps, report: DownloadReport, verb: 'Imported' | 'Downloaded', service: string, actions: Record<string, () => unknown> = {}): Promise<void> {
  const { vs } = deps;
  const text = describeDownload(report, { verb, service }, vs.l10n);
  deps.log.info(`${text.message}${text.detail ? `\n${text.detail}` : ''}`);
  for (const f of report.failed) deps.log.warn(`${f.name}: ${f.message}`);
  const reveal = vs.l10n.t('Reveal in Explorer');
  const buttons = [...Object.keys(actions), ...(report.files.length ? [reveal] : [])];
  const picked =
    text.level === 'error'
      ? await vs.window.showErrorMessage(text.message, ...buttons)
      : text.level === 'warning'
        ? await vs.window.showWarningMessage(text.message, ...buttons)
        : await vs.window.showInformationMessage(text.message, ...buttons);
  if (!picked) return;
  if (picked === reveal) await vs.commands.executeCommand('revealInExplorer', vs.Uri.file(report.files[0]));
  else await actions[picked]?.();
}

/** "Download 12 items from “Trip” into ~/Pictures?" with what else the listing found; true to go on. */
export async function confirmPlan(deps: DownloadCommandDeps, plan: DownloadPlan, what: string, folder: string): Promise<boolean> {
  const detail: string[] = [];
  const { l10n } = deps.vs;
  if (plan.already) detail.push(l10n.t('{0} already in the folder (not downloaded again).', formatCount(plan.already)));
  if (plan.notReady.length) detail.push(l10n.t('{0} still being processed (downloaded next time).', formatCount(plan.notReady.length)));
  if (plan.stoppedAt) detail.push(l10n.t('Listing stopped at photos before {0}, which an earlier download brought.', plan.stoppedAt.slice(0, 10)));
  detail.push(l10n.t('Files go to {0} below the folder; nothing there is overwritten. Google sends photos without location data and videos re-encoded.', plan.settings.layout.template));
  if (plan.downloads.length === 0) return true;
  const n = plan.downloads.length;
  const question = n === 1 ? l10n.t('Download 1 item from {0} into {1}?', what, folder) : l10n.t('Download {0} items from {1} into {2}?', formatCount(n), what, folder);
  const go = await deps.vs.window.showInformationMessage(question, { modal: true, detail: detail.join('\n') }, deps.vs.l10n.t('Download'));
  return go === deps.vs.l10n.t('Download');
}

/**
 * The session of the account a command should use where nothing names one (the palette, the
 * Picker): with several signed-in accounts the user picks; undefined when cancelled or signed out.
 */
export async function askedSession(deps: DownloadCommandDeps, title: string): Promise<DownloadSession | undefined> {
  const answer = await pickAccount(deps.vs, deps.accounts?.() ?? [], title);
  if (!answer) return undefined;
  return deps.session(answer.account?.id);
}

/** The session of the account an album belongs to (the index knows it); the default for an unknown album. */
export async function albumSession(deps: DownloadCommandDeps, albumId: string): Promise<DownloadSession | undefined> {
  const any = await deps.session();
  const owner = any?.index.albums.get(albumId)?.accountId;
  return owner && owner !== any?.accountId ? deps.session(owner) : any;
}
