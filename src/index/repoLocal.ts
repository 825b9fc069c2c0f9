import path from 'node:path';
import type { AccountRecord, AccountsWriter, LocalFileRecord, LocalFileStatus, LocalFilesWriter, Page, PageRequest } from './api';
import { jsonList, likePrefix, num, reqNum, reqStr, str, type Row, type Sql } from './sql';

export class AccountsRepo implements AccountsWriter {
  constructor(private readonly sql: Sql) {}

  get(id: string): AccountRecord | undefined {
    const r = this.sql.get('SELECT * FROM accounts WHERE id = $id', { id });
    return r && toAccount(r);
  }

  list(): AccountRecord[] {
    return this.sql.all('SELECT * FROM accounts ORDER BY email, id').map(toAccount);
  }

  upsert(a: AccountRecord): void {
    this.sql.run(
      `INSERT INTO accounts (id, provider, email, display_name) VALUES ($id, $provider, $email, $displayName)
       ON CONFLICT(id) DO UPDATE SET provider = excluded.provider, email = excluded.email, display_name = excluded.display_name`,
      { id: a.id, provider: a.provider, email: a.email, displayName: a.displayName },
    );
  }
}

function toAccount(r: Row): AccountRecord {
  return { id: reqStr(r.id), provider: reqStr(r.provider), email: str(r.email), displayName: str(r.display_name) };
}

export class LocalFilesRepo implements LocalFilesWriter {
  /** rowsUnder's maps by folder, valid for Sql.localVersion === cachedAt. */
  private readonly folderRows = new Map<string, Map<string, LocalFileRecord>>();
  private cachedAt = -1;

  constructor(
    private readonly sql: Sql,
    private readonly now: () => number,
  ) {}

  byPath(p: string): LocalFileRecord | undefined {
    const r = this.sql.get('SELECT * FROM local_files WHERE path = $p', { p });
    return r && toLocalFile(r);
  }

  getMany(paths: readonly string[]): Map<string, LocalFileRecord> {
    const out = new Map<string, LocalFileRecord>();
    if (paths.length === 0) return out;
    for (const r of this.sql.all('SELECT l.* FROM json_each(CAST($paths AS TEXT)) AS j CROSS JOIN local_files AS l ON l.path = j.value', { paths: jsonList(paths) })) {
      const f = toLocalFile(r);
      out.set(f.path, f);
    }
    return out;
  }

  bySha256(sha256: string): LocalFileRecord[] {
    return this.sql.all('SELECT * FROM local_files WHERE sha256 = $sha256 ORDER BY path', { sha256 }).map(toLocalFile);
  }

  underFolder(folder: string, page?: PageRequest): Page<LocalFileRecord> {
    const params = { prefix: likePrefix(withSep(folder)) };
    const where = `WHERE path LIKE $prefix ESCAPE '\\'`;
    return this.sql.page(`SELECT count(*) FROM local_files ${where}`, `SELECT * FROM local_files ${where} ORDER BY path`, params, page, toLocalFile);
  }

  allUnder(folder: string): LocalFileRecord[] {
    // A range on the primary key (LIKE would scan the table): every path starting with folder + sep.
    const lo = withSep(folder);
    const hi = lo.slice(0, -1) + String.fromCharCode(lo.charCodeAt(lo.length - 1) + 1);
    const out: LocalFileRecord[] = [];
    // Every column but updated_at (sql.js pays per column decoded, and a scan never needs it).
    this.sql.each(
      'SELECT path, size, mtime_ms, sha256, capture_time, status, last_error FROM local_files WHERE path >= $lo AND path < $hi ORDER BY path',
      { lo, hi },
      ([path, size, mtimeMs, sha256, captureTime, status, lastError]) =>
        out.push({ path: String(path), size: Number(size), mtimeMs: Number(mtimeMs), sha256: str(sha256), captureTime: str(captureTime), status: String(status) as LocalFileStatus, lastError: str(lastError) }),
    );
    return out;
  }

  rowsUnder(folder: string): ReadonlyMap<string, Readonly<LocalFileRecord>> {
    // Never kept from inside a write, whose changes may still be rolled back.
    if (this.sql.writing) return byPath(this.allUnder(folder));
    if (this.cachedAt !== this.sql.localVersion) {
      this.folderRows.clear();
      this.cachedAt = this.sql.localVersion;
    }
    const key = withSep(folder);
    let rows = this.folderRows.get(key);
    if (!rows) this.folderRows.set(key, (rows = byPath(this.allUnder(folder))));
    return rows;
  }

  byStatus(status: LocalFileStatus, page?: PageRequest, folder?: string): Page<LocalFileRecord> {
    const where = folder ? `status = $status AND path LIKE $prefix ESCAPE '\\'` : 'status = $status';
    return this.sql.page(
      `SELECT count(*) FROM local_files WHERE ${where}`,
      `SELECT * FROM local_files WHERE ${where} ORDER BY path`,
      folder ? { status, prefix: likePrefix(withSep(folder)) } : { status },
      page,
      toLocalFile,
    );
  }

  countByStatus(folder?: string): Partial<Record<LocalFileStatus, number>> {
    const rows = folder
      ? this.sql.all(`SELECT status, count(*) AS n FROM local_files WHERE path LIKE $prefix ESCAPE '\\' GROUP BY status`, { prefix: likePrefix(withSep(folder)) })
      : this.sql.all('SELECT status, count(*) AS n FROM local_files GROUP BY status');
    return Object.fromEntries(rows.map((r) => [reqStr(r.status), reqNum(r.n)]));
  }

  upsert(f: LocalFileRecord): void {
    this.sql.run(
      `INSERT OR REPLACE INTO local_files (path, size, mtime_ms, sha256, capture_time, status, last_error, updated_at)
       VALUES ($path, $size, $mtimeMs, $sha256, $captureTime, $status, $lastError, $updatedAt)`,
      { path: f.path, size: f.size, mtimeMs: f.mtimeMs, sha256: f.sha256, captureTime: f.captureTime, status: f.status, lastError: f.lastError, updatedAt: this.now() },
    );
  }

  setStatus(p: string, status: LocalFileStatus, lastError?: string): void {
    this.sql.run('UPDATE local_files SET status = $status, last_error = $lastError, updated_at = $now WHERE path = $p', { p, status, lastError, now: this.now() });
  }

  remove(p: string): void {
    this.sql.run('DELETE FROM local_files WHERE path = $p', { p });
  }
}

function byPath(rows: readonly LocalFileRecord[]): Map<string, LocalFileRecord> {
  const out = new Map<string, LocalFileRecord>();
  for (const row of rows) out.set(row.path, row);
  return out;
}

function withSep(folder: string): string {
  return folder.endsWith(path.sep) || folder.endsWith('/') ? folder : folder + path.sep;
}

function toLocalFile(r: Row): LocalFileRecord {
  return {
    path: reqStr(r.path),
    size: reqNum(r.size),
    mtimeMs: reqNum(r.mtime_ms),
    sha256: str(r.sha256),
    captureTime: str(r.capture_time),
    status: reqStr(r.status) as LocalFileStatus,
    lastError: str(r.last_error),
    updatedAt: num(r.updated_at),
  };
}
