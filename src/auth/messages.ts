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

const SIGN_IN_AGAIN: ProblemAction = { title: 'Sign In Again', command: 'photoSync.signIn' };
const SET_UP_CLIENT: ProblemAction = { title: 'Set Up Google OAuth Client…', command: 'photoSync.setupClient' };

/**
 * The single place that turns a sign-in or authorization failure into words. Also used by the
 * upload and picker code for SERVICE_DISABLED and insufficient-scope answers of the Photos APIs.
 * Returns undefined for failures that are not about authorization (and for a user's own cancel).
 */
export function describeProblem(err: unknown): Problem | undefined {
  const auth = toAuthError(err);
  if (!auth || auth.kind === 'cancelled') return undefined;
  const problem = describeAuthError(auth);
  return { ...problem, text: redactSecrets(problem.text) };
}

function describeAuthError(err: AuthError): Problem {
  const d = err.detail;
  const who = d.account ? ` for ${d.account}` : '';
  switch (err.kind) {
    case 'noClient':
      return warn('Photo Sync signs in with your own Google OAuth client, and none is set up yet. Import the client_secret.json of a "Desktop app" client from the Google Cloud console.', [SET_UP_CLIENT]);
    case 'signedOut':
      return warn('Photo Sync is not signed in to Google Photos. Sign in to continue.', [{ title: 'Sign In to Google Photos', command: 'photoSync.signIn' }]);
    case 'invalidClientFile':
      return error(`That is not a usable OAuth client file: ${err.message} Download the JSON of a "Desktop app" OAuth client from Google Cloud console → APIs & Services → Credentials.`, [
        SET_UP_CLIENT,
        { title: 'Open Credentials Page', url: CONSOLE.credentials },
      ]);
    case 'webClient':
      return error('This client_secret.json belongs to a "Web application" client, which cannot receive the sign-in on this computer. In the Google Cloud console create an OAuth client ID of type "Desktop app", download its JSON and import that.', [
        { title: 'Open Credentials Page', url: CONSOLE.credentials },
        SET_UP_CLIENT,
      ]);
    case 'invalidClient':
      return error('Google rejected the OAuth client (invalid_client): the client ID or secret is wrong, or the client was deleted. Download the client_secret.json of your "Desktop app" client again and import it.', [
        SET_UP_CLIENT,
        { title: 'Open Credentials Page', url: CONSOLE.credentials },
      ]);
    case 'accessDenied':
      return warn('Sign-in was declined in the browser (access_denied). Photo Sync needs the permissions on the consent screen to reach your Google Photos. Sign in again and choose Allow; if the app is in Testing, your Google account must be listed as a test user.', [
        SIGN_IN_AGAIN,
        { title: 'Open Consent Screen Settings', url: CONSOLE.consentScreen },
      ]);
    case 'redirectUriMismatch':
      return error('Google rejected the sign-in redirect (redirect_uri_mismatch). This happens when the OAuth client is not a "Desktop app" client. Create a "Desktop app" client in the Google Cloud console and import its client_secret.json.', [
        SET_UP_CLIENT,
        { title: 'Open Credentials Page', url: CONSOLE.credentials },
      ]);
    case 'invalidGrant':
      return warn(`Your Google sign-in${who} is no longer valid (invalid_grant): access was revoked, or the app's consent screen is still in "Testing" status, where Google expires the sign-in after 7 days. Sign in again. To stop the weekly expiry, publish the app (Google Cloud console → Google Auth Platform → Audience → Publish app).`, [
        SIGN_IN_AGAIN,
        { title: 'Open Consent Screen Settings', url: CONSOLE.consentScreen },
      ]);
    case 'serviceDisabled': {
      const service = d.service ?? 'photoslibrary.googleapis.com';
      const title = d.serviceTitle ?? (service.startsWith('photospicker') ? 'Photos Picker API' : 'Photos Library API');
      const inProject = d.project ? ` in Google Cloud project ${d.project}` : ' in your Google Cloud project';
      return error(`The ${title} is not enabled${inProject} (SERVICE_DISABLED). Enable it in the Google Cloud console, wait a minute, and try again.`, [
        { title: `Enable ${title}`, url: CONSOLE.library(service, d.project) },
      ]);
    }
    case 'insufficientScopes': {
      const missing = d.missingScopes?.length ? ` (${d.missingScopes.map(shortScope).join(', ')})` : '';
      return warn(`Google did not grant Photo Sync every permission it needs${missing}. Sign in again and tick every box on the consent screen.`, [SIGN_IN_AGAIN]);
    }
    case 'portInUse':
      return error(`Photo Sync could not open local port${d.port ? ` ${d.port}` : ''} to receive the Google sign-in: the port is in use. Close the program using it, or try again to use a free port.`, [SIGN_IN_AGAIN]);
    case 'listenFailed':
      return error(`Photo Sync could not start the local listener that receives the Google sign-in (${d.code ?? 'unknown error'}). Check that this machine allows listening on 127.0.0.1, then try again.`, [SIGN_IN_AGAIN]);
    case 'timeout': {
      return warn(`The browser did not come back from Google within ${duration(d.timeoutMs ?? 300_000)}, so the sign-in was stopped. If the browser showed a Google error such as invalid_client or redirect_uri_mismatch, fix the OAuth client; otherwise sign in again.`, [SIGN_IN_AGAIN]);
    }
    case 'inProgress':
      return warn('A Google sign-in is already in progress. Finish it in the browser tab that opened, or cancel it from its notification.', []);
    case 'stateMismatch':
      return error('The answer that came back from the browser does not belong to the sign-in Photo Sync started (state mismatch), so it was rejected and not used. Start the sign-in again from VS Code.', [SIGN_IN_AGAIN]);
    case 'network':
      return error(`Photo Sync could not reach Google (${d.code ?? 'network error'}). Check the connection and try again.`, []);
    case 'cancelled':
      return warn('Sign-in was cancelled.', []);
    case 'unknown':
      return error(`Signing in to Google failed${d.code ? ` (${d.code})` : ''}. Try again; if it keeps failing, see the Photo Sync log.`, [SIGN_IN_AGAIN]);
  }
}

function warn(text: string, actions: ProblemAction[]): Problem {
  return { severity: 'warning', text, actions };
}
function error(text: string, actions: ProblemAction[]): Problem {
  return { severity: 'error', text, actions };
}

function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes >= 1) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const seconds = Math.max(1, Math.round(ms / 1000));
  return `${seconds} second${seconds === 1 ? '' : 's'}`;
}

function shortScope(scope: string): string {
  return scope.replace('https://www.googleapis.com/auth/', '');
}

export type ProblemUi = Pick<typeof vscode, 'window' | 'commands' | 'env' | 'Uri'>;

/** Shows a problem and runs the action the user picks. Resolves once the message is closed. */
export async function showProblem(vs: ProblemUi, problem: Problem): Promise<void> {
  const show = problem.severity === 'error' ? vs.window.showErrorMessage : vs.window.showWarningMessage;
  const picked = await show(problem.text, ...problem.actions.map((a) => a.title));
  const action = problem.actions.find((a) => a.title === picked);
  if (action?.command) await vs.commands.executeCommand(action.command);
  else if (action?.url) await vs.env.openExternal(vs.Uri.parse(action.url));
}
