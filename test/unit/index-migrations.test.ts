import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { loadSqlJs } from '../../src/index/openIndex';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, migrate, readSchemaVersion } from '../../src/index/schema';
import { open, sqlite3, tempStorage, wasmDir } from './index-helpers';

/** Rows each version added, written with plain SQL as that version's code would have (on that version's schema). */
function seed(version: number): string {
  const parts: string[] = [];
  if (version === 1) {
    parts.push(
      `INSERT INTO accounts VALUES ('acc1', 'google-photos', 'me@example.com', 'Me')`,
      `INSERT INTO local_files VALUES ('/photos/a.jpg', 1234, 1700000000000, 'aaa', '2023-05-01T10:00:00', 'uploaded', NULL, 1700000000001)`,
      `INSERT INTO albums VALUES (7, 'alb1', 'acc1', 'google-photos', 'Holidays', 1, 1, 1700000000002, NULL, NULL)`,
      `INSERT INTO media_items VALUES (9, 'm1', 'acc1', 'google-photos', 'a.jpg', 'image/jpeg', '2023-05-01T10:00:00Z', 1234, 'aaa', 'beach', 'Canon', 'R6', 4000, 3000, 1, NULL)`,
      `INSERT INTO album_items VALUES (7, 9, 0)`,
      `INSERT INTO uploads (id, account_id, local_path, sha256, size, album_id, album_title, state, upload_token, token_issued_at, media_item_id, last_error, created_at, updated_at)
         VALUES ('u1', 'acc1', '/photos/a.jpg', 'aaa', 1234, 'alb1', 'Holidays', 'committed', 'tok', 1700000000003, 'm1', NULL, 1700000000003, 1700000000004)`,
      `INSERT INTO downloads VALUES ('d1', 'acc1', 'm1', '/dl/a.jpg', 'downloaded', 1234, 'aaa', NULL, 1700000000005)`,
    );
  }
  if (version === 2) {
    parts.push(
      `INSERT INTO picker_sessions VALUES ('s1', 'acc1', 'https://picker/s1', '2023-05-02T00:00:00Z', 1, 'picked', '/dl', 1700000000006, 1700000000007)`,
      `INSERT INTO picked_items VALUES ('s1', 'p1', 'b.jpg', 'image/jpeg', '2023-05-01T11:00:00Z', 10, 20, NULL, NULL, NULL, 'pending', NULL, 0)`,
      `INSERT INTO quota_usage VALUES ('acc1', '2023-11-14', 42)`,
    );
  }
  if (version === 3) {
    parts.push(
      `UPDATE uploads SET session_url = 'https://upload/session', session_offset = 10 WHERE id = 'u1'`,
      `INSERT INTO uploads (id, account_id, local_path, sha256, size, state, upload_token, token_issued_at, last_error, created_at, updated_at)
         VALUES ('u2', 'acc1', '/photos/b.jpg', 'bbb', 10, 'uploaded', 'tok2', 1700000000000, NULL, 1, 1),
                ('u3', 'acc1', '/photos/c.jpg', 'ccc', 10, 'failed', NULL, NULL, 'Google Photos refused c.jpg: bad (INVALID_ARGUMENT).', 1, 1),
                ('u4', 'acc1', '/photos/d.jpg', 'ddd', 10, 'failed', NULL, NULL, 'disappeared before it was uploaded', 1, 1)`,
    );
  }
  return parts.join(';\n');
}

for (const from of [0, ...MIGRATIONS.map((m) => m.version).filter((v) => v < LATEST_SCHEMA_VERSION)]) {
  test(`an index saved at schema ${from} opens migrated to ${LATEST_SCHEMA_VERSION} with its rows kept`, async () => {
    const SQL = await loadSqlJs(wasmDir);
    const db = new SQL.Database();
    // Each version's rows are written while the database is at that version, as its code did.
    for (const step of MIGRATIONS.filter((m) => m.version <= from)) {
      migrate(db, step.version);
      const rows = seed(step.version);
      if (rows) db.exec(rows);
    }
    assert.equal(readSchemaVersion(db), from);
    const dir = tempStorage();
    const file = path.join(dir, 'index.sqlite');
    fs.writeFileSync(file, db.export());
    db.close();

    const index = await open(dir, { watch: false });
    try {
      assert.equal(index.schemaVersion, LATEST_SCHEMA_VERSION);
      assert.equal(index.needsRebuild, false);
      if (from >= 1) {
        assert.deepEqual(index.accounts.get('acc1'), { id: 'acc1', provider: 'google-photos', email: 'me@example.com', displayName: 'Me' });
        assert.equal(index.localFiles.byPath('/photos/a.jpg')?.captureTime, '2023-05-01T10:00:00');
        assert.equal(index.mediaItems.inAlbum('alb1').items[0]?.cameraModel, 'R6');
        // Migration 4 keys uploads by destination too, and keeps the receipt as an opaque token.
        const upload = index.uploads.get('google-photos:u1');
        assert.equal(upload?.state, 'committed');
        assert.equal(upload?.provider, 'google-photos');
        assert.equal(upload?.receipt, 'tok');
        assert.equal(upload?.receiptExpiresAt, 1700000000003 + 86_400_000, 'Google’s one-day token lifetime');
        assert.equal(index.downloads.byLocalPath('/dl/a.jpg')?.state, 'downloaded');
      }
      if (from >= 2) {
        assert.equal(index.picker.items('s1').items[0]?.filename, 'b.jpg');
        assert.equal(index.quota.used('acc1', 'google-photos', '2023-11-14'), 42);
      }
      if (from >= 3) {
        assert.deepEqual(JSON.parse(index.uploads.get('google-photos:u1')?.resumeState ?? '{}'), { url: 'https://upload/session', offset: 10 });
        assert.equal(index.uploads.get('google-photos:u2')?.receipt, 'tok2');
        assert.equal(index.uploads.get('google-photos:u3')?.state, 'rejected', 'a refusal is a state, not a message prefix');
        assert.equal(index.uploads.get('google-photos:u4')?.state, 'failed');
      }
      if (from >= 1) {
        // Migration 5: download rows keep their facts and get a provider; picker sessions a deleted flag.
        const download = index.downloads.get('d1');
        assert.equal(download?.provider, 'google-photos');
        assert.equal(download?.sha256, 'aaa');
        assert.equal(download?.root, undefined);
      }
      if (from >= 2) assert.equal(index.picker.session('s1')?.remoteDeleted, false);
      // Tables from later migrations work.
      await index.write((w) => {
        w.downloads.upsertSourceRun({ provider: 'google-photos', accountId: 'acc1', source: 'year:2024', root: '/dl', newestComplete: '2024-05-01T10:00:00Z' });
        w.picker.upsertSession({ id: 's2', accountId: 'acc1', mediaItemsSet: false, state: 'creating', requestId: '6f1c2a4e-1b2c-4d3e-8f90-0a1b2c3d4e5f' });
        w.uploads.update('google-photos:u1', { resumeState: '{"url":"https://upload/session2","offset":20}' });
        w.syncOps.upsert({ id: 'op1', kind: 'add', provider: 'google-photos', accountId: 'acc1', localPath: '/photos/a.jpg', albumTitle: 'Holidays', state: 'pending' });
        w.tasks.upsert([{ id: 't1', kind: 'upload', groupId: 'g', title: 'a.jpg', state: 'queued', dependsOn: [], priority: 0, attempts: 0, createdAt: 1, updatedAt: 1 }]);
        w.destinationState.set('google-drive', 'acc1', 'baseFolder', 'folder-1');
      });
      assert.equal(index.destinationState.get('google-drive', 'acc1', 'baseFolder'), 'folder-1');
      await index.flush();
    } finally {
      await index.dispose();
    }
    assert.equal(sqlite3(file, 'SELECT version FROM schema_version'), String(LATEST_SCHEMA_VERSION));
    assert.equal(sqlite3(file, 'PRAGMA user_version'), String(LATEST_SCHEMA_VERSION));
    assert.equal(sqlite3(file, 'PRAGMA integrity_check'), 'ok');
    assert.equal(sqlite3(file, 'SELECT count(*) FROM task_journal'), '1');
    if (from >= 1) assert.equal(sqlite3(file, "SELECT json_extract(resume_state, '$.offset') FROM uploads WHERE id = 'google-photos:u1'"), '20');
    assert.equal(sqlite3(file, 'SELECT count(*) FROM sync_ops'), '1');
    assert.equal(sqlite3(file, "SELECT newest_complete FROM download_sources WHERE source = 'year:2024'"), '2024-05-01T10:00:00Z');
    assert.equal(sqlite3(file, "SELECT request_id FROM picker_sessions WHERE id = 's2'"), '6f1c2a4e-1b2c-4d3e-8f90-0a1b2c3d4e5f');
    assert.equal(sqlite3(file, "SELECT value FROM destination_state WHERE key = 'baseFolder'"), 'folder-1');
  });
}

test('migrations are numbered 1, 2, 3… without gaps', () => {
  assert.deepEqual(
    MIGRATIONS.map((m) => m.version),
    MIGRATIONS.map((_m, i) => i + 1),
  );
});

test('an index from a newer Photo Sync is refused and left untouched', async () => {
  const SQL = await loadSqlJs(wasmDir);
  const db = new SQL.Database();
  migrate(db);
  db.run('UPDATE schema_version SET version = ?', [LATEST_SCHEMA_VERSION + 1]);
  const dir = tempStorage();
  const file = path.join(dir, 'index.sqlite');
  const bytes = db.export();
  fs.writeFileSync(file, bytes);
  db.close();
  await assert.rejects(open(dir, { watch: false }), /newer Photo Sync/);
  assert.deepEqual(new Uint8Array(fs.readFileSync(file)), bytes);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['index.sqlite']);
});

test('a new index is a real SQLite file the sqlite3 tool reads, in a storage folder created on demand', async () => {
  const dir = path.join(tempStorage(), 'globalStorage', 'photo-sync.photo-sync');
  const index = await open(dir, { watch: false });
  await index.write((w) => w.localFiles.upsert({ path: '/p/x.jpg', size: 5, mtimeMs: 6, status: 'seen' }));
  await index.dispose();
  const file = path.join(dir, 'index.sqlite');
  assert.equal(sqlite3(file, "SELECT path || '|' || status FROM local_files"), '/p/x.jpg|seen');
  assert.equal(sqlite3(file, 'PRAGMA integrity_check'), 'ok');
  assert.deepEqual(fs.readdirSync(dir), ['index.sqlite'], 'no lock or temp file left behind');
});
