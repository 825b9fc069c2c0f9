// Import Google Takeout end to end below the UI: real zip and tgz archives split in two parts with
// every sidecar quirk, duplicates across year and album folders, real JPEGs whose sidecar facts are
// written into EXIF, a zip-slip entry, a corrupt entry, a full disk and a cancel mid-archive — checked
// on disk (paths, sha256, mtimes, EXIF read back with exifr, links) and in the index.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import exifr from 'exifr';
import fs from 'node:fs';
import path from 'node:path';
import { nodeFileSystem, type LocalFileSystem } from '../../src/localfs/fileSystem';
import { isPartName } from '../../src/localfs/parts';
import { RunLeases } from '../../src/sync/runLease';
import { ImportBusyError } from '../../src/sync/takeout/pipeline';
import { reportLines } from '../../src/sync/takeout/reportLines';
import type { SyncL10n } from '../../src/sync/l10n';
import { nullLogger } from '../../src/util/logger';
import { corruptBytes, expectedSha256, offsetOf, patchName, writeFolder, writeParts, writeZip, type TakeoutFile } from '../helpers/takeoutArchive';
import { ALBUM, realisticTakeout, ROOT, sidecarJson, YEAR } from '../helpers/takeoutFixture';
import { photoWithoutExif } from '../unit/metadata-fixtures';
import { tempDir } from '../unit/sync-fixtures';
import { mountTmpfs } from '../unit/localfs-mounts';
import { listTree, sha256File, startTakeoutRig } from './takeout-harness';

const TAKEN = 1_556_000_000; // 2019-04-23T06:13:20Z
/** A pretend language: every message in «», every value in ⟦⟧. */
const pretend = { t: (message: string, ...args: unknown[]) => `«${message.replace(/\{(\d+)\}/g, (_, i: string) => `⟦${String(args[Number(i)])}⟧`)}»` } as unknown as SyncL10n;
const REAL_TAKEN = 1_514_887_810; // 2018-01-02T10:10:10Z

/** The realistic export, with the album copy of IMG_0001 holding the same bytes as the year copy, plus real JPEGs. */
async function exportFiles(): Promise<{ files: TakeoutFile[]; expected: Map<string, { rule: string; sidecar?: string }>; realJpeg: Buffer }> {
  const { files, expected } = realisticTakeout();
  for (const f of files) if (f.name.endsWith('/IMG_0001.jpg')) f.seed = 'IMG_0001 bytes';
  const realJpeg = fs.readFileSync(await photoWithoutExif('DSCF2044.JPG'));
  files.push({ name: `${YEAR}/Beach.jpg`, data: realJpeg, part: 1, compress: false });
  files.push({ name: `${YEAR}/Beach.jpg.supplemental-metadata.json`, part: 0, data: sidecarJson({ title: 'Beach.jpg', taken: REAL_TAKEN, exifLat: 43.2965, exifLon: 5.3698, description: 'Plage à Marseille' }) });
  // The same real photo in an album, named differently: stored once by content.
  files.push({ name: `${ALBUM}/Beach copy.jpg`, data: realJpeg, part: 0, compress: false });
  files.push({ name: `${ALBUM}/Beach copy.jpg.json`, part: 1, data: sidecarJson({ title: 'Beach copy.jpg', taken: REAL_TAKEN, exifLat: 43.2965, exifLon: 5.3698, description: 'Plage à Marseille' }) });
  expected.set(`${YEAR}/Beach.jpg`, { rule: 'supplemental' });
  expected.set(`${ALBUM}/Beach copy.jpg`, { rule: 'exact' });
  return { files, expected, realJpeg };
}

test('zip export in two parts: every quirk matched, stored once by content, album links, mtimes, EXIF and the index; a re-import skips everything', async () => {
  const dir = await tempDir('takeout-zip-');
  const { files, expected, realJpeg } = await exportFiles();
  const parts = await writeParts(dir, files, 'zip');
  assert.equal(parts.length, 2);
  const rig = await startTakeoutRig();
  try {
    const progress: number[] = [];
    const result = await rig.run(parts, { onProgress: (p) => progress.push(p.files) });
    assert.equal(result.cancelled, false);
    assert.equal(result.stopped, undefined);
    const media = [...expected.keys()];
    const trash = media.filter((m) => m.includes('/Trash/'));
    assert.equal(result.counts.media, media.length);
    assert.equal(result.counts.unmatchedMedia, [...expected.values()].filter((e) => e.rule === 'none').length);
    assert.equal(result.counts.matchedByFallback, [...expected.values()].filter((e) => !['exact', 'supplemental', 'none'].includes(e.rule)).length);
    assert.equal(result.trash, trash.length);
    assert.equal(result.duplicates, 2, 'IMG_0001 and the beach photo are in a year folder and an album');
    assert.equal(result.imported, media.length - trash.length - 2);
    assert.deepEqual(result.damaged, []);
    assert.ok(progress.at(-1)! >= media.length - 1);

    // Every entry has its row with the rule the brief's matcher gives.
    for (const [entry, want] of expected) {
      const row = rig.index.imports.get(rig.root, entry);
      if (entry.includes('/Trash/')) {
        assert.equal(row, undefined, entry);
        continue;
      }
      assert.ok(row, `no index row for ${entry}`);
      assert.equal(row.origin, 'takeout');
      assert.equal(row.matchRule, want.rule, entry);
      assert.ok(parts.includes(row.archive));
      assert.ok(row.localPath && fs.existsSync(row.localPath), entry);
    }

    // Stored once, by capture date, with the capture time as mtime; the album copy is a link.
    const stored = path.join(rig.root, 'photos/2019/04/IMG_0001.jpg');
    const year = rig.index.imports.get(rig.root, `${YEAR}/IMG_0001.jpg`)!;
    const album = rig.index.imports.get(rig.root, `${ALBUM}/IMG_0001.jpg`)!;
    assert.equal(year.localPath, stored);
    assert.equal(album.localPath, stored);
    assert.deepEqual([year.state, album.state].sort(), ['done', 'duplicate']);
    assert.equal(sha256File(stored), await expectedSha256({ name: 'x', seed: 'IMG_0001 bytes' }));
    assert.equal(fs.statSync(stored).mtimeMs, TAKEN * 1000);
    assert.equal(year.captureSource, 'takeout');
    assert.equal(year.latitude, 52.37);
    assert.deepEqual(JSON.parse(year.people!), ['Ann']);
    const link = path.join(rig.root, 'albums/2019/04 Amsterdam 2022/IMG_0001.jpg');
    assert.equal(album.albumLink, link);
    assert.ok(fs.lstatSync(link).isSymbolicLink());
    assert.equal(fs.realpathSync(link), fs.realpathSync(stored));
    // The album named in the French album JSON, not after its folder.
    assert.ok(fs.lstatSync(path.join(rig.root, "albums/2019/04 Vacances d'été/IMG_0020.jpg")).isSymbolicLink());

    // The live photo's video half got the still's date; geoDataExif wins over geoData.
    const mov = rig.index.imports.get(rig.root, `${YEAR}/IMG_0002.MOV`)!;
    assert.equal(mov.localPath, path.join(rig.root, 'photos/2019/04/IMG_0002.MOV'));
    assert.equal(fs.statSync(mov.localPath!).mtimeMs, TAKEN * 1000);
    const heic = rig.index.imports.get(rig.root, `${YEAR}/IMG_0002.HEIC`)!;
    assert.deepEqual([heic.latitude, heic.longitude], [48.85, 2.35]);
    // Not a JPEG: the sidecar's facts go into an XMP sidecar.
    const xmp = fs.readFileSync(`${heic.localPath}.xmp`, 'utf8');
    assert.match(xmp, /<exif:DateTimeOriginal>2019-04-23T06:13:20\+00:00</);
    assert.match(xmp, /<exif:GPSLatitude>48,51\.000000N</);
    // NFD names from macOS are stored NFC; the edited copy shares the original's date.
    assert.ok(fs.existsSync(path.join(rig.root, 'photos/2019/04/Été à Paris.jpg'.normalize('NFC'))));
    assert.equal(fs.statSync(path.join(rig.root, 'photos/2019/04/IMG_0005-edited.jpg')).mtimeMs, TAKEN * 1000);
    // No usable date anywhere (broken JSON, timestamp 0, no sidecar): photos/undated, and said so.
    for (const name of ['IMG_0011.jpg', 'IMG_0012.jpg', 'IMG_0021.jpg']) assert.ok(fs.existsSync(path.join(rig.root, 'photos/undated', name)), name);
    assert.ok(result.undated >= 3);
    assert.ok(result.problems.some((p) => p.reason === 'invalid-json' && p.entryName === `${YEAR}/IMG_0011.jpg.json`));
    assert.deepEqual(result.orphanSidecars, [`${YEAR}/IMG_9999.jpg.json`]);
    assert.ok(result.unmatched.includes(`${YEAR}/received_1234567890.jpeg`));

    // The real JPEG: date, GPS and description written into EXIF; the image data is untouched.
    const year2 = rig.index.imports.get(rig.root, `${YEAR}/Beach.jpg`)!;
    const copy = rig.index.imports.get(rig.root, `${ALBUM}/Beach copy.jpg`)!;
    assert.equal(copy.localPath, year2.localPath, 'same bytes under another name: stored once');
    // The album copy is in part 1, read first: it is the stored one, the year copy its duplicate.
    assert.deepEqual([copy.state, year2.state], ['done', 'duplicate']);
    assert.equal(year2.sha256, copy.sha256);
    const beach = copy;
    assert.equal(beach.localPath, path.join(rig.root, 'photos/2018/01', path.basename(beach.localPath!)));
    const tags = await exifr.parse(beach.localPath!, { reviveValues: false });
    assert.equal(tags.DateTimeOriginal, '2018:01:02 10:10:10');
    assert.equal(tags.OffsetTimeOriginal, '+00:00');
    assert.equal(tags.ImageDescription, 'Plage à Marseille');
    const gps = await exifr.gps(beach.localPath!);
    assert.ok(Math.abs(gps.latitude - 43.2965) < 1e-4 && Math.abs(gps.longitude - 5.3698) < 1e-4);
    assert.equal(fs.statSync(beach.localPath!).mtimeMs, REAL_TAKEN * 1000);
    assert.equal(beach.sha256, sha256File(beach.localPath!));
    assert.equal(beach.receivedSha256, sha256File(await photoWithoutExif('DSCF2044.JPG')));
    assert.notEqual(beach.sha256, beach.receivedSha256);
    assert.equal(realJpeg.length > 0, true);
    assert.match(beach.metadataWritten ?? '', /exif:DateTimeOriginal/);

    // Nothing left behind, nothing outside the two trees.
    const tree = listTree(rig.root);
    assert.ok(tree.every((f) => f.startsWith('photos/') || f.startsWith('albums/')), tree.join('\n'));
    assert.ok(!tree.some((f) => isPartName(path.basename(f))));
    assert.ok(!tree.some((f) => f.includes('IMG_0030')), 'trash is not imported');

    // Again: everything is known, nothing read or written.
    const mtimes = tree.map((f) => fs.lstatSync(path.join(rig.root, f)).mtimeMs);
    const again = await rig.run(parts);
    assert.equal(again.imported, 0);
    assert.equal(again.duplicates, 0);
    assert.equal(again.already, media.length - trash.length);
    assert.deepEqual(listTree(rig.root), tree);
    assert.deepEqual(tree.map((f) => fs.lstatSync(path.join(rig.root, f)).mtimeMs), mtimes);
  } finally {
    await rig.close();
  }
});

test('tgz export in two parts, and the extracted folder, give the same tree as the zip export', async () => {
  const dir = await tempDir('takeout-tgz-');
  const { files } = await exportFiles();
  const zipRig = await startTakeoutRig();
  const tgzRig = await startTakeoutRig();
  const folderRig = await startTakeoutRig();
  try {
    await zipRig.run(await writeParts(dir, files, 'zip'));
    const result = await tgzRig.run(await writeParts(dir, files, 'tgz'));
    assert.equal(result.duplicates, 2);
    assert.deepEqual(result.damaged, []);
    const tree = listTree(tgzRig.root);
    assert.deepEqual(tree, listTree(zipRig.root));
    for (const f of tree) assert.equal(sha256File(path.join(tgzRig.root, f)), sha256File(path.join(zipRig.root, f)), f);
    // The extracted folder (Explorer → Import Google Takeout… on "Takeout") gives the same tree too.
    const extracted = path.join(dir, 'extracted');
    await writeFolder(extracted, files);
    const fromFolder = await folderRig.run([path.join(extracted, 'Takeout')]);
    assert.equal(fromFolder.duplicates, 2);
    assert.deepEqual(listTree(folderRig.root), tree);
  } finally {
    await zipRig.close();
    await tgzRig.close();
    await folderRig.close();
  }
});

test('a zip-slip entry is refused and a corrupt entry listed; everything else is imported', async () => {
  const dir = await tempDir('takeout-bad-');
  const zip = path.join(dir, 'takeout-001.zip');
  const hostile = '../../../../../evil.jpg';
  const placeholder = 'Takeout/p'.padEnd(hostile.length - 4, 'x') + '.jpg';
  await writeZip(zip, [
    { name: `${YEAR}/IMG_1.jpg` },
    { name: `${YEAR}/IMG_1.jpg.json`, data: sidecarJson({ title: 'IMG_1.jpg', taken: TAKEN }) },
    { name: placeholder, size: 1000 },
    { name: `${YEAR}/IMG_2.jpg`, size: 50_000 },
    { name: `${YEAR}/IMG_2.jpg.json`, data: sidecarJson({ title: 'IMG_2.jpg', taken: TAKEN }) },
    { name: `${YEAR}/IMG_3.jpg` },
    { name: `${YEAR}/IMG_3.jpg.json`, data: sidecarJson({ title: 'IMG_3.jpg', taken: TAKEN }) },
  ]);
  assert.equal(await patchName(zip, placeholder, hostile), 2);
  await corruptBytes(zip, (await offsetOf(zip, `${YEAR}/IMG_2.jpg`)) + `${YEAR}/IMG_2.jpg`.length + 10_000, 16);
  const rig = await startTakeoutRig(path.join(await tempDir('takeout-slip-'), 'a', 'b', 'c', 'd', 'e', 'root'));
  fs.mkdirSync(rig.root, { recursive: true });
  try {
    const result = await rig.run([zip]);
    assert.deepEqual(
      result.damaged.map((d) => [d.reason, d.entryName ?? d.rawName]).sort(),
      [
        ['corrupt', `${YEAR}/IMG_2.jpg`],
        ['unsafe-path', hostile],
      ].sort(),
    );
    assert.equal(result.imported, 2);
    assert.deepEqual(listTree(rig.root), ['photos/2019/04/IMG_1.jpg', 'photos/2019/04/IMG_1.jpg.xmp', 'photos/2019/04/IMG_3.jpg', 'photos/2019/04/IMG_3.jpg.xmp']);
    assert.equal(listTree(path.resolve(rig.root, '../../../../..')).filter((f) => f.includes('evil')).length, 0);
    const damaged = rig.index.imports.get(rig.root, `${YEAR}/IMG_2.jpg`)!;
    assert.equal(damaged.state, 'damaged');
    assert.match(damaged.lastError!, /CRC|declared|bytes/);
    // Show Report in a translated VS Code: the entries' lines, their reasons and the reader's own
    // explanations are all in the user's language (the log and the command line keep the English).
    const shown = reportLines(result, pretend).filter((l) => l.startsWith('«Damaged or refused'));
    assert.equal(shown.length, 2);
    for (const line of shown) assert.match(line, /^«Damaged or refused: ⟦[^⟧]+⟧ \(⟦«[^»]+»⟧\): ⟦«.+»⟧»$/, line);
    assert.ok(shown.some((l) => l.includes('⟦«refused: ⟦«the name climbs out of the folder with ..»⟧»⟧')), shown.join('\n'));
    assert.ok(reportLines(result).some((l) => l === `Damaged or refused: ${hostile} (unsafe name): refused: the name climbs out of the folder with ..`));
  } finally {
    await rig.close();
  }
});

test('a disk that fills up stops the import with a clear message; what was placed is whole and recorded; nothing half-written remains', async (t) => {
  const dir = await tempDir('takeout-full-');
  const files: TakeoutFile[] = [];
  for (let i = 0; i < 8; i++) {
    files.push({ name: `${YEAR}/IMG_${i}.jpg`, size: 300_000 });
    files.push({ name: `${YEAR}/IMG_${i}.jpg.json`, data: sidecarJson({ title: `IMG_${i}.jpg`, taken: TAKEN + i }) });
  }
  const [zip] = await writeParts(dir, files, 'zip');
  const small = mountTmpfs(t, 1024 * 1024);
  let fileSystem: LocalFileSystem | undefined;
  let root: string;
  if (small) root = small.dir;
  else {
    t.diagnostic('tmpfs could not be mounted here: the full disk is an injected ENOSPC after 1 MiB of writes');
    root = await tempDir('takeout-full-root-');
    let used = 0;
    fileSystem = {
      ...nodeFileSystem,
      open: async (file: string, flags: string) => {
        const handle = await nodeFileSystem.open(file, flags);
        const write = handle.write.bind(handle) as (b: Buffer, o: number, l: number, p: number) => Promise<{ bytesWritten: number }>;
        Object.defineProperty(handle, 'write', {
          value: async (buffer: Buffer, offset: number, length: number, position: number) => {
            if (used + length > 1024 * 1024) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
            used += length;
            return write(buffer, offset, length, position);
          },
        });
        return handle;
      },
    };
  }
  const rig = await startTakeoutRig(root);
  try {
    const result = await rig.run([zip], { fileSystem });
    assert.ok(result.stopped, 'the run says it stopped');
    assert.match(result.stopped!, /space|full/i);
    assert.match(result.stopped!, /run the import again/);
    assert.ok(result.imported >= 1 && result.imported < 8, `imported ${result.imported}`);
    const tree = listTree(root).filter((f) => !f.endsWith('.xmp'));
    assert.ok(!listTree(root).some((f) => isPartName(path.basename(f))), 'no temp file left');
    assert.equal(tree.length, result.imported);
    for (const f of tree) {
      const row = rig.index.imports.byLocalPath(path.join(root, f))!;
      assert.equal(row.state, 'done');
      assert.equal(sha256File(path.join(root, f)), row.receivedSha256, `${f} is whole`);
    }
  } finally {
    await rig.close();
  }
});

test('cancel mid-archive: the import stops, leaves no temp file, and the next import finishes without duplicates', async () => {
  const dir = await tempDir('takeout-cancel-');
  const files: TakeoutFile[] = [];
  for (let i = 0; i < 8; i++) {
    files.push({ name: `${YEAR}/IMG_${i}.jpg`, size: 2_000_000 });
    files.push({ name: `${YEAR}/IMG_${i}.jpg.json`, data: sidecarJson({ title: `IMG_${i}.jpg`, taken: TAKEN + i }) });
  }
  const parts = await writeParts(dir, files, 'tgz');
  const rig = await startTakeoutRig();
  try {
    let cancel: (() => void) | undefined;
    const first = await rig.run(parts, {
      onGroup: (g) => (cancel = () => g.cancel()),
      onProgress: (p) => {
        // The first progress of the import (after its first photo): deterministic on a fast machine too.
        if (p.phase === 'importing' && p.bytes > 0) cancel?.();
      },
    });
    assert.equal(first.cancelled, true);
    assert.ok(first.imported >= 1 && first.imported < 8, `imported ${first.imported} before the cancel`);
    assert.ok(!listTree(rig.root).some((f) => isPartName(path.basename(f))), 'no temp file left');
    const second = await rig.run(parts);
    assert.equal(second.cancelled, false);
    assert.equal(second.already, first.imported);
    assert.equal(second.imported, 8 - first.imported);
    const stored = listTree(rig.root).filter((f) => f.endsWith('.jpg'));
    assert.deepEqual(stored, files.filter((f) => f.name.endsWith('.jpg')).map((f) => `photos/2019/04/${path.posix.basename(f.name)}`).sort());
    for (let i = 0; i < 8; i++) assert.equal(sha256File(path.join(rig.root, `photos/2019/04/IMG_${i}.jpg`)), await expectedSha256(files[i * 2]));
  } finally {
    await rig.close();
  }
});

void ROOT;

test('one import into a folder at a time: a second one (another window, the command line) is told who is importing', async () => {
  const dir = await tempDir('takeout-lease-');
  const [zip] = await writeParts(dir, [{ name: `${YEAR}/IMG_1.jpg` }, { name: `${YEAR}/IMG_1.jpg.json`, data: sidecarJson({ title: 'IMG_1.jpg', taken: TAKEN }) }], 'zip');
  const rig = await startTakeoutRig();
  const leaseDir = await tempDir('takeout-leases-');
  const other = new RunLeases(leaseDir, { log: nullLogger, label: 'photo-sync command line' });
  const held = other.tryAcquire([RunLeases.key('takeout', path.resolve(rig.root))]);
  try {
    assert.ok('held' in held);
    await assert.rejects(rig.run([zip], { leases: new RunLeases(leaseDir, { log: nullLogger, label: 'a VS Code window' }) }), (err: Error) => {
      assert.ok(err instanceof ImportBusyError);
      assert.match(err.message, /Another import into .* is running in photo-sync command line/);
      return true;
    });
    assert.deepEqual(listTree(rig.root), []);
    held.held.release();
    const result = await rig.run([zip], { leases: new RunLeases(leaseDir, { log: nullLogger, label: 'a VS Code window' }) });
    assert.equal(result.imported, 1);
  } finally {
    await rig.close();
  }
});
