// package.json's user-facing strings live in package.nls.json (so the extension can be translated):
// every %key% has its English text, every text is used, and no user-facing field is left in English.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { nlsPlaceholders, readManifest } from '../helpers/manifest';

const root = path.join(__dirname, '../..');
const raw = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
const nls = JSON.parse(readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;

test('every %key% in package.json has its English text in package.nls.json, and every text is used', () => {
  const used = nlsPlaceholders(raw);
  const missing = used.filter((u) => typeof nls[u.key] !== 'string').map((u) => `${u.at}: ${u.key}`);
  assert.deepEqual(missing, []);
  const unused = Object.keys(nls).filter((key) => !used.some((u) => u.key === key));
  assert.deepEqual(unused, []);
  for (const [key, text] of Object.entries(nls)) assert.ok(text.trim() !== '', `${key} is not empty`);
});

test('no user-facing manifest field is left as plain text', () => {
  const userFacing = new Set(['displayName', 'description', 'title', 'category', 'shortTitle', 'name', 'contextualTitle', 'contents', 'label', 'markdownDescription', 'enumDescriptions', 'markdownEnumDescriptions', 'deprecationMessage', 'markdownDeprecationMessage', 'altText']);
  const plain: string[] = [];
  const walk = (value: unknown, at: string, field: string): void => {
    if (typeof value === 'string') {
      if (userFacing.has(field) && !/^%[^%\s]+%$/.test(value)) plain.push(`${at}: ${value}`);
    } else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${at}[${i}]`, field));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, `${at}.${k}`, k);
  };
  walk({ displayName: raw.displayName, description: raw.description }, '', '');
  walk(raw.contributes, 'contributes', '');
  assert.deepEqual(plain, []);
});

test('the resolved manifest reads as before: titles under the "Photo Sync" category', () => {
  const manifest = readManifest<{ displayName: string; contributes: { commands: { command: string; title: string; category: string }[] } }>();
  assert.equal(manifest.displayName, 'Photo Sync for Google Photos');
  const syncNow = manifest.contributes.commands.find((c) => c.command === 'photoSync.syncNow');
  assert.deepEqual([syncNow?.title, syncNow?.category], ['Sync Now', 'Photo Sync']);
  for (const c of manifest.contributes.commands) assert.equal(c.category, 'Photo Sync', c.command);
});

test('l10n/bundle.l10n.json holds every vs.l10n.t message in src/ (npm run l10n rewrites it)', () => {
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { l10n?: string };
  assert.equal(manifest.l10n, './l10n');
  const run = spawnSync(process.execPath, [path.join(root, 'scripts/l10n-export.mjs'), '--check'], { cwd: root, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  const bundle = JSON.parse(readFileSync(path.join(root, 'l10n/bundle.l10n.json'), 'utf8')) as Record<string, string>;
  assert.equal(bundle['Sync Now'], 'Sync Now');
});
