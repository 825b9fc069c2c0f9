// package.json as VS Code shows it: every "%key%" string replaced by its English text from
// package.nls.json next to it (VS Code does the same when it loads the extension).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const PLACEHOLDER = /^%([^%\s]+)%$/;

/** The %key% placeholders in a manifest value, each with the JSON path where it occurs. */
export function nlsPlaceholders(value: unknown, at = ''): { key: string; at: string }[] {
  if (typeof value === 'string') {
    const match = PLACEHOLDER.exec(value);
    return match ? [{ key: match[1], at }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => nlsPlaceholders(v, `${at}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => nlsPlaceholders(v, at ? `${at}.${k}` : k));
  return [];
}

/** Replaces every "%key%" in value by nls[key]; a key missing from nls throws (VS Code would show the raw %key%). */
export function resolveNls<T>(value: T, nls: Record<string, string>): T {
  const walk = (v: unknown, at: string): unknown => {
    if (typeof v === 'string') {
      const match = PLACEHOLDER.exec(v);
      if (!match) return v;
      const text = nls[match[1]];
      if (typeof text !== 'string') throw new Error(`${at}: "${v}" has no entry in package.nls.json`);
      return text;
    }
    if (Array.isArray(v)) return v.map((item, i) => walk(item, `${at}[${i}]`));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item, at ? `${at}.${k}` : k)]));
    return v;
  };
  return walk(value, '') as T;
}

/** package.json in dir (the repo root by default) with its %key% strings resolved through package.nls.json. */
export function readManifest<T = Record<string, unknown>>(dir = path.join(__dirname, '../..')): T {
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as T;
  const nlsFile = path.join(dir, 'package.nls.json');
  const nls = existsSync(nlsFile) ? (JSON.parse(readFileSync(nlsFile, 'utf8')) as Record<string, string>) : {};
  return resolveNls(manifest, nls);
}
