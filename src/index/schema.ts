import type { Database } from 'sql.js';

/**
 * Forward-only migrations. Version N's SQL turns a version N-1 database into version N; never edit a
 * released step — add a new one. Tests open a database saved at every earlier version.
 */
export const MIGRATIONS: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE schema_version (version INTEGER NOT NULL);
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE accounts (
        id TEXT PRIMARY KEY, provider TEXT NOT NULL, email TEXT, display_name TEXT);
      CREATE TABLE local_files (
        path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ms INTEGER NOT NULL, sha256 TEXT,
        capture_time TEXT, status TEXT NOT NULL, last_error TEXT, updated_at INTEGER NOT NULL);
      CREATE INDEX local_files_sha256 ON local_files(sha256);
      CREATE INDEX local_files_status ON local_files(status, path);
      -- Remote ids are long (~100 characters): membership rows refer to the small integer keys.
      CREATE TABLE albums (
        key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, account_id TEXT NOT NULL, provider TEXT NOT NULL,
        title TEXT NOT NULL, app_created INTEGER NOT NULL, item_count INTEGER, last_listed_at INTEGER,
        product_url TEXT, cover_media_item_id TEXT);
      CREATE INDEX albums_title ON albums(title, account_id, provider);
      CREATE TABLE media_items (
        key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, account_id TEXT NOT NULL, provider TEXT NOT NULL,
        filename TEXT NOT NULL, mime_type TEXT NOT NULL, creation_time TEXT, size INTEGER, sha256 TEXT,
        description TEXT, camera_make TEXT, camera_model TEXT, width INTEGER, height INTEGER,
        app_created INTEGER, product_url TEXT);
      CREATE INDEX media_items_sha256 ON media_items(sha256);
      CREATE TABLE album_items (
        album_key INTEGER NOT NULL, item_key INTEGER NOT NULL, position INTEGER NOT NULL,
        PRIMARY KEY (album_key, item_key)) WITHOUT ROWID;
      CREATE INDEX album_items_position ON album_items(album_key, position);
      CREATE INDEX album_items_item ON album_items(item_key);
      CREATE TABLE uploads (
        id TEXT PRIMARY KEY, account_id TEXT NOT NULL, local_path TEXT NOT NULL, sha256 TEXT, size INTEGER,
        album_id TEXT, album_title TEXT, state TEXT NOT NULL, upload_token TEXT, token_issued_at INTEGER,
        media_item_id TEXT, last_error TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
      CREATE INDEX uploads_local_path ON uploads(local_path);
      CREATE INDEX uploads_state ON uploads(state, account_id);
      CREATE TABLE downloads (
        id TEXT PRIMARY KEY, account_id TEXT NOT NULL, media_item_id TEXT NOT NULL, local_path TEXT NOT NULL,
        state TEXT NOT NULL, bytes INTEGER, sha256 TEXT, last_error TEXT, updated_at INTEGER NOT NULL);
      CREATE INDEX downloads_media_item ON downloads(media_item_id);
      CREATE INDEX downloads_local_path ON downloads(local_path);
      CREATE INDEX downloads_state ON downloads(state);
    `,
  },
  {
    version: 2,
    sql: `
      CREATE TABLE picker_sessions (
        id TEXT PRIMARY KEY, account_id TEXT NOT NULL, picker_uri TEXT, expire_time TEXT,
        media_items_set INTEGER NOT NULL, state TEXT NOT NULL, target_folder TEXT,
        created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
      CREATE TABLE picked_items (
        session_id TEXT NOT NULL, id TEXT NOT NULL, filename TEXT, mime_type TEXT, create_time TEXT,
        width INTEGER, height INTEGER, camera_make TEXT, camera_model TEXT, local_path TEXT,
        download_state TEXT NOT NULL, last_error TEXT, ordinal INTEGER NOT NULL,
        PRIMARY KEY (session_id, id));
      CREATE TABLE quota_usage (
        account_id TEXT NOT NULL, pacific_day TEXT NOT NULL, requests INTEGER NOT NULL,
        PRIMARY KEY (account_id, pacific_day)) WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    sql: `
      ALTER TABLE uploads ADD COLUMN session_url TEXT;
      ALTER TABLE uploads ADD COLUMN session_offset INTEGER;
      CREATE INDEX uploads_sha256 ON uploads(sha256);
      CREATE TABLE task_journal (
        id TEXT PRIMARY KEY, kind TEXT NOT NULL, group_id TEXT NOT NULL, group_title TEXT, account_id TEXT,
        title TEXT NOT NULL, state TEXT NOT NULL, payload TEXT, depends_on TEXT NOT NULL, priority INTEGER NOT NULL,
        bytes INTEGER, attempts INTEGER NOT NULL, last_error TEXT, created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL);
      CREATE INDEX task_journal_state ON task_journal(state, created_at);
    `,
  },
  {
    // Destinations beside Google Photos: uploads and quota are keyed by provider; a receipt is opaque
    // (Google's upload token is one kind) with an optional expiry; a resumable transfer's state is an
    // opaque JSON string; items a service refused get their own state instead of a message prefix;
    // album adds, same-content copies and archive moves are journaled in sync_ops.
    version: 4,
    sql: `
      ALTER TABLE uploads ADD COLUMN provider TEXT NOT NULL DEFAULT 'google-photos';
      UPDATE uploads SET id = provider || ':' || id;
      ALTER TABLE uploads RENAME COLUMN upload_token TO receipt;
      ALTER TABLE uploads ADD COLUMN receipt_expires_at INTEGER;
      UPDATE uploads SET receipt_expires_at = token_issued_at + 86400000 WHERE token_issued_at IS NOT NULL;
      ALTER TABLE uploads DROP COLUMN token_issued_at;
      ALTER TABLE uploads ADD COLUMN resume_state TEXT;
      UPDATE uploads SET resume_state = json_object('url', session_url, 'offset', coalesce(session_offset, 0)) WHERE session_url IS NOT NULL;
      ALTER TABLE uploads DROP COLUMN session_url;
      ALTER TABLE uploads DROP COLUMN session_offset;
      UPDATE uploads SET state = 'rejected' WHERE state = 'failed' AND last_error LIKE 'Google Photos refused%';
      DROP INDEX uploads_state;
      CREATE INDEX uploads_state ON uploads(state, provider, account_id);
      CREATE TABLE quota_use (
        account_id TEXT NOT NULL, bucket TEXT NOT NULL, period TEXT NOT NULL, requests INTEGER NOT NULL,
        PRIMARY KEY (bucket, period, account_id)) WITHOUT ROWID;
      INSERT INTO quota_use (account_id, bucket, period, requests) SELECT account_id, 'google-photos', pacific_day, requests FROM quota_usage;
      DROP TABLE quota_usage;
      CREATE TABLE sync_ops (
        id TEXT PRIMARY KEY, kind TEXT NOT NULL, provider TEXT NOT NULL, account_id TEXT NOT NULL,
        local_path TEXT NOT NULL, sha256 TEXT, album_title TEXT, target_path TEXT, state TEXT NOT NULL,
        last_error TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
      CREATE INDEX sync_ops_open ON sync_ops(state, provider, account_id);
      CREATE INDEX sync_ops_path ON sync_ops(local_path);
    `,
  },
  {
    // Downloads (album, year and Picker imports): a row per item and download folder, with the hash of
    // the bytes the service sent beside the hash of the file as written (EXIF edits change it; Google's
    // video transcodes never match the upload), the mtime set and the source it came from; per source and folder the newest capture time a complete walk reached (so the
    // next walk can stop there). Picker sessions keep their create request id (a retried create is the
    // same session) and whether the session was deleted at the service.
    version: 5,
    sql: `
      ALTER TABLE downloads ADD COLUMN provider TEXT NOT NULL DEFAULT 'google-photos';
      ALTER TABLE downloads ADD COLUMN root TEXT;
      ALTER TABLE downloads ADD COLUMN source TEXT;
      ALTER TABLE downloads ADD COLUMN received_sha256 TEXT;
      ALTER TABLE downloads ADD COLUMN received TEXT;
      ALTER TABLE downloads ADD COLUMN mtime_ms INTEGER;
      ALTER TABLE downloads ADD COLUMN created_at INTEGER;
      CREATE INDEX downloads_source ON downloads(source, state);
      CREATE INDEX downloads_open ON downloads(state, provider, account_id);
      CREATE TABLE download_sources (
        provider TEXT NOT NULL, account_id TEXT NOT NULL, source TEXT NOT NULL, root TEXT NOT NULL,
        title TEXT, newest_complete TEXT, listed_at INTEGER, completed_at INTEGER, updated_at INTEGER NOT NULL,
        PRIMARY KEY (provider, account_id, source, root)) WITHOUT ROWID;
      ALTER TABLE picker_sessions ADD COLUMN request_id TEXT;
      ALTER TABLE picker_sessions ADD COLUMN remote_deleted INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE picker_sessions ADD COLUMN last_error TEXT;
      UPDATE picker_sessions SET remote_deleted = 1 WHERE state = 'deleted';
      CREATE INDEX picker_sessions_created ON picker_sessions(account_id, created_at);
      ALTER TABLE picked_items ADD COLUMN bytes INTEGER;
      `,
    },
    {
    // What a destination keeps about itself per account, found again by key: Google Drive's base
    // folder id (created once, found again by id), later e.g. a changes page token.
    version: 6,
    sql: `
      CREATE TABLE destination_state (
        provider TEXT NOT NULL, account_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
        updated_at INTEGER NOT NULL, PRIMARY KEY (provider, account_id, key)) WITHOUT ROWID;
    `,
  },
  {
    // Imports from exports (Google Takeout): a row per media entry and import folder — the archive and
    // entry it came from, where it is stored (once per content: duplicates point at the same file), the
    // album entry made for it, the hash of the bytes in the archive and of the file as written, how the
    // sidecar matched and the sidecar's fields. A re-import skips rows that are done.
    version: 7,
    sql: `
      CREATE TABLE imports (
        root TEXT NOT NULL, entry_name TEXT NOT NULL, origin TEXT NOT NULL, archive TEXT NOT NULL,
        state TEXT NOT NULL, local_path TEXT, album_link TEXT, bytes INTEGER, sha256 TEXT, received_sha256 TEXT,
        mtime_ms INTEGER, capture_time TEXT, capture_source TEXT, match_rule TEXT, sidecar_entry TEXT,
        title TEXT, description TEXT, latitude REAL, longitude REAL, altitude REAL, people TEXT, url TEXT,
        favorited INTEGER, archived INTEGER, trashed INTEGER, upload_origin TEXT, metadata_written TEXT,
        last_error TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
        PRIMARY KEY (root, entry_name)) WITHOUT ROWID;
      CREATE INDEX imports_received ON imports(root, received_sha256);
      CREATE INDEX imports_local_path ON imports(local_path);
      CREATE INDEX imports_state ON imports(origin, root, state);
    `,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

export class IndexTooNewError extends Error {
  override readonly name = 'IndexTooNewError';
  constructor(readonly found: number) {
    super(`index.sqlite was written by a newer Photo Sync (schema ${found}, this version knows ${LATEST_SCHEMA_VERSION}). Update the extension.`);
  }
}

/** Schema version of a database; 0 for an empty one. */
export function readSchemaVersion(db: Database): number {
  const hasTable = db.exec(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'`);
  if (hasTable.length === 0) return 0;
  const rows = db.exec('SELECT max(version) FROM schema_version');
  return Number(rows[0]?.values[0]?.[0] ?? 0);
}

/**
 * Runs the migrations after the database's version up to `target` (default: latest), each in its own
 * transaction. Returns the versions applied.
 */
export function migrate(db: Database, target = LATEST_SCHEMA_VERSION): number[] {
  const current = readSchemaVersion(db);
  if (current > LATEST_SCHEMA_VERSION) throw new IndexTooNewError(current);
  const applied: number[] = [];
  for (const step of MIGRATIONS) {
    if (step.version <= current || step.version > target) continue;
    db.exec('BEGIN');
    try {
      db.exec(step.sql);
      db.run('DELETE FROM schema_version');
      db.run('INSERT INTO schema_version (version) VALUES (?)', [step.version]);
      // Also visible to `sqlite3 index.sqlite 'PRAGMA user_version'`.
      db.exec(`PRAGMA user_version = ${step.version}`);
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
    applied.push(step.version);
  }
  return applied;
}
