import type { Page, PageRequest } from './api';
import type { ImportRecord, ImportState, ImportsWriter } from './apiImports';
import { bool, num, reqNum, reqStr, str, type Row, type Sql } from './sql';

const COLUMNS: Record<keyof Omit<ImportRecord, 'createdAt' | 'updatedAt'>, string> = {
  root: 'root',
  entryName: 'entry_name',
  origin: 'origin',
  archive: 'archive',
  state: 'state',
  localPath: 'local_path',
  albumLink: 'album_link',
  bytes: 'bytes',
  sha256: 'sha256',
  receivedSha256: 'received_sha256',
  mtimeMs: 'mtime_ms',
  captureTime: 'capture_time',
  captureSource: 'capture_source',
  matchRule: 'match_rule',
  sidecarEntry: 'sidecar_entry',
  title: 'title',
  description: 'description',
  latitude: 'latitude',
  longitude: 'longitude',
  altitude: 'altitude',
  people: 'people',
  url: 'url',
  favorited: 'favorited',
  archived: 'archived',
  trashed: 'trashed',
  uploadOrigin: 'upload_origin',
  metadataWritten: 'metadata_written',
  lastError: 'last_error',
};
const KEYS = Object.keys(COLUMNS) as (keyof typeof COLUMNS)[];
const UPSERT = `INSERT OR REPLACE INTO imports (${KEYS.map((k) => COLUMNS[k]).join(', ')}, created_at, updated_at)
  VALUES (${KEYS.map((k) => `$${k}`).join(', ')}, $createdAt, $now)`;

export class ImportsRepo implements ImportsWriter {
  constructor(
    private readonly sql: Sql,
    private readonly now: () => number,
  ) {}

  get(root: string, entryName: string): ImportRecord | undefined {
    const r = this.sql.get('SELECT * FROM imports WHERE root = $root AND entry_name = $entryName', { root, entryName });
    return r && toImport(r);
  }

  storedByReceivedSha256(root: string, receivedSha256: string): ImportRecord | undefined {
    const r = this.sql.get(`SELECT * FROM imports WHERE root = $root AND received_sha256 = $receivedSha256 AND state = 'done' ORDER BY created_at LIMIT 1`, { root, receivedSha256 });
    return r && toImport(r);
  }

  byLocalPath(localPath: string): ImportRecord | undefined {
    const r = this.sql.get(`SELECT * FROM imports WHERE local_path = $localPath ORDER BY state = 'done' DESC, updated_at DESC LIMIT 1`, { localPath });
    return r && toImport(r);
  }

  countByState(origin: string, root: string): Partial<Record<ImportState, number>> {
    const rows = this.sql.all('SELECT state, count(*) AS n FROM imports WHERE origin = $origin AND root = $root GROUP BY state', { origin, root });
    return Object.fromEntries(rows.map((r) => [reqStr(r.state), reqNum(r.n)]));
  }

  list(origin: string, root: string, page?: PageRequest): Page<ImportRecord> {
    return this.sql.page('SELECT count(*) FROM imports WHERE origin = $origin AND root = $root', 'SELECT * FROM imports WHERE origin = $origin AND root = $root ORDER BY entry_name', { origin, root }, page, toImport);
  }

  upsert(record: ImportRecord): void {
    const now = this.now();
    const existing = this.sql.get('SELECT created_at FROM imports WHERE root = $root AND entry_name = $entryName', { root: record.root, entryName: record.entryName });
    const params: Record<string, string | number | boolean | undefined> = { createdAt: existing ? (num(existing.created_at) ?? now) : (record.createdAt ?? now), now };
    for (const key of KEYS) params[key] = record[key];
    this.sql.run(UPSERT, params);
  }
}

function toImport(r: Row): ImportRecord {
  const out: Record<string, unknown> = {};
  for (const key of KEYS) {
    const v = r[COLUMNS[key]];
    if (key === 'favorited' || key === 'archived' || key === 'trashed') out[key] = bool(v);
    else if (key === 'bytes' || key === 'mtimeMs' || key === 'latitude' || key === 'longitude' || key === 'altitude') out[key] = num(v);
    else out[key] = str(v);
  }
  out.createdAt = num(r.created_at);
  out.updatedAt = num(r.updated_at);
  return out as unknown as ImportRecord;
}
