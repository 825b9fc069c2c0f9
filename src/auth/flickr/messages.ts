// The one place a Flickr sign-in failure turns into words and a next step (shown with auth/messages'
// showProblem). The error's own message already says what happened; this adds the buttons.
import type * as vscode from 'vscode';
import type { Problem, ProblemAction } from '../messages';
import { redactSecrets } from '../../util/redact';
import { toFlickrAuthError } from './authError';
import { FLICKR_YOUR_APPS_URL } from './keyStore';

export const FLICKR_COMMANDS = { setupKey: 'photoSync.setupFlickrKey', signIn: 'photoSync.signInFlickr', signOut: 'photoSync.signOutFlickr' } as const;

type L10n = Pick<typeof vscode.l10n, 't'>;

const signIn = (l10n: L10n): ProblemAction => ({ title: l10n.t('Sign In to Flickr'), command: FLICKR_COMMANDS.signIn });
const setUpKey = (l10n: L10n): ProblemAction => ({ title: l10n.t('Set Up Flickr API Key…'), command: FLICKR_COMMANDS.setupKey });
const yourApps = (l10n: L10n): ProblemAction => ({ title: l10n.t('Open Your Flickr Apps'), url: FLICKR_YOUR_APPS_URL });

/** What to tell the user about a Flickr sign-in failure; undefined for their own cancel and for other errors. */
export function describeFlickrProblem(err: unknown, l10n: L10n): Problem | undefined {
  const auth = toFlickrAuthError(err);
  if (!auth || auth.kind === 'cancelled') return undefined;
  const text = redactSecrets(auth.message);
  switch (auth.kind) {
    case 'noKey':
      return { severity: 'warning', text: l10n.t('{0} Get a key on Flickr (a non-commercial key is granted at once) and enter it with its secret.', text), actions: [setUpKey(l10n), yourApps(l10n)] };
    case 'invalidKey':
    case 'wrongSecret':
      return { severity: 'error', text, actions: [setUpKey(l10n), yourApps(l10n)] };
    case 'tokenRejected':
    case 'keyChanged':
    case 'signedOut':
    case 'verifierRejected':
    case 'timeout':
      return { severity: 'warning', text, actions: [signIn(l10n)] };
    case 'inProgress':
      return { severity: 'warning', text, actions: [] };
    default:
      return { severity: 'error', text, actions: [signIn(l10n)] };
  }
}
