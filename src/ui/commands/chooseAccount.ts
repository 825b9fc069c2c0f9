// Choose Account… (a sync folder's row, the palette, the "signed out" message of Sync Now): which
// signed-in account a sync folder syncs with — one of the accounts of its destination's sign-in, or
// a new sign-in. Saved as the folder's `account`. The folders that had no choice of their own keep
// syncing with the account they used so far (it is written into them), so a new default never
// moves them into another library.
import type * as vscode from 'vscode';
import type { SyncFolder } from '../../sync/config';
import { accountSettingValue, namesAccount, resolveFolderAccount, type SignedInAccount } from '../../sync/folderAccount';
import { readSyncFolders } from '../syncFolders';
import { samePath, updateFolderAccounts } from '../folderAccountSetting';
import type { SyncCommandDeps, SyncVsCode } from './deps';
import { syncFolderOf } from './reviewBeforeSync';
import { folderName } from './steps';
import { pickSyncFolder } from './pickers';

/** What the command needs to know of a destination kind. */
export interface AccountDestination {
  id: string;
  displayName: string;
  authProviderId: string;
  scopes: readonly string[];
}

export type ChooseAccountDeps = Omit<SyncCommandDeps, 'vs'> & { vs: SyncVsCode & Pick<typeof vscode, 'authentication'> };

type Pick_ = vscode.QuickPickItem & { account?: SignedInAccount; signIn?: true };

/** Returns the account the folder now syncs with (undefined: nothing changed). */
export async function chooseAccount(deps: ChooseAccountDeps, kinds: readonly AccountDestination[], arg?: unknown, options: { signIn?: boolean } = {}): Promise<string | undefined> {
  const { vs } = deps;
  const folders = readSyncFolders(vs, deps.log);
  const folder = syncFolderOf(folders, arg) ?? (await pickSyncFolder(vs, folders, vs.l10n.t('Choose Account'), vs.l10n.t('No sync folders yet: add a folder first, then choose the account it syncs with.')));
  if (!folder) return undefined;
  const kind = kinds.find((k) => k.id === folder.destination);
  if (!kind) {
    void vs.window.showWarningMessage(vs.l10n.t('{0} syncs to "{1}", which Photo Sync does not know.', folder.path, folder.destination));
    return undefined;
  }
  const accounts = deps.accounts?.(kind.id) ?? [];
  const before = resolveFolderAccount(folder, accounts);

  // "Sign In" from Sync Now's message: sign in as the account the folder names.
  if (options.signIn && folder.account) {
    const account = await signInAnother(deps, kind, folder.account);
    if (!account) return undefined;
    if (namesAccount(folder.account, account)) {
      deps.refresh();
      void vs.window.showInformationMessage(vs.l10n.t('Signed in as {0}: Sync Now syncs {1} again.', accountSettingValue(account), folderName(folder.path)));
      return accountSettingValue(account);
    }
    // Signed in as someone else: the folder is not moved to that account without the user saying so.
    return save(deps, kinds, kind, folder, account, accounts, { askFirst: true });
  }

  const current = before.state === 'ok' ? before.account.id : undefined;
  const items: Pick_[] = accounts.map((a, i) => ({
    label: `$(account) ${accountSettingValue(a)}`,
    description: a.id === current ? vs.l10n.t('current') : i === 0 && !folder.account ? vs.l10n.t('default') : undefined,
    account: a,
  }));
  items.push({ label: vs.l10n.t('$(add) Sign in with another account…'), signIn: true });
  const title = vs.l10n.t('{0} account for {1}', kind.displayName, folderName(folder.path));
  const placeHolder = before.state === 'signedOut' ? vs.l10n.t('{0} is not signed in; choose the account this folder syncs with', before.wanted) : vs.l10n.t('The account this folder syncs with');
  const picked = await vs.window.showQuickPick(items, { title, placeHolder, ignoreFocusOut: true });
  if (!picked) return undefined;
  const account = picked.signIn ? await signInAnother(deps, kind) : picked.account;
  if (!account) return undefined;
  return save(deps, kinds, kind, folder, account, accounts, { askFirst: false });
}

/** A new sign-in to the destination's service (VS Code's account picker, then the browser). */
async function signInAnother(deps: ChooseAccountDeps, kind: AccountDestination, hint?: string): Promise<SignedInAccount | undefined> {
  const { vs } = deps;
  try {
    const session = await vs.authentication.getSession(kind.authProviderId, [...kind.scopes], {
      forceNewSession: { detail: vs.l10n.t('Sign in with the account the sync folder should use.') },
      // A named account: VS Code asks for it (and warns if another is chosen). Any other: VS Code must not
      // ask for the account it prefers (it would call a different choice "incorrect"), so its preference is cleared.
      ...(hint ? { account: { id: hint, label: hint } } : { clearSessionPreference: true }),
    });
    return session ? { id: session.account.id, label: session.account.label } : undefined;
  } catch (err) {
    // The provider already told the user what went wrong; here it is only logged.
    deps.log.info(`Sign-in for a sync folder ended without a session: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

async function save(deps: ChooseAccountDeps, kinds: readonly AccountDestination[], kind: AccountDestination, folder: SyncFolder, account: SignedInAccount, before: readonly SignedInAccount[], options: { askFirst: boolean }): Promise<string | undefined> {
  const { vs } = deps;
  const value = accountSettingValue(account);
  if (options.askFirst) {
    const use = vs.l10n.t('Use {0}', value);
    const answer = await vs.window.showWarningMessage(vs.l10n.t('You signed in as {0}, not {1}. Sync {2} with {0} from now on?', value, folder.account ?? '', folderName(folder.path)), { modal: true }, use);
    if (answer !== use) return undefined;
  }
  // Folders of the same sign-in that had no account of their own stay with the one they used (the
  // first signed in), so choosing or adding an account never moves them.
  const folders = readSyncFolders(vs, deps.log);
  const previousDefault = before[0];
  const sameSignIn = (f: SyncFolder) => kinds.find((k) => k.id === f.destination)?.authProviderId === kind.authProviderId;
  const pinned = new Set(folders.filter((f) => !f.account && !samePath(f.path, folder.path) && sameSignIn(f)).map((f) => f.path));
  const changed = await updateFolderAccounts(vs, (p, current) => (samePath(p, folder.path) ? value : pinned.has(p) && !current && previousDefault ? accountSettingValue(previousDefault) : undefined));
  if (!changed.some((p) => samePath(p, folder.path)) && folder.account !== value) {
    void vs.window.showWarningMessage(vs.l10n.t('{0} is not in the photoSync.folders setting; its account was not saved.', folder.path));
    return undefined;
  }
  for (const p of changed) if (!samePath(p, folder.path)) deps.log.info(`${p} keeps syncing with ${accountSettingValue(previousDefault as SignedInAccount)} (written into its settings).`);
  deps.log.info(`${folder.path} now syncs with ${value}.`);
  deps.refresh();
  void vs.window.showInformationMessage(vs.l10n.t('{0} syncs with {1} from now on.', folderName(folder.path), value));
  return value;
}
