import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as vscode from 'vscode';
import { attachPreview, openPreviewPanel, PREVIEW_VIEW_TYPE, previewWebviewOptions, type PreviewVs } from '../../src/preview/panel';
import { contentSecurityPolicy, renderPanelHtml } from '../../src/preview/panelHtml';
import { ThumbnailCache } from '../../src/preview/thumbnailCache';
import { setDisplayLanguage } from '../../src/util/format';
import type { GridSource } from '../../src/preview/gridSource';
import { EventEmitter, Uri } from '../helpers/vscodeFake';
import { extensionUri, FakeWebview, fakeUri, RESOURCE_ORIGIN, until } from '../helpers/fakeWebview';

const openCache = () => ThumbnailCache.open(mkdtempSync(path.join(os.tmpdir(), 'thumbs-')));

function gridSource(over: Partial<GridSource> = {}): GridSource {
  return {
    title: 'Holidays <script>alert(1)</script> & "more"',
    count: async () => 1,
    page: async () => [{ id: 'a', name: 'a.jpg', kind: 'image', cacheKey: 'k:a' }],
    thumbnail: async () => ({ kind: 'jpeg', bytes: Uint8Array.from([0xff, 0xd8, 0, 0]) }),
    fullImage: async () => '/photos/a.jpg',
    ...over,
  };
}

/** The CSP directives of a rendered page, and its script tags. */
function parse(html: string) {
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
  assert.ok(csp, 'a CSP meta tag');
  const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
  const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => ({ attrs: m[1], body: m[2] }));
  return { directives, scripts };
}

test('the page gets a fresh nonce on every render, and its only script carries it', async () => {
  const cache = await openCache();
  const webview = new FakeWebview();
  const preview = attachPreview(webview.asWebview(), { extensionUri, cache, Uri: fakeUri, openImage: async () => undefined }, { mode: 'grid', source: gridSource() });
  const nonces: string[] = [];
  for (let i = 0; i < 5; i++) {
    if (i > 0) preview.render();
    const { directives, scripts } = parse(webview.html);
    const nonce = /^'nonce-([A-Za-z0-9_-]{22})'$/.exec(directives.get('script-src')?.join(' ') ?? '')?.[1];
    assert.ok(nonce, `script-src is exactly one nonce: ${directives.get('script-src')}`);
    assert.equal(scripts.length, 1);
    assert.match(scripts[0].attrs, new RegExp(`nonce="${nonce}"`));
    assert.ok(scripts[0].attrs.includes(`src="${RESOURCE_ORIGIN}/ext/photo-sync/dist/webview.js"`), scripts[0].attrs);
    assert.equal(scripts[0].body.trim(), '', 'no inline script');
    nonces.push(nonce);
  }
  assert.equal(new Set(nonces).size, 5, 'every render has its own nonce');
  preview.dispose();
});

test('the translation bundle is embedded as an attribute that cannot end it early, and left out in English', () => {
  const bundle = { 'a "quoted" <b>&</b> text': '„zitiert“ </script><script>alert(1)</script>' };
  const html = renderPanelHtml({ cspSource: RESOURCE_ORIGIN, scriptUrl: 's', styleUrl: 'c', title: 't', nonce: 'abc', l10nBundle: bundle });
  const attr = /<div id="app" aria-busy="true" data-l10n="([^"]*)"><\/div>/.exec(html)?.[1];
  assert.ok(attr, html);
  assert.doesNotMatch(attr, /[<>]/);
  assert.deepEqual(JSON.parse(attr.replace(/&#(\d+);/g, (_m, c: string) => String.fromCharCode(Number(c)))), bundle);
  assert.equal(parse(html).scripts.length, 1, 'no script came in with the bundle');
  assert.doesNotMatch(renderPanelHtml({ cspSource: RESOURCE_ORIGIN, scriptUrl: 's', styleUrl: 'c', title: 't', nonce: 'abc' }), /data-l10n/);
});

test('the policy allows nothing remote and nothing inline', () => {
  const html = renderPanelHtml({ cspSource: RESOURCE_ORIGIN, scriptUrl: `${RESOURCE_ORIGIN}/d/webview.js`, styleUrl: `${RESOURCE_ORIGIN}/d/webview.css`, title: 't', nonce: 'abc' });
  const { directives } = parse(html);
  assert.deepEqual(directives.get('default-src'), ["'none'"]);
  for (const name of ['style-src', 'font-src']) assert.deepEqual(directives.get(name), [RESOURCE_ORIGIN], name);
  // blob: for images only: a thumbnail the page decoded itself, shown before the host cached it (a
  // blob URL can only be made by the page's own, nonce-checked script).
  assert.deepEqual(directives.get('img-src'), [RESOURCE_ORIGIN, 'blob:']);
  const all = [...directives.entries()].flatMap(([name, values]) => (name === 'img-src' ? values.filter((v) => v !== 'blob:') : values));
  for (const value of all) {
    assert.ok(!/unsafe|^https?:$|^\*$|^data:$|^blob:$/.test(value), `no ${value}`);
    assert.ok(!/^https?:\/\//.test(value) || value === RESOURCE_ORIGIN, `no remote host ${value}`);
  }
  assert.ok(!/ style="/.test(html), 'no style attributes (the policy would block them)');
  assert.ok(!/ on[a-z]+="/.test(html), 'no inline event handlers');
  assert.equal(contentSecurityPolicy('X', 'n').includes("script-src 'nonce-n'"), true);
});

test('the title is escaped into the page', async () => {
  const webview = new FakeWebview();
  const preview = attachPreview(webview.asWebview(), { extensionUri, cache: await openCache(), Uri: fakeUri, openImage: async () => undefined }, { mode: 'grid', source: gridSource() });
  assert.match(webview.html, /<title>Holidays &#60;script&#62;alert\(1\)&#60;\/script&#62; &#38; &#34;more&#34;<\/title>/);
  assert.equal(parse(webview.html).scripts.length, 1, 'the title did not add a script');
  preview.dispose();
});

test('the webview may load only dist, media and the thumbnail cache', () => {
  const options = previewWebviewOptions(fakeUri, extensionUri, '/storage/thumbnails');
  assert.equal(options.enableScripts, true);
  assert.deepEqual(options.localResourceRoots?.map((u) => u.path), ['/ext/photo-sync/dist', '/ext/photo-sync/media', '/storage/thumbnails']);
});

test('openPreviewPanel creates the panel, and closing it aborts the thumbnail work under way', async () => {
  const cache = await openCache();
  const webview = new FakeWebview();
  const disposed = new EventEmitter<void>();
  const created: { viewType: string; title: string; options: vscode.WebviewPanelOptions & vscode.WebviewOptions }[] = [];
  const panel = { webview, onDidDispose: disposed.event, dispose: () => disposed.fire() };
  const executed: unknown[][] = [];
  const vs = {
    window: {
      createWebviewPanel: (viewType: string, title: string, _column: unknown, options: vscode.WebviewPanelOptions & vscode.WebviewOptions) => {
        created.push({ viewType, title, options });
        return panel;
      },
    },
    commands: { executeCommand: async (...args: unknown[]) => executed.push(args) },
    Uri,
    ViewColumn: { Active: -1, Beside: -2 },
    // VS Code in German: the webview gets the bundle to configure @vscode/l10n with.
    l10n: { bundle: { 'Filter by name': 'Nach Name filtern', '{0} items': '{0} Elemente' } },
  } as unknown as PreviewVs;

  let thumbnailSignal: AbortSignal | undefined;
  const source = gridSource({
    thumbnail: (_item, _size, signal) => {
      thumbnailSignal = signal;
      return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    },
  });
  openPreviewPanel(vs, { extensionUri, cache }, { mode: 'grid', source });
  assert.equal(created[0].viewType, PREVIEW_VIEW_TYPE);
  assert.equal(created[0].title, source.title);
  assert.deepEqual(created[0].options.localResourceRoots?.map((u) => u.path), ['/ext/photo-sync/dist', '/ext/photo-sync/media', cache.dir]);
  const embedded = /<div id="app"[^>]* data-l10n="([^"]*)"/.exec(webview.html)?.[1];
  assert.ok(embedded, 'the page carries vscode.l10n.bundle');
  assert.deepEqual(JSON.parse(embedded.replace(/&#(\d+);/g, (_m, c: string) => String.fromCharCode(Number(c)))), { 'Filter by name': 'Nach Name filtern', '{0} items': '{0} Elemente' });

  const page = webview.connectMessenger();
  void page.notify('ready', {});
  const items = await page.request('getItems', { start: 0, end: 10 });
  void page.notify('open', { id: 'a' });
  await until(() => executed.length === 1, 2000, 'open');
  assert.equal(executed[0][0], 'vscode.open');
  assert.equal((executed[0][1] as Uri).path, '/photos/a.jpg');
  void page.notify('wantThumbnails', { ids: items.items.map((i) => i.id) });
  await until(() => thumbnailSignal !== undefined, 2000, 'the thumbnail to start');
  assert.equal(thumbnailSignal?.aborted, false);
  panel.dispose();
  assert.equal(thumbnailSignal?.aborted, true, 'closing the panel aborted the work');
});

test('the page carries VS Code’s display language, which its counts follow (English without one)', async (t) => {
  t.after(() => setDisplayLanguage(undefined));
  const base = { cspSource: RESOURCE_ORIGIN, scriptUrl: 'a.js', styleUrl: 'a.css', title: 't', nonce: 'n' };
  assert.match(renderPanelHtml(base), /<html lang="en">/);
  assert.match(renderPanelHtml({ ...base, language: 'de" onload="x' }), /<html lang="de&#34; onload=&#34;x">/);
  setDisplayLanguage('de');
  const webview = new FakeWebview();
  const attached = attachPreview(webview.asWebview(), { extensionUri, cache: await openCache(), Uri: fakeUri, openImage: async () => undefined }, { mode: 'grid', source: gridSource() });
  try {
    assert.match(webview.html, /<html lang="de">/);
  } finally {
    attached.dispose();
  }
});
