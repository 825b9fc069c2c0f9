// Wires sign-in for the extension: the photoSync.google authentication provider, its commands and
// context keys, and the token sources the Google clients use.
import type * as vscode from 'vscode';
import { resolveEndpoints, type Endpoints } from '../google/endpoints';
import type { TokenSource } from '../google/tokenSource';
import { registerAuthCommands, updateClientContext, updateSignedInContext } from '../ui/authCommands';
import type { Logger } from '../util/logger';
import { ClientConfigStore } from '../auth/clientConfig';
import { describeProblem, showProblem } from '../auth/messages';
import { AUTH_PROVIDER_ID, AUTH_PROVIDER_LABEL, GooglePhotosAuthProvider } from '../auth/provider';
import { SessionTokenSource } from '../auth/sessionTokenSource';
import type { LoopbackSignIn, LoopbackSignInOptions } from '../auth/signInFlow';

export interface AuthModule {
  provider: GooglePhotosAuthProvider;
  clientStore: ClientConfigStore;
  /** For the Google clients: tokens only through vscode.authentication.getSession. */
  tokenSource: TokenSource;
  /** Same, but never prompts (background sync). */
  silentTokenSource: TokenSource;
  /** Tokens of one signed-in account only (a sync folder's chosen account). */
  tokenSourceFor(account: { id: string; label: string }): TokenSource;
}

export type AuthVsCode = Pick<typeof vscode, 'window' | 'commands' | 'env' | 'Uri' | 'authentication' | 'workspace' | 'EventEmitter' | 'ProgressLocation' | 'UIKind' | 'StatusBarAlignment' | 'l10n'>;

/**
 * Builds the provider, restores its sessions, then registers it (so VS Code never asks a
 * half-initialised provider) with the three commands and the context keys. Never prompts.
 */
export async function activateAuth(
  vs: AuthVsCode,
  context: Pick<vscode.ExtensionContext, 'secrets' | 'subscriptions'>,
  log: Logger,
  options: { endpoints?: () => Endpoints; flow?: Partial<LoopbackSignInOptions> } = {},
): Promise<AuthModule> {
  const clientStore = new ClientConfigStore(context.secrets);
  // The sign-in flow (a loopback HTTP server) is loaded when someone signs in, not at activation.
  let flow: Promise<LoopbackSignIn> | undefined;
  const signIn: LoopbackSignIn['run'] = async (request) => (await (flow ??= import('../auth/signInFlow.js').then(({ LoopbackSignIn }) => new LoopbackSignIn({ vs, log, ...options.flow })))).run(request);
  const provider = new GooglePhotosAuthProvider({
    vs,
    secrets: context.secrets,
    clientStore,
    endpoints: options.endpoints ?? (() => resolveEndpoints(vs.workspace.getConfiguration('photoSync').get<Record<string, unknown>>('endpoints'))),
    signIn,
    log,
    onProblem: (err) => {
      const problem = describeProblem(err, vs.l10n);
      if (problem) void showProblem(vs, problem);
    },
  });
  await provider.initialize();
  context.subscriptions.push(provider, vs.authentication.registerAuthenticationProvider(AUTH_PROVIDER_ID, AUTH_PROVIDER_LABEL, provider, { supportsMultipleAccounts: true }));
  const deps = { vs, provider, clientStore, log };
  context.subscriptions.push(...registerAuthCommands(deps));
  await updateClientContext(deps);
  // Not awaited: getSession waits for this extension (the provider's owner) to finish activating.
  void updateSignedInContext(deps);
  return {
    provider,
    clientStore,
    tokenSource: new SessionTokenSource({ authentication: vs.authentication, provider }),
    silentTokenSource: new SessionTokenSource({ authentication: vs.authentication, provider, interactive: false }),
    tokenSourceFor: (account) => new SessionTokenSource({ authentication: vs.authentication, provider, account }),
  };
}
