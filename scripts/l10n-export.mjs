// Writes l10n/bundle.l10n.json: every message passed to `<anything>.l10n.t('…')` or `l10n.t('…')` under
// src/, the English text as its own key (the file translators copy to bundle.l10n.<lang>.json).
// @vscode/l10n-dev export finds only `vscode.l10n.t` and bare `l10n.t` calls; Photo Sync calls
// `vs.l10n.t` on the `vscode` object handed down the layers, so this reads the same calls with the
// TypeScript parser. `node scripts/l10n-export.mjs --check` fails if the bundle is out of date.
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

function* sources(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(full);
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) yield full;
  }
}

/** Top-level `const NAME = 'text'` across src/ (button labels kept as exported constants for the tests). */
function stringConstants(srcDir) {
  const constants = new Map();
  for (const file of sources(srcDir)) {
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    for (const statement of sf.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const d of statement.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.initializer && ts.isStringLiteral(d.initializer)) constants.set(d.name.text, constants.has(d.name.text) ? null : d.initializer.text);
      }
    }
  }
  return constants;
}

/** { message: message } for every l10n.t call with a literal message (or a string constant), sorted by message. */
export function collectMessages(srcDir = path.join(root, 'src')) {
  const messages = new Map();
  const problems = [];
  const constants = stringConstants(srcDir);
  for (const file of sources(srcDir)) {
    const text = readFileSync(file, 'utf8');
    if (!text.includes('l10n.t(')) continue;
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    const visit = (node) => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 't') {
        const target = node.expression.expression;
        const isL10n = (ts.isIdentifier(target) && target.text === 'l10n') || (ts.isPropertyAccessExpression(target) && target.name.text === 'l10n');
        if (isL10n) {
          const first = node.arguments[0];
          if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) messages.set(first.text, first.text);
          else if (first && ts.isIdentifier(first) && typeof constants.get(first.text) === 'string') messages.set(constants.get(first.text), constants.get(first.text));
          else {
            const { line } = sf.getLineAndCharacterOfPosition(node.getStart());
            problems.push(`${path.relative(root, file)}:${line + 1}: l10n.t needs a literal message`);
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return { bundle: Object.fromEntries([...messages].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))), problems };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { bundle, problems } = collectMessages();
  for (const p of problems) console.error(p);
  const out = path.join(root, 'l10n', 'bundle.l10n.json');
  const json = JSON.stringify(bundle, null, 2) + '\n';
  if (process.argv.includes('--check')) {
    let current = '';
    try { current = readFileSync(out, 'utf8'); } catch { /* missing */ }
    if (current !== json) { console.error('l10n/bundle.l10n.json is out of date: run npm run l10n'); process.exit(1); }
    console.log(`l10n/bundle.l10n.json is up to date (${Object.keys(bundle).length} messages)`);
  } else {
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, json);
    console.log(`wrote ${path.relative(root, out)}: ${Object.keys(bundle).length} messages`);
  }
  if (problems.length) process.exit(1);
}
