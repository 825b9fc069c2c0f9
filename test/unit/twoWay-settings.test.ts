import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { parseSyncFolders, serializeSyncFolder } from '../../src/sync/config';
import { limitUploads, parseRunLimits, twoWayOf } from '../../src/sync/twoWay/settings';

test('folder entries: upload/download/mirrorDeletes default on/off/off, a non-boolean is reported, and they round-trip', () => {
  const { folders, problems } = parseSyncFolders(
    [{ path: '/p/a' }, { path: '/p/b', upload: false, download: true, mirrorDeletes: true }, { path: '/p/c', mirrorDeletes: 'yes' }],
    path.posix.isAbsolute,
  );
  assert.deepEqual(folders.map(twoWayOf), [
    { upload: true, download: false, mirrorDeletes: false },
    { upload: false, download: true, mirrorDeletes: true },
    { upload: true, download: false, mirrorDeletes: false },
  ]);
  assert.deepEqual(problems, ['photoSync.folders[2].mirrorDeletes must be true or false; using the default.']);
  assert.deepEqual(
    parseSyncFolders([serializeSyncFolder(folders[1])], path.posix.isAbsolute).folders.map(twoWayOf),
    [{ upload: false, download: true, mirrorDeletes: true }],
  );
  assert.equal('download' in serializeSyncFolder(folders[0]), false, 'defaults are left out');
});

test('run limits: defaults, clamping, and a plan cut to maxOperations with what remains', () => {
  assert.deepEqual(parseRunLimits(() => undefined), { maxOperations: 0, delayMs: 0, mirrorDeleteThreshold: 0.25 });
  assert.deepEqual(parseRunLimits((k) => ({ 'sync.maxOperations': 2.7, 'sync.delayMs': -5, 'sync.mirrorDeleteThreshold': 3 })[k]), { maxOperations: 2, delayMs: 0, mirrorDeleteThreshold: 1 });
  const on = { upload: true };
  const off = { upload: false };
  const plan = { uploads: [{ folder: on }, { folder: off }, { folder: on }], adds: [{ folder: on }, { folder: on }] };
  assert.equal(limitUploads(plan, 3), 1);
  assert.equal(plan.uploads.length, 2, 'the upload-off folder is dropped');
  assert.equal(plan.adds.length, 1);
  const all = { uploads: [{ folder: on }], adds: [{ folder: on }] };
  assert.equal(limitUploads(all, 0), 0);
  assert.equal(all.uploads.length + all.adds.length, 2);
});
