// The Takeout import's report: English for the log and the command line, in the user's language for
// VS Code's Show Report — every line, and the reader's explanation inside each entry's line, which is
// recognised by its template (src/takeout/problemText.ts) and handed to l10n.t with its values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as templates from '../../src/takeout/problemText';
import { takeoutProblem, TAKEOUT_AT_OR_AFTER, TAKEOUT_BEFORE_FIRST, TAKEOUT_ENTRY_CRC, TAKEOUT_NAME_CLIMBS, TAKEOUT_OUT_OF_RANGE, TAKEOUT_REFUSED, TAKEOUT_REST_NOT_READ, TAKEOUT_ENTRY_INFLATES, TAKEOUT_TAR_DAMAGED, TAKEOUT_TAR_ENDS, TAKEOUT_TIMESTAMP_UNBELIEVABLE, TAKEOUT_NO_XMP } from '../../src/takeout/problemText';
import { translateTakeoutProblem } from '../../src/sync/takeout/problemText';
import { emptyResult, type TakeoutResult } from '../../src/sync/takeout/report';
import { reportLines } from '../../src/sync/takeout/reportLines';
import type { SyncL10n } from '../../src/sync/l10n';
import { englishL10n } from '../../src/util/englishL10n';

/** A pretend language: every message in «», every value in ⟦⟧. */
const pretend = {
  t(message: string, ...args: unknown[]): string {
    return `«${message.replace(/\{(\d+)\}/g, (_, i: string) => `⟦${String(args[Number(i)])}⟧`)}»`;
  },
} as unknown as SyncL10n;
const plain = (s: string) => s.replace(/[«»⟦⟧]/g, '');

/** Parts only ever used inside another explanation. */
const PIECES = new Set<string>([TAKEOUT_AT_OR_AFTER, TAKEOUT_BEFORE_FIRST, TAKEOUT_OUT_OF_RANGE]);

test('every explanation the Takeout reader writes is a known message: translated with its values, English as made', () => {
  const all = (Object.entries(templates) as [string, unknown][]).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0].startsWith('TAKEOUT_'));
  assert.ok(all.length >= 40, `${all.length} templates`);
  for (const [name, template] of all) {
    if (PIECES.has(template)) continue;
    const args = (template.match(/\{\d+\}/g) ?? []).map((_, i) => `v${i}`);
    const made = takeoutProblem(template, ...args);
    const shown = translateTakeoutProblem(made, pretend);
    assert.match(shown, /^«.*»$/s, `${name}: a known message (${made})`);
    assert.equal(plain(shown), made, `${name}: the values come through`);
    assert.equal(translateTakeoutProblem(made, englishL10n), made, `${name}: English as made`);
  }
});

test('an explanation inside another is translated too: refused names, the part stopping, where a tar archive broke', () => {
  assert.equal(translateTakeoutProblem(takeoutProblem(TAKEOUT_REFUSED, TAKEOUT_NAME_CLIMBS), pretend), '«refused: ⟦«the name climbs out of the folder with ..»⟧»');
  const bomb = takeoutProblem(TAKEOUT_REST_NOT_READ, takeoutProblem(TAKEOUT_ENTRY_INFLATES, 512, '1.0 MiB', '512.0 MiB', 200));
  assert.equal(translateTakeoutProblem(bomb, pretend), '«⟦«the entry inflates ⟦512⟧:1 (⟦1.0 MiB⟧ → ⟦512.0 MiB⟧), over the ⟦200⟧:1 limit»⟧; the rest of the part is not read»');
  assert.equal(translateTakeoutProblem(takeoutProblem(TAKEOUT_TAR_ENDS, takeoutProblem(TAKEOUT_AT_OR_AFTER, 'x/IMG_1.jpg')), pretend), '«the archive ends ⟦«at or after ⟦x/IMG_1.jpg⟧»⟧; everything before it was read»');
  assert.equal(
    translateTakeoutProblem(takeoutProblem(TAKEOUT_TAR_DAMAGED, TAKEOUT_BEFORE_FIRST, 'incorrect header check'), pretend),
    '«the archive is damaged ⟦«before the first entry»⟧ (⟦incorrect header check⟧); gzip cannot resume after damage, so the rest of the part is lost»',
  );
  assert.equal(
    translateTakeoutProblem(takeoutProblem(TAKEOUT_TIMESTAMP_UNBELIEVABLE, 'photoTakenTime', '99999999999999', TAKEOUT_OUT_OF_RANGE), pretend),
    '«⟦photoTakenTime⟧.timestamp ⟦99999999999999⟧ (⟦«out of range»⟧) is not a believable time, not used»',
  );
  // Node's own words stay as they are; a text no template knows too.
  assert.equal(translateTakeoutProblem('something else entirely', pretend), 'something else entirely');
});

function filled(): TakeoutResult {
  const r = emptyResult('/photos', ['takeout-001.zip', 'takeout-002.zip']);
  Object.assign(r, { imported: 3, duplicates: 1, trash: 1, undated: 2, metadataWritten: 3, bytesWritten: 3 * 1024 * 1024 });
  Object.assign(r.counts, { media: 5, albums: 1, matchedExact: 2, matchedByFallback: 1, unmatchedMedia: 1, byRule: { exact: 2, 'truncated-name': 1, none: 1 } });
  r.unmatched = ['2019/IMG_9.jpg'];
  r.orphanSidecars = ['2019/IMG_8.jpg.json'];
  r.links = { symlink: 1, hardlink: 0, problems: [takeoutProblem(templates.TAKEOUT_NO_ALBUM_ENTRY, 'IMG_1.jpg', 'EACCES: permission denied')] };
  r.damaged = [
    { archive: 'takeout-001.zip', rawName: '../evil.jpg', reason: 'unsafe-path', message: takeoutProblem(TAKEOUT_REFUSED, TAKEOUT_NAME_CLIMBS) },
    { archive: 'takeout-001.zip', entryName: '2019/IMG_2.jpg', reason: 'corrupt', message: TAKEOUT_ENTRY_CRC },
  ];
  r.problems = [{ archive: 'takeout-001.zip', entryName: '2019/IMG_3.jpg.json', reason: 'invalid-value', message: takeoutProblem(templates.TAKEOUT_TIMESTAMP_ZERO, 'photoTakenTime') }];
  r.warnings = [takeoutProblem(TAKEOUT_NO_XMP, 'IMG_4.png', 'EROFS: read-only file system')];
  return r;
}

test('the report in English (log, command line) reads as the command line prints it', () => {
  assert.deepEqual(reportLines(filled()), [
    'Takeout imported: 3 stored, 1 duplicate linked, sidecars: 2 matched, 1 by fallback, 1 without, 2 damaged or refused entries.',
    'Into /photos from 2 parts: 5 media files, 1 album, 3,145,728 bytes (3.0 MB) written.',
    'Sidecar matches by rule: same name 2, shortened name 1.',
    'Date, place or description written back from the sidecar into 3 files.',
    "1 file in the export's trash was not imported.",
    '2 files have no capture date anywhere (no sidecar time, EXIF or date in the name): stored under photos/undated/.',
    'Album entries: 1 symbolic link, 0 hard links.',
    '  album entry: No album entry for IMG_1.jpg: EACCES: permission denied',
    'Without a sidecar (dates from EXIF or the name): 2019/IMG_9.jpg.',
    'Sidecars whose photo is not in the export: 2019/IMG_8.jpg.json.',
    'Damaged or refused: ../evil.jpg (unsafe name): refused: the name climbs out of the folder with ..',
    'Damaged or refused: 2019/IMG_2.jpg (corrupt): the entry fails its CRC-32 check (damaged bytes)',
    'Sidecar problem: 2019/IMG_3.jpg.json: photoTakenTime.timestamp is 0 (unknown time), not used',
    'Warning: IMG_4.png: no XMP sidecar (EROFS: read-only file system)',
  ]);
});

test('the report in the user’s language (Show Report): every line, the reason words and each entry’s explanation', () => {
  const lines = reportLines(filled(), pretend);
  for (const line of lines) assert.match(line, /^( {2})?«.*»$/s, line);
  // The entries' lines: the frame, the reason and the reader's explanation each translated.
  assert.deepEqual(lines.slice(-4), [
    '«Damaged or refused: ⟦../evil.jpg⟧ (⟦«unsafe name»⟧): ⟦«refused: ⟦«the name climbs out of the folder with ..»⟧»⟧»',
    '«Damaged or refused: ⟦2019/IMG_2.jpg⟧ (⟦«corrupt»⟧): ⟦«the entry fails its CRC-32 check (damaged bytes)»⟧»',
    '«Sidecar problem: ⟦2019/IMG_3.jpg.json⟧: ⟦«⟦photoTakenTime⟧.timestamp is 0 (unknown time), not used»⟧»',
    '«Warning: ⟦«⟦IMG_4.png⟧: no XMP sidecar (⟦EROFS: read-only file system⟧)»⟧»',
  ]);
  assert.equal(lines[7], '  «album entry: ⟦«No album entry for ⟦IMG_1.jpg⟧: ⟦EACCES: permission denied⟧»⟧»');
  assert.equal(lines.map(plain).join('\n').replace(/«|»/g, ''), reportLines(filled()).join('\n'), 'the same report, word for word, in English');
});
