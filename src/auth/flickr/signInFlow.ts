// Flickr's OAuth 1.0a sign-in for a desktop app (auth.oauth.html): a signed request token with a
// loopback callback on 127.0.0.1, the user's browser on Flickr's authorize page with the permission
// the settings need, then the signed exchange of token and verifier for the long-lived access token.
// Runs in a cancellable progress notification; at most one at a time. Flickr calls nothing back
// when the user presses "No thanks", so the notification says to cancel then; the redirect can also
// be pasted where the browser cannot reach this machine.
import type * as vscode from 'vscode';
import { sendSigned } from '../../flickr/client';
import { oauthUrl, type FlickrEndpoints } from '../../flickr/endpoints';
import type { Logger } from '../../util/logger';
import { registerSecret } from '../../util/redact';
import { startLoopbackServer, type LoopbackServer, type RedirectOutcome } from '../loopbackServer';
import { offerPaste, type PasteOffer } from '../pasteOffer';
import { FlickrAuthError, toFlickrAuthError } from './authError';
import type { FlickrApiKey } from './keyStore';
import type { FlickrPerms } from './sessionStore';

export interface FlickrSignInRequest {
  key: FlickrApiKey;
  endpoints: FlickrEndpoints;
  perms: FlickrPerms;
}

export interface FlickrSignInResult {
  token: string;
  tokenSecret: string;
  nsid: string;
  username: string;
  fullname?: string;
  perms: FlickrPerms;
}

export type FlickrSignInRunner = (request: FlickrSignInRequest) => Promise<FlickrSignInResult>;

/** The status bar item offering the paste fallback while a sign-in waits (and its command). */
export const FLICKR_PASTE_BUTTON = 'Paste Flickr Sign-In Address…';
export const FLICKR_PASTE_COMMAND = 'photoSync.flickr.pasteRedirect';

export interface FlickrSignInOptions {
  vs: Pick<typeof vscode, 'window' | 'env' | 'Uri' | 'ProgressLocation' | 'UIKind' | 'commands' | 'StatusBarAlignment' | 'l10n'>;
  log: Logger;
  /** How long to wait for the browser (default 5 minutes). */
  timeoutMs?: number;
  /**
   * When to offer pasting the address the browser ended on — a hint in the progress notification and
   * a status bar item, both ending with the sign-in (default: at once in remote or web windows, else after 15 s).
   */
  pasteOfferDelayMs?: number;
  now?: () => number;
}

export class FlickrSignIn {
  private running = false;

  constructor(private readonly options: FlickrSignInOptions) {}

  readonly run: FlickrSignInRunner = async (request) => {
    if (this.running) throw new FlickrAuthError('inProgress', this.options.vs.l10n.t('A Flickr sign-in is already in progress: finish it in the browser, or cancel its notification.'));
    this.running = true;
    try {
      const { vs } = this.options;
      return await Promise.resolve(
        vs.window.withProgress({ location: vs.ProgressLocation.Notification, title: vs.l10n.t('Signing in to Flickr'), cancellable: true }, (progress, token) => this.once(request, progress, token)),
      );
    } catch (err) {
      throw toFlickrAuthError(err) ?? err;
    } finally {
      this.running = false;
    }
  };

  private async once(request: FlickrSignInRequest, progress: vscode.Progress<{ message?: string }>, cancel: vscode.CancellationToken): Promise<FlickrSignInResult> {
    const { vs, log } = this.options;
    const consumer = { key: request.key.key, secret: request.key.secret };
    const abort = new AbortController();
    let settle!: (params: URLSearchParams) => void;
    let fail!: (err: unknown) => void;
    const answer = new Promise<URLSearchParams>((resolve, reject) => ((settle = resolve), (fail = reject)));
    answer.catch(() => undefined);
    let requestToken: { key: string; secret: string } | undefined;
    let handled = false;
    const onCancel = cancel.onCancellationRequested(() => {
      abort.abort();
      fail(new FlickrAuthError('cancelled', vs.l10n.t('Sign-in to Flickr was cancelled.')));
    });
    const timeoutMs = this.options.timeoutMs ?? 5 * 60_000;
    const minutes = Math.round(timeoutMs / 60_000) || 1;
    const timedOut =
      minutes === 1
        ? vs.l10n.t('The browser did not come back from Flickr within 1 minute, so the sign-in was stopped. Sign in again; if you chose "No thanks" on Flickr, Photo Sync was not given access.')
        : vs.l10n.t('The browser did not come back from Flickr within {0} minutes, so the sign-in was stopped. Sign in again; if you chose "No thanks" on Flickr, Photo Sync was not given access.', minutes);
    const timer = setTimeout(() => fail(new FlickrAuthError('timeout', timedOut)), timeoutMs);
    let pasteTimer: NodeJS.Timeout | undefined;
    let paste: PasteOffer | undefined;
    let server: LoopbackServer | undefined;

    const deliver = async (params: URLSearchParams): Promise<RedirectOutcome> => {
      if (handled || !requestToken) return { ok: false, heading: vs.l10n.t('Already handled'), text: vs.l10n.t('This sign-in was already completed or stopped. You can close this tab.') };
      if (params.get('oauth_token') !== requestToken.key) return { ok: false, heading: vs.l10n.t('Sign-in did not complete'), text: vs.l10n.t('This answer does not belong to the sign-in VS Code started, so it was not used.') };
      handled = true;
      settle(params);
      return { ok: true, heading: vs.l10n.t('Flickr answered'), text: vs.l10n.t('You can close this tab and return to VS Code.') };
    };

    try {
      server = await startLoopbackServer(0, deliver, { isAnswer: (p) => p.has('oauth_token') && p.has('oauth_verifier'), l10n: vs.l10n });
      const callback = `${server.redirectUri}/`;
      const started = await sendSigned('GET', oauthUrl(request.endpoints, 'request_token'), { oauth_callback: callback }, { consumer }, { name: 'request_token', signal: abort.signal, now: this.options.now });
      if (started.status !== 200) throw new FlickrAuthError('unknown', vs.l10n.t('Flickr answered the sign-in request with HTTP {0}. Try again later.', started.status));
      const fields = new URLSearchParams(started.text);
      requestToken = { key: fields.get('oauth_token') ?? '', secret: fields.get('oauth_token_secret') ?? '' };
      if (!requestToken.key || !requestToken.secret) throw new FlickrAuthError('unknown', vs.l10n.t('Flickr returned no request token. Try again later.'));
      registerSecret(requestToken.secret);

      const authorizeUrl = `${oauthUrl(request.endpoints, 'authorize')}?oauth_token=${encodeURIComponent(requestToken.key)}&perms=${request.perms}`;
      log.info(`Flickr sign-in: waiting for Flickr's answer on ${server.redirectUri} (permission: ${request.perms})`);
      progress.report({ message: vs.l10n.t('Allow access ({0}) on Flickr\'s page in your browser. If you chose "No thanks", cancel here.', request.perms) });
      if (!(await vs.env.openExternal(vs.Uri.parse(authorizeUrl)))) throw new FlickrAuthError('cancelled', vs.l10n.t('The browser was not opened.'));
      const remote = (vs.env as { remoteName?: string }).remoteName !== undefined || vs.env.uiKind === vs.UIKind.Web;
      pasteTimer = setTimeout(() => {
        if (handled) return;
        progress.report({ message: vs.l10n.t('Allow access ({0}) on Flickr\'s page; if you chose "No thanks", cancel here. Only if your browser then cannot reach VS Code (a connection error on 127.0.0.1), copy that address and click “{1}” in the status bar.', request.perms, vs.l10n.t(FLICKR_PASTE_BUTTON)) });
        paste = this.offerPaste(() => handled, deliver);
      }, this.options.pasteOfferDelayMs ?? (remote ? 0 : 15_000));

      const params = await answer;
      progress.report({ message: vs.l10n.t('Finishing…') });
      const exchanged = await sendSigned('GET', oauthUrl(request.endpoints, 'access_token'), { oauth_verifier: params.get('oauth_verifier') ?? '' }, { consumer, token: requestToken }, { name: 'access_token', signal: abort.signal, now: this.options.now });
      if (exchanged.status !== 200) throw new FlickrAuthError('unknown', vs.l10n.t('Flickr answered the token exchange with HTTP {0}. Sign in again.', exchanged.status));
      const access = new URLSearchParams(exchanged.text);
      const result: FlickrSignInResult = {
        token: access.get('oauth_token') ?? '',
        tokenSecret: access.get('oauth_token_secret') ?? '',
        nsid: access.get('user_nsid') ?? '',
        username: access.get('username') ?? '',
        fullname: access.get('fullname') || undefined,
        perms: request.perms,
      };
      if (!result.token || !result.tokenSecret || !result.nsid) throw new FlickrAuthError('unknown', vs.l10n.t('Flickr returned no access token. Sign in again.'));
      registerSecret(result.token);
      registerSecret(result.tokenSecret);
      return result;
    } finally {
      handled = true;
      clearTimeout(timer);
      clearTimeout(pasteTimer);
      paste?.dispose();
      onCancel.dispose();
      server?.close();
    }
  }

  /** Where the browser cannot reach this machine (remote or web windows): paste the address it ended on. */
  private offerPaste(finished: () => boolean, deliver: (params: URLSearchParams) => Promise<RedirectOutcome>): PasteOffer {
    const { vs } = this.options;
    return offerPaste({
      vs,
      commandId: FLICKR_PASTE_COMMAND,
      label: vs.l10n.t(FLICKR_PASTE_BUTTON),
      tooltip: vs.l10n.t('Flickr sign-in: if the browser shows a connection error on a 127.0.0.1 address after you allowed access, copy that address and click here to paste it.'),
      input: {
        title: vs.l10n.t('Paste the address from the browser'),
        prompt: vs.l10n.t('The whole address the browser ended on after you allowed access (http://127.0.0.1:…/?oauth_token=…&oauth_verifier=…)'),
        invalid: vs.l10n.t('Paste the whole address, including ?oauth_token=…&oauth_verifier=…'),
      },
      parse: parseFlickrRedirect,
      finished,
      deliver,
    });
  }
}

/** The address (or just its query) carrying Flickr's oauth_token and oauth_verifier; undefined otherwise. */
export function parseFlickrRedirect(text: string): URLSearchParams | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  try {
    const params = trimmed.includes('://') ? new URL(trimmed).searchParams : new URLSearchParams(trimmed.replace(/^[^?]*\?/, ''));
    return params.get('oauth_token') && params.get('oauth_verifier') ? params : undefined;
  } catch {
    return undefined;
  }
}
