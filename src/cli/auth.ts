// Google sign-in for the command line: the extension's own pieces — ClientConfigStore, the
// GooglePhotosAuthProvider (refresh, incremental consent, revoke on sign-out), SessionTokenSource and
// the loopback + PKCE flow — over the command line's secret store instead of VS Code's SecretStorage.
// The extension's tokens are not shared (VS Code encrypts them): the command line signs in on its own.
import type * as vscode from 'vscode';
import { AuthError } from '../auth/authError';
import { ClientConfigStore } from '../auth/clientConfig';
import { parseRedirect, startLoopbackAuthorization, type SignInRunner } from '../auth/loopbackAuthorization';
import { AUTH_PROVIDER_ID, GooglePhotosAuthProvider } from '../auth/provider';
import { SessionTokenSource } from '../auth/sessionTokenSource';
import type { Endpoints } from '../google/endpoints';
import type { TokenSource } from '../google/tokenSource';
import { Emitter } from '../util/emitter';
import type { Logger } from '../util/logger';
import { canOpenBrowser, openBrowser, readLines } from './browser';
import type { Interrupt } from './interrupt';
import type { Output } from './output';
import type { CliSecretStorage } from './secrets';

export interface CliAccount {
  sessionId: string;
  id: string;
  label: string;
  scopes: readonly string[];
}

export interface CliAuth {
  provider: GooglePhotosAuthProvider;
  clientStore: ClientConfigStore;
  secrets: CliSecretStorage;
  /** Failures the provider reported (a grant Google no longer accepts, a refused client). */
  problems: AuthError[];
  /** Warnings the provider logged (e.g. that revoking at Google failed). */
  warnings: string[];
  accounts(): CliAccount[];
  /** The account to use: the one named by --account (email or id), else the first signed in. */
  account(wanted?: string): CliAccount | undefined;
  /** Access tokens of one account, never prompting; `onFailure` hears every sign-in failure first. */
  tokenSource(account: CliAccount, onFailure?: (err: unknown) => void): TokenSource;
  dispose(): void;
}

/** A sign-in runner for commands that must never start one (the sync asks `login` to be run instead). */
export const NO_INTERACTIVE_SIGN_IN: SignInRunner = () => Promise.reject(new AuthError('signedOut', 'Not signed in to Google Photos.'));

export async function openAuth(deps: { secrets: CliSecretStorage; endpoints: Endpoints; log: Logger; signIn?: SignInRunner }): Promise<CliAuth> {
  const clientStore = new ClientConfigStore(deps.secrets);
  const problems: AuthError[] = [];
  const warnings: string[] = [];
  const log: Logger = {
    ...deps.log,
    warn: (message, ...args) => {
      warnings.push(message);
      deps.log.warn(message, ...args);
    },
  };
  const provider = new GooglePhotosAuthProvider({
    vs: { EventEmitter: Emitter } as unknown as Pick<typeof vscode, 'EventEmitter'>,
    secrets: deps.secrets,
    clientStore,
    endpoints: () => deps.endpoints,
    signIn: deps.signIn ?? NO_INTERACTIVE_SIGN_IN,
    log,
    onProblem: (p) => problems.push(p),
  });
  await provider.initialize();
  const accounts = () => provider.accounts;
  return {
    provider,
    clientStore,
    secrets: deps.secrets,
    problems,
    warnings,
    accounts,
    account: (wanted) => (wanted ? accounts().find((a) => a.label.toLowerCase() === wanted.toLowerCase() || a.id === wanted) : accounts()[0]),
    tokenSource(account, onFailure) {
      const authentication = {
        getSession: async (_providerId: string, scopes: readonly string[]) => (await provider.getSessions(scopes, { account: { id: account.id, label: account.label } }))[0],
      } as unknown as Pick<typeof vscode.authentication, 'getSession'>;
      const inner = new SessionTokenSource({ authentication, provider, interactive: false });
      return {
        async getAccessToken(scopes, signal) {
          try {
            return await inner.getAccessToken(scopes, signal);
          } catch (err) {
            // A grant Google refused was reported to onProblem with its reason; prefer that over "signed out".
            const reason = problems.find((p) => p.kind === 'invalidGrant' || p.kind === 'invalidClient') ?? err;
            onFailure?.(reason);
            throw reason;
          }
        },
        invalidate: (token) => inner.invalidate(token),
      };
    },
    dispose: () => provider.dispose(),
  };
}

export interface TerminalSignInOptions {
  out: Output;
  log: Logger;
  interrupt: Interrupt;
  /** --no-browser: do not try to open one; ask for the redirect URL to be pasted. */
  noBrowser: boolean;
  port?: number;
  timeoutMs?: number;
}

/**
 * The sign-in as a terminal shows it: the consent URL printed (and opened in a browser where there is
 * one), the loopback listener waiting for Google's redirect, and the redirect URL accepted from
 * stdin — the case of a headless server reached over SSH, where the browser runs elsewhere.
 */
export function terminalSignIn(options: TerminalSignInOptions): SignInRunner {
  return async (request) => {
    const { out } = options;
    const pending = await startLoopbackAuthorization(request, { log: options.log, port: options.port, timeoutMs: options.timeoutMs, returnTo: 'the terminal' });
    const stop = options.interrupt.onInterrupt(() => pending.cancel());
    const browser = !options.noBrowser && canOpenBrowser();
    out.event('login-url', { url: pending.authUrl, redirectUri: pending.redirectUri });
    out.notice(`Open this address in a browser, sign in with your Google account and press Allow:\n\n  ${pending.authUrl}\n`);
    if (browser) openBrowser(pending.authUrl);
    out.notice(
      browser
        ? `Waiting for the browser to come back to ${pending.redirectUri} … (if it cannot reach this machine, paste the address it ended on here and press Enter)`
        : `After you allow access the browser goes to ${pending.redirectUri}/ with the sign-in in its address. If that page does not load (the browser runs on another computer), copy the whole address from the address bar, paste it here and press Enter.\nWaiting …`,
    );
    const lines = readLines((line) => {
      if (!line.trim() || pending.settled) return;
      const params = parseRedirect(line);
      if (!params) {
        out.warn('That is not the redirect address: paste the whole address, with ?code=… (or ?error=…) and &state=…');
        return;
      }
      void pending.deliver(params);
    });
    try {
      return await pending.result;
    } finally {
      stop.dispose();
      lines.close();
      pending.close();
    }
  };
}

export { AUTH_PROVIDER_ID };
