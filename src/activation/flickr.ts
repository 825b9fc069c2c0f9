// Wires Flickr sign-in for the extension: the photoSync.flickr authentication provider, its three
// commands and context keys, and the credential source the Flickr destination signs with.
import type * as vscode from 'vscode';
import { SessionCredentialSource } from '../auth/flickr/credentialSource';
import { FlickrKeyStore } from '../auth/flickr/keyStore';
import { FLICKR_AUTH_PROVIDER_ID, FLICKR_AUTH_PROVIDER_LABEL, FlickrAuthProvider } from '../auth/flickr/provider';
import type { FlickrSignIn, FlickrSignInOptions } from '../auth/flickr/signInFlow';
import { resolveFlickrEndpoints, type FlickrEndpoints } from '../flickr/endpoints';
import type { OAuth1CredentialSource } from '../flickr/oauth1';
import type { SyncFolder } from '../sync/config';
import { registerFlickrCommands, showFlickrProblem, updateFlickrContext } from '../ui/flickrCommands';
import type { Logger } from '../util/logger';

export interface FlickrModule {
  provider: FlickrAuthProvider;
  /** For the Flickr destination: credentials only through vscode.authentication.getSession. */
  credentials: OAuth1CredentialSource;
}

export type FlickrVsCode = Pick<typeof vscode, 'window' | 'commands' | 'env' | 'Uri' | 'authentication' | 'workspace' | 'EventEmitter' | 'ProgressLocation' | 'UIKind' | 'StatusBarAlignment' | 'l10n'>;

/**
 * The permission a Flickr sign-in asks for: `write` (upload, albums), or `delete` once a Flickr sync
 * folder has mirror deletes on (the two-way sync's setting), since Flickr grants more only by a new sign-in.
 */
export function flickrPermsFor(folders: readonly SyncFolder[]): 'write' | 'delete' {
  return folders.some((f) => f.destination === 'flickr' && (f as { mirrorDeletes?: unknown }).mirrorDeletes === true) ? 'delete' : 'write';
}

/** Builds the provider, restores its sessions, then registers it with its commands. Never prompts. */
export async function activateFlickr(
  vs: FlickrVsCode,
  context: Pick<vscode.ExtensionContext, 'secrets' | 'subscriptions'>,
  log: Logger,
  options: { endpoints?: () => FlickrEndpoints; folders?: () => readonly SyncFolder[]; flow?: Partial<FlickrSignInOptions> } = {},
): Promise<FlickrModule> {
  const keyStore = new FlickrKeyStore(context.secrets);
  // The sign-in flow is loaded when someone signs in, not at activation.
  let flow: Promise<FlickrSignIn> | undefined;
  const signIn: FlickrSignIn['run'] = async (request) => (await (flow ??= import('../auth/flickr/signInFlow.js').then(({ FlickrSignIn }) => new FlickrSignIn({ vs, log, ...options.flow })))).run(request);
  const provider = new FlickrAuthProvider({
    vs,
    secrets: context.secrets,
    keyStore,
    endpoints: options.endpoints ?? (() => resolveFlickrEndpoints(vs.workspace.getConfiguration('photoSync').get<Record<string, unknown>>('endpoints'))),
    signIn,
    log,
    onProblem: (problem) => showFlickrProblem(vs, problem),
  });
  await provider.initialize();
  context.subscriptions.push(provider, vs.authentication.registerAuthenticationProvider(FLICKR_AUTH_PROVIDER_ID, FLICKR_AUTH_PROVIDER_LABEL, provider, { supportsMultipleAccounts: true }));
  const deps = { vs, provider, keyStore, log, perms: () => flickrPermsFor(options.folders?.() ?? []) };
  context.subscriptions.push(...registerFlickrCommands(deps));
  await updateFlickrContext(deps);
  return { provider, credentials: new SessionCredentialSource({ authentication: vs.authentication, provider }) };
}
