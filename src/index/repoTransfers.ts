import { UPLOAD_TOKEN_TTL_MS } from './constants';
import type { DownloadRecord, DownloadState, DownloadsWriter, Page, PageRequest, UploadRecord, UploadState, UploadsWriter } from './api';
import { num, reqNum, reqStr, str, type Row, type Sql } from './sql';

export class UploadsRepo implements UploadsWriter {
  constructor(
    private readonly sql: Sql,
    private readonly now: () => number,
  ) {}

  get(id: string): UploadRecord | undefined {
    const r = this.sql.get('SELECT * FROM uploads WHERE id = $id', { id });
    return r && toUpload(r);
  }

  byLocalPath(localPath: string): UploadRecord[] {
    return this.sql.all('SELECT * FROM uploads WHERE local_path = $localPath ORDER BY created_at, id', { localPath }).map(toUpload);
  }

  bySha256(sha256: string, accountId?: string): UploadRecord[] {
    return this.sql
      .all('SELECT * FROM uploads WHERE sha256 = $sha256 AND ($accountId IS NULL OR account_id = $accountId) ORDER BY created_at, id', { sha256, accountId })
      .map(toUpload);
  }

  byState(state: UploadState, filter?: { accountId?: string; albumId?: string }, page?: PageRequest): Page<UploadRecord> {
    const where = 'WHERE state = $state AND ($accountId IS NULL OR account_id = $accountId) AND ($albumId IS NULL OR album_id = $albumId)';
    return this.sql.page(
      `SELECT count(*) FROM uploads ${where}`,
      `SELECT * FROM uploads ${where} ORDER BY created_at, id`,
      { state, accountId: filter?.accountId, albumId: filter?.albumId },
      page,
      toUpload,
    );
  }

  countByState(filter?: { accountId?: string }): Partial<Record<UploadState, number>> {
    const rows = this.sql.all('SELECT state, count(*) AS n FROM uploads WHERE ($accountId IS NULL OR account_id = $accountId) GROUP BY state', { accountId: filter?.accountId });
    return Object.fromEntries(rows.map((r) => [reqStr(r.state), reqNum(r.n)]));
  }

  reusableToken(id: string, now = this.now()): { token: string; issuedAt: number } | undefined {
    const u = this.get(id);
    if (!u?.uploadToken || u.tokenIssuedAt === undefined) return undefined;
    return now - u.tokenIssuedAt < UPLOAD_TOKEN_TTL_MS ? { token: u.uploadToken, issuedAt: u.tokenIssuedAt } : undefined;
  }

  upsert(u: UploadRecord): void {
    const now = this.now();
    this.sql.run(
      `INSERT INTO uploads (id, account_id, local_path, sha256, size, album_id, album_title, state, upload_token, token_issued_at,
         session_url, session_offset, media_item_id, last_error, created_at, updated_at)
       VALUES ($id, $accountId, $localPath, $sha256, $size, $albumId, $albumTitle, $state, $uploadToken, $tokenIssuedAt,
         $sessionUrl, $sessionOffset, $mediaItemId, $lastError, $createdAt, $updatedAt)
       ON CONFLICT(id) DO UPDATE SET account_id = excluded.account_id, local_path = excluded.local_path, sha256 = excluded.sha256,
         size = excluded.size, album_id = excluded.album_id, album_title = excluded.album_title, state = excluded.state,
         upload_token = excluded.upload_token, token_issued_at = excluded.token_issued_at, session_url = excluded.session_url,
         session_offset = excluded.session_offset, media_item_id = excluded.media_item_id, last_error = excluded.last_error,
         updated_at = excluded.updated_at`,
      {
        id: u.id,
        accountId: u.accountId,
        localPath: u.localPath,
        sha256: u.sha256,
        size: u.size,
        albumId: u.albumId,
        albumTitle: u.albumTitle,
        state: u.state,
        uploadToken: u.uploadToken,
        tokenIssuedAt: u.tokenIssuedAt,
        sessionUrl: u.sessionUrl,
        sessionOffset: u.sessionOffset,
        mediaItemId: u.mediaItemId,
        lastError: u.lastError,
        createdAt: u.createdAt ?? now,
        updatedAt: now,
      },
    );
  }

  update(id: string, change: Partial<Omit<UploadRecord, 'id'>>): void {
    const current = this.get(id);
    if (current) this.upsert({ ...current, ...change, id });
  }

  discardExpiredTokens(now = this.now()): number {
    return this.sql.run(
      `UPDATE uploads SET upload_token = NULL, token_issued_at = NULL, state = 'pending', updated_at = $now
       WHERE state = 'uploaded' AND upload_token IS NOT NULL AND token_issued_at <= $cutoff`,
      { now, cutoff: now - UPLOAD_TOKEN_TTL_MS },
    );
  }

  remove(id: string): void {
    this.sql.run('DELETE FROM uploads WHERE id = $id', { id });
  }
}

function toUpload(r: Row): UploadRecord {
  return {
    id: reqStr(r.id),
    accountId: reqStr(r.account_id),
    localPath: reqStr(r.local_path),
    sha256: str(r.sha256),
    size: num(r.size),
    albumId: str(r.album_id),
    albumTitle: str(r.album_title),
    state: reqStr(r.state) as UploadState,
    uploadToken: str(r.upload_token),
    tokenIssuedAt: num(r.token_issued_at),
    sessionUrl: str(r.session_url),
    sessionOffset: num(r.session_offset),
    mediaItemId: str(r.media_item_id),
    lastError: str(r.last_error),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

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

  upsert(d: DownloadRecord): void {
    this.sql.run(
      `INSERT OR REPLACE INTO downloads (id, account_id, media_item_id, local_path, state, bytes, sha256, last_error, updated_at)
       VALUES ($id, $accountId, $mediaItemId, $localPath, $state, $bytes, $sha256, $lastError, $updatedAt)`,
      {
        id: d.id,
        accountId: d.accountId,
        mediaItemId: d.mediaItemId,
        localPath: d.localPath,
        state: d.state,
        bytes: d.bytes,
        sha256: d.sha256,
        lastError: d.lastError,
        updatedAt: this.now(),
      },
    );
  }

  update(id: string, change: Partial<Omit<DownloadRecord, 'id'>>): void {
    const current = this.get(id);
    if (current) this.upsert({ ...current, ...change, id });
  }

  remove(id: string): void {
    this.sql.run('DELETE FROM downloads WHERE id = $id', { id });
  }
}

function toDownload(r: Row): DownloadRecord {
  return {
    id: reqStr(r.id),
    accountId: reqStr(r.account_id),
    mediaItemId: reqStr(r.media_item_id),
    localPath: reqStr(r.local_path),
    state: reqStr(r.state) as DownloadState,
    bytes: num(r.bytes),
    sha256: str(r.sha256),
    lastError: str(r.last_error),
    updatedAt: num(r.updated_at),
  };
}
