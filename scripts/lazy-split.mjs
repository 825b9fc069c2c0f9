// Splits the extension host code into two files, since esbuild splits code only for ES modules:
//   dist/extension.js  what activation runs: src/extension.ts and everything it imports statically;
//   dist/commands.js   every module of ours reached only through `await import()` (command
//                      implementations, pipelines, destinations), required on first use.
// An `await import('./x')` of our own module in the activation graph becomes
// `require('./commands.js').lazy['src/x.ts']`, so dist/extension.js neither parses nor runs it while
// activating. A module both files need exists once: dist/commands.js reads it from dist/extension.js
// (`require('./extension.js').__shared['src/y.ts']`), so classes (instanceof on errors), caches and
// other module state are the same objects on both sides.
// Three builds, repeated until the set of shared modules settles: the activation graph alone (what
// it holds, which of our modules it imports dynamically), the commands bundle (which shared modules
// it uses), and the activation bundle exporting those.
import * as esbuild from 'esbuild';
import path from 'node:path';

const own = (file) => /^src\/.*\.ts$/.test(file);

/** Resolves an import as esbuild would, to its metafile key ("src/sync/scan.ts"), or undefined when not ours. */
async function ownKey(build, args) {
  if (args.pluginData?.lazySplit) return undefined;
  const r = await build.resolve(args.path, { importer: args.importer, resolveDir: args.resolveDir, kind: args.kind, pluginData: { lazySplit: true } });
  if (r.errors.length || r.external || !r.path) return undefined;
  const key = path.relative(process.cwd(), r.path).split(path.sep).join('/');
  return own(key) ? key : undefined;
}

const sibling = {
  name: 'lazy-split-sibling',
  setup(build) {
    build.onResolve({ filter: /^\.\/(extension|commands)\.js$/ }, (args) => (args.namespace === 'lazy' || args.namespace === 'shared' ? { path: args.path, external: true } : undefined));
  },
};

/** Activation side: our modules imported only dynamically (not in `held`) come from dist/commands.js. */
function lazyImports(found, held) {
  return {
    name: 'lazy-imports',
    setup(build) {
      build.onResolve({ filter: /^\./ }, async (args) => {
        if (args.kind !== 'dynamic-import') return undefined;
        const key = await ownKey(build, args);
        if (!key || held?.has(key)) return undefined;
        found.add(key);
        return { path: key, namespace: 'lazy' };
      });
      build.onLoad({ filter: /.*/, namespace: 'lazy' }, (args) => ({ contents: `module.exports = require('./commands.js').lazy[${JSON.stringify(args.path)}];`, loader: 'js', resolveDir: process.cwd() }));
    },
  };
}

/** Commands side: our modules dist/extension.js holds are read from it, not bundled again. */
function sharedImports(held, used) {
  return {
    name: 'shared-imports',
    setup(build) {
      build.onResolve({ filter: /^\./ }, async (args) => {
        if (args.namespace === 'shared') return undefined;
        const key = await ownKey(build, args);
        if (!key || !held.has(key)) return undefined;
        used.add(key);
        return { path: key, namespace: 'shared' };
      });
      build.onLoad({ filter: /.*/, namespace: 'shared' }, (args) => ({ contents: `module.exports = require('./extension.js').__shared[${JSON.stringify(args.path)}];`, loader: 'js', resolveDir: process.cwd() }));
    },
  };
}

function namespaces(keys, name) {
  const list = [...keys].sort();
  return [...list.map((k, i) => `import * as m${i} from ${JSON.stringify(`./${k}`)};`), `export const ${name} = { ${list.map((k, i) => `${JSON.stringify(k)}: m${i}`).join(', ')} };`].join('\n');
}

/** Our modules with code in a build's one output. */
export function heldBy(result) {
  // The bundle itself, not its source map (a development build writes dist/extension.js.map first, with no inputs).
  const out = Object.values(result.metafile.outputs).find((o) => o.entryPoint !== undefined);
  return new Set(Object.entries(out.inputs).filter(([k, v]) => own(k) && v.bytesInOutput > 0).map(([k]) => k));
}

/**
 * Builds `activation.outfile` (dist/extension.js) from `entry` and dist/commands.js beside it.
 * `options` are the shared esbuild options (format cjs, plugins such as the vendor chunks).
 */
export async function buildSplit({ entry, options }) {
  const dir = path.dirname(options.outfile);
  const base = { ...options, supported: { ...options.supported, 'dynamic-import': false } };
  delete base.entryPoints;
  // The rounds that only look at the graphs build quietly.
  const quiet = { ...base, plugins: base.plugins.filter((p) => p.name !== 'problem-matcher') };
  const entryKey = entry.split(path.sep).join('/');
  let held;
  let lazy = new Set();
  let shared = new Set();
  let settled = false;
  for (let round = 0; round < 4 && !settled; round++) {
    // The activation graph: what it holds once the dynamic imports are left out.
    const found = new Set();
    const activation = await esbuild.build({
      ...quiet,
      write: false,
      stdin: { contents: `export * from './${entryKey}';\n${namespaces(shared, '__shared')}`, resolveDir: process.cwd(), sourcefile: 'extension-entry.ts', loader: 'ts' },
      plugins: [...quiet.plugins, sibling, lazyImports(found, undefined)],
    });
    const nowHeld = heldBy(activation);
    const nowLazy = new Set([...found].filter((k) => !nowHeld.has(k)));
    const used = new Set();
    await esbuild.build({
      ...quiet,
      write: false,
      outfile: path.join(dir, 'commands.js'),
      stdin: { contents: namespaces(nowLazy, 'lazy'), resolveDir: process.cwd(), sourcefile: 'commands-entry.ts', loader: 'ts' },
      plugins: [...quiet.plugins, sibling, sharedImports(nowHeld, used)],
    });
    settled = held !== undefined && same(held, nowHeld) && same(lazy, nowLazy) && same(shared, used);
    held = nowHeld;
    lazy = nowLazy;
    shared = used;
  }
  if (!settled) throw new Error('lazy-split: the modules shared by dist/extension.js and dist/commands.js did not settle');
  const finalLazy = new Set();
  const finalShared = new Set();
  const results = await Promise.all([
    esbuild.build({
      ...base,
      stdin: { contents: `export * from './${entryKey}';\n${namespaces(shared, '__shared')}`, resolveDir: process.cwd(), sourcefile: 'extension-entry.ts', loader: 'ts' },
      plugins: [...base.plugins, sibling, lazyImports(finalLazy, held)],
    }),
    esbuild.build({
      ...base,
      outfile: path.join(dir, 'commands.js'),
      stdin: { contents: namespaces(lazy, 'lazy'), resolveDir: process.cwd(), sourcefile: 'commands-entry.ts', loader: 'ts' },
      plugins: [...base.plugins, sibling, sharedImports(held, finalShared)],
    }),
  ]);
  // Every lookup either file makes in the other must find its module there.
  const missing = [...[...finalLazy].filter((k) => !lazy.has(k)), ...[...finalShared].filter((k) => !shared.has(k))];
  if (missing.length) throw new Error(`lazy-split: not exported across the split: ${missing.join(', ')}`);
  return { errors: results.flatMap((r) => r.errors), metafiles: results.map((r) => r.metafile), held, lazy, shared };
}

function same(a, b) {
  return a.size === b.size && [...a].every((k) => b.has(k));
}
