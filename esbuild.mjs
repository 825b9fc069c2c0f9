// Builds the extension host bundle, the webview client bundle, the `photo-sync` command line
// (dist/cli.js, the package's "bin"; left out of the .vsix), and ships sql.js's wasm beside them.
//   node esbuild.mjs               development build with source maps
//   node esbuild.mjs --production  minified, no source maps (what `vsce package` ships)
//   node esbuild.mjs --watch       rebuild on change, output for the $esbuild-watch problem matcher
//   node esbuild.mjs --only=cli    only the named target(s), leaving the rest of dist/ as it is
import * as esbuild from 'esbuild';
import { chmodSync, copyFileSync, mkdirSync, rmSync, statSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildSplit } from './scripts/lazy-split.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const require = createRequire(import.meta.url);

/** Prints build start/end and errors in the shape the $esbuild-watch problem matcher reads. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

/**
 * One copy of google-auth-library and gaxios: googleapis-common (under @googleapis/drive) pins its own
 * (10.5 / 7.1) while the extension uses newer ones of the same major line. Its imports resolve to the
 * extension's copies, as `npm dedupe` would if the ranges allowed it (+129 KB instead of +250 KB).
 */
const singleGoogleAuth = {
  name: 'single-google-auth',
  setup(build) {
    build.onResolve({ filter: /^(google-auth-library|gaxios)$/ }, (args) => {
      if (!args.importer.includes(`${path.sep}googleapis-common${path.sep}`)) return undefined;
      return { path: require.resolve(args.path, { paths: [process.cwd()] }) };
    });
  },
};

/**
 * Heavy libraries the extension loads on first use, not at activation: each is its own file in dist/
 * (dist/vendor-<name>.js), and an import of it anywhere in the extension's code or in another of
 * these files becomes `require('./vendor-<name>.js')`. Our code imports them with `await import()`
 * (or from modules only reached that way), so dist/extension.js neither parses nor runs them while
 * activating. google-auth-library and gaxios are one copy each, shared by our code and the Drive client.
 */
const VENDOR = {
  'sql.js': 'sql',
  exifr: 'exifr',
  'piexif-ts': 'piexif',
  'google-auth-library': 'google-auth',
  gaxios: 'gaxios',
  '@googleapis/drive': 'drive',
  mime: 'mime',
  '@rgrove/parse-xml': 'parse-xml',
};
const vendorFilter = new RegExp(`^(${Object.keys(VENDOR).map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})$`);

function vendorChunks(own) {
  return {
    name: 'vendor-chunks',
    setup(build) {
      build.onResolve({ filter: vendorFilter }, (args) => (args.path === own ? undefined : { path: `./vendor-${VENDOR[args.path]}.js`, external: true }));
    },
  };
}

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'silent',
  metafile: true,
  plugins: [problemMatcher, singleGoogleAuth],
};

const targets = [
  {
    ...common,
    name: 'extension',
    entryPoints: ['src/extension.ts'],
    // Our own modules reached only through `await import()` go to dist/commands.js, required on
    // first use (scripts/lazy-split.mjs). --watch builds one file (dynamic imports inlined).
    split: true,
    outfile: 'dist/extension.js',
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['vscode'],
    plugins: [problemMatcher, vendorChunks()],
    // `await import()` of a vendor file becomes require() (CommonJS interop, as when bundled).
    supported: { 'dynamic-import': false },
  },
  ...Object.entries(VENDOR).map(([pkg, name]) => ({
    ...common,
    name: `vendor-${name}`,
    group: 'extension',
    stdin: { contents: `module.exports = require(${JSON.stringify(pkg)});`, resolveDir: process.cwd(), sourcefile: `vendor-${name}.js` },
    entryPoints: undefined,
    outfile: `dist/vendor-${name}.js`,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    plugins: [problemMatcher, vendorChunks(pkg)],
  })),
  {
    ...common,
    name: 'webview',
    entryPoints: ['src/webview/main.ts'],
    outfile: 'dist/webview.js',
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
  },
  {
    ...common,
    name: 'cli',
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // A native module (prebuilt per platform inside npm packages): loaded from node_modules on first use.
    external: ['@napi-rs/keyring'],
    // Its UMD build requires its parts at run time; the ES module build bundles.
    alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
    banner: { js: '#!/usr/bin/env node' },
  },
]
  .filter((t) => (t.stdin || existsSync(t.entryPoints[0])) && (!only || only.includes(t.name) || only.includes(t.group)))
  .map(({ name, group, split, ...options }) => {
    void group;
    if (!options.entryPoints) delete options.entryPoints;
    return { name, options, split };
  });

function copyWasm() {
  mkdirSync('dist', { recursive: true });
  const wasm = require.resolve('sql.js/dist/sql-wasm.wasm');
  copyFileSync(wasm, 'dist/sql-wasm.wasm');
}

function printSizes() {
  for (const { options: t } of targets) {
    const kb = (statSync(t.outfile).size / 1024).toFixed(1);
    console.log(`${path.relative('.', t.outfile)}  ${kb} KB`);
  }
  if (existsSync('dist/commands.js')) console.log(`dist/commands.js  ${(statSync('dist/commands.js').size / 1024).toFixed(1)} KB`);
  console.log(`dist/sql-wasm.wasm  ${(statSync('dist/sql-wasm.wasm').size / 1024).toFixed(1)} KB`);
}

if (!watch && !only) rmSync('dist', { recursive: true, force: true });
copyWasm();
if (watch) {
  for (const t of targets) await (await esbuild.context(t.options)).watch();
} else {
  const results = await Promise.all(targets.map((t) => (t.split ? buildSplit({ entry: t.options.entryPoints[0], options: t.options }) : esbuild.build(t.options))));
  if (results.some((r) => r.errors.length > 0)) process.exit(1);
  if (existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);
  printSizes();
}
