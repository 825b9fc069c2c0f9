import type { Database, SqlValue, Statement } from 'sql.js';
import type { Page, PageRequest } from './api';

export type Row = Record<string, SqlValue>;
export type Params = Record<string, SqlValue | boolean | undefined>;

/**
 * The only place statements are prepared. Caches prepared statements per SQL text (dropped when the
 * database is swapped on reload) and refuses mutations outside `index.write`.
 */
export class Sql {
  private db: Database | undefined;
  private readonly cache = new Map<string, Statement>();
  /** True while a write callback runs. */
  writing = false;
  /**
   * Bumped by every mutation of the library (media items, albums, their membership) or the upload
   * journal, and whenever the database is swapped (reload after another window saved): a cache of
   * what those tables hold is valid while this number stays the same. Writes to other tables (the
   * scan's local_files rows, the task journal) leave it alone.
   */
  libraryVersion = 0;
  /** The same for the local_files table (written by scans and uploads). */
  localVersion = 0;
  /** Per SQL text: 1 touches the library, 2 local_files (bits). */
  private readonly touches = new Map<string, number>();

  attach(db: Database): void {
    this.detach();
    // The database is sql.js's in-memory file, saved only by whole snapshots (store.ts), and no other
    // connection ever opens it: its rollback journal need not be a file too, nor its lock be taken
    // and dropped around every statement. Kept in memory and held, a one-row write transaction costs
    // ≈0.05 ms instead of ≈0.35 ms and a keyed read a third (the journal file was created, written and
    // deleted in the emulated file system per transaction). Rollback works as before; the snapshot
    // on disk is the same (neither mode changes the file format, as WAL would).
    db.exec('PRAGMA journal_mode = MEMORY; PRAGMA locking_mode = EXCLUSIVE');
    this.db = db;
    this.libraryVersion++;
    this.localVersion++;
  }

  detach(): void {
    for (const s of this.cache.values()) s.free();
    this.cache.clear();
    this.db = undefined;
  }

  get database(): Database {
    if (!this.db) throw new Error('The index is closed.');
    return this.db;
  }

  all(sql: string, params?: Params): Row[] {
    const s = this.statement(sql);
    try {
      if (params) s.bind(bindable(params));
      const rows: Row[] = [];
      while (s.step()) rows.push(s.getAsObject());
      return rows;
    } finally {
      s.reset();
    }
  }

  /** Calls `fn` with each row's values in column order (no per-row object: for bulk reads). */
  each(sql: string, params: Params | undefined, fn: (values: SqlValue[]) => void): void {
    const s = this.statement(sql);
    try {
      if (params) s.bind(bindable(params));
      while (s.step()) fn(s.get());
    } finally {
      s.reset();
    }
  }

  get(sql: string, params?: Params): Row | undefined {
    const s = this.statement(sql);
    try {
      if (params) s.bind(bindable(params));
      return s.step() ? s.getAsObject() : undefined;
    } finally {
      s.reset();
    }
  }

  scalar(sql: string, params?: Params): number {
    const row = this.get(sql, params);
    return row ? Number(Object.values(row)[0] ?? 0) : 0;
  }

  /** Runs a mutation; only allowed inside index.write. Returns rows changed. */
  run(sql: string, params?: Params): number {
    this.assertWriting();
    let touches = this.touches.get(sql);
    if (touches === undefined) this.touches.set(sql, (touches = (LIBRARY_TABLES.test(sql) ? 1 : 0) | (/\blocal_files\b/i.test(sql) ? 2 : 0)));
    if (touches & 1) this.libraryVersion++;
    if (touches & 2) this.localVersion++;
    const s = this.statement(sql);
    s.run(params ? bindable(params) : undefined);
    return this.database.getRowsModified();
  }

  page<T>(countSql: string, pageSql: string, params: Params, request: PageRequest | undefined, map: (r: Row) => T): Page<T> {
    const offset = Math.max(0, Math.floor(request?.offset ?? 0));
    const limit = Math.min(1000, Math.max(1, Math.floor(request?.limit ?? 100)));
    const total = this.scalar(countSql, params);
    const items = this.all(`${pageSql} LIMIT $limit OFFSET $offset`, { ...params, limit, offset }).map(map);
    return { items, total, offset };
  }

  assertWriting(): void {
    if (!this.writing) throw new Error('Index mutations must run inside index.write(…).');
  }

  private statement(sql: string): Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.database.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }
}

/** Tables whose mutation bumps Sql.libraryVersion (no trigger or foreign key writes any table indirectly). */
const LIBRARY_TABLES = /\b(media_items|album_items|albums|uploads)\b/i;

/**
 * A long list for `json_each(CAST($param AS TEXT))`, bound as bytes: sql.js copies a blob into the
 * database's memory in one go but encodes a string character by character in JavaScript (≈14 ms for
 * the 660 KB of 10,000 hashes). CAST: a blob given to json_each would be read as binary JSON.
 */
export function jsonList(values: readonly unknown[]): Uint8Array {
  return Buffer.from(JSON.stringify(values));
}

function bindable(params: Params): Record<string, SqlValue> {
  const out: Record<string, SqlValue> = {};
  for (const [key, value] of Object.entries(params)) {
    out[`$${key}`] = value === undefined ? null : typeof value === 'boolean' ? (value ? 1 : 0) : value;
  }
  return out;
}

// Row readers: SQL NULL becomes undefined in records.
export function str(v: SqlValue | undefined): string | undefined {
  return v === null || v === undefined ? undefined : String(v);
}
export function num(v: SqlValue | undefined): number | undefined {
  return v === null || v === undefined ? undefined : Number(v);
}
export function bool(v: SqlValue | undefined): boolean | undefined {
  return v === null || v === undefined ? undefined : Number(v) !== 0;
}
export function reqStr(v: SqlValue | undefined): string {
  return v === null || v === undefined ? '' : String(v);
}
export function reqNum(v: SqlValue | undefined): number {
  return v === null || v === undefined ? 0 : Number(v);
}

/** Escapes LIKE wildcards so a folder path matches literally (used with ESCAPE '\\'). */
export function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
