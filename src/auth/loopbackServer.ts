import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type * as vscode from 'vscode';
import { englishL10n } from '../util/englishL10n';
import { AuthError } from './authError';

/** The page the browser shows after the redirect reached us. */
export interface RedirectOutcome {
  ok: boolean;
  heading: string;
  text: string;
}

export interface LoopbackServer {
  readonly port: number;
  /** `http://127.0.0.1:<port>`: a Desktop-app client accepts any loopback port. */
  readonly redirectUri: string;
  close(): void;
}

/**
 * Listens on 127.0.0.1 for the sign-in redirect. Each GET / carrying the answer (`code`, `error` or
 * `state` for Google) is handed to `onRedirect`; the browser's request is held until that settles so the page can say
 * whether sign-in worked. Anything else gets a 404 and is otherwise ignored.
 */
export async function startLoopbackServer(
  port: number,
  onRedirect: (params: URLSearchParams) => Promise<RedirectOutcome>,
  options: {
    /** Which query marks the redirect; default OAuth 2.0's (`code`, `error` or `state`). Flickr's OAuth 1.0a sends `oauth_token` and `oauth_verifier`. */
    isAnswer?: (params: URLSearchParams) => boolean;
    /** Where the page sends the user back to ("VS Code", "the terminal"). */
    returnTo?: string;
    /** vscode.l10n for the page (English without it: the command line). */
    l10n?: Pick<typeof vscode.l10n, 't'>;
  } = {},
): Promise<LoopbackServer> {
  const isAnswer = options.isAnswer ?? ((p: URLSearchParams) => p.has('code') || p.has('error') || p.has('state'));
  const returnTo = options.returnTo ?? 'VS Code';
  const l10n = options.l10n ?? englishL10n;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const isRedirect = req.method === 'GET' && url.pathname === '/' && isAnswer(url.searchParams);
    if (!isRedirect) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    onRedirect(url.searchParams).then(
      (outcome) => respond(res, outcome),
      () => respond(res, { ok: false, heading: l10n.t('Sign-in failed'), text: l10n.t('Return to {0} for details.', returnTo) }),
    );
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new AuthError('portInUse', `Port ${port} is in use.`, { port, code: err.code }));
      else reject(new AuthError('listenFailed', 'Could not listen on 127.0.0.1.', { port, code: err.code ?? 'unknown' }, { cause: err }));
    });
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    port: actualPort,
    redirectUri: `http://127.0.0.1:${actualPort}`,
    close: () => {
      // The page answering the redirect may still be on its way to the browser: let it finish.
      server.close();
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), 2000).unref();
    },
  };
}

function respond(res: http.ServerResponse, outcome: RedirectOutcome): void {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Photo Sync</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222}h1{font-size:1.4rem}</style></head>
<body><h1>${escapeHtml(outcome.heading)}</h1><p>${escapeHtml(outcome.text)}</p></body></html>`;
  res.writeHead(outcome.ok ? 200 : 400, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' }).end(html);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
