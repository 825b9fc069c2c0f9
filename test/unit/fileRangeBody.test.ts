import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { FileChangedError } from '../../src/localfs/fileSnapshot';
import { fileRangeBody, WHOLE_BODY_MAX } from '../../src/localfs/fileRangeStream';

async function fileOf(bytes: Buffer): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'photosync-body-'));
  const file = path.join(dir, 'f.bin');
  await fs.writeFile(file, bytes);
  return file;
}

const pattern = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31) & 0xff));

test('a small range is read whole into a buffer holding exactly those bytes, and reported read', async () => {
  const bytes = pattern(70_000);
  const file = await fileOf(bytes);
  const seen: number[] = [];
  const whole = await fileRangeBody(file, 0, bytes.length, (n) => seen.push(n));
  assert.ok(whole instanceof Uint8Array);
  assert.ok(Buffer.from(whole).equals(bytes));
  assert.deepEqual(seen, [bytes.length]);
  const part = await fileRangeBody(file, 1000, 5000);
  assert.ok(part instanceof Uint8Array);
  assert.ok(Buffer.from(part).equals(bytes.subarray(1000, 6000)));
  // From the shared pool of small buffers: the view covers only its own bytes.
  const tiny = await fileRangeBody(file, 10, 7);
  assert.ok(tiny instanceof Uint8Array);
  assert.equal(tiny.byteLength, 7);
  assert.ok(Buffer.from(tiny).equals(bytes.subarray(10, 17)));
});

test('a file shorter than the range throws FileChangedError; a missing one ENOENT', async () => {
  const file = await fileOf(pattern(100));
  await assert.rejects(fileRangeBody(file, 0, 200), (err: unknown) => err instanceof FileChangedError && err.reason === 'size');
  await assert.rejects(fileRangeBody(`${file}.gone`, 0, 10), (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT');
});

test('a range over the limit is streamed, chunk by chunk, with the same bytes', async () => {
  const bytes = pattern(WHOLE_BODY_MAX + 12_345);
  const file = await fileOf(bytes);
  let reported = 0;
  const body = await fileRangeBody(file, 0, bytes.length, (n) => (reported += n));
  assert.ok(body instanceof ReadableStream);
  const chunks: Uint8Array[] = [];
  for await (const c of body as ReadableStream<Uint8Array>) chunks.push(c);
  assert.ok(chunks.length >= 2);
  assert.ok(Buffer.concat(chunks).equals(bytes));
  assert.equal(reported, bytes.length);
});
