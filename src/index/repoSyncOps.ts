import type { DestinationStateWriter, Page, PageRequest, SyncOpKind, SyncOpRecord, SyncOpState, SyncOpsWriter } from './api';
import { num, reqStr, str, type Row, type Sql } from './sql';

export class SyncOpsRepo implements SyncOpsWriter {
  constructor(
    private readonly sql: Sql,
    private readonly now: () => number,
  ) {}

  get(id: string): SyncOpRecord | undefined {
    const r = this.sql.get('SELECT * FROM sync_ops WHERE id = $id', { id });
    return r && toOp(r);
  }

  pending(filter: { provider: string; accountId: string; kind?: SyncOpKind }, page?: PageRequest): Page<SyncOpRecord> {
    const where = `WHERE state = 'pending' AND provider = $provider AND account_id = $accountId AND ($kind IS NULL OR kind = $kind)`;
    return this.sql.page(`SELECT count(*) FROM sync_ops ${where}`, `SELECT * FROM sync_ops ${where} ORDER BY created_at, id`, { provider: filter.provider, accountId: filter.accountId, kind: filter.kind }, page, toOp);
  }

  upsert(op: SyncOpRecord): void {
    const now = this.now();
    this.sql.run(
      `INSERT INTO sync_ops (id, kind, provider, account_id, local_path, sha256, album_title, target_path, state, last_error, created_at, updated_at)
       VALUES ($id, $kind, $provider, $accountId, $localPath, $sha256, $albumTitle, $targetPath, $state, $lastError, $createdAt, $now)
       ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, provider = excluded.provider, account_id = excluded.account_id,
         local_path = excluded.local_path, sha256 = excluded.sha256, album_title = excluded.album_title, target_path = excluded.target_path,
         state = excluded.state, last_error = excluded.last_error, updated_at = excluded.updated_at`,
      {
        id: op.id,
        kind: op.kind,
        provider: op.provider,
        accountId: op.accountId,
        localPath: op.localPath,
        sha256: op.sha256,
        albumTitle: op.albumTitle,
        targetPath: op.targetPath,
        state: op.state,
        lastError: op.lastError,
        createdAt: op.createdAt ?? now,
        now,
      },
    );
  }

  update(id: string, change: Partial<Omit<SyncOpRecord, 'id'>>): void {
    const current = this.get(id);
    if (current) this.upsert({ ...current, ...change, id });
  }

  prune(before: number): number {
    return this.sql.run(`DELETE FROM sync_ops WHERE state != 'pending' AND updated_at < $before`, { before });
  }
}

function toOp(r: Row): SyncOpRecord {
  return {
    id: reqStr(r.id),
    kind: reqStr(r.kind) as SyncOpKind,
    provider: reqStr(r.provider),
    accountId: reqStr(r.account_id),
    localPath: reqStr(r.local_path),
    sha256: str(r.sha256),
    albumTitle: str(r.album_title),
    targetPath: str(r.target_path),
    state: reqStr(r.state) as SyncOpState,
    lastError: str(r.last_error),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

export class DestinationStateRepo implements DestinationStateWriter {
  constructor(
    private readonly sql: Sql,
    private readonly now: () => number,
  ) {}

  get(provider: string, accountId: string, key: string): string | undefined {
    const r = this.sql.get('SELECT value FROM destination_state WHERE provider = $provider AND account_id = $accountId AND key = $key', { provider, accountId, key });
    return r ? reqStr(r.value) : undefined;
  }

  set(provider: string, accountId: string, key: string, value: string | undefined): void {
    if (value === undefined) {
      this.sql.run('DELETE FROM destination_state WHERE provider = $provider AND account_id = $accountId AND key = $key', { provider, accountId, key });
      return;
    }
    this.sql.run(
      `INSERT INTO destination_state (provider, account_id, key, value, updated_at) VALUES ($provider, $accountId, $key, $value, $now)
       ON CONFLICT(provider, account_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      { provider, accountId, key, value, now: this.now() },
    );
  }
}
