// The lazy split's view of what dist/extension.js holds: with a development build's source map among
// the outputs it once read the map (no inputs), so dist/commands.js bundled second copies of every
// module (their state, classes and caches not shared with activation's).
import { test } from 'node:test';
import assert from 'node:assert/strict';
// @ts-expect-error -- a build script in plain JavaScript, without types
import { heldBy } from '../../scripts/lazy-split.mjs';

const input = (bytesInOutput: number) => ({ bytesInOutput });

test('our modules held by the bundle are read from the bundle, not from its source map listed first', () => {
  const result = {
    metafile: {
      outputs: {
        'dist/extension.js.map': { inputs: {}, bytes: 10 },
        'dist/extension.js': { entryPoint: 'extension-entry.ts', inputs: { 'src/extension.ts': input(500), 'src/util/format.ts': input(80), 'src/types.ts': input(0), 'node_modules/x/index.js': input(40) } },
      },
    },
  };
  assert.deepEqual([...heldBy(result)].sort(), ['src/extension.ts', 'src/util/format.ts']);
});
