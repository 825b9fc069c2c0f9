// Why the queue failed a task, in its own words. Stored in English (the journal's lastError, the log,
// the command line); the Activity view translates them where it shows them (src/sync/failureText.ts).
import { englishL10n } from '../util/englishL10n';

export const TASK_DEPENDENCY_FAILED = 'A task it depends on did not finish.';
/** {0}: the last error's message (often the service's own words); {1}: the number of attempts. */
export const TASK_GAVE_UP = '{0} (gave up after {1} attempts)';
/** A failed task that kept no reason. */
export const TASK_FAILED_NO_REASON = 'failed';

/** A queue failure as stored: English, the template with its values. */
export function englishFailure(template: string, ...args: (string | number)[]): string {
  return englishL10n.t(template, ...args);
}
