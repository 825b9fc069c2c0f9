// Upload Folder to Google Photos… (Explorer context menu and palette): choose an album, see a
// preview of counts and quota cost, then upload; "Keep in Sync" on the result adds the folder to the
// sync folders so later Sync Now runs pick up its new photos into the same album.
import type * as vscode from 'vscode';
import { cleanTitle } from '../../sync/albums';
import { DEFAULT_DESTINATION, DEFAULT_EXCLUDE_FOLDERS, DEFAULT_MERGE_FOLDERS, type AlbumRule, type SyncFolder } from '../../sync/config';
import { describeAlbumRule } from '../../sync/folderStatus';
import type { SyncReport } from '../../sync/upload/pipeline';
import { addSyncFolderSetting } from '../syncFolders';
import { describePlan } from '../syncReport';
import { items } from '../treeNodes';
import type { SyncCommandDeps } from './deps';
import { askAlbumTitle, exclusively, folderName, pickFolder, runWithProgress } from './steps';
import { openReview, REVIEW_ABOVE, scanSteps } from './reviewBeforeSync';
import { askTemplate } from './addFolder';
import { askAccount } from './folderAccounts';

export const KEEP_IN_SYNC = 'Keep in Sync';

export async function uploadFolder(deps: SyncCommandDeps, uri?: vscode.Uri): Promise<SyncReport | undefined> {
  const { vs } = deps;
  const folderPath = uri?.fsPath ?? (await pickFolder(vs, vs.l10n.t('Upload Folder to Google Photos')));
  if (!folderPath) return undefined;
  // Several accounts signed in: which library the photos go to.
  const account = await askAccount(deps, DEFAULT_DESTINATION, vs.l10n.t('Google Photos account for {0}', folderName(folderPath)));
  if (account === null) return undefined;
  const session = await deps.session(DEFAULT_DESTINATION, account);
  if (!session) return undefined;
  const provider = session.pipeline.provider;
  const name = folderName(folderPath);

  const albums = session.index.albums.listWithCounts({ accountId: session.accountId, provider: provider.id, appCreatedOnly: true }, { limit: 1000 }).items;
  type Choice = vscode.QuickPickItem & { title?: string; rule?: 'subfolders' | 'template' };
  const picked = await vs.window.showQuickPick<Choice>(
    [
      { label: vs.l10n.t('$(add) New album “{0}”', cleanTitle(name, 'Photos')), description: vs.l10n.t('named after the folder') },
      // The album rules Add Folder to Sync offers, here too.
      { label: vs.l10n.t('$(list-tree) One album per sub-folder'), detail: vs.l10n.t('Each sub-folder becomes an album named after it; files directly in {0} go to “{1}”.', name, cleanTitle(name, 'Photos')), rule: 'subfolders' },
      { label: vs.l10n.t('$(symbol-string) Album names from a template…'), detail: vs.l10n.t('e.g. {year}-{month} {folder} (date from EXIF)'), rule: 'template' },
      ...albums.map((a) => ({ label: a.title, description: items(a.indexedItems), title: a.title })),
    ],
    { title: vs.l10n.t('Upload {0} to {1}', name, provider.displayName), placeHolder: vs.l10n.t('Choose the album'), ignoreFocusOut: true },
  );
  if (!picked) return undefined;
  let album: AlbumRule;
  if (picked.rule === 'subfolders') album = { mode: 'subfolders' };
  else if (picked.rule === 'template') {
    const rule = await askTemplate(vs);
    if (!rule) return undefined;
    album = rule;
  } else {
    const name2 = picked.title ?? (await askAlbumTitle(vs, name, provider.displayName));
    if (!name2) return undefined;
    album = { mode: 'fixed', name: name2 };
  }
  const title = album.mode === 'fixed' ? album.name : describeAlbumRule({ album } as SyncFolder);
  // "“Trip”" for one album; the rule's own words ("one album per sub-folder") otherwise.
  const target = album.mode === 'fixed' ? `“${title}”` : title;
  const runTitle = album.mode === 'fixed' ? vs.l10n.t('Uploading {0} to “{1}”', name, title) : vs.l10n.t('Uploading {0} ({1})', name, title);

  const folder: SyncFolder = {
    path: folderPath,
    destination: DEFAULT_DESTINATION,
    album,
    include: [],
    exclude: [],
    excludeFolders: [...DEFAULT_EXCLUDE_FOLDERS],
    mergeFolders: [...DEFAULT_MERGE_FOLDERS],
    afterUpload: 'keep',
    ...(account ? { account } : {}),
  };
  return exclusively(deps, session, [folder], async (lease) => {
    const scans = await scanSteps(deps, session, [folder], `Scanning ${name}`);
    if (!scans) return undefined;
    // In chunks: a folder of 100,000 files does not freeze the window while it is planned.
    const plan = await session.pipeline.planInChunks(scans);
    deps.refresh();
    const preview = describePlan(plan, session.quotaUsed(), provider.rules.quota, vs.l10n);
    if (plan.uploads.length === 0 && plan.adds.length === 0) {
      void vs.window.showInformationMessage(vs.l10n.t('Nothing to upload from {0}: {1}', name, preview.detail));
      return undefined;
    }
    // More than a handful of files: the review lists each with its action (the plan is made again there).
    if (deps.review && plan.uploads.length + plan.adds.length > REVIEW_ABOVE) {
      openReview(deps, session, scans, { title: album.mode === 'fixed' ? vs.l10n.t('Upload {0} to “{1}”', name, title) : vs.l10n.t('Upload {0} ({1})', name, title), runTitle, saveExcludes: false, plan, action: keepInSync(deps, folder, target) });
      return undefined;
    }
    const go = await vs.window.showInformationMessage(preview.message, { modal: true, detail: preview.detail }, vs.l10n.t('Upload'));
    if (go !== vs.l10n.t('Upload')) return undefined;
    return runWithProgress(deps, session, plan, runTitle, lease, keepInSync(deps, folder, target));
  });
}

/** "Keep in Sync" on the result: the folder (with any rules the review added) becomes a sync folder. */
function keepInSync(deps: SyncCommandDeps, folder: SyncFolder, target: string) {
  const { vs } = deps;
  return {
    label: vs.l10n.t(KEEP_IN_SYNC),
    run: async () => {
      if (!(await addSyncFolderSetting(vs, folder))) return;
      deps.refresh();
      void vs.window.showInformationMessage(vs.l10n.t('{0} is now a sync folder: Sync Now uploads its new photos to {1}.', folder.path, target));
    },
  };
}
