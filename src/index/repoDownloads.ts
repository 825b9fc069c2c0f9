import type { DownloadRecord, DownloadSourceRecord, DownloadState, DownloadsWriter, Page, PageRequest } from './api';
import { num, reqNum, reqStr, str, type Row, type Sql } from './sql';

export class DownloadsRepo implements DownloadsWriter {
  constructor(
    private readonly sql: Sql,
    private readonly now: () => number,
  ) {}

  get(id: string): DownloadRecord | undefined {
    const r = this.sql.get('SELECT * FROM downloads WHERE id = $id', { id });
    return r && toDownload(r);
  }

  byMediaItem(mediaItemId: string): DownloadRecord[] {
    return this.sql.all('SELECT * FROM downloads WHERE media_item_id = $mediaItemId ORDER BY local_path', { mediaItemId }).map(toDownload);
  }

  byLocalPath(localPath: string): DownloadRecord | undefined {
    const r = this.sql.get('SELECT * FROM downloads WHERE local_path = $localPath ORDER BY updated_at DESC', { localPath });
    return r && toDownload(r);
  }

  byState(state: DownloadState, page?: PageRequest): Page<DownloadRecord> {
    return this.sql.page('SELECT count(*) FROM downloads WHERE state = $state', 'SELECT * FROM downloads WHERE state = $state ORDER BY local_path', { state }, page, toDownload);
  }

  bySource(source: string, page?: PageRequest): Page<DownloadRecord> {
    return this.sql.page('SELECT count(*) FROM downloads WHERE source = $source', 'SELECT * FROM downloads WHERE source = $source ORDER BY created_at, id', { source }, page, toDownload);
  }

  countBySource(source: string): Partial<Record<DownloadState, number>> {
    const rows = this.sql.all('SELECT state, count(*) AS n FROM downloads WHERE source = $source GROUP BY state', { source });
    return Object.fromEntries(rows.map((r) => [reqStr(r.state), reqNum(r.n)]));
  }

  unfinished(filter: { provider: string; accountId: string }, page?: PageRequest): Page<DownloadRecord> {
    const where = `WHERE state IN ('pending', 'downloading') AND provider = $provider AND account_id = $accountId`;
    return this.sql.page(`SELECT count(*) FROM downloads ${where}`, `SELECT * FROM downloads ${where} ORDER BY created_at, id`, filter, page, toDownload);
  }

  sourceRun(key: { provider: string; accountId: string; source: string; root: string }): DownloadSourceRecord | undefined {
    const r = this.sql.get('SELECT * FROM download_sources WHERE provider = $provider AND account_id = $accountId AND source = $source AND root = $root', key);
    return r && toSourceRun(r);
  }

  upsert(d: DownloadRecord): void {
    const now = this.now();
    const existing = this.sql.get('SELECT created_at FROM downloads WHERE id = $id', { id: d.id });
    this.sql.run(
      `INSERT OR REPLACE INTO downloads (id, account_id, provider, media_item_id, local_path, root, source, state, bytes, sha256, received_sha256, received,
         mtime_ms, last_error, created_at, updated_at)
       VALUES ($id, $accountId, $provider, $mediaItemId, $localPath, $root, $source, $state, $bytes, $sha256, $receivedSha256, $received,
         $mtimeMs, $lastError, $createdAt, $now)`,
      {
        id: d.id,
        accountId: d.accountId,
        provider: d.provider ?? 'google-photos',
        mediaItemId: d.mediaItemId,
        localPath: d.localPath,
        root: d.root,
        source: d.source,
        state: d.state,
        bytes: d.bytes,
        sha256: d.sha256,
        receivedSha256: d.receivedSha256,
        received: d.received,
        mtimeMs: d.mtimeMs,
        lastError: d.lastError,
        createdAt: existing ? num(existing.created_at) ?? now : (d.createdAt ?? now),
        now,
      },
    );
  }

  /** Sets only the given columns (one UPDATE: the row keeps its place in every index it did not change). */
  update(id: string, change: Partial<Omit<DownloadRecord, 'id'>>): void {
    const keys = (Object.keys(change) as (keyof typeof COLUMNS)[]).filter((k) => k in COLUMNS).sort();
    const sets = keys.map((k) => `${COLUMNS[k]} = $${k}`);
    const params: Record<string, string | number | undefined> = { id, updatedAt: this.now() };
    for (const k of keys) params[k] = change[k] as string | number | undefined;
    this.sql.run(`UPDATE downloads SET ${[...sets, 'updated_at = $updatedAt'].join(', ')} WHERE id = $id`, params);
  }

  remove(id: string): void {
    this.sql.run('DELETE FROM downloads WHERE id = $id', { id });
  }

  upsertSourceRun(run: DownloadSourceRecord): void {
    this.sql.run(
      `INSERT OR REPLACE INTO download_sources (provider, account_id, source, root, title, newest_complete, listed_at, completed_at, updated_at)
       VALUES ($provider, $accountId, $source, $root, $title, $newestComplete, $listedAt, $completedAt, $now)`,
      { ...run, now: this.now() },
    );
  }
}

/** Record field → column, for partial updates. */
const COLUMNS: Record<keyof Omit<DownloadRecord, 'id' | 'updatedAt'>, string> = {
  accountId: 'account_id',
  provider: 'provider',
  mediaItemId: 'media_item_id',
  localPath: 'local_path',
  root: 'root',
  source: 'source',
  state: 'state',
  bytes: 'bytes',
  sha256: 'sha256',
  receivedSha256: 'received_sha256',
  received: 'received',
  mtimeMs: 'mtime_ms',
  lastError: 'last_error',
  createdAt: 'created_at',
};

function toDownload(r: Row): DownloadRecord {
  return {
    id: reqStr(r.id),
    accountId: reqStr(r.account_id),
    provider: str(r.provider),
    mediaItemId: reqStr(r.media_item_id),
    localPath: reqStr(r.local_path),
    root: str(r.root),
    source: str(r.source),
    state: reqStr(r.state) as DownloadState,
    bytes: num(r.bytes),
    sha256: str(r.sha256),
    receivedSha256: str(r.received_sha256),
    received: str(r.received),
    mtimeMs: num(r.mtime_ms),
    lastError: str(r.last_error),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

function toSourceRun(r: Row): DownloadSourceRecord {
  return {
    provider: reqStr(r.provider),
    accountId: reqStr(r.account_id),
    source: reqStr(r.source),
    root: reqStr(r.root),
    title: str(r.title),
    newestComplete: str(r.newest_complete),
    listedAt: num(r.listed_at),
    completedAt: num(r.completed_at),
    updatedAt: num(r.updated_at),
  };
}
