// Sync folders grouped by the account they sync with, and the message for a folder whose account is
// signed out: it is not synced (never into another account) and the user is offered Sign In or
// Choose Account….
import { accountSettingValue, resolveFolderAccount } from '../../sync/folderAccount';
import type { SyncFolder } from '../../sync/config';
import type { SyncCommandDeps } from './deps';
import { SYNC_COMMANDS } from './deps';
import { folderName } from './steps';
import { pickAccount } from './pickers';

export interface AccountGroup {
  /** The account's id; undefined: nobody is signed in yet (the session asks). */
  account?: string;
  folders: SyncFolder[];
}

/** One destination's folders by account, in the order of the signed-in accounts. */
export function byAccount(deps: Pick<SyncCommandDeps, 'accounts'>, destination: string, folders: readonly SyncFolder[]): { groups: AccountGroup[]; signedOut: SyncFolder[] } {
  if (!deps.accounts) return { groups: [{ folders: [...folders] }], signedOut: [] };
  const signedIn = deps.accounts(destination);
  const groups = new Map<string | undefined, SyncFolder[]>();
  const signedOut: SyncFolder[] = [];
  for (const f of folders) {
    const r = resolveFolderAccount(f, signedIn);
    if (r.state === 'signedOut') signedOut.push(f);
    else {
      const key = r.state === 'ok' ? r.account.id : undefined;
      groups.set(key, [...(groups.get(key) ?? []), f]);
    }
  }
  return { groups: [...groups].map(([account, list]) => ({ account, folders: list })), signedOut };
}

/** "Photos syncs with ann@example.com, who is not signed in: not synced." with Sign In / Choose Account…. */
export function reportSignedOut(deps: Pick<SyncCommandDeps, 'vs' | 'log'>, folder: SyncFolder): void {
  const { vs } = deps;
  const signIn = vs.l10n.t('Sign In');
  const choose = vs.l10n.t('Choose Account…');
  deps.log.warn(`Not synced: ${folder.path} syncs with ${folder.account}, which is not signed in.`);
  void vs.window
    .showWarningMessage(vs.l10n.t('{0} syncs with {1}, which is not signed in: it was not synced (nothing goes to another account). Sign in as {1} or choose another account for it.', folderName(folder.path), folder.account ?? ''), signIn, choose)
    .then((answer) => {
      if (answer === signIn) return vs.commands.executeCommand(SYNC_COMMANDS.chooseAccount, folder.path, { signIn: true });
      if (answer === choose) return vs.commands.executeCommand(SYNC_COMMANDS.chooseAccount, folder.path);
      return undefined;
    });
}

/**
 * With more than one account of the destination's sign-in, asks which one (the default first).
 * Returns its name for the folder's `account`, undefined when there was nothing to ask, null when cancelled.
 */
export async function askAccount(deps: Pick<SyncCommandDeps, 'vs' | 'accounts'>, destination: string, title: string): Promise<string | undefined | null> {
  const accounts = deps.accounts?.(destination) ?? [];
  if (accounts.length <= 1) return undefined;
  const answer = await pickAccount(deps.vs, accounts, title);
  return answer?.account ? accountSettingValue(answer.account) : null;
}
