import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarizeReport } from '../../src/sync/reportText';
import type { SyncReport } from '../../src/sync/upload/report';

function report(parts: Partial<SyncReport>): SyncReport {
  return { uploaded: 0, added: 0, alreadyUploaded: 0, duplicates: 0, skipped: 0, failed: [], archived: 0, archiveProblems: [], archiveRenames: [], archivedFrom: [], albumsCreated: [], warnings: [], cancelled: false, errors: [], ...parts };
}

test('a summary ending in a quoted message that has its own full stop ends in one stop, not two', () => {
  const failed = [{ path: '/p/corrupt.webp', message: 'Google Photos refused corrupt.webp: bad. It is tried again once the file changes.' }];
  assert.equal(summarizeReport(report({ uploaded: 3, failed }), 'Google Photos'), 'Uploaded 3 files; 1 failed: Google Photos refused corrupt.webp: bad. It is tried again once the file changes.');
  assert.equal(summarizeReport(report({ uploaded: 3 }), 'Google Photos'), 'Uploaded 3 files.');
});
