// Add Folder to Sync…: choose how photos go into albums and what happens after upload, then save
// the folder in photoSync.folders and offer Sync Now.
import type * as vscode from 'vscode';
import { DEFAULT_EXCLUDE_FOLDERS, DEFAULT_MERGE_FOLDERS, type AlbumRule, type SyncFolder } from '../../sync/config';
import { addSyncFolderSetting } from '../syncFolders';
import type { SyncCommandDeps } from './deps';
import { SYNC_COMMANDS } from './deps';
import { askAlbumTitle, folderName, pickFolder } from './steps';
import { askAccount } from './folderAccounts';

export async function addFolder(deps: SyncCommandDeps, uri?: vscode.Uri): Promise<SyncFolder | undefined> {
  const { vs } = deps;
  const folderPath = uri?.fsPath ?? (await pickFolder(vs, vs.l10n.t('Add Folder to Sync')));
  if (!folderPath) return undefined;
  const name = folderName(folderPath);
  const destination = await askDestination(deps, name);
  if (!destination) return undefined;
  // Several accounts signed in: which one this folder syncs with (saved, so it never changes by itself).
  const account = await askAccount(deps, destination.id, vs.l10n.t('{0} account for {1}', destination.displayName, name));
  if (account === null) return undefined;
  const album = await askAlbumRule(deps, name, destination.displayName);
  if (!album) return undefined;
  const after = await vs.window.showQuickPick(
    [
      { label: vs.l10n.t('Keep files where they are'), description: vs.l10n.t('default'), value: 'keep' as const },
      { label: vs.l10n.t('Move uploaded files to an archive folder…'), detail: vs.l10n.t('Only after the upload was confirmed; the sub-folder layout is kept; nothing is overwritten.'), value: 'archive' as const },
    ],
    { title: vs.l10n.t('After upload'), ignoreFocusOut: true },
  );
  if (!after) return undefined;
  let archivePath: string | undefined;
  if (after.value === 'archive') {
    archivePath = await pickFolder(vs, 'Archive Folder');
    if (!archivePath) return undefined;
  }
  const folder: SyncFolder = {
    path: folderPath,
    destination: destination.id,
    album,
    include: [],
    exclude: [],
    excludeFolders: [...DEFAULT_EXCLUDE_FOLDERS],
    mergeFolders: [...DEFAULT_MERGE_FOLDERS],
    afterUpload: after.value,
    archivePath,
    ...(account ? { account } : {}),
  };
  if (!(await addSyncFolderSetting(vs, folder))) {
    void vs.window.showInformationMessage(vs.l10n.t('{0} is already a sync folder.', folderPath));
    return undefined;
  }
  deps.refresh();
  const sync = await vs.window.showInformationMessage(vs.l10n.t('Added {0} to the sync folders.', folderPath), vs.l10n.t('Sync Now'));
  if (sync === vs.l10n.t('Sync Now')) await vs.commands.executeCommand(SYNC_COMMANDS.syncNow);
  return folder;
}

/** Where the folder is backed up; asked only when there is more than one destination. */
async function askDestination(deps: SyncCommandDeps, name: string): Promise<{ id: string; displayName: string } | undefined> {
  if (deps.destinations.length <= 1) return deps.destinations[0];
  const picked = await deps.vs.window.showQuickPick(
    deps.destinations.map((d, i) => ({ label: d.displayName, description: i === 0 ? 'default' : undefined, destination: d })),
    { title: deps.vs.l10n.t('Back up {0} to', name), placeHolder: deps.vs.l10n.t('Where should this folder be backed up?'), ignoreFocusOut: true },
  );
  return picked?.destination;
}

/** How a folder's photos go into albums: one per sub-folder (default), one named album, or a template. */
export async function askAlbumRule(deps: Pick<SyncCommandDeps, 'vs'>, name: string, destination = 'Google Photos'): Promise<AlbumRule | undefined> {
  const { vs } = deps;
  const choice = await vs.window.showQuickPick(
    [
      { label: vs.l10n.t('One album per sub-folder'), description: vs.l10n.t('default'), detail: vs.l10n.t('Each sub-folder becomes an album named after it; files directly in the folder go to “{0}”. Folders starting with _ join their parent\'s album.', name), rule: 'subfolders' as const },
      { label: vs.l10n.t('One album for everything…'), detail: vs.l10n.t('All photos of the folder and its sub-folders go to one album you name.'), rule: 'fixed' as const },
      { label: vs.l10n.t('Album names from a template…'), detail: vs.l10n.t('e.g. {year}-{month} {folder}; tokens {folder} {parent} {path} {year} {month} {day} (date from EXIF).'), rule: 'template' as const },
    ],
    { title: vs.l10n.t('Albums for {0}', name), placeHolder: vs.l10n.t('How should photos be put into albums?'), ignoreFocusOut: true },
  );
  if (!choice) return undefined;
  if (choice.rule === 'fixed') {
    const title = await askAlbumTitle(vs, name, destination);
    return title ? { mode: 'fixed', name: title } : undefined;
  }
  if (choice.rule === 'template') return askTemplate(vs);
  return { mode: 'subfolders' };
}

/** An album name template ("{year}-{month} {folder}"). */
export async function askTemplate(vs: Pick<SyncCommandDeps['vs'], 'window' | 'l10n'>): Promise<AlbumRule | undefined> {
  const template = await vs.window.showInputBox({
    title: vs.l10n.t('Album name template'),
    value: '{year}-{month} {folder}',
    prompt: vs.l10n.t('Tokens: {folder} {parent} {path} {year} {month} {day}'),
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : vs.l10n.t('Enter a template, e.g. {year} {folder}')),
  });
  return template ? { mode: 'template', template } : undefined;
}
