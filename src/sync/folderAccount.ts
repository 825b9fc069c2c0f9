// Which signed-in account a sync folder syncs with. A folder names its account by label (the email
// VS Code's sessions show) or id; without one it uses the default account — the first signed in.
// A named account that is not signed in is reported as such: never another account in its place,
// which would upload into someone else's library.
import type { SyncFolder } from './config';

export interface SignedInAccount {
  id: string;
  label?: string;
}

export type FolderAccount =
  /** Sync with this account. `chosen`: the folder names it (else it is the default). */
  | { state: 'ok'; account: SignedInAccount; chosen: boolean }
  /** The folder names an account that is not signed in. */
  | { state: 'signedOut'; wanted: string }
  /** No account is signed in and the folder names none: signing in is up to the user. */
  | { state: 'none' };

/** True when `name` (a label or an id) names this account; emails compare without case. */
export function namesAccount(name: string, account: SignedInAccount): boolean {
  const wanted = name.trim().toLowerCase();
  return account.id.toLowerCase() === wanted || (account.label ?? '').trim().toLowerCase() === wanted;
}

export function resolveFolderAccount(folder: Pick<SyncFolder, 'account'>, signedIn: readonly SignedInAccount[]): FolderAccount {
  if (folder.account) {
    const account = signedIn.find((a) => namesAccount(folder.account as string, a));
    return account ? { state: 'ok', account, chosen: true } : { state: 'signedOut', wanted: folder.account };
  }
  const first = signedIn[0];
  return first ? { state: 'ok', account: first, chosen: false } : { state: 'none' };
}

/** What a folder's settings should say to sync with `account`: its label (what the user reads), else its id. */
export function accountSettingValue(account: SignedInAccount): string {
  return account.label?.trim() || account.id;
}

/**
 * The account as a folder's row shows it: an email's name part ("ann" for ann@example.com), whole
 * where another signed-in account shares that part. The tooltip has it in full.
 */
export function shortAccountName(account: SignedInAccount | string, signedIn: readonly SignedInAccount[]): string {
  const full = typeof account === 'string' ? account : accountSettingValue(account);
  const at = full.indexOf('@');
  if (at <= 0) return full;
  const name = full.slice(0, at);
  const clash = signedIn.some((a) => accountSettingValue(a).toLowerCase() !== full.toLowerCase() && accountSettingValue(a).toLowerCase().startsWith(`${name.toLowerCase()}@`));
  return clash ? full : name;
}
