// The two questions several commands ask: which sync folder (Choose Account…, Review Before Sync) and
// which signed-in account (Import from Google Photos, Download Album / by Year from the palette,
// Add Folder with several accounts). One account, or a folder named by the command's argument, asks
// nothing.
import type * as vscode from 'vscode';
import type { SyncFolder } from '../../sync/config';
import { accountSettingValue, type SignedInAccount } from '../../sync/folderAccount';
import { folderName } from './steps';

type PickVs = Pick<typeof vscode, 'window' | 'l10n'>;

/**
 * Which sync folder: `emptyMessage` when there is none, else a quick pick. Undefined when there is
 * none or the user cancelled.
 */
export async function pickSyncFolder(vs: PickVs, folders: readonly SyncFolder[], title: string, emptyMessage: string): Promise<SyncFolder | undefined> {
  if (folders.length === 0) {
    void vs.window.showInformationMessage(emptyMessage);
    return undefined;
  }
  const picked = await vs.window.showQuickPick(
    folders.map((f) => ({ label: folderName(f.path), description: f.path, folder: f })),
    { title, placeHolder: vs.l10n.t('Which sync folder?') },
  );
  return picked?.folder;
}

/** What `pickAccount` answers: `account` undefined when nobody is signed in (the session asks to sign in). */
export type AccountAnswer = { account?: SignedInAccount };

/**
 * Which signed-in account: none signed in → `{}` (signing in is the session's business), one → it,
 * several → a quick pick, the default (first signed in) first. Undefined when cancelled.
 */
export async function pickAccount(vs: PickVs, accounts: readonly SignedInAccount[], title: string): Promise<AccountAnswer | undefined> {
  if (accounts.length <= 1) return { account: accounts[0] };
  const picked = await vs.window.showQuickPick(
    accounts.map((a, i) => ({ label: `$(account) ${accountSettingValue(a)}`, description: i === 0 ? vs.l10n.t('default') : undefined, account: a })),
    { title, placeHolder: vs.l10n.t('Which account?'), ignoreFocusOut: true },
  );
  return picked ? { account: picked.account } : undefined;
}
