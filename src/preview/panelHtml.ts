// The page the preview webview loads: one script and one stylesheet from the extension's dist
// folder, under a strict Content Security Policy whose script nonce is new for every render.
import { randomBytes } from 'node:crypto';

export interface PanelHtmlInput {
  /** webview.cspSource */
  cspSource: string;
  /** asWebviewUri of dist/webview.js and dist/webview.css */
  scriptUrl: string;
  styleUrl: string;
  title: string;
  /** Fresh for every render: createNonce(). */
  nonce: string;
  /** vscode.l10n.bundle (undefined in English): the webview's l10n.config reads it from #app's data-l10n. */
  l10nBundle?: { [key: string]: string };
  /** VS Code's display language (util/format.ts displayLanguage): the page's lang, which its numbers follow. */
  language?: string;
}

/** 128 random bits, base64url (valid in a CSP nonce source and in an HTML attribute). */
export function createNonce(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * No 'unsafe-inline', no remote hosts: scripts only with the nonce, images and styles only from
 * the webview's own resource origin (dist/media and the thumbnail cache folder).
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} blob:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function renderPanelHtml(input: PanelHtmlInput): string {
  const csp = contentSecurityPolicy(input.cspSource, input.nonce);
  return `<!DOCTYPE html>
<html lang="${escapeHtml(input.language ?? 'en')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(input.styleUrl)}">
<title>${escapeHtml(input.title)}</title>
</head>
<body>
<div id="app" aria-busy="true"${input.l10nBundle ? ` data-l10n="${escapeHtml(JSON.stringify(input.l10nBundle))}"` : ''}></div>
<script nonce="${escapeHtml(input.nonce)}" src="${escapeHtml(input.scriptUrl)}"></script>
</body>
</html>`;
}

/** For text and double-quoted attributes (single quotes stay, so the CSP reads as written). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
