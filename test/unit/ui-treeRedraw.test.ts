// The sidebar's throttled redraw after an index change, when the index cannot be read (a window
// closing under it, a damaged file): never an unhandled rejection; a full redraw while the tree lives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { EventEmitter } from '../helpers/vscodeFake';
import { LibraryTree, REFRESH_IDLE_MS, type TreeNode } from '../../src/ui/tree';

function treeReadingOnce(): { tree: LibraryTree; fired: (TreeNode | undefined)[] } {
  const tree = new LibraryTree({ EventEmitter } as unknown as Pick<typeof vscode, 'EventEmitter'>);
  let reads = 0;
  tree.setRoots(async () => {
    if (reads++ > 0) throw new Error('The index is closed.');
    return [{ id: 'photoSync.albums', label: 'Albums', fingerprint: () => 'x' } as unknown as TreeNode];
  });
  const fired: (TreeNode | undefined)[] = [];
  tree.onDidChangeTreeData((n) => fired.push(n as TreeNode | undefined));
  return { tree, fired };
}

async function unhandledDuring(run: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (e: unknown) => void seen.push(e);
  process.on('unhandledRejection', listener);
  try {
    await run();
    await new Promise((r) => setTimeout(r, 50));
  } finally {
    process.off('unhandledRejection', listener);
  }
  return seen;
}

test('a redraw that cannot read the index redraws everything, without an unhandled rejection', async () => {
  const { tree, fired } = treeReadingOnce();
  await tree.getChildren();
  const seen = await unhandledDuring(async () => {
    tree.refreshChanged();
    await new Promise((r) => setTimeout(r, REFRESH_IDLE_MS + 50));
  });
  assert.deepEqual(seen, []);
  assert.deepEqual(fired, [undefined], 'one full redraw');
  tree.dispose();
});

test('a redraw already under way when the tree is disposed ends quietly', async () => {
  const { tree, fired } = treeReadingOnce();
  await tree.getChildren();
  const seen = await unhandledDuring(async () => {
    tree.refreshChanged();
    await new Promise((r) => setTimeout(r, REFRESH_IDLE_MS - 20));
    // Disposed only after the timer: the tree's own dispose clears a timer that has not fired.
    await new Promise((r) => setTimeout(r, 40));
    tree.dispose();
  });
  assert.deepEqual(seen, []);
  assert.ok(fired.length <= 1);
});
