// The webview's words come from the bundle the host embeds (panelHtml.ts → #app data-l10n):
// l10nSetup.ts configures @vscode/l10n with it before any view is built, and hands the words the
// stylesheet draws to CSS custom properties. Run against a minimal page (no browser needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as l10n from '@vscode/l10n';
import { renderPanelHtml } from '../../src/preview/panelHtml';

test('a German bundle in the page: l10n.t answers in German, the CSS words too; messages without a translation stay English', async () => {
  const bundle = { 'Filter by name': 'Nach Name filtern', '{0} items': '{0} Elemente', 'No preview': 'Keine Vorschau', 'date?': 'Datum "?"' };
  const html = renderPanelHtml({ cspSource: 'x', scriptUrl: 's', styleUrl: 'c', title: 't', nonce: 'n', l10nBundle: bundle });
  const attr = /data-l10n="([^"]*)"/.exec(html)?.[1] ?? '';
  // What the browser's HTML parser does with the attribute.
  const dataL10n = attr.replace(/&#(\d+);/g, (_m, c: string) => String.fromCharCode(Number(c)));
  const properties = new Map<string, string>();
  (globalThis as { document?: unknown }).document = {
    getElementById: (id: string) => (id === 'app' ? { dataset: { l10n: dataL10n } } : null),
    documentElement: { style: { setProperty: (name: string, value: string) => properties.set(name, value) } },
  };
  await import('../../src/webview/l10nSetup.js');
  assert.equal(l10n.t('Filter by name'), 'Nach Name filtern');
  assert.equal(l10n.t('{0} items', '1.234'), '1.234 Elemente');
  assert.equal(l10n.t('Upload These'), 'Upload These');
  assert.equal(properties.get('--photo-sync-no-preview'), '"Keine Vorschau"');
  assert.equal(properties.get('--photo-sync-date-flag'), '"Datum \\"?\\""');
  assert.equal(properties.get('--photo-sync-deleted'), '"Deleted"');
});
