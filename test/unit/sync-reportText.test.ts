import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarizeReport } from '../../src/sync/reportText';
import type { SyncReport } from '../../src/sync/upload/report';
import { englishL10n } from '../../src/util/englishL10n';

function report(parts: Partial<SyncReport>): SyncReport {
  return { uploaded: 0, added: 0, alreadyUploaded: 0, duplicates: 0, skipped: 0, failed: [], archived: 0, archiveProblems: [], archiveRenames: [], archivedFrom: [], albumsCreated: [], warnings: [], cancelled: false, errors: [], ...parts };
}

test('a summary ending in a quoted message that has its own full stop ends in one stop, not two', () => {
  const failed = [{ path: '/p/corrupt.webp', message: 'Google Photos refused corrupt.webp: bad. It is tried again once the file changes.' }];
  assert.equal(summarizeReport(report({ uploaded: 3, failed }), 'Google Photos', englishL10n), 'Uploaded 3 files; 1 failed: Google Photos refused corrupt.webp: bad. It is tried again once the file changes.');
  assert.equal(summarizeReport(report({ uploaded: 3 }), 'Google Photos', englishL10n), 'Uploaded 3 files.');
});

test('one message per plural form; renames in the archive named, the rest counted', () => {
  const l = englishL10n;
  assert.equal(summarizeReport(report({ uploaded: 1 }), 'Flickr', l), 'Uploaded 1 file.');
  assert.equal(summarizeReport(report({ added: 1 }), 'Google Photos', l), '1 file already in Google Photos added to its album.');
  assert.equal(summarizeReport(report({ uploaded: 2, added: 3, alreadyUploaded: 4 }), 'Google Photos', l), 'Uploaded 2 files; 3 files already in Google Photos added to their albums; 4 already in Google Photos.');
  const renames = ['a', 'b', 'c', 'd'].map((x) => ({ path: `/in/${x}.jpg`, movedTo: `/archive/${x} (2).jpg` }));
  assert.equal(
    summarizeReport(report({ uploaded: 4, archived: 4, archiveRenames: renames, cancelled: true }), 'Google Photos', l),
    'Stopped; the rest continues on the next sync. Uploaded 4 files; moved 4 to the archive (a.jpg as “a (2).jpg”, b.jpg as “b (2).jpg” and 2 more (see the log): the names were already taken there).',
  );
});

test('every word of the summary comes from a translated message', () => {
  // A "translation" that marks each message: nothing English may appear outside the marks.
  const marked = { t: (message: string, ...args: unknown[]) => `«${englishL10n.t(message.replace(/[A-Za-z]+/g, (w) => w.toUpperCase()), ...(args as string[]))}»` } as typeof englishL10n;
  const text = summarizeReport(report({ uploaded: 2, added: 1, alreadyUploaded: 1, archived: 1, archiveRenames: [{ path: '/in/a.jpg', movedTo: '/ar/a (2).jpg' }], cancelled: true }), 'X', marked);
  assert.doesNotMatch(text.replace(/a \(2\)\.jpg|a\.jpg/g, ''), /[a-z]/, text);
});
