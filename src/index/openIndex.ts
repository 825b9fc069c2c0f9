import path from 'node:path';
import type { SqlJsStatic } from 'sql.js';
import type { OpenIndexOptions, PhotoIndex } from './api';
import { IndexStore } from './store';

const engines = new Map<string, Promise<SqlJsStatic>>();

/** Loads sql.js once per wasm folder (compiling the wasm is the slow part of opening). */
export function loadSqlJs(wasmDir: string): Promise<SqlJsStatic> {
  let engine = engines.get(wasmDir);
  if (!engine) {
    // sql.js (and its wasm) is loaded on first use, not at activation.
    engine = import('sql.js').then(({ default: initSqlJs }) => initSqlJs({ locateFile: (file: string) => path.join(wasmDir, file) }));
    engines.set(wasmDir, engine);
    engine.catch(() => engines.delete(wasmDir));
  }
  return engine;
}

/**
 * Opens index.sqlite in options.storageDir (creating the folder and file), runs migrations, and
 * starts watching for other windows' saves. A corrupt file is moved aside (options.onCorrupt) and a
 * fresh index with needsRebuild = true is returned.
 */
export async function openIndex(options: OpenIndexOptions): Promise<PhotoIndex> {
  const store = new IndexStore(await loadSqlJs(options.wasmDir), options);
  await store.open();
  return store;
}
