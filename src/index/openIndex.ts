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
    engine = import('sql.js')
      .then(({ default: initSqlJs }) => initSqlJs({ locateFile: (file: string) => path.join(wasmDir, file) }))
      .then((SQL) => {
        limitPageCache(SQL);
        return SQL;
      });
    engines.set(wasmDir, engine);
    engine.catch(() => engines.delete(wasmDir));
  }
  return engine;
}

/**
 * sql.js keeps the whole database file in memory already (an in-memory file), so SQLite's page cache
 * of up to 2 MB per connection — the index's, and the one `export()` opens for every save — only
 * holds second copies of pages. A soft heap limit for this engine makes SQLite recycle cache pages
 * instead (a page it reads again is a memory copy): peak memory during a save of a 4 MB index goes
 * from 2.8× to 2.0× the file. The wasm heap never shrinks, so the high-water mark is what counts.
 */
export const SQLITE_SOFT_HEAP_LIMIT = 1024 * 1024;

function limitPageCache(SQL: SqlJsStatic): void {
  const db = new SQL.Database();
  try {
    db.exec(`PRAGMA soft_heap_limit = ${SQLITE_SOFT_HEAP_LIMIT}`);
  } finally {
    db.close();
  }
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
