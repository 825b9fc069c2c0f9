// Authorization problems in the terminal's words: the extension's descriptions (auth/messages.ts),
// with its buttons turned into the command to run or the page to open.
import { describeProblem } from '../auth/messages';
import { englishL10n } from '../util/englishL10n';
import { redactSecrets } from '../util/redact';

const COMMANDS: Record<string, string> = {
  'photoSync.signIn': 'photo-sync login',
  'photoSync.setupClient': 'photo-sync setup-client <client_secret.json>',
};

/** One line saying what went wrong and what to do, or undefined when `err` is not about authorization. */
export function problemLine(err: unknown): string | undefined {
  const problem = describeProblem(err, englishL10n);
  if (!problem) return undefined;
  const next = problem.actions.map((a) => (a.command ? COMMANDS[a.command] && `Run: ${COMMANDS[a.command]}` : a.url && `See ${a.url}`)).filter(Boolean);
  return [problem.text, ...new Set(next)].join(' ');
}

/** A message for any error: the problem line when there is one, else the (redacted) error text. */
export function errorLine(err: unknown): string {
  return problemLine(err) ?? redactSecrets(err instanceof Error ? err.message : String(err));
}
