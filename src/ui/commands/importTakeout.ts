// Import Google Takeout… (palette; Explorer menu on .zip/.tgz files and on an extracted Takeout
// folder): the parts (a part picked alone brings its siblings `…-001.zip`, `…-002.zip`), the folder
// to import into (photoSync.download.folder by default), then one cancellable notification with parts,
// files, bytes and the time left, and a report of what matched, what did not and what was damaged.
import fs from 'node:fs';
import path from 'node:path';
import type * as vscode from 'vscode';
import type { PhotoIndex } from '../../index/api';
import { RunLeases } from '../../sync/runLease';
import { ImportBusyError, importTakeout } from '../../sync/takeout/pipeline';
import { translateTakeoutStop } from '../../sync/takeout/stopText';
import { summaryLine, type TakeoutProgress, type TakeoutResult } from '../../sync/takeout/report';
import { reportLines } from '../../sync/takeout/reportLines';
import { parseTakeoutSettings } from '../../sync/takeout/settings';
import type { TaskGroup, TaskQueueApi } from '../../tasks/api';
import { formatBytes, formatCount, formatDuration } from '../../util/format';
import type { Logger } from '../../util/logger';
import { englishL10n } from '../../util/englishL10n';
import { translateSettingProblem } from '../../sync/settingsText';

export type TakeoutVs = Pick<typeof vscode, 'window' | 'workspace' | 'Uri' | 'ProgressLocation' | 'commands' | 'l10n'>;

export interface TakeoutCommandDeps {
  vs: TakeoutVs;
  log: Logger;
  openIndex(): Promise<PhotoIndex>;
  queue: TaskQueueApi;
  refresh(): void;
}

const PART = /^(.*)-(\d{3})\.(zip|tgz|tar\.gz|tar)$/i;

/** A part named like Takeout's (`takeout-…-001.zip`) brings every sibling part of the same export. */
export function withSiblingParts(files: readonly string[]): string[] {
  const out = new Set(files.map((f) => path.resolve(f)));
  for (const file of files) {
    const match = PART.exec(path.basename(file));
    if (!match) continue;
    const dir = path.dirname(path.resolve(file));
    for (const name of fs.readdirSync(dir)) {
      const sibling = PART.exec(name);
      if (sibling && sibling[1] === match[1] && sibling[3].toLowerCase() === match[3].toLowerCase()) out.add(path.join(dir, name));
    }
  }
  return [...out].sort();
}

export function formatTakeoutProgress(p: TakeoutProgress, l10n: Pick<typeof vscode.l10n, 't'> = englishL10n): string {
  if (p.phase === 'scanning') return p.archives === 1 ? l10n.t('Reading the sidecars of 1 part…') : l10n.t('Reading the sidecars of {0} parts…', p.archives);
  const eta = p.etaMs !== undefined ? l10n.t(' · about {0} left', formatDuration(p.etaMs)) : '';
  return l10n.t('Part {0} of {1} · {2} of {3} files · {4} of {5}{6}', p.archive, p.archives, formatCount(p.files), formatCount(p.filesTotal), formatBytes(p.bytes), formatBytes(p.bytesTotal), eta);
}

async function chooseParts(deps: TakeoutCommandDeps, uri?: vscode.Uri, uris?: readonly vscode.Uri[]): Promise<string[] | undefined> {
  const { vs } = deps;
  const given = (uris?.length ? uris : uri ? [uri] : []).map((u) => u.fsPath);
  if (given.length) return withSiblingParts(given);
  const kind = await vs.window.showQuickPick(
    [
      { label: vs.l10n.t('$(file-zip) Takeout archives (.zip, .tgz)…'), folder: false },
      { label: vs.l10n.t('$(folder) An extracted Takeout folder…'), folder: true },
    ],
    { title: vs.l10n.t('Import Google Takeout'), placeHolder: vs.l10n.t('What did Google Takeout give you?'), ignoreFocusOut: true },
  );
  if (!kind) return undefined;
  const picked = await vs.window.showOpenDialog(
    kind.folder
      ? { canSelectFolders: true, canSelectFiles: false, canSelectMany: false, title: vs.l10n.t('Import Google Takeout: the extracted Takeout folder'), openLabel: vs.l10n.t('Import') }
      : { canSelectFiles: true, canSelectFolders: false, canSelectMany: true, title: vs.l10n.t('Import Google Takeout: every part of the export'), openLabel: vs.l10n.t('Import'), filters: { [vs.l10n.t('Takeout archives')]: ['zip', 'tgz', 'gz', 'tar'] } },
  );
  return picked?.length ? withSiblingParts(picked.map((u) => u.fsPath)) : undefined;
}

async function chooseTarget(deps: TakeoutCommandDeps): Promise<string | undefined> {
  const { vs } = deps;
  const configured = vs.workspace.getConfiguration('photoSync').get<string>('download.folder')?.trim();
  const workspace = vs.workspace.workspaceFolders?.[0]?.uri.fsPath;
  // As the downloads: the setting (absolute, or relative to the workspace folder), else the workspace folder.
  const fallback = configured ? (path.isAbsolute(configured) ? configured : workspace ? path.join(workspace, configured) : undefined) : workspace;
  if (fallback) {
    const picked = await vs.window.showQuickPick(
      [
        { label: `$(folder) ${path.basename(fallback) || fallback}`, description: fallback, folder: fallback as string | undefined },
        { label: vs.l10n.t('$(folder-opened) Choose Another Folder…'), description: '', folder: undefined },
      ],
      { title: vs.l10n.t('Import Google Takeout into…'), placeHolder: vs.l10n.t('photos/{yyyy}/{mm} and albums/ are made inside it'), ignoreFocusOut: true },
    );
    if (!picked) return undefined;
    if (picked.folder) {
      if (!fs.existsSync(picked.folder) && workspace && picked.folder.startsWith(workspace)) fs.mkdirSync(picked.folder, { recursive: true });
      if (fs.existsSync(picked.folder)) return picked.folder;
      void vs.window.showErrorMessage(vs.l10n.t('The download folder {0} does not exist (is its drive connected?). Choose another folder.', picked.folder));
    }
  }
  const chosen = await vs.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, title: vs.l10n.t('Import Google Takeout into…'), openLabel: vs.l10n.t('Import Here') });
  return chosen?.[0]?.fsPath;
}

export async function importTakeoutCommand(deps: TakeoutCommandDeps, uri?: vscode.Uri, uris?: readonly vscode.Uri[]): Promise<TakeoutResult | undefined> {
  const { vs, log } = deps;
  const parts = await chooseParts(deps, uri, uris);
  if (!parts) return undefined;
  const root = await chooseTarget(deps);
  if (!root) return undefined;
  const config = vs.workspace.getConfiguration('photoSync');
  const { settings, problems } = parseTakeoutSettings((key) => config.get(key));
  for (const p of problems) void vs.window.showWarningMessage(translateSettingProblem(p, vs.l10n));
  const index = await deps.openIndex();
  log.info(`Importing Google Takeout: ${parts.join(', ')} → ${root}`);
  let group: TaskGroup | undefined;
  const result = await Promise.resolve(vs.window.withProgress({ location: vs.ProgressLocation.Notification, title: vs.l10n.t('Import Google Takeout'), cancellable: true }, async (progress, token) => {
    let last = 0;
    let lastMessage = '';
    token.onCancellationRequested(() => group?.cancel());
    return importTakeout({
      l10n: vs.l10n,
      parts,
      root,
      settings,
      index,
      queue: deps.queue,
      log,
      leases: new RunLeases(path.dirname(index.filePath), { log, label: 'a VS Code window' }),
      onGroup: (g) => {
        group = g;
        if (token.isCancellationRequested) g.cancel();
      },
      onProgress: (p) => {
        const message = formatTakeoutProgress(p, vs.l10n);
        const pct = p.bytesTotal ? Math.floor((100 * p.bytes) / p.bytesTotal) : 0;
        if (message === lastMessage) return;
        lastMessage = message;
        progress.report({ message, increment: Math.max(0, pct - last) });
        last = Math.max(last, pct);
      },
    });
  })).catch((err: unknown) => {
    if (!(err instanceof ImportBusyError)) throw err;
    // Another import holds the folder: said in the user's language (the log keeps the English).
    log.warn(err.message);
    void vs.window.showErrorMessage(vs.l10n.t('{0} failed: {1}', vs.l10n.t('Import Google Takeout'), translateTakeoutStop(err.message, vs.l10n)));
    return undefined;
  });
  if (!result) return undefined;
  // The log stays English; the report the user opens is in their language.
  for (const line of reportLines(result)) log.info(line);
  deps.refresh();
  const show = vs.l10n.t('Show Report');
  const open = vs.l10n.t('Reveal Folder');
  const say = result.stopped || result.damaged.length ? vs.window.showWarningMessage : vs.window.showInformationMessage;
  void say(summaryLine(result, vs.l10n), show, open).then(async (choice) => {
    if (choice === show) {
      const doc = await vs.workspace.openTextDocument({ content: `# ${vs.l10n.t('Google Takeout import')}\n\n${reportLines(result, vs.l10n).map((l) => (l.startsWith('  ') ? l : `- ${l}`)).join('\n')}\n`, language: 'markdown' });
      await vs.window.showTextDocument(doc);
    } else if (choice === open) await vs.commands.executeCommand('revealFileInOS', vs.Uri.file(root));
  });
  return result;
}
