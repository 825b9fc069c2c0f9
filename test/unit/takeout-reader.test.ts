import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readArchive, readArchives } from '../../src/takeout/readArchive';
import { scanTakeout, type TakeoutScan } from '../../src/takeout/scan';
import type { ReadProblem } from '../../src/takeout/types';
import { expectedSha256, writeFolder, writeParts, writeTgz, writeZip, type TakeoutFile } from '../helpers/takeoutArchive';
import { ALBUM, realisticTakeout, ROOT, sidecarJson, YEAR } from '../helpers/takeoutFixture';

async function withTemp(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'takeout-reader-'));
  try {
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Bytes this process has read through read(2) so far (Linux /proc/self/io). */
async function bytesReadByProcess(): Promise<number> {
  const io = await readFile('/proc/self/io', 'utf8');
  return Number(/rchar: (\d+)/.exec(io)![1]);
}

function checkScan(scan: TakeoutScan, fixture: ReturnType<typeof realisticTakeout>): void {
  for (const [entryName, want] of fixture.expected) {
    const got = scan.describe(entryName);
    assert.ok(got, `${entryName} is described`);
    assert.equal(got.match.rule, want.rule, entryName);
    assert.equal(got.sidecarEntryName, want.sidecar, entryName);
  }
  const exactRules = new Set(['exact', 'supplemental']);
  const wants = [...fixture.expected.values()];
  assert.deepEqual(
    { media: scan.counts.media, exact: scan.counts.matchedExact, fallback: scan.counts.matchedByFallback, unmatched: scan.counts.unmatchedMedia, orphans: scan.counts.orphanSidecars },
    {
      media: fixture.expected.size,
      exact: wants.filter((w) => exactRules.has(w.rule)).length,
      fallback: wants.filter((w) => w.rule !== 'none' && !exactRules.has(w.rule)).length,
      unmatched: wants.filter((w) => w.rule === 'none').length,
      orphans: 1,
    },
  );
  assert.deepEqual(scan.orphanSidecars, fixture.orphans);
  // Metadata from the matched sidecars, checked rather than trusted.
  const first = scan.describe(`${YEAR}/IMG_0001.jpg`)!;
  assert.deepEqual(first.metadata?.people, ['Ann']);
  assert.deepEqual(first.metadata?.location, { latitude: 52.37, longitude: 4.89 });
  assert.equal(first.metadata?.photoTakenTime?.toISOString(), '2019-04-23T06:13:20.000Z');
  assert.deepEqual(scan.describe(`${YEAR}/IMG_0002.HEIC`)!.metadata?.location, { latitude: 48.85, longitude: 2.35 }, 'EXIF place wins over the edited one');
  assert.equal(scan.describe(`${YEAR}/IMG_0002.MOV`)!.metadata?.title, 'IMG_0002.HEIC', 'the live video gets the still’s metadata');
  assert.equal(scan.describe(`${YEAR}/IMG_0012.jpg`)!.metadata?.photoTakenTime, undefined);
  assert.ok(scan.problems.some((p) => p.reason === 'invalid-value' && p.entryName === `${YEAR}/IMG_0012.jpg.json` && /is 0/.test(p.message)));
  assert.ok(scan.problems.some((p) => p.reason === 'invalid-json' && p.entryName === `${YEAR}/IMG_0011.jpg.json`));
  assert.equal(scan.describe(`${YEAR}/IMG_0011.jpg`)!.metadata, undefined);
  assert.equal(scan.describe(`${ROOT}/Trash/IMG_0030.jpg`)!.metadata?.trashed, true);
  // The same photo in its year folder and its album, each with its own sidecar.
  const inAlbum = scan.describe(`${ALBUM}/IMG_0001.jpg`)!;
  assert.deepEqual([first.folder.kind, first.folder.year, inAlbum.folder.kind, inAlbum.folder.albumTitle], ['year', 2019, 'album', 'Amsterdam 2022']);
  assert.equal(inAlbum.size, first.size);
  assert.equal(scan.describe(`${ROOT}/Trash/IMG_0030.jpg`)!.folder.kind, 'trash');
  for (const [folder, title] of fixture.albumTitles) assert.equal(scan.albums.get(folder)?.title, title, folder);
  assert.equal(scan.folders.find((f) => f.path === `${ROOT}/Untitled(1)`)?.untitled, true);
  assert.equal(scan.albums.get(ALBUM)?.description, 'Canals');
}

/** Pass 2: stream every media entry and compare its sha256 with what was written. */
async function checkMediaBytes(parts: string[], files: TakeoutFile[], scan: TakeoutScan): Promise<void> {
  const byName = new Map(files.map((f) => [f.name.normalize('NFC'), f]));
  const seen: string[] = [];
  for await (const entry of readArchives(parts, { kinds: new Set(['media']) })) {
    const hash = createHash('sha256');
    for await (const chunk of entry.open()) hash.update(chunk as Buffer);
    assert.equal(hash.digest('hex'), await expectedSha256(byName.get(entry.entryName)!), entry.entryName);
    assert.ok(scan.describe(entry.entryName), `${entry.entryName} known from pass 1`);
    seen.push(entry.entryName);
  }
  assert.deepEqual(seen.sort(), [...scan.media()].map((m) => m.entryName).sort());
}

for (const format of ['zip', 'tgz'] as const) {
  test(`${format}: two parts, sidecars in the other part than their photos — every naming quirk matched, media streamed byte-exact`, async () => {
    await withTemp(async (dir) => {
      const fixture = realisticTakeout();
      const parts = await writeParts(dir, fixture.files, format);
      assert.equal(parts.length, 2);
      const problems: ReadProblem[] = [];
      const scan = await scanTakeout(parts, { onProblem: (p) => problems.push(p), json: { now: new Date('2025-01-01') } });
      checkScan(scan, fixture);
      assert.deepEqual(problems.map((p) => p.reason).sort(), ['invalid-json', 'invalid-value']);
      await checkMediaBytes(parts, fixture.files, scan);
    });
  });
}

test('extracted folder: same answers as the archives', async () => {
  await withTemp(async (dir) => {
    const fixture = realisticTakeout();
    await writeFolder(dir, fixture.files);
    const scan = await scanTakeout([dir], { json: { now: new Date('2025-01-01') } });
    checkScan(scan, fixture);
    await checkMediaBytes([dir], fixture.files, scan);
  });
});

test('pass 1 on zip parts reads the directory and the JSON, never the media bytes; on tgz it reads through but keeps nothing', async () => {
  await withTemp(async (dir) => {
    const files: TakeoutFile[] = [];
    for (let i = 0; i < 8; i++) {
      files.push({ name: `${YEAR}/VID_${i}.mp4`, size: 2 * 1024 * 1024 });
      files.push({ name: `${YEAR}/VID_${i}.mp4.json`, data: sidecarJson({ title: `VID_${i}.mp4` }) });
    }
    const zip = path.join(dir, 'a.zip');
    const tgz = path.join(dir, 'a.tgz');
    await writeZip(zip, files);
    await writeTgz(tgz, files);
    const archiveBytes = (await readFile(zip)).length;
    const before = await bytesReadByProcess();
    const scan = await scanTakeout([zip]);
    const zipRead = (await bytesReadByProcess()) - before;
    assert.equal(scan.counts.matchedExact, 8);
    assert.ok(zipRead < archiveBytes / 50, `pass 1 read ${zipRead} bytes of a ${archiveBytes}-byte zip`);
    const beforeTgz = await bytesReadByProcess();
    const tgzScan = await scanTakeout([tgz]);
    const tgzRead = (await bytesReadByProcess()) - beforeTgz;
    assert.equal(tgzScan.counts.matchedExact, 8);
    assert.ok(tgzRead >= (await readFile(tgz)).length, 'a tgz pass has to read the whole part');
  });
});

test('a sidecar after its photo in a tgz, and names stored with backslashes, are read in one forward pass', async () => {
  await withTemp(async (dir) => {
    const tgz = path.join(dir, 'a.tgz');
    await writeTgz(tgz, [
      { name: `${YEAR}/IMG_1.jpg`, size: 300_000 },
      { name: 'Takeout\\Google Photos\\Photos from 2019\\IMG_1.jpg.json', data: sidecarJson({ title: 'IMG_1.jpg' }) },
    ]);
    const names: string[] = [];
    for await (const entry of readArchive(tgz)) names.push(`${entry.kind}:${entry.entryName}`);
    assert.deepEqual(names, [`media:${YEAR}/IMG_1.jpg`, `sidecar:${YEAR}/IMG_1.jpg.json`]);
    assert.equal((await scanTakeout([tgz])).describe(`${YEAR}/IMG_1.jpg`)?.match.rule, 'exact');
  });
});

test('NFC/NFD twins and the same name in two parts: the first copy is used, the other reported', async () => {
  await withTemp(async (dir) => {
    const nfc = `${YEAR}/Café.jpg`;
    const parts = await writeParts(
      dir,
      [
        { name: nfc, part: 0 },
        { name: nfc.normalize('NFD'), part: 0, seed: 'other bytes' },
        { name: `${YEAR}/IMG_2.jpg`, part: 0 },
        { name: `${YEAR}/IMG_2.jpg`, part: 1 },
      ],
      'zip',
    );
    const scan = await scanTakeout(parts);
    assert.equal(scan.counts.media, 2);
    const duplicates = scan.problems.filter((p) => p.reason === 'duplicate-name');
    assert.deepEqual(duplicates.map((p) => [p.entryName, path.basename(p.archive)]), [
      [nfc, path.basename(parts[0])],
      [`${YEAR}/IMG_2.jpg`, path.basename(parts[1])],
    ]);
    assert.equal(scan.describe(`${YEAR}/IMG_2.jpg`)?.archive, parts[0]);
  });
});
