// The one place a Flickr sign-in failure turns into words and a next step (shown with auth/messages'
// showProblem). The error's own message already says what happened; this adds the buttons.
import type { Problem, ProblemAction } from '../messages';
import { redactSecrets } from '../../util/redact';
import { toFlickrAuthError } from './authError';
import { FLICKR_YOUR_APPS_URL } from './keyStore';

export const FLICKR_COMMANDS = { setupKey: 'photoSync.setupFlickrKey', signIn: 'photoSync.signInFlickr', signOut: 'photoSync.signOutFlickr' } as const;

const SIGN_IN: ProblemAction = { title: 'Sign In to Flickr', command: FLICKR_COMMANDS.signIn };
const SET_UP_KEY: ProblemAction = { title: 'Set Up Flickr API Key…', command: FLICKR_COMMANDS.setupKey };
const YOUR_APPS: ProblemAction = { title: 'Open Your Flickr Apps', url: FLICKR_YOUR_APPS_URL };

/** What to tell the user about a Flickr sign-in failure; undefined for their own cancel and for other errors. */
export function describeFlickrProblem(err: unknown): Problem | undefined {
  const auth = toFlickrAuthError(err);
  if (!auth || auth.kind === 'cancelled') return undefined;
  const text = redactSecrets(auth.message);
  switch (auth.kind) {
    case 'noKey':
      return { severity: 'warning', text: `${text} Get a key on Flickr (a non-commercial key is granted at once) and enter it with its secret.`, actions: [SET_UP_KEY, YOUR_APPS] };
    case 'invalidKey':
    case 'wrongSecret':
      return { severity: 'error', text, actions: [SET_UP_KEY, YOUR_APPS] };
    case 'tokenRejected':
    case 'keyChanged':
    case 'signedOut':
    case 'verifierRejected':
    case 'timeout':
      return { severity: 'warning', text, actions: [SIGN_IN] };
    case 'inProgress':
      return { severity: 'warning', text, actions: [] };
    default:
      return { severity: 'error', text, actions: [SIGN_IN] };
  }
}
