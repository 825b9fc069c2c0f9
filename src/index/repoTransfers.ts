import type { Page, PageRequest, UploadFilter, UploadRecord, UploadState, UploadsWriter } from './api';
import { jsonList, num, reqNum, reqStr, str, type Row, type Sql } from './sql';

export class UploadsRepo implements UploadsWriter {
  constructor(
    private readonly sql: Sql,
    private readonly now: () => number,
  ) {}

  get(id: string): UploadRecord | undefined {
    const r = this.sql.get('SELECT * FROM uploads WHERE id = $id', { id });
    return r && toUpload(r);
  }

  getMany(ids: readonly string[]): Map<string, UploadRecord> {
    const out = new Map<string, UploadRecord>();
    if (ids.length === 0) return out;
    for (const r of this.sql.all('SELECT u.* FROM json_each(CAST($ids AS TEXT)) AS j CROSS JOIN uploads AS u ON u.id = j.value', { ids: jsonList(ids) })) {
      const u = toUpload(r);
      out.set(u.id, u);
    }
    return out;
  }

  byLocalPath(localPath: string): UploadRecord[] {
    return this.sql.all('SELECT * FROM uploads WHERE local_path = $localPath ORDER BY created_at, id', { localPath }).map(toUpload);
  }

  bySha256(sha256: string, filter?: UploadFilter): UploadRecord[] {
    return this.sql.all(`SELECT * FROM uploads WHERE sha256 = $sha256 AND ${FILTER} ORDER BY created_at, id`, { sha256, ...filterParams(filter) }).map(toUpload);
  }

  byState(state: UploadState, filter?: UploadFilter, page?: PageRequest): Page<UploadRecord> {
    const where = `WHERE state = $state AND ${FILTER}`;
    return this.sql.page(`SELECT count(*) FROM uploads ${where}`, `SELECT * FROM uploads ${where} ORDER BY created_at, id`, { state, ...filterParams(filter) }, page, toUpload);
  }

  countByState(filter?: UploadFilter): Partial<Record<UploadState, number>> {
    const rows = this.sql.all(`SELECT state, count(*) AS n FROM uploads WHERE ${FILTER} GROUP BY state`, filterParams(filter));
    return Object.fromEntries(rows.map((r) => [reqStr(r.state), reqNum(r.n)]));
  }

  reusableReceipt(id: string, now = this.now(), marginMs = 0): { token: string; expiresAt?: number } | undefined {
    const u = this.get(id);
    if (!u?.receipt) return undefined;
    if (u.receiptExpiresAt !== undefined && now + marginMs >= u.receiptExpiresAt) return undefined;
    return { token: u.receipt, expiresAt: u.receiptExpiresAt };
  }

  upsert(u: UploadRecord): void {
    const now = this.now();
    this.sql.run(
      `INSERT INTO uploads (id, provider, account_id, local_path, sha256, size, album_id, album_title, state, receipt, receipt_expires_at,
         resume_state, media_item_id, last_error, created_at, updated_at)
       VALUES ($id, $provider, $accountId, $localPath, $sha256, $size, $albumId, $albumTitle, $state, $receipt, $receiptExpiresAt,
         $resumeState, $mediaItemId, $lastError, $createdAt, $updatedAt)
       ON CONFLICT(id) DO UPDATE SET provider = excluded.provider, account_id = excluded.account_id, local_path = excluded.local_path,
         sha256 = excluded.sha256, size = excluded.size, album_id = excluded.album_id, album_title = excluded.album_title,
         state = excluded.state, receipt = excluded.receipt, receipt_expires_at = excluded.receipt_expires_at,
         resume_state = excluded.resume_state, media_item_id = excluded.media_item_id, last_error = excluded.last_error,
         updated_at = excluded.updated_at`,
      {
        id: u.id,
        provider: u.provider,
        accountId: u.accountId,
        localPath: u.localPath,
        sha256: u.sha256,
        size: u.size,
        albumId: u.albumId,
        albumTitle: u.albumTitle,
        state: u.state,
        receipt: u.receipt,
        receiptExpiresAt: u.receiptExpiresAt,
        resumeState: u.resumeState,
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

  discardExpiredReceipts(now = this.now()): number {
    return this.sql.run(
      `UPDATE uploads SET receipt = NULL, receipt_expires_at = NULL, state = 'pending', updated_at = $now
       WHERE state = 'uploaded' AND receipt IS NOT NULL AND receipt_expires_at <= $now`,
      { now },
    );
  }

  remove(id: string): void {
    this.sql.run('DELETE FROM uploads WHERE id = $id', { id });
  }
}

const FILTER = '($provider IS NULL OR provider = $provider) AND ($accountId IS NULL OR account_id = $accountId) AND ($albumId IS NULL OR album_id = $albumId)';

function filterParams(filter: UploadFilter | undefined) {
  return { provider: filter?.provider, accountId: filter?.accountId, albumId: filter?.albumId };
}

function toUpload(r: Row): UploadRecord {
  return {
    id: reqStr(r.id),
    provider: reqStr(r.provider),
    accountId: reqStr(r.account_id),
    localPath: reqStr(r.local_path),
    sha256: str(r.sha256),
    size: num(r.size),
    albumId: str(r.album_id),
    albumTitle: str(r.album_title),
    state: reqStr(r.state) as UploadState,
    receipt: str(r.receipt),
    receiptExpiresAt: num(r.receipt_expires_at),
    resumeState: str(r.resume_state),
    mediaItemId: str(r.media_item_id),
    lastError: str(r.last_error),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}
