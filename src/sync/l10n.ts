// How src/sync says things a user reads (task titles, progress verbs) without importing vscode at
// run time: callers pass `vs.l10n` (the extension) or leave the default, englishL10n (the command
// line, tests). Messages keep `{0}` placeholders, so `npm run l10n` finds them for translators.
import type * as vscode from 'vscode';
import { englishL10n } from '../util/englishL10n';

export type SyncL10n = Pick<typeof vscode.l10n, 't'>;

/** The l10n to use: the one passed in, else English. */
export function l10nOr(l10n: SyncL10n | undefined): SyncL10n {
  return l10n ?? englishL10n;
}
