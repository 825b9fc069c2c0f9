import type * as vscode from 'vscode';
import type { Logger } from '../util/logger';
import { AuthError, toAuthError } from './authError';
import { parseRedirect, startLoopbackAuthorization, type PendingAuthorization, type SignInRequest, type SignInResult, type SignInRunner } from './loopbackAuthorization';
import type { RedirectOutcome } from './loopbackServer';
import { offerPaste, type PasteOffer } from './pasteOffer';

export { parseRedirect, type SignInRequest, type SignInResult, type SignInRunner } from './loopbackAuthorization';

/** The status bar item offering the paste fallback while a sign-in waits (and its command). */
export const PASTE_BUTTON = 'Paste Sign-In Address…';
export const PASTE_COMMAND = 'photoSync.google.pasteRedirect';
export const WAITING_MESSAGE = 'Allow access in your browser…';
export const PASTE_HINT = 'Allow access in your browser. Only if it then cannot reach VS Code (a connection error on a 127.0.0.1 address), copy that address and click “Paste Sign-In Address…” in the status bar.';
export const OPEN_AGAIN_BUTTON = 'Open Browser Again';
export const CANCEL_BUTTON = 'Cancel Sign-In';

export interface LoopbackSignInOptions {
  vs: Pick<typeof vscode, 'window' | 'env' | 'Uri' | 'ProgressLocation' | 'UIKind' | 'commands' | 'StatusBarAlignment' | 'l10n'>;
  log: Logger;
  /** How long to wait for the browser (default 5 minutes). */
  timeoutMs?: number;
  /** Port to listen on (default 0: any free port). */
  port?: number;
  /**
   * When to offer pasting the redirect URL (hint in the progress notification, a status bar item).
   * Default: at once where the loopback may not reach the extension host (remote or web), after
   * 15 s elsewhere, so a quick desktop sign-in shows nothing extra. Both end with the sign-in.
   */
  pasteOfferDelayMs?: number;
}

interface RunningSignIn {
  /** Known once the listener is up. */
  authUrl?: string;
  cancelled: boolean;
  onCancel?: () => void;
}

/**
 * VS Code's sign-in: the loopback flow (loopbackAuthorization.ts) inside a cancellable progress
 * notification, the browser opened through VS Code, and an offer to paste the redirect URL where
 * the loopback may not reach the extension host. At most one at a time.
 */
export class LoopbackSignIn {
  private running?: RunningSignIn;

  constructor(private readonly options: LoopbackSignInOptions) {}

  readonly run: SignInRunner = (request) => {
    if (this.running) {
      this.tellAlreadyRunning(this.running);
      return Promise.reject(new AuthError('inProgress', 'A sign-in is already in progress.'));
    }
    const { vs } = this.options;
    // Claimed before anything async, so two quick calls cannot both start.
    const running: RunningSignIn = { cancelled: false };
    this.running = running;
    return Promise.resolve(
      vs.window.withProgress({ location: vs.ProgressLocation.Notification, title: vs.l10n.t('Signing in to Google Photos'), cancellable: true }, (progress, token) =>
        this.runOnce(request, progress, token, running),
      ),
    ).finally(() => {
      if (this.running === running) this.running = undefined;
    });
  };

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  private tellAlreadyRunning(running: RunningSignIn): void {
    const { vs } = this.options;
    const openAgain = vs.l10n.t(OPEN_AGAIN_BUTTON);
    const cancelButton = vs.l10n.t(CANCEL_BUTTON);
    void Promise.resolve(
      vs.window.showWarningMessage(vs.l10n.t('A Google sign-in is already in progress. Finish it in the browser tab that opened, or cancel it.'), openAgain, cancelButton),
    ).then((choice) => {
      if (this.running !== running) return;
      if (choice === openAgain && running.authUrl) void vs.env.openExternal(vs.Uri.parse(running.authUrl));
      else if (choice === cancelButton) cancel(running);
    });
  }

  private async runOnce(request: SignInRequest, progress: vscode.Progress<{ message?: string }>, token: vscode.CancellationToken, running: RunningSignIn): Promise<SignInResult> {
    const { vs, log } = this.options;
    const cancelListener = token.onCancellationRequested(() => cancel(running));
    let pasteTimer: NodeJS.Timeout | undefined;
    let paste: PasteOffer | undefined;
    let pending: PendingAuthorization | undefined;
    try {
      if (running.cancelled) throw new AuthError('cancelled', 'Sign-in was cancelled.');
      pending = await startLoopbackAuthorization(request, { log, port: this.options.port, timeoutMs: this.options.timeoutMs, returnTo: 'VS Code', l10n: vs.l10n });
      const flow = pending;
      running.authUrl = flow.authUrl;
      running.onCancel = () => flow.cancel();
      if (running.cancelled) flow.cancel();
      progress.report({ message: vs.l10n.t(WAITING_MESSAGE) });
      const opened = await vs.env.openExternal(vs.Uri.parse(flow.authUrl));
      // The user declined to open the browser: nothing can come back.
      if (!opened) flow.cancel(new AuthError('cancelled', 'The browser was not opened.'));
      const remote = (vs.env as { remoteName?: string }).remoteName !== undefined || vs.env.uiKind === vs.UIKind.Web;
      pasteTimer = setTimeout(() => {
        if (flow.settled) return;
        progress.report({ message: vs.l10n.t(PASTE_HINT) });
        paste = this.offerPaste(() => flow.settled, flow.deliver);
      }, this.options.pasteOfferDelayMs ?? (remote ? 0 : 15_000));
      return await flow.result;
    } catch (err) {
      throw toAuthError(err) ?? err;
    } finally {
      clearTimeout(pasteTimer);
      paste?.dispose();
      cancelListener.dispose();
      pending?.close();
    }
  }

  /** Fallback when the browser's redirect cannot reach this machine (remote or web setups). */
  private offerPaste(finished: () => boolean, deliver: (params: URLSearchParams) => Promise<RedirectOutcome>): PasteOffer {
    const { vs } = this.options;
    return offerPaste({
      vs,
      commandId: PASTE_COMMAND,
      label: vs.l10n.t(PASTE_BUTTON),
      tooltip: vs.l10n.t('Google sign-in: if the browser shows a connection error on a 127.0.0.1 address after you allowed access, copy that address and click here to paste it.'),
      input: {
        title: vs.l10n.t('Paste the redirect URL'),
        prompt: vs.l10n.t('The full address the browser ended on after you allowed access (http://127.0.0.1:…/?code=…&state=…)'),
        placeHolder: 'http://127.0.0.1:PORT/?code=…&state=…',
        invalid: vs.l10n.t('Paste the whole address, including ?code=… (or ?error=…) and &state=…'),
      },
      parse: parseRedirect,
      finished,
      deliver,
    });
  }
}

function cancel(running: RunningSignIn): void {
  running.cancelled = true;
  running.onCancel?.();
}
