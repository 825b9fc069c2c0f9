// Set Up Flickr API Key…, Sign In to Flickr and Sign Out of Flickr, and the context keys the
// walkthrough and menus follow (photoSync.flickrKeyConfigured, photoSync.flickrSignedIn).
import type * as vscode from 'vscode';
import { FLICKR_APP_CREATE_URL, flickrKeyProblem, flickrSecretProblem, type FlickrApiKey, type FlickrKeyStore } from '../auth/flickr/keyStore';
import { describeFlickrProblem, FLICKR_COMMANDS } from '../auth/flickr/messages';
import { FLICKR_APPS_YOU_USE_URL, FLICKR_AUTH_PROVIDER_ID, type FlickrAuthProvider } from '../auth/flickr/provider';
import { showProblem } from '../auth/messages';
import type { Logger } from '../util/logger';

export const CONTEXT_FLICKR_KEY = 'photoSync.flickrKeyConfigured';
export const CONTEXT_FLICKR_SIGNED_IN = 'photoSync.flickrSignedIn';
export const FLICKR_SIGN_IN_BUTTON = 'Sign In to Flickr';
export const FLICKR_SET_UP_BUTTON = 'Set Up Flickr API Key…';
export const FLICKR_APPS_BUTTON = 'Open Flickr’s App List';

export interface FlickrCommandDeps {
  vs: Pick<typeof vscode, 'window' | 'commands' | 'env' | 'Uri' | 'authentication' | 'l10n'>;
  provider: FlickrAuthProvider;
  keyStore: FlickrKeyStore;
  log: Logger;
  /** The permission a sign-in asks for now (`write`, or `delete` where the settings need it). */
  perms: () => string;
}

export function registerFlickrCommands(deps: FlickrCommandDeps): vscode.Disposable[] {
  const { vs } = deps;
  return [
    vs.commands.registerCommand(FLICKR_COMMANDS.setupKey, () => setupFlickrKey(deps)),
    vs.commands.registerCommand(FLICKR_COMMANDS.signIn, () => signInToFlickr(deps)),
    vs.commands.registerCommand(FLICKR_COMMANDS.signOut, () => signOutOfFlickr(deps)),
    deps.provider.onDidChangeSessions(() => void updateFlickrContext(deps)),
    deps.keyStore.onDidChange(() => void updateFlickrContext(deps)),
  ];
}

function sentence(problem: string | undefined): string | undefined {
  return problem ? problem.charAt(0).toUpperCase() + problem.slice(1) : undefined;
}

/** Asks for the API key and its secret (Flickr → Your Apps) and keeps them in SecretStorage. */
export async function setupFlickrKey(deps: FlickrCommandDeps): Promise<FlickrApiKey | undefined> {
  const { vs } = deps;
  const key = await vs.window.showInputBox({
    title: vs.l10n.t('Flickr API Key (1/2)'),
    prompt: vs.l10n.t('The key of your Flickr app (32 letters and digits). No app yet? Apply for a non-commercial key at {0}', FLICKR_APP_CREATE_URL),
    placeHolder: '0123456789abcdef0123456789abcdef',
    ignoreFocusOut: true,
    validateInput: (v) => sentence(flickrKeyProblem(v, vs.l10n)),
  });
  if (key === undefined) return undefined;
  const secret = await vs.window.showInputBox({
    title: vs.l10n.t('Flickr API Secret (2/2)'),
    prompt: vs.l10n.t('The secret shown beside the key (16 letters and digits)'),
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => sentence(flickrSecretProblem(v, vs.l10n)),
  });
  if (secret === undefined) return undefined;
  const value = { key: key.trim().toLowerCase(), secret: secret.trim().toLowerCase() };
  await deps.keyStore.set(value);
  await updateFlickrContext(deps);
  deps.log.info(`Flickr API key set up (${value.key.slice(0, 6)}…).`);
  const signedInWithOther = deps.provider.accounts.length > 0;
  void Promise.resolve(
    vs.window.showInformationMessage(
      vs.l10n.t('Flickr API key saved; key and secret are kept in VS Code\'s secret storage.{0}', signedInWithOther ? ' Sign in to Flickr again: a sign-in belongs to the key it was made with.' : ''),
      vs.l10n.t(FLICKR_SIGN_IN_BUTTON),
    ),
  ).then((picked) => (picked === vs.l10n.t(FLICKR_SIGN_IN_BUTTON) ? vs.commands.executeCommand(FLICKR_COMMANDS.signIn) : undefined));
  return value;
}

/** Through VS Code's authentication API, so the session is this extension's to use. */
export async function signInToFlickr(deps: FlickrCommandDeps): Promise<vscode.AuthenticationSession | undefined> {
  const { vs } = deps;
  if (!(await deps.keyStore.get())) {
    void Promise.resolve(
      vs.window.showWarningMessage(vs.l10n.t('Set up your Flickr API key first: Photo Sync signs in to Flickr with your own key and secret (Flickr → Your Apps).'), vs.l10n.t(FLICKR_SET_UP_BUTTON)),
    ).then((picked) => (picked === vs.l10n.t(FLICKR_SET_UP_BUTTON) ? vs.commands.executeCommand(FLICKR_COMMANDS.setupKey) : undefined));
    return undefined;
  }
  const signedIn = deps.provider.accounts.length > 0;
  try {
    const session = await vs.authentication.getSession(
      FLICKR_AUTH_PROVIDER_ID,
      [deps.perms()],
      signedIn ? { forceNewSession: { detail: vs.l10n.t('Sign in to Flickr with another account, or allow Photo Sync what it is missing.') }, clearSessionPreference: true } : { createIfNone: true },
    );
    if (session) void vs.window.showInformationMessage(vs.l10n.t('Signed in to Flickr as {0}.', session.account.label));
    return session;
  } catch (err) {
    // The provider already told the user what to do; here it is only logged.
    deps.log.info(`Flickr sign-in ended without a session: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

/** Forgets the account's token and secret; Flickr itself keeps the app listed until the user removes it there. */
export async function signOutOfFlickr(deps: FlickrCommandDeps): Promise<void> {
  const { vs, provider } = deps;
  const accounts = provider.accounts;
  if (accounts.length === 0) {
    void vs.window.showInformationMessage(vs.l10n.t('Photo Sync is not signed in to Flickr.'));
    return;
  }
  const chosen =
    accounts.length === 1 ? accounts[0] : (await vs.window.showQuickPick(accounts.map((a) => ({ label: a.label, description: a.id, account: a })), { title: vs.l10n.t('Sign out of which Flickr account?') }))?.account;
  if (!chosen) return;
  await provider.removeSession(chosen.sessionId);
  const picked = await vs.window.showInformationMessage(
    vs.l10n.t('Signed out of Flickr ({0}): Photo Sync forgot its Flickr token. To withdraw its access on Flickr too, remove it from “Apps You\'re Using” there.', chosen.label),
    vs.l10n.t(FLICKR_APPS_BUTTON),
  );
  if (picked === vs.l10n.t(FLICKR_APPS_BUTTON)) await vs.env.openExternal(vs.Uri.parse(FLICKR_APPS_YOU_USE_URL));
}

/** Never prompts. */
export async function updateFlickrContext(deps: Pick<FlickrCommandDeps, 'vs' | 'provider' | 'keyStore'>): Promise<void> {
  await deps.vs.commands.executeCommand('setContext', CONTEXT_FLICKR_KEY, (await deps.keyStore.get()) !== undefined);
  await deps.vs.commands.executeCommand('setContext', CONTEXT_FLICKR_SIGNED_IN, deps.provider.accounts.length > 0);
}

/** Shows a Flickr sign-in problem with its buttons (used by the provider's onProblem). */
export function showFlickrProblem(vs: Parameters<typeof showProblem>[0], err: unknown): void {
  const problem = describeFlickrProblem(err, vs.l10n);
  if (problem) void showProblem(vs, problem);
}
