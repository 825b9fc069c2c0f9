// Stands in for VS Code around the preview webview, in Debian's Chromium: builds dist/webview.js
// with esbuild, serves the page the host rendered (CSP included) on 127.0.0.1, serves files only
// from the localResourceRoots, bridges postMessage both ways to the real host code (attachPreview)
// running in this process, fakes acquireVsCodeApi (state survives a reload, like VS Code's), and
// sets the theme variables and default webview styles VS Code injects.
import * as esbuild from 'esbuild';
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { AttachedPreview, PreviewSource } from '../../src/preview/panel';
import { attachPreview } from '../../src/preview/panel';
import { ThumbnailCache } from '../../src/preview/thumbnailCache';
import { FakeWebview, fakeUri } from '../helpers/fakeWebview';
import { Uri } from '../helpers/vscodeFake';
import { THEMES, type ThemeName } from './webview-themes';

export const ARTIFACTS = path.join(__dirname, '../e2e/artifacts/webview');
const BROWSER_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.jpg': 'image/jpeg', '.png': 'image/png', '.svg': 'image/svg+xml' };

export interface Harness {
  browser: Browser;
  extensionDir: string;
  bundleBytes: number;
  cssBytes: number;
  close(): Promise<void>;
}

/** Builds the webview bundle (minified, as shipped) into <tmp>/ext/dist and starts the browser. */
export async function startHarness(): Promise<Harness> {
  const extensionDir = mkdtempSync(path.join(os.tmpdir(), 'webview-ext-'));
  mkdirSync(path.join(extensionDir, 'media'));
  const outfile = path.join(extensionDir, 'dist/webview.js');
  await esbuild.build({ entryPoints: [path.join(__dirname, '../../src/webview/main.ts')], bundle: true, minify: true, format: 'iife', platform: 'browser', target: 'es2022', outfile, logLevel: 'silent' });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: BROWSER_FLAGS });
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    browser,
    extensionDir,
    bundleBytes: statSync(outfile).size,
    cssBytes: statSync(outfile.replace(/\.js$/, '.css')).size,
    close: () => browser.close(),
  };
}

export interface OpenedView {
  page: Page;
  preview: AttachedPreview;
  cache: ThumbnailCache;
  /** CSP violations the page reported. */
  violations(): Promise<string[]>;
  /** "<ms> <direction> <method>" for every message so far, for a breakdown of where time went. */
  timeline(): Promise<string[]>;
  close(): Promise<void>;
}

/** Opens a page showing `source` the way a WebviewPanel would, at 1280×800 in the given theme. */
export async function openView(harness: Harness, source: PreviewSource, theme: ThemeName, options: { openImage?: (p: string) => Promise<void>; cacheDir?: string; checkDates?: (folder: string) => void } = {}): Promise<OpenedView> {
  const cacheDir = options.cacheDir ?? mkdtempSync(path.join(os.tmpdir(), 'webview-thumbs-'));
  const cache = await ThumbnailCache.open(cacheDir);
  const roots = [path.join(harness.extensionDir, 'dist'), path.join(harness.extensionDir, 'media'), cacheDir];
  const server = await listen((url) => {
    if (url === '/') return { type: 'text/html', body: injectTheme(webview.html, theme) };
    if (url === `/theme/${theme}.css`) return { type: 'text/css', body: THEMES[theme] };
    const file = decodeURIComponent(url.replace(/^\/res/, ''));
    // Like VS Code: only files under localResourceRoots are served.
    if (!url.startsWith('/res/') || !roots.some((r) => file.startsWith(`${r}/`))) return undefined;
    try {
      return { type: TYPES[path.extname(file)] ?? 'application/octet-stream', body: readFileSync(file) };
    } catch {
      return undefined;
    }
  });
  const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const webview = new FakeWebview(origin, `${origin}/res`);
  const preview = attachPreview(
    webview.asWebview(),
    { extensionUri: Uri.file(harness.extensionDir) as never, cache, Uri: fakeUri, openImage: options.openImage ?? (async () => undefined), checkDates: options.checkDates },
    source,
  );

  const context = await harness.browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: theme });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.exposeBinding('__photoSyncToHost', (_source, message: unknown) => webview.send(fromWire(message)));
  // Messages to the page keep their order; whatever queued up during one evaluate goes in the next.
  // postMessage settles once its batch is in the page, as VS Code's does once delivered.
  let queue: { message: unknown; delivered: () => void }[] = [];
  let delivering = false;
  const drain = async () => {
    delivering = true;
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      // One JSON string: Playwright's own argument encoding is slow for large objects (VS Code clones them).
      const json = JSON.stringify(batch.map((b) => b.message));
      await page.evaluate((text) => (JSON.parse(text) as unknown[]).forEach((m) => (window as unknown as { __photoSyncDeliver(m: unknown): void }).__photoSyncDeliver(m)), json).catch(() => undefined);
      batch.forEach((b) => b.delivered());
    }
    delivering = false;
  };
  webview.deliver = (message) =>
    new Promise<void>((delivered) => {
      queue.push({ message: toWire(message), delivered });
      if (!delivering) void drain();
    });
  await page.addInitScript(PAGE_BRIDGE);
  await page.goto(`${origin}/`);
  return {
    page,
    preview,
    cache,
    violations: () => page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations),
    timeline: () => page.evaluate(() => (window as unknown as { __timeline: string[] }).__timeline),
    close: async () => {
      preview.dispose();
      await context.close();
      await new Promise((r) => server.close(r));
    },
  };
}

function listen(route: (url: string) => { type: string; body: string | Buffer } | undefined): Promise<Server> {
  const server = createServer((req, res) => {
    const found = route((req.url ?? '/').split('?')[0]);
    if (!found) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': found.type, 'cache-control': 'no-store' }).end(found.body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** VS Code puts its default styles before the page's own: the page's CSS wins where both speak. */
function injectTheme(html: string, theme: ThemeName): string {
  return html.replace('<head>', `<head>\n<link rel="stylesheet" href="/theme/${theme}.css">`);
}

// Bytes cross page.evaluate / exposeBinding as base64.
type Wire = unknown;
function toWire(value: unknown): Wire {
  if (value instanceof Uint8Array) return { __bytes: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return value.map(toWire);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toWire(v)]));
  return value;
}
function fromWire(value: Wire): unknown {
  if (value && typeof value === 'object' && '__bytes' in value) return new Uint8Array(Buffer.from(String((value as { __bytes: string }).__bytes), 'base64'));
  if (Array.isArray(value)) return value.map(fromWire);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromWire(v)]));
  return value;
}

/** Runs in the page before its scripts: acquireVsCodeApi, the message bridge, CSP violation log. */
const PAGE_BRIDGE = `(() => {
  // tsx compiles the tests with esbuild's keepNames: functions a test passes to page.evaluate call __name.
  window.__name = (fn) => fn;
  const toBytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const fromBytes = (u8) => { let s = ''; for (let i = 0; i < u8.length; i += 0x8000) s += String.fromCharCode(...u8.subarray(i, i + 0x8000)); return btoa(s); };
  const decode = (v) => v && typeof v === 'object' ? ('__bytes' in v ? toBytes(v.__bytes) : Array.isArray(v) ? v.map(decode) : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decode(x)]))) : v;
  const encode = (v) => v instanceof Uint8Array ? { __bytes: fromBytes(v) } : v && typeof v === 'object' ? (Array.isArray(v) ? v.map(encode) : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)]))) : v;
  window.__cspViolations = [];
  window.__longTasks = [];
  new PerformanceObserver((list) => list.getEntries().forEach((e) => window.__longTasks.push(Math.round(e.duration)))).observe({ type: 'longtask', buffered: true });
  document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
  window.__timeline = [];
  const note = (dir, m) => window.__timeline.push(Math.round(performance.now()) + ' ' + dir + ' ' + (m.method || (m.kind === 'response' ? 'reply ' + m.inReplyTo : '?')));
  window.__photoSyncDeliver = (m) => { note('<-', m); window.dispatchEvent(new MessageEvent('message', { data: decode(m) })); };
  window.__sentToHost = [];
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi may be called once');
    acquired = true;
    return {
      postMessage: (m) => { note('->', m); window.__sentToHost.push(m); window.__photoSyncToHost(encode(m)); },
      getState: () => JSON.parse(sessionStorage.getItem('vscode-state') || 'null') ?? undefined,
      setState: (s) => { sessionStorage.setItem('vscode-state', JSON.stringify(s)); return s; },
    };
  };
  document.addEventListener('DOMContentLoaded', () => document.body.classList.add(matchMedia('(prefers-color-scheme: dark)').matches ? 'vscode-dark' : 'vscode-light'));
})();`;

/** Counts every element, including those inside shadow roots (the vscode-elements controls). */
export function countDomNodes(page: Page): Promise<number> {
  return page.evaluate(() => {
    let n = 0;
    const walk = (root: Document | ShadowRoot) => {
      for (const el of Array.from(root.querySelectorAll('*'))) {
        n++;
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(document);
    return n;
  });
}
