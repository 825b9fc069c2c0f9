import type * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import { AuthError } from '../auth/authError';
import { clientIdProblem, clientSecretProblem, parseClientSecretJson, validateClientCredentials, type ClientConfigStore, type OAuthClientConfig } from '../auth/clientConfig';
import { describeProblem, showProblem } from '../auth/messages';
import { AUTH_PROVIDER_ID, type GooglePhotosAuthProvider } from '../auth/provider';
import { SIGN_IN_SCOPES } from '../google/scopes';
import type { Logger } from '../util/logger';

export const IMPORT_ITEM = 'Import client_secret.json…';
export const ENTER_ITEM = 'Enter Client ID and Secret…';
export const SET_UP_BUTTON = 'Set Up Google OAuth Client…';
export const SIGN_IN_BUTTON = 'Sign In to Google Photos';

export const CONTEXT_SIGNED_IN = 'photoSync.signedIn';
export const CONTEXT_CLIENT_CONFIGURED = 'photoSync.clientConfigured';

export interface AuthCommandDeps {
  vs: Pick<typeof vscode, 'window' | 'commands' | 'env' | 'Uri' | 'authentication' | 'ProgressLocation' | 'l10n'>;
  provider: GooglePhotosAuthProvider;
  clientStore: ClientConfigStore;
  log: Logger;
  /** Reads an imported client_secret.json (the extension host's file system). */
  readTextFile?: (path: string) => Promise<string>;
}

/** How long the "client saved" notice stays when no sign-in follows. */
export const CLIENT_SAVED_NOTICE_MS = 60_000;

export function registerAuthCommands(deps: AuthCommandDeps): vscode.Disposable[] {
  const { vs } = deps;
  return [
    vs.commands.registerCommand('photoSync.setupClient', () => setupClient(deps)),
    vs.commands.registerCommand('photoSync.signIn', () => signIn(deps)),
    vs.commands.registerCommand('photoSync.signOut', () => signOut(deps)),
    deps.provider.onDidChangeSessions(() => void updateSignedInContext(deps)),
    deps.clientStore.onDidChange(() => void updateClientContext(deps)),
  ];
}

/** "Set Up Google OAuth Client…": import client_secret.json or type the ID and secret. */
export async function setupClient(deps: AuthCommandDeps): Promise<OAuthClientConfig | undefined> {
  const { vs } = deps;
  const choice = await vs.window.showQuickPick(
    [
      { label: vs.l10n.t(IMPORT_ITEM), detail: vs.l10n.t('The JSON file the Google Cloud console downloads for an OAuth client of type "Desktop app".') },
      { label: vs.l10n.t(ENTER_ITEM), detail: vs.l10n.t('Copy them from Google Cloud console → APIs & Services → Credentials.') },
    ],
    { title: vs.l10n.t('Set Up Google OAuth Client'), placeHolder: vs.l10n.t('How do you want to provide your Google OAuth client?'), ignoreFocusOut: true },
  );
  if (!choice) return undefined;
  let config: OAuthClientConfig | undefined;
  try {
    config = choice.label === vs.l10n.t(IMPORT_ITEM) ? await importClientFile(deps) : await enterClient(deps);
  } catch (err) {
    const problem = describeProblem(err, vs.l10n);
    if (!problem) throw err;
    void showProblem(vs, problem);
    return undefined;
  }
  if (!config) return undefined;
  await deps.clientStore.set(config);
  await updateClientContext(deps);
  deps.log.info(`Google OAuth client set up (${config.clientId}${config.projectId ? `, project ${config.projectId}` : ''})`);
  const saved = config.projectId
    ? vs.l10n.t('Google OAuth client saved (project {0}). Its secret is kept in VS Code’s secret storage.', config.projectId)
    : vs.l10n.t('Google OAuth client saved. Its secret is kept in VS Code’s secret storage.');
  if (deps.provider.accounts.length > 0) {
    void vs.window.showInformationMessage(saved);
    return config;
  }
  // Not a message with a Sign In button that outlives the sign-in: a notification that closes once
  // signed in (or after a minute), pointing at the next step.
  void vs.window.withProgress({ location: vs.ProgressLocation.Notification, title: saved }, async (progress) => {
    progress.report({ message: vs.l10n.t('Next: Sign In to Google Photos (Photo Sync view or the command palette).') });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, CLIENT_SAVED_NOTICE_MS);
      timer.unref?.();
      const sub = deps.provider.onDidChangeSessions(done);
      function done() {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      }
    });
  });
  return config;
}

async function importClientFile(deps: AuthCommandDeps): Promise<OAuthClientConfig | undefined> {
  const { vs } = deps;
  let path: string | undefined;
  try {
    const picked = await vs.window.showOpenDialog({
      title: vs.l10n.t('Import client_secret.json'),
      openLabel: vs.l10n.t('Import'),
      canSelectFiles: true,
      canSelectFolders: false,
      canSelectMany: false,
      filters: { 'OAuth client (JSON)': ['json'] },
    });
    if (!picked?.length) return undefined;
    path = picked[0].fsPath;
  } catch {
    // No file dialog in this environment: take a typed path instead.
    path = await vs.window.showInputBox({
      title: vs.l10n.t('Import client_secret.json'),
      prompt: vs.l10n.t('Path of the client_secret.json downloaded from the Google Cloud console'),
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : vs.l10n.t('Enter the path of the file.')),
    });
    if (!path) return undefined;
  }
  let text: string;
  try {
    text = await (deps.readTextFile ?? ((p: string) => readFile(p, 'utf8')))(path.trim());
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new AuthError('invalidClientFile', `could not read the file (${typeof code === 'string' ? code : 'read error'}).`);
  }
  return parseClientSecretJson(text);
}

async function enterClient(deps: AuthCommandDeps): Promise<OAuthClientConfig | undefined> {
  const { vs } = deps;
  const clientId = await vs.window.showInputBox({
    title: vs.l10n.t('Google OAuth Client ID (1/2)'),
    prompt: vs.l10n.t('The client ID of your "Desktop app" OAuth client'),
    placeHolder: '123456789012-abc….apps.googleusercontent.com',
    ignoreFocusOut: true,
    validateInput: (v) => sentence(clientIdProblem(v, vs.l10n)),
  });
  if (clientId === undefined) return undefined;
  const clientSecret = await vs.window.showInputBox({
    title: vs.l10n.t('Google OAuth Client Secret (2/2)'),
    prompt: vs.l10n.t('The client secret of the same client'),
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => sentence(clientSecretProblem(v, vs.l10n)),
  });
  if (clientSecret === undefined) return undefined;
  return validateClientCredentials(clientId, clientSecret);
}

function sentence(problem: string | undefined): string | undefined {
  return problem ? problem.charAt(0).toUpperCase() + problem.slice(1) : undefined;
}

/** "Sign In to Google Photos": through VS Code's authentication API, so the session is ours to use. */
export async function signIn(deps: AuthCommandDeps): Promise<vscode.AuthenticationSession | undefined> {
  const { vs } = deps;
  if (!(await deps.clientStore.get())) {
    void Promise.resolve(
      vs.window.showWarningMessage(vs.l10n.t('Set up your Google OAuth client first: Photo Sync signs in with your own "Desktop app" client from the Google Cloud console.'), vs.l10n.t(SET_UP_BUTTON)),
    ).then((picked) => (picked === vs.l10n.t(SET_UP_BUTTON) ? vs.commands.executeCommand('photoSync.setupClient') : undefined));
    return undefined;
  }
  const signedIn = deps.provider.accounts.length > 0;
  try {
    const session = await vs.authentication.getSession(
      AUTH_PROVIDER_ID,
      [...SIGN_IN_SCOPES],
      // Signed in already: this adds an account (or scopes), so VS Code must not just hand back the current one.
      signedIn ? { forceNewSession: { detail: vs.l10n.t('Sign in with another Google account, or grant Photo Sync the permissions it is missing.') }, clearSessionPreference: true } : { createIfNone: true },
    );
    if (session) void vs.window.showInformationMessage(vs.l10n.t('Signed in to Google Photos as {0}.', session.account.label));
    return session;
  } catch (err) {
    // The provider already told the user what to do; here it is only logged.
    deps.log.info(`Sign-in ended without a session: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

/** "Sign Out": revokes the account's grant at Google and forgets it. */
export async function signOut(deps: AuthCommandDeps): Promise<void> {
  const { vs, provider } = deps;
  const accounts = provider.accounts;
  if (accounts.length === 0) {
    void vs.window.showInformationMessage(vs.l10n.t('Photo Sync is not signed in to Google Photos.'));
    return;
  }
  const chosen =
    accounts.length === 1
      ? accounts[0]
      : (await vs.window.showQuickPick(accounts.map((a) => ({ label: a.label, account: a })), { title: vs.l10n.t('Sign out of which Google account?') }))?.account;
  if (!chosen) return;
  await provider.removeSession(chosen.sessionId);
  void vs.window.showInformationMessage(vs.l10n.t('Signed out of Google Photos ({0}).', chosen.label));
}

/** Never prompts: a silent getSession decides the `photoSync.signedIn` context key. */
export async function updateSignedInContext(deps: Pick<AuthCommandDeps, 'vs' | 'log'>): Promise<boolean> {
  let signedIn = false;
  try {
    signedIn = (await deps.vs.authentication.getSession(AUTH_PROVIDER_ID, [...SIGN_IN_SCOPES], { silent: true })) !== undefined;
  } catch (err) {
    deps.log.warn(`Could not read the Google Photos session: ${err instanceof Error ? err.message : String(err)}`);
  }
  await deps.vs.commands.executeCommand('setContext', CONTEXT_SIGNED_IN, signedIn);
  return signedIn;
}

export async function updateClientContext(deps: Pick<AuthCommandDeps, 'vs' | 'clientStore'>): Promise<boolean> {
  const configured = (await deps.clientStore.get()) !== undefined;
  await deps.vs.commands.executeCommand('setContext', CONTEXT_CLIENT_CONFIGURED, configured);
  return configured;
}
