import type * as vscode from 'vscode';
import { toAuthError, type AuthError } from './authError';
import { redactSecrets } from '../util/redact';

/** A button under a message: runs a command or opens a web page. */
export interface ProblemAction {
  title: string;
  command?: string;
  url?: string;
}

/** What to tell the user about a failure, and what they can do next. */
export interface Problem {
  severity: 'error' | 'warning';
  text: string;
  actions: ProblemAction[];
}

export const CONSOLE = {
  credentials: 'https://console.cloud.google.com/apis/credentials',
  consentScreen: 'https://console.cloud.google.com/auth/audience',
  library: (service: string, project?: string) =>
    `https://console.cloud.google.com/apis/library/${encodeURIComponent(service)}${project ? `?project=${encodeURIComponent(project)}` : ''}`,
};

type L10n = Pick<typeof vscode.l10n, 't'>;

const signInAgain = (l10n: L10n): ProblemAction => ({ title: l10n.t('Sign In Again'), command: 'photoSync.signIn' });
const setUpClient = (l10n: L10n): ProblemAction => ({ title: l10n.t('Set Up Google OAuth Client…'), command: 'photoSync.setupClient' });
const credentialsPage = (l10n: L10n): ProblemAction => ({ title: l10n.t('Open Credentials Page'), url: CONSOLE.credentials });
const consentSettings = (l10n: L10n): ProblemAction => ({ title: l10n.t('Open Consent Screen Settings'), url: CONSOLE.consentScreen });

/**
 * The single place that turns a sign-in or authorization failure into words. Also used by the
 * upload and picker code for SERVICE_DISABLED and insufficient-scope answers of the Photos APIs.
 * Returns undefined for failures that are not about authorization (and for a user's own cancel).
 * `l10n` is VS Code's (translated) or util/englishL10n (the command line).
 */
export function describeProblem(err: unknown, l10n: L10n): Problem | undefined {
  const auth = toAuthError(err);
  if (!auth || auth.kind === 'cancelled') return undefined;
  const problem = describeAuthError(auth, l10n);
  return { ...problem, text: redactSecrets(problem.text) };
}

function describeAuthError(err: AuthError, l10n: L10n): Problem {
  const d = err.detail;
  switch (err.kind) {
    case 'noClient':
      return warn(l10n.t('Photo Sync signs in with your own Google OAuth client, and none is set up yet. Import the client_secret.json of a "Desktop app" client from the Google Cloud console.'), [setUpClient(l10n)]);
    case 'signedOut':
      return warn(l10n.t('Photo Sync is not signed in to Google Photos. Sign in to continue.'), [{ title: l10n.t('Sign In to Google Photos'), command: 'photoSync.signIn' }]);
    case 'invalidClientFile':
      return error(l10n.t('That is not a usable OAuth client file: {0} Download the JSON of a "Desktop app" OAuth client from Google Cloud console → APIs & Services → Credentials.', err.message), [setUpClient(l10n), credentialsPage(l10n)]);
    case 'webClient':
      return error(
        l10n.t('This client_secret.json belongs to a "Web application" client, which cannot receive the sign-in on this computer. In the Google Cloud console create an OAuth client ID of type "Desktop app", download its JSON and import that.'),
        [credentialsPage(l10n), setUpClient(l10n)],
      );
    case 'invalidClient':
      return error(
        l10n.t('Google rejected the OAuth client (invalid_client): the client ID or secret is wrong, or the client was deleted. Download the client_secret.json of your "Desktop app" client again and import it.'),
        [setUpClient(l10n), credentialsPage(l10n)],
      );
    case 'accessDenied':
      return warn(
        l10n.t('Sign-in was declined in the browser (access_denied). Photo Sync needs the permissions on the consent screen to reach your Google Photos. Sign in again and choose Allow; if the app is in Testing, your Google account must be listed as a test user.'),
        [signInAgain(l10n), consentSettings(l10n)],
      );
    case 'redirectUriMismatch':
      return error(
        l10n.t('Google rejected the sign-in redirect (redirect_uri_mismatch). This happens when the OAuth client is not a "Desktop app" client. Create a "Desktop app" client in the Google Cloud console and import its client_secret.json.'),
        [setUpClient(l10n), credentialsPage(l10n)],
      );
    case 'invalidGrant': {
      const text = d.account
        ? l10n.t('Your Google sign-in for {0} is no longer valid (invalid_grant): access was revoked, or the app\'s consent screen is still in "Testing" status, where Google expires the sign-in after 7 days. Sign in again. To stop the weekly expiry, publish the app (Google Cloud console → Google Auth Platform → Audience → Publish app).', d.account)
        : l10n.t('Your Google sign-in is no longer valid (invalid_grant): access was revoked, or the app\'s consent screen is still in "Testing" status, where Google expires the sign-in after 7 days. Sign in again. To stop the weekly expiry, publish the app (Google Cloud console → Google Auth Platform → Audience → Publish app).');
      return warn(text, [signInAgain(l10n), consentSettings(l10n)]);
    }
    case 'serviceDisabled': {
      const service = d.service ?? 'photoslibrary.googleapis.com';
      const title = d.serviceTitle ?? (service.startsWith('photospicker') ? 'Photos Picker API' : 'Photos Library API');
      const text = d.project
        ? l10n.t('The {0} is not enabled in Google Cloud project {1} (SERVICE_DISABLED). Enable it in the Google Cloud console, wait a minute, and try again.', title, d.project)
        : l10n.t('The {0} is not enabled in your Google Cloud project (SERVICE_DISABLED). Enable it in the Google Cloud console, wait a minute, and try again.', title);
      return error(text, [{ title: l10n.t('Enable {0}', title), url: CONSOLE.library(service, d.project) }]);
    }
    case 'insufficientScopes': {
      const text = d.missingScopes?.length
        ? l10n.t('Google did not grant Photo Sync every permission it needs ({0}). Sign in again and tick every box on the consent screen.', d.missingScopes.map(shortScope).join(', '))
        : l10n.t('Google did not grant Photo Sync every permission it needs. Sign in again and tick every box on the consent screen.');
      return warn(text, [signInAgain(l10n)]);
    }
    case 'portInUse': {
      const text = d.port
        ? l10n.t('Photo Sync could not open local port {0} to receive the Google sign-in: the port is in use. Close the program using it, or try again to use a free port.', d.port)
        : l10n.t('Photo Sync could not open a local port to receive the Google sign-in: the port is in use. Close the program using it, or try again to use a free port.');
      return error(text, [signInAgain(l10n)]);
    }
    case 'listenFailed':
      return error(l10n.t('Photo Sync could not start the local listener that receives the Google sign-in ({0}). Check that this machine allows listening on 127.0.0.1, then try again.', d.code ?? l10n.t('unknown error')), [signInAgain(l10n)]);
    case 'timeout':
      return warn(
        l10n.t('The browser did not come back from Google within {0}, so the sign-in was stopped. If the browser showed a Google error such as invalid_client or redirect_uri_mismatch, fix the OAuth client; otherwise sign in again.', duration(d.timeoutMs ?? 300_000, l10n)),
        [signInAgain(l10n)],
      );
    case 'inProgress':
      return warn(l10n.t('A Google sign-in is already in progress. Finish it in the browser tab that opened, or cancel it from its notification.'), []);
    case 'stateMismatch':
      return error(l10n.t('The answer that came back from the browser does not belong to the sign-in Photo Sync started (state mismatch), so it was rejected and not used. Start the sign-in again from VS Code.'), [signInAgain(l10n)]);
    case 'network':
      return error(l10n.t('Photo Sync could not reach Google ({0}). Check the connection and try again.', d.code ?? l10n.t('network error')), []);
    case 'cancelled':
      return warn(l10n.t('Sign-in was cancelled.'), []);
    case 'unknown':
      return error(d.code ? l10n.t('Signing in to Google failed ({0}). Try again; if it keeps failing, see the Photo Sync log.', d.code) : l10n.t('Signing in to Google failed. Try again; if it keeps failing, see the Photo Sync log.'), [signInAgain(l10n)]);
  }
}

function warn(text: string, actions: ProblemAction[]): Problem {
  return { severity: 'warning', text, actions };
}
function error(text: string, actions: ProblemAction[]): Problem {
  return { severity: 'error', text, actions };
}

function duration(ms: number, l10n: L10n): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes >= 1) return minutes === 1 ? l10n.t('1 minute') : l10n.t('{0} minutes', minutes);
  const seconds = Math.max(1, Math.round(ms / 1000));
  return seconds === 1 ? l10n.t('1 second') : l10n.t('{0} seconds', seconds);
}

function shortScope(scope: string): string {
  return scope.replace('https://www.googleapis.com/auth/', '');
}

export type ProblemUi = Pick<typeof vscode, 'window' | 'commands' | 'env' | 'Uri' | 'l10n'>;

/** Shows a problem and runs the action the user picks. Resolves once the message is closed. */
export async function showProblem(vs: ProblemUi, problem: Problem): Promise<void> {
  const show = problem.severity === 'error' ? vs.window.showErrorMessage : vs.window.showWarningMessage;
  const picked = await show(problem.text, ...problem.actions.map((a) => a.title));
  const action = problem.actions.find((a) => a.title === picked);
  if (action?.command) await vs.commands.executeCommand(action.command);
  else if (action?.url) await vs.env.openExternal(vs.Uri.parse(action.url));
}
