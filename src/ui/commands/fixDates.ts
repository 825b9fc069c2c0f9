// Check Capture Dates… (a sync folder's menu, the Explorer's folder menu, the palette): the metadata
// doctor over a folder before it is uploaded — Google's API cannot change a date afterwards. Files
// whose date is missing, zero, in the future or more than a day away from their name or folder are
// listed with the proposed date and its evidence; the ones the user keeps ticked are fixed (EXIF for
// JPEGs, the modification time for the rest) and read back.
import path from 'node:path';
import type * as vscode from 'vscode';
import type { PhotoIndex } from '../../index/api';
import type { DateDiagnosis } from '../../metadata/dateDoctor';
import { applyDateFixes, checkFolderDates, type AppliedFix } from '../../metadata/folderDates';
import type { Logger } from '../../util/logger';
import { formatCount } from '../../util/format';

export type FixDatesVs = Pick<typeof vscode, 'window' | 'Uri' | 'ProgressLocation' | 'l10n'>;

export interface FixDatesDeps {
  vs: FixDatesVs;
  log: Logger;
  /** The sync folders, to offer when the command is run from the palette. */
  folders(): readonly { path: string }[];
  index(): PhotoIndex | undefined;
  refresh(): void;
}

/** The folder a command argument names: an Explorer Uri or a sync folder row of the sidebar. */
export function folderOfArgument(arg: unknown): string | undefined {
  if (arg && typeof arg === 'object') {
    const fsPath = (arg as { fsPath?: unknown }).fsPath;
    if (typeof fsPath === 'string') return fsPath;
    const id = (arg as { id?: unknown }).id;
    if (typeof id === 'string' && id.startsWith('photoSync.syncFolder:')) return id.slice('photoSync.syncFolder:'.length);
  }
  return undefined;
}

const fmt = (local: string, offset?: string) => `${local.replace('T', ' ')}${offset ? ` ${offset}` : ''}`;

/** One row of the confirmation list. */
export function describeDiagnosis(d: DateDiagnosis, folder: string): { label: string; description: string; detail: string } {
  const p = d.proposal;
  return {
    label: path.relative(folder, d.file),
    description: p ? `${d.current ? fmt(d.current.local, d.current.offset) : 'no date'} → ${fmt(p.local, p.offset)} (from ${p.detail})` : `${d.current ? fmt(d.current.local) : 'no date'} — nothing to propose`,
    detail: [...d.problems.map((x) => x.message), `evidence: ${d.evidence.map((e) => `${e.detail} → ${fmt(e.local, e.offset)}`).join('; ')}`].join(' · '),
  };
}

export async function fixDatesCommand(deps: FixDatesDeps, arg?: unknown): Promise<AppliedFix[] | undefined> {
  const { vs, log } = deps;
  let folder = folderOfArgument(arg);
  if (!folder) {
    const folders = deps.folders();
    const items = [...folders.map((f) => ({ label: `$(folder) ${path.basename(f.path)}`, description: f.path, folder: f.path as string | undefined })), { label: `$(folder-opened) ${vs.l10n.t('Choose a Folder…')}`, description: '', folder: undefined }];
    const picked = await vs.window.showQuickPick(items, { title: vs.l10n.t('Check Capture Dates'), placeHolder: vs.l10n.t('Which folder?') });
    if (!picked) return undefined;
    folder = picked.folder ?? (await vs.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, title: vs.l10n.t('Check Capture Dates'), openLabel: vs.l10n.t('Check') }))?.[0]?.fsPath;
    if (!folder) return undefined;
  }
  const root = folder;
  const index = deps.index();
  const report = await vs.window.withProgress({ location: vs.ProgressLocation.Notification, title: vs.l10n.t('Checking capture dates'), cancellable: true }, async (progress, token) => {
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    return checkFolderDates(root, {
      signal: abort.signal,
      takeoutTakenAt: (file) => {
        const row = index?.imports.byLocalPath(file);
        return row?.captureSource === 'takeout' && row.captureTime ? new Date(row.captureTime) : undefined;
      },
      onProgress: (n, file) => progress.report({ message: n === 1 ? vs.l10n.t('1 file · {0}', path.basename(file)) : vs.l10n.t('{0} files · {1}', formatCount(n), path.basename(file)) }),
    }).catch((err: Error) => {
      if (abort.signal.aborted) return undefined;
      throw err;
    });
  });
  if (!report) return undefined;
  if (report.problems.length === 0) {
    void vs.window.showInformationMessage(vs.l10n.t('All {0} photos and videos in {1} have believable capture dates.', report.checked, path.basename(root)));
    return [];
  }
  const items = report.problems.map((d) => ({ ...describeDiagnosis(d, root), picked: d.proposal !== undefined, diagnosis: d }));
  const chosen = await vs.window.showQuickPick(items, {
    title: vs.l10n.t('Check Capture Dates — {0} of {1} files need a date', report.problems.length, report.checked),
    placeHolder: vs.l10n.t('Keep ticked the files to fix (EXIF for JPEG, modification time for the rest), then press Enter'),
    canPickMany: true,
    matchOnDescription: true,
    matchOnDetail: true,
    ignoreFocusOut: true,
  });
  if (!chosen?.length) return undefined;
  const fixes = await applyDateFixes(
    chosen.map((c) => c.diagnosis),
    { stopAt: root },
  );
  for (const f of fixes) {
    if (f.ok) log.info(`Check Capture Dates: ${f.file}: ${f.message}`);
    else log.warn(`Check Capture Dates: ${f.file}: ${f.message}`);
  }
  deps.refresh();
  const ok = fixes.filter((f) => f.ok);
  const failed = fixes.length - ok.length;
  const exif = ok.filter((f) => f.method === 'exif').length;
  const how = [exif ? vs.l10n.t('{0} in EXIF', exif) : '', ok.length - exif ? vs.l10n.t('{0} as modification time', ok.length - exif) : ''].filter(Boolean).join(', ') || vs.l10n.t('none');
  const fixed = ok.length === 1 ? vs.l10n.t('Fixed 1 capture date ({0}) and read it back.', how) : vs.l10n.t('Fixed {0} capture dates ({1}) and read them back.', ok.length, how);
  const message = failed ? vs.l10n.t('{0} {1} could not be fixed: see the Photo Sync log.', fixed, failed) : fixed;
  void (failed ? vs.window.showWarningMessage(message) : vs.window.showInformationMessage(message));
  return fixes;
}
