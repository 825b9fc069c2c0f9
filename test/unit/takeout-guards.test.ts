import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import yazl from 'yazl';
import { readArchive } from '../../src/takeout/readArchive';
import { EntryDamagedError, type ReadOptions, type ReadProblem } from '../../src/takeout/types';
import { corruptBytes, expectedSha256, offsetOf, patchName, truncateTo, writeTgz, writeZip, type TakeoutFile } from '../helpers/takeoutArchive';
import { YEAR } from '../helpers/takeoutFixture';

async function withTemp(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'takeout-guards-'));
  try {
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface Outcome {
  ok: Map<string, string>; // entryName → sha256 of what streamed
  failed: Map<string, EntryDamagedError>;
  problems: ReadProblem[];
}

/** Reads everything, streaming each entry to a hash; failures are collected, never thrown. */
async function readAll(file: string, options: ReadOptions = {}): Promise<Outcome> {
  const outcome: Outcome = { ok: new Map(), failed: new Map(), problems: [] };
  for await (const entry of readArchive(file, { ...options, onProblem: (p) => outcome.problems.push(p) })) {
    const hash = createHash('sha256');
    try {
      for await (const chunk of entry.open()) hash.update(chunk as Buffer);
      outcome.ok.set(entry.entryName, hash.digest('hex'));
    } catch (error) {
      assert.ok(error instanceof EntryDamagedError, `typed error for ${entry.entryName}: ${String(error)}`);
      outcome.failed.set(entry.entryName, error);
    }
  }
  return outcome;
}

const photo = (n: number, extra: Partial<TakeoutFile> = {}): TakeoutFile => ({ name: `${YEAR}/IMG_${n}.jpg`, size: 50_000, ...extra });

async function zeros(size: number): Promise<Readable> {
  const chunk = Buffer.alloc(1024 * 1024);
  let left = size;
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const n = Math.min(left, chunk.length);
      left -= n;
      this.push(chunk.subarray(0, n));
    },
  });
}

test('zip-slip: .., absolute, drive-letter and backslash-climbing names are refused one by one; the rest is read', async () => {
  await withTemp(async (dir) => {
    const zip = path.join(dir, 'slip.zip');
    // yazl refuses to write hostile names, so write placeholders of the same length and patch the bytes.
    const hostile = ['../../../../../etc/evil.jpg', '/etc/cron.d/evil_evil_x.jpg', 'C:/Windows/System32/evil.jpg', 'Takeout\\..\\..\\..\\evil__.jpg'];
    const placeholders = hostile.map((h, i) => `Takeout/p${i}`.padEnd(h.length - 4, 'x') + '.jpg');
    await writeZip(zip, [photo(1), ...placeholders.map((name) => ({ name, size: 1000 })), { name: 'Takeout\\Google Photos\\Photos from 2019\\win.jpg', size: 10 }, photo(2)].map((f) => (f.name.includes('\\') ? { ...f, name: 'Takeout/Google Photos/Photos from 2019/win.jpg' } : f)));
    for (let i = 0; i < hostile.length; i++) assert.equal(await patchName(zip, placeholders[i], hostile[i]), 2);
    assert.equal(await patchName(zip, 'Takeout/Google Photos/Photos from 2019/win.jpg', 'Takeout\\Google Photos\\Photos from 2019\\win.jpg'), 2);
    const out = await readAll(zip);
    assert.deepEqual([...out.ok.keys()], [`${YEAR}/IMG_1.jpg`, `${YEAR}/win.jpg`, `${YEAR}/IMG_2.jpg`]);
    assert.deepEqual(
      out.problems.map((p) => [p.reason, p.rawName]),
      hostile.map((h) => ['unsafe-path', h.replace(/\\/g, '/')]),
    );
    assert.match(out.problems[0].message, /climbs out/);
    assert.match(out.problems[1].message, /absolute/);
    assert.match(out.problems[2].message, /drive letter/);
    for (const name of out.ok.keys()) assert.ok(!path.posix.normalize(name).startsWith('..') && !path.isAbsolute(name));
  });
});

test('tar-slip: .. and absolute names and symlinks in a tgz are refused; the rest is read', async () => {
  await withTemp(async (dir) => {
    const tgz = path.join(dir, 'slip.tgz');
    const pack = tar.pack();
    const done = pipeline(pack as unknown as Readable, zlib.createGzip(), createWriteStream(tgz));
    pack.entry({ name: '../evil.jpg', size: 3 }, 'bad');
    pack.entry({ name: '/tmp/evil.jpg', size: 3 }, 'bad');
    pack.entry({ name: `${YEAR}/link.jpg`, type: 'symlink', linkname: '/etc/passwd' });
    pack.entry({ name: `${YEAR}/good.jpg`, size: 4 }, 'good');
    pack.finalize();
    await done;
    const out = await readAll(tgz);
    assert.deepEqual([...out.ok.keys()], [`${YEAR}/good.jpg`]);
    assert.deepEqual(out.problems.map((p) => p.reason), ['unsafe-path', 'unsafe-path', 'link']);
  });
});

test('zip bomb: a highly compressed entry is refused with its ratio, an overlapping-size archive stops, limits are configurable', async () => {
  await withTemp(async (dir) => {
    const zip = path.join(dir, 'bomb.zip');
    const writer = new yazl.ZipFile();
    writer.addBuffer(Buffer.from('before'), `${YEAR}/a.jpg.json`);
    writer.addReadStream(await zeros(64 * 1024 * 1024), `${YEAR}/bomb.jpg`, { compress: true });
    writer.addBuffer(Buffer.from('after'), `${YEAR}/b.jpg.json`);
    writer.end();
    await pipeline(writer.outputStream, createWriteStream(zip));
    assert.ok((await stat(zip)).size < 200_000);
    const out = await readAll(zip);
    assert.deepEqual([...out.ok.keys()], [`${YEAR}/a.jpg.json`, `${YEAR}/b.jpg.json`]);
    assert.equal(out.problems.length, 1);
    assert.equal(out.problems[0].reason, 'zip-bomb');
    assert.match(out.problems[0].message, /inflates \d+:1 .*64\.0 MiB.*over the 200:1 limit/);
    // Raised limits let it through (and the bytes really are 64 MiB of zeros).
    const relaxed = await readAll(zip, { limits: { maxCompressionRatio: 5000 } });
    assert.equal(relaxed.ok.get(`${YEAR}/bomb.jpg`), createHash('sha256').update(Buffer.alloc(64 * 1024 * 1024)).digest('hex'));
    // Many small entries that each pass but add up to a bomb stop the archive.
    const many = path.join(dir, 'many.zip');
    const manyWriter = new yazl.ZipFile();
    for (let i = 0; i < 20; i++) manyWriter.addReadStream(await zeros(4 * 1024 * 1024), `${YEAR}/z${i}.jpg`, { compress: true });
    manyWriter.end();
    await pipeline(manyWriter.outputStream, createWriteStream(many));
    const stopped = await readAll(many);
    assert.ok(stopped.ok.size < 20);
    assert.deepEqual(stopped.problems.map((p) => p.reason), ['zip-bomb']);
    assert.match(stopped.problems[0].message, /the rest of the part is not read/);
    // Size limits.
    const small = await readAll(zip, { limits: { maxEntryBytes: 1024 * 1024 } });
    assert.equal(small.problems[0].reason, 'too-large');
  });
});

test('tgz bomb: the running inflation ratio stops the part with a reason; entries before it were read', async () => {
  await withTemp(async (dir) => {
    const tgz = path.join(dir, 'bomb.tgz');
    const pack = tar.pack();
    const done = pipeline(pack as unknown as Readable, zlib.createGzip({ level: 9 }), createWriteStream(tgz));
    pack.entry({ name: `${YEAR}/first.jpg`, size: 5 }, 'first');
    const sink = pack.entry({ name: `${YEAR}/bomb.jpg`, size: 128 * 1024 * 1024 });
    await pipeline(await zeros(128 * 1024 * 1024), sink as unknown as NodeJS.WritableStream);
    pack.finalize();
    await done;
    const out = await readAll(tgz);
    assert.deepEqual([...out.ok.keys()], [`${YEAR}/first.jpg`]);
    assert.ok(out.problems.some((p) => p.reason === 'zip-bomb' && /over the 200:1 limit/.test(p.message)), JSON.stringify(out.problems));
  });
});

const PART: TakeoutFile[] = [
  photo(1),
  { name: `${YEAR}/IMG_1.jpg.json`, data: '{"title":"IMG_1.jpg","photoTakenTime":{"timestamp":"1556000000"}}' },
  photo(2, { streamed: true, compress: true }), // deflated with a data descriptor
  photo(3, { streamed: true }), // stored with a data descriptor
  photo(4),
  photo(5, { size: 400_000 }),
];

test('truncated zip (interrupted download): every entry before the cut is recovered byte-exact, the cut one is named', async () => {
  await withTemp(async (dir) => {
    const zip = path.join(dir, 'cut.zip');
    await writeZip(zip, PART);
    const cutAt = (await offsetOf(zip, 'IMG_5.jpg')) + 200_000;
    await truncateTo(zip, cutAt);
    const out = await readAll(zip);
    const wanted = PART.slice(0, 5);
    assert.deepEqual([...out.ok.keys()], wanted.map((f) => f.name));
    for (const file of wanted) assert.equal(out.ok.get(file.name), await expectedSha256(file), file.name);
    assert.deepEqual(out.problems.map((p) => [p.reason, p.entryName]), [
      ['truncated', undefined],
      ['truncated', `${YEAR}/IMG_5.jpg`],
    ]);
  });
});

test('corrupt zip: a damaged entry fails its CRC and is listed; a damaged central directory falls back to the local headers', async () => {
  await withTemp(async (dir) => {
    const zip = path.join(dir, 'bad.zip');
    await writeZip(zip, PART);
    await corruptBytes(zip, (await offsetOf(zip, 'IMG_4.jpg')) + 1000, 16);
    const out = await readAll(zip);
    assert.deepEqual([...out.failed.keys()], [`${YEAR}/IMG_4.jpg`]);
    assert.equal(out.failed.get(`${YEAR}/IMG_4.jpg`)!.reason, 'corrupt');
    assert.deepEqual(out.problems.map((p) => [p.reason, p.entryName, /CRC/.test(p.message)]), [['corrupt', `${YEAR}/IMG_4.jpg`, true]]);
    assert.equal(out.ok.size, PART.length - 1);

    const dirBad = path.join(dir, 'dir.zip');
    await writeZip(dirBad, PART);
    // Break the signature of the third central-directory record (0x02014b50).
    const data = await import('node:fs/promises').then((fs) => fs.readFile(dirBad));
    let at = -1;
    for (let i = 0; i < 3; i++) at = data.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), at + 1);
    await corruptBytes(dirBad, at, 2);
    const recovered = await readAll(dirBad);
    assert.deepEqual([...recovered.ok.keys()].sort(), PART.map((f) => f.name).sort());
    for (const file of PART) assert.equal(recovered.ok.get(file.name), await expectedSha256(file));
    assert.deepEqual(recovered.problems.map((p) => p.reason), ['corrupt']);
    assert.match(recovered.problems[0].message, /central directory is damaged after 2 entries/);
  });
});

test('truncated and corrupt tgz: everything before the damage is read, the damage is named', async () => {
  await withTemp(async (dir) => {
    const tgz = path.join(dir, 'cut.tgz');
    await writeTgz(tgz, PART);
    const size = (await stat(tgz)).size;
    await truncateTo(tgz, size - 200_000);
    const out = await readAll(tgz);
    assert.deepEqual([...out.ok.keys()], PART.slice(0, 5).map((f) => f.name));
    assert.deepEqual([...out.failed.keys()], [`${YEAR}/IMG_5.jpg`]);
    assert.equal(out.failed.get(`${YEAR}/IMG_5.jpg`)!.reason, 'truncated');
    assert.deepEqual(out.problems.map((p) => [p.reason, p.entryName]), [['truncated', `${YEAR}/IMG_5.jpg`]]);

    const bad = path.join(dir, 'bad.tgz');
    await writeTgz(bad, PART);
    await corruptBytes(bad, Math.floor(size / 2), 64);
    const damaged = await readAll(bad);
    assert.ok(damaged.ok.size >= 1 && damaged.ok.size < PART.length, `${damaged.ok.size} entries read before the damage`);
    assert.equal(damaged.problems.filter((p) => p.reason === 'corrupt').length, 1, JSON.stringify(damaged.problems));
    assert.match(damaged.problems.find((p) => p.reason === 'corrupt')!.message, /gzip cannot resume/);
  });
});

test('a file that is no archive is reported, not thrown', async () => {
  await withTemp(async (dir) => {
    const junk = path.join(dir, 'takeout-001.zip');
    await writeFile(junk, 'this is an HTML error page, not a zip');
    const out = await readAll(junk);
    assert.deepEqual(out.problems.map((p) => p.reason), ['unreadable-archive']);
    const missing = await readAll(path.join(dir, 'missing.zip'));
    assert.deepEqual(missing.problems.map((p) => p.reason), ['unreadable-archive']);
  });
});
