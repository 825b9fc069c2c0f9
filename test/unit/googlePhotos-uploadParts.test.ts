import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chunkLength, encodeUploadFileName, nextChunk, planChunks } from '../../src/destinations/googlePhotos/uploadParts';
import { fileRangeStream } from '../../src/localfs/fileRangeStream';
import { FileChangedError } from '../../src/localfs/fileSnapshot';

const G = 262_144;

test('chunk length is the preferred size rounded to a multiple of the granularity, at least one granule', () => {
  assert.equal(chunkLength(G, 8 * 1024 * 1024), 8 * 1024 * 1024);
  assert.equal(chunkLength(G, 1_000_000), 4 * G); // 3.81 granules → 4
  assert.equal(chunkLength(G, 100_000), G);
  assert.equal(chunkLength(1_000_000, 8 * 1024 * 1024), 8_000_000);
  assert.throws(() => chunkLength(0, 1000), RangeError);
});

test('every chunk but the last is a granularity multiple; the last finalizes with the remainder', () => {
  const size = 10 * G + 12_345;
  const chunks = planChunks(size, G, 3 * G);
  assert.deepEqual(
    chunks.map((c) => [c.offset, c.length, c.final]),
    [
      [0, 3 * G, false],
      [3 * G, 3 * G, false],
      [6 * G, 3 * G, false],
      [9 * G, G + 12_345, true],
    ],
  );
  for (const c of chunks.slice(0, -1)) assert.equal(c.length % G, 0);
  assert.equal(chunks.reduce((n, c) => n + c.length, 0), size);
});

test('a file of exactly N chunks ends with a full final chunk, not an empty one', () => {
  const chunks = planChunks(4 * G, G, 2 * G);
  assert.deepEqual(chunks.map((c) => [c.length, c.final]), [[2 * G, false], [2 * G, true]]);
});

test('planning resumes from the offset the server reported', () => {
  const chunks = planChunks(10 * G, G, 4 * G, 5 * G);
  assert.deepEqual(chunks.map((c) => [c.offset, c.length, c.final]), [[5 * G, 4 * G, false], [9 * G, G, true]]);
  assert.deepEqual(nextChunk(10 * G, 10 * G, 4 * G), { offset: 10 * G, length: 0, final: true });
  assert.throws(() => nextChunk(11 * G, 10 * G, 4 * G), RangeError);
});

test('file names are percent-encoded UTF-8 (NFC), base name only, ASCII-safe for a header', () => {
  assert.equal(encodeUploadFileName('IMG_0001.JPG'), 'IMG_0001.JPG');
  assert.equal(encodeUploadFileName('Zoë 写真 🎉.jpg'), 'Zo%C3%AB%20%E5%86%99%E7%9C%9F%20%F0%9F%8E%89.jpg');
  // A decomposed "e + combining acute" is sent as the composed character.
  assert.equal(encodeUploadFileName('Cafe\u0301.png'), 'Caf%C3%A9.png');
  assert.equal(encodeUploadFileName('/home/me/Photos/a&b%c;d.jpg'), 'a%26b%25c%3Bd.jpg');
  assert.equal(encodeUploadFileName('C:\\Users\\me\\x y.jpg'), 'x%20y.jpg');
  for (const name of ['Zoë 写真 🎉.jpg', 'a&b%c;d.jpg', 'naïve\tname.heic']) {
    const encoded = encodeUploadFileName(name);
    assert.match(encoded, /^[\x21-\x7e]+$/);
    assert.equal(decodeURIComponent(encoded), name.normalize('NFC'));
  }
});

test('fileRangeStream yields exactly the requested byte range', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'google-parts-'));
  try {
    const file = path.join(dir, 'data.bin');
    const bytes = Buffer.alloc(700_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) & 0xff;
    await writeFile(file, bytes);
    let reported = 0;
    const got = Buffer.from(await new Response(fileRangeStream(file, 100_000, 500_000, (n) => (reported += n))).arrayBuffer());
    assert.equal(got.length, 500_000);
    assert.ok(got.equals(bytes.subarray(100_000, 600_000)));
    assert.equal(reported, 500_000);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('fileRangeStream errors with FileChangedError when the file got shorter', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'google-parts-'));
  try {
    const file = path.join(dir, 'data.bin');
    await writeFile(file, Buffer.alloc(600_000, 1));
    const stream = fileRangeStream(file, 0, 600_000);
    const reader = stream.getReader();
    await reader.read();
    await truncate(file, 10);
    await assert.rejects(async () => {
      for (;;) if ((await reader.read()).done) break;
    }, FileChangedError);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
