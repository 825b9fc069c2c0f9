// Small download bodies held in memory (src/sync/download/held.ts): the budget, and receiving that
// fails the way stageStream does (so the queue retries, cancels, or reports the same way).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PlaceError } from '../../src/localfs/placeFile';
import { HeldBytes, receiveHeld } from '../../src/sync/download/held';

async function* chunks(...parts: (Uint8Array | Error)[]): AsyncIterable<Uint8Array> {
  for (const part of parts) {
    await new Promise((resolve) => setImmediate(resolve));
    if (part instanceof Error) throw part;
    yield part;
  }
}

const isPlaceError = (code: string, message?: RegExp) => (err: unknown) => {
  assert.ok(err instanceof PlaceError, String(err));
  assert.equal(err.code, code, err.message);
  if (message) assert.match(err.message, message);
  return true;
};

test('the budget: unknown sizes, bodies over the item limit and bodies beyond what is left go to disk; released bytes make room again', () => {
  const held = new HeldBytes(100, 60);
  assert.equal(held.take(undefined), false, 'unknown size');
  assert.equal(held.take(61), false, 'over the item limit');
  assert.equal(held.take(60), true);
  assert.equal(held.take(41), false, 'beyond the budget');
  assert.equal(held.take(40), true);
  assert.equal(held.held, 100);
  assert.equal(held.take(0), true, 'an empty body takes no room');
  held.release(60);
  assert.equal(held.held, 40);
  assert.equal(held.take(60), true);
  held.release(1000);
  assert.equal(held.held, 0, 'never below zero');
  assert.equal(new HeldBytes(0).take(1), false, 'budget 0 holds nothing');
});

test('a body in several chunks arrives as one buffer of exactly the announced bytes', async () => {
  const a = Buffer.from('hello, ');
  const b = new Uint8Array(Buffer.from('photos'));
  const got = await receiveHeld(chunks(a, b), '/x/IMG_1.jpg', 13, new AbortController().signal);
  assert.equal(got.toString(), 'hello, photos');
  assert.equal(got.length, 13);
});

test('more bytes than announced stop at once; fewer are refused; both as size-mismatch (retried)', async () => {
  const signal = new AbortController().signal;
  await assert.rejects(receiveHeld(chunks(Buffer.alloc(10), Buffer.alloc(10)), '/x/big.jpg', 15, signal), isPlaceError('size-mismatch', /big\.jpg is larger than the 15 bytes/));
  await assert.rejects(receiveHeld(chunks(Buffer.alloc(10)), '/x/short.jpg', 15, signal), isPlaceError('size-mismatch', /short\.jpg arrived with 10 bytes, but the server announced 15/));
});

test('a connection that breaks off mid-body is a stream-error naming the bytes received; a cancel is aborted', async () => {
  await assert.rejects(
    receiveHeld(chunks(Buffer.alloc(7), new Error('socket hang up')), '/x/cut.jpg', 20, new AbortController().signal),
    isPlaceError('stream-error', /cut\.jpg broke off after 7 bytes \(socket hang up\)/),
  );
  const controller = new AbortController();
  let closed = false;
  async function* endless(): AsyncIterable<Uint8Array> {
    try {
      for (;;) {
        await new Promise((resolve) => setImmediate(resolve));
        controller.abort();
        yield Buffer.alloc(1);
      }
    } finally {
      closed = true;
    }
  }
  await assert.rejects(receiveHeld(endless(), '/x/gone.jpg', 100, controller.signal), isPlaceError('aborted', /gone\.jpg was cancelled/));
  assert.ok(closed, 'the body is released (the connection goes back)');
});
