// Drive's one-request upload body (src/destinations/googleDrive/multipartBody.ts), split by the
// emulator's multipart/related parser: metadata first, then exactly the file's bytes, whether read
// whole (small files) or streamed (larger ones); a file that shrank since the scan is reported as changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileChangedError } from '../../src/localfs/fileSnapshot';
import { multipartBody, WHOLE_BODY_MAX } from '../../src/destinations/googleDrive/multipartBody';
import { parseMultipartRelated } from '../emulator/drive/multipart';

const pattern = (n: number, seed = 7) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff));

async function fileOf(bytes: Buffer): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'photosync-multipart-'));
  const file = path.join(dir, 'IMG_1.jpg');
  await fs.writeFile(file, bytes);
  return file;
}

async function bytesOf(body: Buffer | ReadableStream<Uint8Array>): Promise<Buffer> {
  if (Buffer.isBuffer(body)) return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

for (const [what, size] of [
  ['a small file, read whole into one buffer', 70_000],
  ['an empty file', 0],
  ['a file above the whole-read size, streamed', WHOLE_BODY_MAX + 300_000],
] as const) {
  test(`multipart body of ${what}: the metadata part, then exactly the file's bytes; progress counts them`, async () => {
    const bytes = pattern(size);
    const file = await fileOf(bytes);
    const metadata = { id: 'abc', name: 'Strand – Été.jpg', parents: ['p1'], appProperties: { photoSyncSha256: 'x' } };
    let seen = 0;
    const { contentType, body } = await multipartBody({ path: file, mimeType: 'image/jpeg', size }, metadata, (n) => (seen += n));
    assert.equal(Buffer.isBuffer(body), size <= WHOLE_BODY_MAX);
    const parts = parseMultipartRelated(contentType, await bytesOf(body));
    assert.equal(parts.length, 2);
    assert.match(parts[0].headers['content-type'], /^application\/json\b/);
    assert.deepEqual(JSON.parse(parts[0].body.toString('utf8')), metadata);
    assert.equal(parts[1].headers['content-type'], 'image/jpeg');
    assert.ok(parts[1].body.equals(bytes), 'the media part holds the file byte for byte');
    assert.equal(seen, size);
  });
}

test('a file shorter than its scanned size fails as a changed file, read whole or streamed', async () => {
  const small = await fileOf(pattern(100));
  await assert.rejects(multipartBody({ path: small, mimeType: 'image/jpeg', size: 200 }, {}), (err: unknown) => err instanceof FileChangedError && err.reason === 'size');
  const large = await fileOf(pattern(WHOLE_BODY_MAX + 10));
  const { body } = await multipartBody({ path: large, mimeType: 'image/jpeg', size: WHOLE_BODY_MAX + 500_000 }, {});
  await assert.rejects(bytesOf(body), (err: unknown) => err instanceof FileChangedError && err.reason === 'size');
});

test('each body has its own boundary, absent from the bytes it carries', async () => {
  const file = await fileOf(pattern(5000));
  const a = await multipartBody({ path: file, mimeType: 'image/jpeg', size: 5000 }, {});
  const b = await multipartBody({ path: file, mimeType: 'image/jpeg', size: 5000 }, {});
  assert.notEqual(a.contentType, b.contentType);
  const boundary = /boundary=(\S+)/.exec(a.contentType)?.[1] ?? '';
  assert.equal(pattern(5000).includes(boundary), false);
});
