// The three sync commands: Add Folder to Sync…, Upload Folder to Google Photos… (Explorer context
// menu and palette: choose an album, preview counts and quota cost, then run) and Sync Now.
import type * as vscode from 'vscode';
import path from 'node:path';
import type { PhotoIndex } from '../index/api';
import type { GroupProgress, TaskGroup } from '../tasks/api';
import type { Logger } from '../util/logger';
import { parseSyncFolders, serializeSyncFolder, DEFAULT_EXCLUDE_FOLDERS, DEFAULT_MERGE_FOLDERS, type AlbumRule, type SyncFolder } from '../sync/config';
import type { SyncEngine, SyncReport } from '../sync/engine';
import { DAILY_REQUEST_QUOTA, daysNeeded, describeCost, type SyncPlan } from '../sync/plan';
import { cleanTitle, MAX_ALBUM_TITLE } from '../sync/albums';
import { items } from './treeNodes';
import { describeProblem, showProblem } from '../auth/messages';

export type SyncVsCode = Pick<typeof vscode, 'window' | 'workspace' | 'commands' | 'Uri' | 'ProgressLocation' | 'ConfigurationTarget' | 'env'>;

export interface SyncSession {
  engine: SyncEngine;
  index: PhotoIndex;
  accountId: string;
  providerId: string;
}

export interface SyncCommandDeps {
  vs: SyncVsCode;
  log: Logger;
  /** The engine for the signed-in account (may ask the user to sign in); undefined if they did not. */
  session(): Promise<SyncSession | undefined>;
  /** Redraws the sidebar after the index changed. */
  refresh(): void;
  /** Shows a queue group's progress; the default is a cancellable notification. */
  showProgress?(group: TaskGroup): void;
}

export const SYNC_COMMANDS = { addFolder: 'photoSync.addFolder', uploadFolder: 'photoSync.uploadFolder', syncNow: 'photoSync.syncNow' } as const;

/** Reads `photoSync.folders`; setting problems are shown once per distinct text. */
export function readSyncFolders(vs: Pick<typeof vscode, 'workspace' | 'window'>, log: Logger): SyncFolder[] {
  const raw = vs.workspace.getConfiguration('photoSync').get<unknown>('folders');
  const { folders, problems } = parseSyncFolders(raw, path.isAbsolute);
  for (const p of problems) {
    if (shownProblems.has(p)) continue;
    shownProblems.add(p);
    log.warn(p);
    void vs.window.showWarningMessage(`Photo Sync settings: ${p}`);
  }
  return folders;
}
const shownProblems = new Set<string>();

export function registerSyncCommands(deps: SyncCommandDeps): vscode.Disposable[] {
  const { vs } = deps;
  return [
    vs.commands.registerCommand(SYNC_COMMANDS.addFolder, (uri?: vscode.Uri) => addFolder(deps, uri)),
    vs.commands.registerCommand(SYNC_COMMANDS.uploadFolder, (uri?: vscode.Uri) => uploadFolder(deps, uri)),
    vs.commands.registerCommand(SYNC_COMMANDS.syncNow, () => syncNow(deps)),
  ];
}

// -----------------------------------------------------------------------------------------------
// Add Folder to Sync…

export async function addFolder(deps: SyncCommandDeps, uri?: vscode.Uri): Promise<SyncFolder | undefined> {
  const { vs } = deps;
  const folderPath = uri?.fsPath ?? (await pickFolder(vs, 'Add Folder to Sync'));
  if (!folderPath) return undefined;
  const config = vs.workspace.getConfiguration('photoSync');
  const raw = config.get<unknown[]>('folders') ?? [];
  const existing = parseSyncFolders(raw, path.isAbsolute).folders;
  if (existing.some((f) => path.resolve(f.path) === path.resolve(folderPath))) {
    void vs.window.showInformationMessage(`${folderPath} is already a sync folder.`);
    return undefined;
  }
  const name = path.basename(folderPath);
  const choice = await vs.window.showQuickPick(
    [
      { label: 'One album per sub-folder', description: 'default', detail: `Each sub-folder becomes an album named after it; files directly in the folder go to “${name}”. Folders starting with _ join their parent's album.`, rule: 'subfolders' as const },
      { label: 'One album for everything…', detail: 'All photos of the folder and its sub-folders go to one album you name.', rule: 'fixed' as const },
      { label: 'Album names from a template…', detail: 'e.g. {year}-{month} {folder}; tokens {folder} {parent} {path} {year} {month} {day} (date from EXIF).', rule: 'template' as const },
    ],
    { title: `Albums for ${name}`, placeHolder: 'How should photos be put into albums?', ignoreFocusOut: true },
  );
  if (!choice) return undefined;
  let album: AlbumRule = { mode: 'subfolders' };
  if (choice.rule === 'fixed') {
    const title = await askAlbumTitle(vs, name);
    if (!title) return undefined;
    album = { mode: 'fixed', name: title };
  } else if (choice.rule === 'template') {
    const template = await vs.window.showInputBox({
      title: 'Album name template',
      value: '{year}-{month} {folder}',
      prompt: 'Tokens: {folder} {parent} {path} {year} {month} {day}',
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'Enter a template, e.g. {year} {folder}'),
    });
    if (!template) return undefined;
    album = { mode: 'template', template };
  }
  const after = await vs.window.showQuickPick(
    [
      { label: 'Keep files where they are', description: 'default', value: 'keep' as const },
      { label: 'Move uploaded files to an archive folder…', detail: 'Only after Google confirmed each file; the sub-folder layout is kept; nothing is overwritten.', value: 'archive' as const },
    ],
    { title: 'After upload', ignoreFocusOut: true },
  );
  if (!after) return undefined;
  let archivePath: string | undefined;
  if (after.value === 'archive') {
    archivePath = await pickFolder(vs, 'Archive Folder');
    if (!archivePath) return undefined;
  }
  const folder: SyncFolder = {
    path: folderPath,
    album,
    include: [],
    exclude: [],
    excludeFolders: [...DEFAULT_EXCLUDE_FOLDERS],
    mergeFolders: [...DEFAULT_MERGE_FOLDERS],
    afterUpload: after.value,
    archivePath,
  };
  await config.update('folders', [...raw, serializeSyncFolder(folder)], vs.ConfigurationTarget.Global);
  deps.refresh();
  const sync = await vs.window.showInformationMessage(`Added ${folderPath} to the sync folders.`, 'Sync Now');
  if (sync === 'Sync Now') await syncNow(deps);
  return folder;
}

// -----------------------------------------------------------------------------------------------
// Upload Folder to Google Photos…

export async function uploadFolder(deps: SyncCommandDeps, uri?: vscode.Uri): Promise<SyncReport | undefined> {
  const { vs } = deps;
  const folderPath = uri?.fsPath ?? (await pickFolder(vs, 'Upload Folder to Google Photos'));
  if (!folderPath) return undefined;
  const session = await deps.session();
  if (!session) return undefined;
  const name = path.basename(folderPath) || folderPath;

  const albums = session.index.albums.listWithCounts({ accountId: session.accountId, provider: session.providerId, appCreatedOnly: true }, { limit: 1000 }).items;
  const picked = await vs.window.showQuickPick(
    [
      { label: `$(add) New album “${cleanTitle(name, 'Photos')}”`, description: 'named after the folder', title: undefined as string | undefined },
      ...albums.map((a) => ({ label: a.title, description: items(a.indexedItems), title: a.title as string | undefined })),
    ],
    { title: `Upload ${name} to Google Photos`, placeHolder: 'Choose the album', ignoreFocusOut: true },
  );
  if (!picked) return undefined;
  const title = picked.title ?? (await askAlbumTitle(vs, name));
  if (!title) return undefined;

  const folder: SyncFolder = {
    path: folderPath,
    album: { mode: 'fixed', name: title },
    include: [],
    exclude: [],
    excludeFolders: [...DEFAULT_EXCLUDE_FOLDERS],
    mergeFolders: [...DEFAULT_MERGE_FOLDERS],
    afterUpload: 'keep',
  };
  const plan = await scanWithProgress(deps, session, [folder], `Scanning ${name}`);
  if (!plan) return undefined;
  deps.refresh();
  const preview = describePlan(plan, session.index.quota.used(session.accountId));
  if (plan.uploads.length === 0 && plan.adds.length === 0) {
    void vs.window.showInformationMessage(`Nothing to upload from ${name}: ${preview.detail}`);
    return undefined;
  }
  const go = await vs.window.showInformationMessage(preview.message, { modal: true, detail: preview.detail }, 'Upload');
  if (go !== 'Upload') return undefined;
  return runWithProgress(deps, session, plan, `Uploading ${name} to “${title}”`, {
    label: KEEP_IN_SYNC,
    // Later Sync Now runs then pick up new photos of this folder into the same album.
    run: () => keepInSync(deps, folder),
  });
}

export const KEEP_IN_SYNC = 'Keep in Sync';

async function keepInSync(deps: SyncCommandDeps, folder: SyncFolder): Promise<void> {
  const { vs } = deps;
  const config = vs.workspace.getConfiguration('photoSync');
  const raw = config.get<unknown[]>('folders') ?? [];
  if (parseSyncFolders(raw, path.isAbsolute).folders.some((f) => path.resolve(f.path) === path.resolve(folder.path))) return;
  await config.update('folders', [...raw, serializeSyncFolder(folder)], vs.ConfigurationTarget.Global);
  deps.refresh();
  void vs.window.showInformationMessage(`${folder.path} is now a sync folder: Sync Now uploads its new photos to “${folder.album.mode === 'fixed' ? folder.album.name : ''}”.`);
}

// -----------------------------------------------------------------------------------------------
// Sync Now

export async function syncNow(deps: SyncCommandDeps): Promise<SyncReport | undefined> {
  const { vs } = deps;
  const folders = readSyncFolders(vs, deps.log);
  if (folders.length === 0) {
    const add = await vs.window.showInformationMessage('No folders to sync yet. Add a photo folder to back it up to Google Photos.', 'Add Folder to Sync…');
    if (add) await vs.commands.executeCommand(SYNC_COMMANDS.addFolder);
    return undefined;
  }
  const session = await deps.session();
  if (!session) return undefined;
  const plan = await scanWithProgress(deps, session, folders, 'Scanning sync folders');
  if (!plan) return undefined;
  deps.refresh();
  for (const missing of plan.missingFolders) void vs.window.showWarningMessage(`Sync folder ${missing} is missing (disconnected drive?). Nothing in it was changed.`);
  if (plan.uploads.length === 0 && plan.adds.length === 0) {
    void vs.window.showInformationMessage(`Everything is up to date (${plan.alreadyUploaded.length.toLocaleString('en-US')} files already in Google Photos).`);
    return undefined;
  }
  const used = session.index.quota.used(session.accountId);
  if (daysNeeded(plan.cost.total, used) > 1) {
    const preview = describePlan(plan, used);
    const go = await vs.window.showWarningMessage(preview.message, { modal: true, detail: preview.detail }, 'Start');
    if (go !== 'Start') return undefined;
  }
  return runWithProgress(deps, session, plan, 'Syncing folders to Google Photos');
}

// -----------------------------------------------------------------------------------------------
// Shared steps

async function scanWithProgress(deps: SyncCommandDeps, session: SyncSession, folders: SyncFolder[], title: string): Promise<SyncPlan | undefined> {
  const { vs } = deps;
  try {
    return await vs.window.withProgress({ location: vs.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        const scans = await session.engine.scan(folders, abort.signal, (message) => progress.report({ message }));
        return session.engine.plan(scans);
      } finally {
        sub.dispose();
      }
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') return undefined;
    deps.log.error(err as Error);
    void vs.window.showErrorMessage(`Photo Sync could not scan: ${(err as Error).message}`);
    return undefined;
  }
}

async function runWithProgress(deps: SyncCommandDeps, session: SyncSession, plan: SyncPlan, title: string, action?: ReportAction): Promise<SyncReport> {
  const { vs } = deps;
  const report = await session.engine.run(plan, {
    title,
    onGroup: (group) => (deps.showProgress ? deps.showProgress(group) : notifyProgress(vs, group)),
  });
  deps.refresh();
  void showReport(deps, report, action);
  return report;
}

/** An extra button on the result message. */
export interface ReportAction {
  label: string;
  run(): Promise<void>;
}

/** A cancellable notification following a queue group (used when no queue UI adapter is given). */
function notifyProgress(vs: SyncVsCode, group: TaskGroup): void {
  void vs.window.withProgress({ location: vs.ProgressLocation.Notification, title: group.title, cancellable: true }, (progress, token) => {
    token.onCancellationRequested(() => group.cancel());
    let reported = 0;
    const update = (p: GroupProgress) => {
      const settled = p.done + p.failed + p.cancelled;
      const pct = p.total ? Math.floor((settled / p.total) * 100) : 0;
      progress.report({ message: `${settled} of ${p.total}${p.failed ? `, ${p.failed} failed` : ''}`, increment: Math.max(0, pct - reported) });
      reported = Math.max(reported, pct);
    };
    const sub = group.onProgress(update);
    return group.finished.finally(() => sub.dispose());
  });
}

export async function showReport(deps: Pick<SyncCommandDeps, 'vs' | 'log'>, report: SyncReport, action?: ReportAction): Promise<void> {
  const { vs } = deps;
  const summary = summarizeReport(report);
  for (const f of report.failed) deps.log.warn(`Not uploaded: ${f.path} — ${f.message}`);
  for (const p of report.archiveProblems) deps.log.warn(`Not archived: ${p.path} — ${p.reason}`);
  for (const w of report.warnings) deps.log.warn(w);
  deps.log.info(summary);
  // A cause only the user can fix (API not enabled in their Cloud project, grant revoked, scope
  // missing) gets its own message with the button that fixes it.
  const problem = report.errors.map((e) => describeProblem(e)).find((p) => p !== undefined);
  if (problem) void showProblem(vs, problem);
  const actions = action && !report.cancelled ? [action.label] : [];
  const pick =
    report.failed.length || report.archiveProblems.length || report.warnings.length
      ? await vs.window.showWarningMessage(summary, ...actions, 'Show Log')
      : await vs.window.showInformationMessage(summary, ...actions);
  if (pick === 'Show Log') await vs.commands.executeCommand('photoSync.showLog');
  else if (action && pick === action.label) await action.run();
}

export function summarizeReport(report: SyncReport): string {
  const parts: string[] = [];
  if (report.cancelled) parts.push('Stopped; the rest continues on the next sync.');
  parts.push(`Uploaded ${report.uploaded.toLocaleString('en-US')} file${report.uploaded === 1 ? '' : 's'}`);
  if (report.added) parts.push(`added ${report.added} already-uploaded file${report.added === 1 ? '' : 's'} to albums`);
  if (report.alreadyUploaded) parts.push(`${report.alreadyUploaded} already in Google Photos`);
  if (report.archived) parts.push(`moved ${report.archived} to the archive`);
  if (report.failed.length) parts.push(`${report.failed.length} failed: ${report.failed[0].message}${report.failed.length > 1 ? ' …' : ''}`);
  if (report.archiveProblems.length) parts.push(`${report.archiveProblems.length} not archived (${report.archiveProblems[0].reason})`);
  if (report.warnings.length) parts.push(report.warnings[0]);
  return parts.join('; ') + '.';
}

/** The preview shown before an upload: counts per outcome and the request cost. */
export function describePlan(plan: SyncPlan, usedToday: number): { message: string; detail: string } {
  const n = (x: number) => x.toLocaleString('en-US');
  const fresh = plan.uploads.filter((u) => u.reason === 'new').length;
  const changed = plan.uploads.filter((u) => u.reason === 'changed').length;
  const resumed = plan.uploads.length - fresh - changed;
  const albums = [...new Set([...plan.uploads.map((u) => u.albumTitle), ...plan.adds.map((a) => a.albumTitle)])];
  const where = albums.length === 1 ? `“${albums[0]}”` : `${albums.length} albums`;
  const message = `Upload ${n(plan.uploads.length)} file${plan.uploads.length === 1 ? '' : 's'} (${formatBytes(plan.bytesToUpload)}) to ${where}?`;
  const lines = [
    `New: ${n(fresh)}`,
    `Changed: ${n(changed)}`,
    ...(resumed ? [`Retried or resumed: ${n(resumed)}`] : []),
    `Already uploaded: ${n(plan.alreadyUploaded.length)}${plan.adds.length ? ` (+${n(plan.adds.length)} added to another album without uploading again)` : ''}`,
    `Duplicates (same bytes as another file): ${n(plan.duplicates.length)}`,
    `Excluded by rules: ${n(plan.excluded.length)}`,
    `Unsupported, too large or empty: ${n(plan.unsupported.length + plan.tooLarge.length + plan.empty.length)}`,
    ...(plan.unreadable.length ? [`Unreadable: ${n(plan.unreadable.length)}`] : []),
    ...(plan.albumsToCreate.length ? [`New albums: ${plan.albumsToCreate.slice(0, 5).join(', ')}${plan.albumsToCreate.length > 5 ? ', …' : ''}`] : []),
    '',
    `Cost: ${describeCost(plan, usedToday)}`,
    ...plan.warnings,
  ];
  return { message, detail: lines.join('\n') };
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

async function pickFolder(vs: SyncVsCode, title: string): Promise<string | undefined> {
  const picked = await vs.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, title, openLabel: 'Select Folder' });
  return picked?.[0]?.fsPath;
}

async function askAlbumTitle(vs: SyncVsCode, folderName: string): Promise<string | undefined> {
  const value = await vs.window.showInputBox({
    title: 'Album name',
    value: cleanTitle(folderName, 'Photos'),
    prompt: 'A new album in Google Photos (created on first upload, reused afterwards)',
    ignoreFocusOut: true,
    validateInput: (v) => (!v.trim() ? 'Enter an album name' : Array.from(v).length > MAX_ALBUM_TITLE ? `At most ${MAX_ALBUM_TITLE} characters` : undefined),
  });
  return value?.trim() ? cleanTitle(value, folderName) : undefined;
}

export { DAILY_REQUEST_QUOTA };
