import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { startEmulator } from '../emulator/index';
import { EmulatorControl } from '../emulator/control';
import { probeMedia } from '../emulator/media-probe';
import { signInForTest } from '../emulator/sign-in';
import { callJson, rawUpload } from '../emulator/test-client';
import { SIGN_IN_SCOPES } from '../../src/google/scopes';

const SET = 'test/fixtures/media-validity';
const read = (name: string): Buffer => readFileSync(`${SET}/${name}`);
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const CREATE_FAILED = 'Failed: There was an error while trying to create this media item.';

type Accepted = { mimeType: string; width: number; height: number };
/** The line, file by file: what Google makes of it (accepted with its type and size) or why it refuses it. */
const EXPECTED: Record<string, Accepted | RegExp> = {
  'ok-photo.jpg': { mimeType: 'image/jpeg', width: 64, height: 48 },
  'ok-trailing-data.jpg': { mimeType: 'image/jpeg', width: 64, height: 48 },
  'ok-photo.png': { mimeType: 'image/png', width: 64, height: 48 },
  'ok-photo.gif': { mimeType: 'image/gif', width: 64, height: 48 },
  'ok-photo.webp': { mimeType: 'image/webp', width: 64, height: 48 },
  'ok-photo.bmp': { mimeType: 'image/bmp', width: 64, height: 48 },
  'ok-photo.heic': { mimeType: 'image/heic', width: 64, height: 64 },
  'ok-photo.avif': { mimeType: 'image/avif', width: 64, height: 48 },
  'ok-clip.mp4': { mimeType: 'video/mp4', width: 64, height: 48 },
  'ok-clip.mov': { mimeType: 'video/quicktime', width: 64, height: 48 },
  'bad-truncated.jpg': /^not a JPEG image: the file ends inside the image data \(no EOI\)$/,
  'bad-soi-only.jpg': /^not a JPEG image: the file ends before a frame header$/,
  'bad-random.jpg': /^no photo or video structure found/,
  'bad-text.gif': /^no photo or video structure found/,
  'bad-no-moov.mp4': /^not a playable movie: no moov box/,
  'bad-empty.jpg': /^the file is empty$/,
};

test('the fixed media set is exactly the pinned list, and each file is accepted or refused as pinned', () => {
  const files = readdirSync(SET).filter((n) => n !== 'make.ts');
  assert.deepEqual(files.sort(), Object.keys(EXPECTED).sort(), 'a new fixture needs its line in EXPECTED');
  for (const [name, expected] of Object.entries(EXPECTED)) {
    const probe = probeMedia(read(name));
    if (expected instanceof RegExp) {
      assert.equal(probe.ok, false, `${name} should be refused`);
      assert.match(probe.ok ? '' : probe.reason, expected, name);
    } else {
      assert.ok(probe.ok, `${name} should be accepted: ${probe.ok ? '' : probe.reason}`);
      assert.deepEqual({ mimeType: probe.mimeType, width: probe.width, height: probe.height }, expected, name);
      assert.equal(probe.kind, expected.mimeType.startsWith('video/') ? 'video' : 'photo', name);
    }
  }
});

test('real cameras\' photos stay accepted, and damage found only past the first bytes is still refused', () => {
  for (const name of readdirSync('test/fixtures/photos')) {
    const probe = probeMedia(readFileSync(`test/fixtures/photos/${name}`));
    assert.ok(probe.ok && probe.mimeType === 'image/jpeg' && probe.width === 480 && probe.height === 360, `${name}: ${JSON.stringify(probe)}`);
  }
  const jpeg = read('ok-photo.jpg');
  const mp4 = read('ok-clip.mp4');
  const refusals: [string, Buffer, RegExp][] = [
    ['a JPEG cut right after its headers', jpeg.subarray(0, jpeg.indexOf(Buffer.from([0xff, 0xda])) + 14), /no EOI|without image data/],
    ['a JPEG whose EOI comes before any scan', Buffer.concat([jpeg.subarray(0, 2), Buffer.from([0xff, 0xd9])]), /EOI before any scan/],
    ['a JPEG with a segment longer than the file', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x40, 0x00, 0x4a, 0x46]), /runs past the end/],
    ['an MP4 cut inside its last box', mp4.subarray(0, mp4.length - 100), /truncated/],
    ['ftyp and moov but no media data', keepBoxes(mp4, ['ftyp', 'moov']), /no mdat box/],
    ['an audio-only MP4', renameHandler(mp4, 'vide', 'soun'), /no video track/],
  ];
  for (const [what, bytes, reason] of refusals) {
    const probe = probeMedia(bytes);
    assert.equal(probe.ok, false, what);
    assert.match(probe.ok ? '' : probe.reason, reason, what);
  }
});

test('batchCreate turns exactly the accepted files into items and refuses the others per item, as Google does', async () => {
  const emu = await startEmulator();
  const control = new EmulatorControl(emu.control);
  try {
    const { tokens } = await signInForTest(emu.endpoints, SIGN_IN_SCOPES);
    const token = tokens.access_token ?? '';
    const lib = emu.endpoints.library;
    const names = Object.keys(EXPECTED).filter((n) => n !== 'bad-empty.jpg');
    // Every upload claims to be a JPEG: Google reads the bytes, not the declared type.
    const uploadTokens = await Promise.all(names.map((n) => rawUpload(lib, token, read(n), n, 'image/jpeg')));
    type Result = { uploadToken: string; status: { code?: number; message: string }; mediaItem?: { id: string; mimeType: string; mediaMetadata: { width: string; height: string } } };
    const res = await callJson<{ newMediaItemResults: Result[] }>(`${lib}/v1/mediaItems:batchCreate`, token, 'POST', {
      newMediaItems: uploadTokens.map((t, i) => ({ simpleMediaItem: { uploadToken: t, fileName: names[i] } })),
    });
    assert.equal(res.status, 200);
    const results = res.body.newMediaItemResults;
    const state = await control.state();
    names.forEach((name, i) => {
      const expected = EXPECTED[name];
      const r = results[i];
      assert.equal(r.uploadToken, uploadTokens[i], name);
      if (expected instanceof RegExp) {
        assert.deepEqual(r.status, { code: 3, message: CREATE_FAILED }, name);
        assert.equal(r.mediaItem, undefined, name);
        assert.equal(state.mediaItems.find((m) => m.filename === name), undefined, name);
      } else {
        assert.equal(r.status.message, 'Success', name);
        assert.equal(r.mediaItem?.mimeType, expected.mimeType, name);
        assert.deepEqual([r.mediaItem?.mediaMetadata.width, r.mediaItem?.mediaMetadata.height], [String(expected.width), String(expected.height)], name);
        const stored = state.mediaItems.find((m) => m.id === r.mediaItem?.id);
        assert.equal(stored?.sha256, sha(read(name)), name);
        assert.equal(stored?.filename, name, name);
      }
    });
    const accepted = Object.values(EXPECTED).filter((e) => !(e instanceof RegExp)).length;
    assert.equal(state.mediaItems.filter((m) => !m.seeded).length, accepted);

    // A 0-byte file never gets an upload token: the upload itself is refused.
    const empty = await fetch(`${lib}/v1/uploads`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/octet-stream', 'X-Goog-Upload-Protocol': 'raw' }, body: new Uint8Array(read('bad-empty.jpg')) });
    assert.equal(empty.status, 400);
    assert.equal(((await empty.json()) as { code: number }).code, 3);
    assert.equal((await control.state()).uploadTokens.length, names.length);
  } finally {
    await emu.close();
  }
});

/** The top-level boxes of an MP4 whose type is in `types`, in order. */
function keepBoxes(file: Buffer, types: string[]): Buffer {
  const kept: Buffer[] = [];
  for (let at = 0; at + 8 <= file.length; at += file.readUInt32BE(at)) {
    if (types.includes(file.toString('latin1', at + 4, at + 8))) kept.push(file.subarray(at, at + file.readUInt32BE(at)));
  }
  return Buffer.concat(kept);
}

/** The same movie with its handler type changed (an audio track instead of a video one). */
function renameHandler(file: Buffer, from: string, to: string): Buffer {
  const copy = Buffer.from(file);
  const hdlr = copy.indexOf('hdlr');
  const at = copy.indexOf(from, hdlr);
  assert.ok(hdlr > 0 && at > hdlr && at < hdlr + 20);
  copy.write(to, at, 'latin1');
  return copy;
}
