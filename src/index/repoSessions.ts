import type {
  DownloadState,
  JournalRow,
  JournalState,
  Page,
  PageRequest,
  PickedItemRecord,
  PickerSessionRecord,
  PickerSessionState,
  PickerWriter,
  QuotaWriter,
  TaskJournalWriter,
} from './api';
import { bool, num, reqNum, reqStr, str, type Row, type Sql } from './sql';

export class PickerRepo implements PickerWriter {
  constructor(
    private readonly sql: Sql,
    private readonly now: () => number,
  ) {}

  session(id: string): PickerSessionRecord | undefined {
    const r = this.sql.get('SELECT * FROM picker_sessions WHERE id = $id', { id });
    return r && toSession(r);
  }

  sessions(filter?: { accountId?: string; state?: PickerSessionState }): PickerSessionRecord[] {
    return this.sql
      .all('SELECT * FROM picker_sessions WHERE ($accountId IS NULL OR account_id = $accountId) AND ($state IS NULL OR state = $state) ORDER BY created_at, id', {
        accountId: filter?.accountId,
        state: filter?.state,
      })
      .map(toSession);
  }

  recent(accountId: string, limit: number): PickerSessionRecord[] {
    return this.sql
      .all(`SELECT * FROM picker_sessions WHERE account_id = $accountId AND state != 'creating' ORDER BY created_at DESC, id LIMIT $limit`, { accountId, limit })
      .map(toSession);
  }

  undeleted(accountId: string): PickerSessionRecord[] {
    return this.sql.all('SELECT * FROM picker_sessions WHERE account_id = $accountId AND remote_deleted = 0 ORDER BY created_at, id', { accountId }).map(toSession);
  }

  countItems(sessionId: string): Partial<Record<DownloadState, number>> {
    const rows = this.sql.all('SELECT download_state AS state, count(*) AS n FROM picked_items WHERE session_id = $sessionId GROUP BY download_state', { sessionId });
    return Object.fromEntries(rows.map((r) => [reqStr(r.state), reqNum(r.n)]));
  }

  items(sessionId: string, page?: PageRequest): Page<PickedItemRecord> {
    return this.sql.page(
      'SELECT count(*) FROM picked_items WHERE session_id = $sessionId',
      'SELECT * FROM picked_items WHERE session_id = $sessionId ORDER BY ordinal',
      { sessionId },
      page,
      toPicked,
    );
  }

  upsertSession(s: PickerSessionRecord): void {
    const now = this.now();
    this.sql.run(
      `INSERT INTO picker_sessions (id, account_id, picker_uri, expire_time, media_items_set, state, target_folder, request_id, remote_deleted, last_error, created_at, updated_at)
       VALUES ($id, $accountId, $pickerUri, $expireTime, $mediaItemsSet, $state, $targetFolder, $requestId, $remoteDeleted, $lastError, $createdAt, $now)
       ON CONFLICT(id) DO UPDATE SET account_id = excluded.account_id, picker_uri = excluded.picker_uri, expire_time = excluded.expire_time,
         media_items_set = excluded.media_items_set, state = excluded.state, target_folder = excluded.target_folder, request_id = excluded.request_id,
         remote_deleted = excluded.remote_deleted, last_error = excluded.last_error, updated_at = excluded.updated_at`,
      {
        id: s.id,
        accountId: s.accountId,
        pickerUri: s.pickerUri,
        expireTime: s.expireTime,
        mediaItemsSet: s.mediaItemsSet,
        state: s.state,
        targetFolder: s.targetFolder,
        requestId: s.requestId,
        remoteDeleted: s.remoteDeleted ?? false,
        lastError: s.lastError,
        createdAt: s.createdAt ?? now,
        now,
      },
    );
  }

  upsertItems(items: readonly PickedItemRecord[]): void {
    for (const i of items) {
      const existing = this.sql.get('SELECT ordinal FROM picked_items WHERE session_id = $sessionId AND id = $id', { sessionId: i.sessionId, id: i.id });
      const ordinal = existing
        ? reqNum(existing.ordinal)
        : this.sql.scalar('SELECT coalesce(max(ordinal) + 1, 0) FROM picked_items WHERE session_id = $sessionId', { sessionId: i.sessionId });
      this.sql.run(
        `INSERT OR REPLACE INTO picked_items (session_id, id, filename, mime_type, create_time, width, height, camera_make, camera_model,
           local_path, download_state, bytes, last_error, ordinal)
         VALUES ($sessionId, $id, $filename, $mimeType, $createTime, $width, $height, $cameraMake, $cameraModel,
           $localPath, $downloadState, $bytes, $lastError, $ordinal)`,
        {
          sessionId: i.sessionId,
          id: i.id,
          filename: i.filename,
          mimeType: i.mimeType,
          createTime: i.createTime,
          width: i.width,
          height: i.height,
          cameraMake: i.cameraMake,
          cameraModel: i.cameraModel,
          localPath: i.localPath,
          downloadState: i.downloadState,
          bytes: i.bytes,
          lastError: i.lastError,
          ordinal,
        },
      );
    }
  }

  updateItem(sessionId: string, id: string, change: Partial<Omit<PickedItemRecord, 'sessionId' | 'id'>>): void {
    const r = this.sql.get('SELECT * FROM picked_items WHERE session_id = $sessionId AND id = $id', { sessionId, id });
    if (r) this.upsertItems([{ ...toPicked(r), ...change, sessionId, id }]);
  }

  removeSession(id: string): void {
    this.sql.run('DELETE FROM picked_items WHERE session_id = $id', { id });
    this.sql.run('DELETE FROM picker_sessions WHERE id = $id', { id });
  }
}

function toSession(r: Row): PickerSessionRecord {
  return {
    id: reqStr(r.id),
    accountId: reqStr(r.account_id),
    pickerUri: str(r.picker_uri),
    expireTime: str(r.expire_time),
    mediaItemsSet: bool(r.media_items_set) ?? false,
    state: reqStr(r.state) as PickerSessionState,
    targetFolder: str(r.target_folder),
    requestId: str(r.request_id),
    remoteDeleted: bool(r.remote_deleted) ?? false,
    lastError: str(r.last_error),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

function toPicked(r: Row): PickedItemRecord {
  return {
    sessionId: reqStr(r.session_id),
    id: reqStr(r.id),
    filename: str(r.filename),
    mimeType: str(r.mime_type),
    createTime: str(r.create_time),
    width: num(r.width),
    height: num(r.height),
    cameraMake: str(r.camera_make),
    cameraModel: str(r.camera_model),
    localPath: str(r.local_path),
    downloadState: reqStr(r.download_state) as DownloadState,
    bytes: num(r.bytes),
    lastError: str(r.last_error),
  };
}

export class QuotaRepo implements QuotaWriter {
  constructor(private readonly sql: Sql) {}

  used(accountId: string, bucket: string, period: string): number {
    return this.sql.scalar('SELECT requests FROM quota_use WHERE bucket = $bucket AND period = $period AND account_id = $accountId', { accountId, bucket, period });
  }

  total(bucket: string, period: string): number {
    return this.sql.scalar('SELECT coalesce(sum(requests), 0) FROM quota_use WHERE bucket = $bucket AND period = $period', { bucket, period });
  }

  add(accountId: string, bucket: string, period: string, requests = 1): void {
    this.sql.run(
      `INSERT INTO quota_use (account_id, bucket, period, requests) VALUES ($accountId, $bucket, $period, $requests)
       ON CONFLICT(bucket, period, account_id) DO UPDATE SET requests = requests + excluded.requests`,
      { accountId, bucket, period, requests },
    );
  }
}

export class TaskJournalRepo implements TaskJournalWriter {
  constructor(private readonly sql: Sql) {}

  get(id: string): JournalRow | undefined {
    const r = this.sql.get('SELECT * FROM task_journal WHERE id = $id', { id });
    return r && toJournal(r);
  }

  unfinished(): JournalRow[] {
    return this.sql.all(`SELECT * FROM task_journal WHERE state IN ('queued', 'running') ORDER BY created_at, id`).map(toJournal);
  }

  countUnfinished(): number {
    return this.sql.scalar(`SELECT count(*) FROM task_journal WHERE state IN ('queued', 'running')`);
  }

  upsert(rows: readonly JournalRow[]): void {
    for (const j of rows) {
      this.sql.run(
        `INSERT OR REPLACE INTO task_journal (id, kind, group_id, group_title, account_id, title, state, payload, depends_on, priority,
           bytes, attempts, last_error, created_at, updated_at)
         VALUES ($id, $kind, $groupId, $groupTitle, $accountId, $title, $state, $payload, $dependsOn, $priority,
           $bytes, $attempts, $lastError, $createdAt, $updatedAt)`,
        {
          id: j.id,
          kind: j.kind,
          groupId: j.groupId,
          groupTitle: j.groupTitle,
          accountId: j.accountId,
          title: j.title,
          state: j.state,
          payload: j.payload,
          dependsOn: JSON.stringify(j.dependsOn),
          priority: j.priority,
          bytes: j.bytes,
          attempts: j.attempts,
          lastError: j.lastError,
          createdAt: j.createdAt,
          updatedAt: j.updatedAt,
        },
      );
    }
  }

  prune(before: number): number {
    return this.sql.run(`DELETE FROM task_journal WHERE state IN ('done', 'failed', 'cancelled') AND updated_at < $before`, { before });
  }
}

function toJournal(r: Row): JournalRow {
  let dependsOn: string[] = [];
  try {
    const parsed: unknown = JSON.parse(reqStr(r.depends_on));
    if (Array.isArray(parsed)) dependsOn = parsed.map(String);
  } catch {
    // A damaged list means no dependencies rather than a crash on resume.
  }
  return {
    id: reqStr(r.id),
    kind: reqStr(r.kind),
    groupId: reqStr(r.group_id),
    groupTitle: str(r.group_title),
    accountId: str(r.account_id),
    title: reqStr(r.title),
    state: reqStr(r.state) as JournalState,
    payload: str(r.payload),
    dependsOn,
    priority: reqNum(r.priority),
    bytes: num(r.bytes),
    attempts: reqNum(r.attempts),
    lastError: str(r.last_error),
    createdAt: reqNum(r.created_at),
    updatedAt: reqNum(r.updated_at),
  };
}
