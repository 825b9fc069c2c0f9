// The download layout's problems (localfs/layout.ts: LayoutError) in the user's language. The
// messages are made in English (the log, the command line, a setting problem's stored text); where
// VS Code shows one, translateLayoutProblem() recognises it by its template and hands the template
// and its values to `l10n.t`, as reasonText.ts does for the scanner. Unknown text is shown as it is.
import {
  CAPTURE_TIME_INVALID, CAPTURE_TIME_NOT_A_DATE, CAPTURE_TIME_NOT_RFC3339, LAYOUT_ABSOLUTE, LAYOUT_BAD_CHARACTER, LAYOUT_EMPTY, LAYOUT_EMPTY_FOLDER,
  LAYOUT_FILENAME_ONCE, LAYOUT_LEAVES_FOLDER, LAYOUT_NEEDS_ALBUM, LAYOUT_OUTSIDE, LAYOUT_UNKNOWN_TOKEN, LAYOUT_UNMATCHED_BRACE, LAYOUT_UNSAFE_FOLDER, LayoutError,
} from '../localfs/layout';
import type { SyncL10n } from './l10n';
import { translateDestinationText } from './destinationText';
import { byExactFirst, findTranslation, matchers, type Translate } from './reasonText';

// One call per template with the template's own name, so `npm run l10n` finds each message.
const PROBLEMS = matchers([
  [LAYOUT_EMPTY, (l10n, a) => l10n.t(LAYOUT_EMPTY, ...a)],
  [LAYOUT_ABSOLUTE, (l10n, a) => l10n.t(LAYOUT_ABSOLUTE, ...a)],
  [LAYOUT_EMPTY_FOLDER, (l10n, a) => l10n.t(LAYOUT_EMPTY_FOLDER, ...a)],
  [LAYOUT_LEAVES_FOLDER, (l10n, a) => l10n.t(LAYOUT_LEAVES_FOLDER, ...a)],
  [LAYOUT_UNKNOWN_TOKEN, (l10n, a) => l10n.t(LAYOUT_UNKNOWN_TOKEN, ...a)],
  [LAYOUT_UNMATCHED_BRACE, (l10n, a) => l10n.t(LAYOUT_UNMATCHED_BRACE, ...a)],
  [LAYOUT_BAD_CHARACTER, (l10n, a) => l10n.t(LAYOUT_BAD_CHARACTER, ...a)],
  [LAYOUT_UNSAFE_FOLDER, (l10n, a) => l10n.t(LAYOUT_UNSAFE_FOLDER, ...a)],
  [LAYOUT_FILENAME_ONCE, (l10n, a) => l10n.t(LAYOUT_FILENAME_ONCE, ...a)],
  [LAYOUT_NEEDS_ALBUM, (l10n, a) => l10n.t(LAYOUT_NEEDS_ALBUM, ...a)],
  [LAYOUT_OUTSIDE, (l10n, a) => l10n.t(LAYOUT_OUTSIDE, ...a)],
  [CAPTURE_TIME_INVALID, (l10n) => l10n.t(CAPTURE_TIME_INVALID)],
  [CAPTURE_TIME_NOT_RFC3339, (l10n, a) => l10n.t(CAPTURE_TIME_NOT_RFC3339, ...a)],
  [CAPTURE_TIME_NOT_A_DATE, (l10n, a) => l10n.t(CAPTURE_TIME_NOT_A_DATE, ...a)],
] as [string, Translate][]).sort(byExactFirst);

/** A layout problem's English text in the user's language; text no template knows comes back as it is. */
export function translateLayoutProblem(stored: string, l10n: SyncL10n): string {
  return findTranslation(PROBLEMS, stored, l10n) ?? stored;
}

/** An error's message for the user: a LayoutError in the user's language (from its own template and values), any other as it is. */
export function errorMessageFor(err: unknown, l10n: SyncL10n): string {
  if (err instanceof LayoutError) return translateLayoutProblem(err.message, l10n);
  return err instanceof Error ? translateDestinationText(err.message, l10n) : String(err);
}
